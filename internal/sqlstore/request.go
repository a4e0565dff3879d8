package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

const requestCols = `q.id, q.offering_id, q.provider_org_id, org.name, q.resident_id, COALESCE(p.display_name, ''),
	q.created_by, q.offering_title, q.message, q.status, q.proposed_time, q.reason, q.funding, q.delivered_at,
	q.created_at, q.updated_at, q.version`

const requestFrom = ` FROM requests q JOIN organisations org ON org.id = q.provider_org_id
	LEFT JOIN persons p ON p.id = q.resident_id`

func scanRequest(sc interface{ Scan(...any) error }) (request.Stored, error) {
	var s request.Stored
	r := &s.Request
	var proposed, delivered sql.NullInt64
	var created, updated int64
	err := sc.Scan(&r.ID, &r.OfferingID, &r.ProviderOrgID, &r.ProviderName, &r.ResidentID, &r.ResidentName,
		&r.CreatedByID, &r.OfferingTitle, &s.SealedMessage, &r.Status, &proposed, &s.SealedReason, &r.Funding, &delivered,
		&created, &updated, &r.Version)
	r.ProposedTime, r.DeliveredAt = fromNullMS(proposed), fromNullMS(delivered)
	r.CreatedAt, r.UpdatedAt = fromMS(created), fromMS(updated)
	if len(s.SealedReason) == 0 {
		s.SealedReason = nil
	}
	return s, err
}

// nullBytes stores an empty byte slice as NULL.
func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// CreateRequest inserts a request (Version 1) with its first event.
func (db *DB) CreateRequest(ctx context.Context, s request.Stored, e request.Event) error {
	const op = "sqlstore.CreateRequest"
	r := s.Request
	return db.InTx(ctx, func(ctx context.Context) error {
		if err := db.exec(ctx, op, false, `INSERT INTO requests (id, offering_id, provider_org_id, resident_id, created_by,
			offering_title, message, status, proposed_time, reason, funding, delivered_at, created_at, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1)`,
			r.ID, r.OfferingID, r.ProviderOrgID, r.ResidentID, r.CreatedByID, r.OfferingTitle, s.SealedMessage, r.Status,
			nullMS(r.ProposedTime), nullBytes(s.SealedReason), r.Funding, nullMS(r.DeliveredAt), ms(r.CreatedAt), ms(r.UpdatedAt)); err != nil {
			return err
		}
		return db.addRequestEvent(ctx, op, e)
	})
}

// UpdateRequest stores the changed state of a request as version prev+1
// with its event; Conflict when the stored version is not prev, NotFound
// when there is no such request.
func (db *DB) UpdateRequest(ctx context.Context, s request.Stored, prev int64, e request.Event) error {
	const op = "sqlstore.UpdateRequest"
	r := s.Request
	return db.InTx(ctx, func(ctx context.Context) error {
		res, err := db.w(ctx).ExecContext(ctx, `UPDATE requests SET status = $2, proposed_time = $3, reason = $4,
			delivered_at = $5, updated_at = $6, version = $7 WHERE id = $1 AND version = $8`,
			r.ID, r.Status, nullMS(r.ProposedTime), nullBytes(s.SealedReason), nullMS(r.DeliveredAt), ms(r.UpdatedAt), prev+1, prev)
		if err != nil {
			return db.wrap(op, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return db.wrap(op, err)
		}
		if n == 0 {
			var v int64
			if err := db.r(ctx).QueryRowContext(ctx, `SELECT version FROM requests WHERE id = $1`, r.ID).Scan(&v); err != nil {
				return db.wrap(op, err)
			}
			return errs.E(op, errs.Conflict, errs.Key("error.request.changed"))
		}
		return db.addRequestEvent(ctx, op, e)
	})
}

func (db *DB) addRequestEvent(ctx context.Context, op string, e request.Event) error {
	return db.exec(ctx, op, false, `INSERT INTO request_events (request_id, seq, status, at, by_id, proposed_time)
		VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM request_events WHERE request_id = $1), $2, $3, $4, $5)`,
		e.RequestID, e.Status, ms(e.At), e.ByID, nullMS(e.ProposedTime))
}

// FindRequestByID returns one request.
func (db *DB) FindRequestByID(ctx context.Context, id string) (request.Stored, error) {
	s, err := scanRequest(db.r(ctx).QueryRowContext(ctx, `SELECT `+requestCols+requestFrom+` WHERE q.id = $1`, id))
	return s, db.wrap("sqlstore.FindRequestByID", err)
}

// FindRequestsByResident lists a resident's requests, newest first.
func (db *DB) FindRequestsByResident(ctx context.Context, residentID string) ([]request.Stored, error) {
	return db.findRequests(ctx, "sqlstore.FindRequestsByResident", `q.resident_id = $1`, residentID)
}

// FindRequestsByProvider lists an organisation's requests in one of
// statuses (all when empty), newest first.
func (db *DB) FindRequestsByProvider(ctx context.Context, orgID string, statuses []request.Status) ([]request.Stored, error) {
	where := `q.provider_org_id = $1`
	args := []any{orgID}
	if len(statuses) > 0 {
		ph := make([]string, len(statuses))
		for i, s := range statuses {
			args = append(args, string(s))
			ph[i] = placeholder(len(args))
		}
		where += ` AND q.status IN (` + strings.Join(ph, `, `) + `)`
	}
	return db.findRequests(ctx, "sqlstore.FindRequestsByProvider", where, args...)
}

func (db *DB) findRequests(ctx context.Context, op, where string, args ...any) ([]request.Stored, error) {
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT `+requestCols+requestFrom+` WHERE `+where+
		` ORDER BY q.created_at DESC, q.id DESC`, args...)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []request.Stored
	for rows.Next() {
		s, err := scanRequest(rows)
		if err != nil {
			return nil, db.wrap(op, err)
		}
		list = append(list, s)
	}
	return list, db.wrap(op, rows.Err())
}

// FindRequestEvents lists the timeline of a request, oldest first.
func (db *DB) FindRequestEvents(ctx context.Context, requestID string) ([]request.Event, error) {
	const op = "sqlstore.FindRequestEvents"
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT request_id, status, at, by_id, proposed_time FROM request_events
		WHERE request_id = $1 ORDER BY seq`, requestID)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []request.Event
	for rows.Next() {
		var e request.Event
		var at int64
		var proposed sql.NullInt64
		if err := rows.Scan(&e.RequestID, &e.Status, &at, &e.ByID, &proposed); err != nil {
			return nil, db.wrap(op, err)
		}
		e.At, e.ProposedTime = fromMS(at), fromNullMS(proposed)
		list = append(list, e)
	}
	return list, db.wrap(op, rows.Err())
}

// FindProviderAdmins lists the persons holding provider_admin in an
// organisation, by name.
func (db *DB) FindProviderAdmins(ctx context.Context, orgID string) ([]identity.Person, error) {
	const op = "sqlstore.FindProviderAdmins"
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT `+personCols+` FROM persons WHERE id IN
		(SELECT person_id FROM role_assignments WHERE role = 'provider_admin' AND organisation_id = $1)
		ORDER BY display_name, id`, orgID)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []identity.Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, db.wrap(op, err)
		}
		list = append(list, p)
	}
	return list, db.wrap(op, rows.Err())
}
