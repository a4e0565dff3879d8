package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// Grants: the current state in consent_grants, every version in
// consent_grant_versions. Categories and scopes are space-separated lists;
// category names never hold a space.

const grantCols = `id, version, grantor_id, grantee_person_id, grantee_org_id, categories, permission, purpose,
	valid_from, valid_until, revoked_at, created_at, created_by_id, change_kind, changed_at, changed_by_id`

// grantVersionCols are the same columns in consent_grant_versions.
const grantVersionCols = `grant_id, version, grantor_id, grantee_person_id, grantee_org_id, categories, permission, purpose,
	valid_from, valid_until, revoked_at, created_at, created_by_id, change_kind, changed_at, changed_by_id`

func grantArgs(g consent.Grant) []any {
	return []any{g.ID, g.Version, g.GrantorID, nullStr(g.GranteePersonID), nullStr(g.GranteeOrgID),
		strings.Join(g.Categories, " "), string(g.Permission), string(g.Purpose), ms(g.ValidFrom), ms(g.ValidUntil),
		nullMS(g.RevokedAt), ms(g.CreatedAt), g.CreatedByID, string(g.Change), ms(g.ChangedAt), g.ChangedByID}
}

// scanGrant reads grantCols (or grantVersionCols), plus reminded_at when
// withReminded is set.
func scanGrant(sc interface{ Scan(...any) error }, withReminded bool) (consent.Grant, error) {
	var g consent.Grant
	var person, org sql.NullString
	var cats string
	var from, until, created, changed int64
	var revoked, reminded sql.NullInt64
	dest := []any{&g.ID, &g.Version, &g.GrantorID, &person, &org, &cats, &g.Permission, &g.Purpose,
		&from, &until, &revoked, &created, &g.CreatedByID, &g.Change, &changed, &g.ChangedByID}
	if withReminded {
		dest = append(dest, &reminded)
	}
	if err := sc.Scan(dest...); err != nil {
		return g, err
	}
	g.GranteePersonID, g.GranteeOrgID, g.Categories = person.String, org.String, strings.Fields(cats)
	g.ValidFrom, g.ValidUntil, g.RevokedAt = fromMS(from), fromMS(until), fromNullMS(revoked)
	g.CreatedAt, g.ChangedAt, g.RemindedAt = fromMS(created), fromMS(changed), fromNullMS(reminded)
	return g, nil
}

// CreateGrant inserts a new grant and its first version.
func (db *DB) CreateGrant(ctx context.Context, g *consent.Grant) error {
	const op = "sqlstore.CreateGrant"
	return db.InTx(ctx, func(ctx context.Context) error {
		args := grantArgs(*g)
		if err := db.exec(ctx, op, false, `INSERT INTO consent_grants (`+grantCols+`, reminded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
			append(args, nullMS(g.RemindedAt))...); err != nil {
			return err
		}
		return db.exec(ctx, op, false, `INSERT INTO consent_grant_versions (`+grantVersionCols+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`, args...)
	})
}

// UpdateGrant replaces version g.Version-1 of a grant with g and keeps g
// as a version. When the stored version is another (a change made
// meanwhile), it is a Conflict and nothing changes.
func (db *DB) UpdateGrant(ctx context.Context, g consent.Grant) error {
	const op = "sqlstore.UpdateGrant"
	return db.InTx(ctx, func(ctx context.Context) error {
		res, err := db.w(ctx).ExecContext(ctx, `UPDATE consent_grants SET version = $2, grantor_id = $3,
			grantee_person_id = $4, grantee_org_id = $5, categories = $6, permission = $7, purpose = $8,
			valid_from = $9, valid_until = $10, revoked_at = $11, created_at = $12, created_by_id = $13,
			change_kind = $14, changed_at = $15, changed_by_id = $16, reminded_at = $17
			WHERE id = $1 AND version = $18`, append(grantArgs(g), nullMS(g.RemindedAt), g.Version-1)...)
		err = db.touchedOrConflict(ctx, op, res, err, func(ctx context.Context) error {
			_, err := db.FindGrantByID(ctx, g.ID)
			return err
		}, "error.conflict")
		if err != nil {
			return err
		}
		return db.exec(ctx, op, false, `INSERT INTO consent_grant_versions (`+grantVersionCols+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`, grantArgs(g)...)
	})
}

// FindGrantByID returns the current version of a grant.
func (db *DB) FindGrantByID(ctx context.Context, id string) (consent.Grant, error) {
	g, err := scanGrant(db.r(ctx).QueryRowContext(ctx, `SELECT `+grantCols+`, reminded_at FROM consent_grants WHERE id = $1`, id), true)
	return g, db.wrap("sqlstore.FindGrantByID", err)
}

// FindGrants lists the current versions of grants by filter, oldest first.
func (db *DB) FindGrants(ctx context.Context, f consent.GrantFilter) ([]consent.Grant, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return placeholder(len(args))
	}
	if f.GrantorID != "" {
		where = append(where, `grantor_id = `+arg(f.GrantorID))
	}
	var to []string
	if f.GranteePersonID != "" {
		to = append(to, `grantee_person_id = `+arg(f.GranteePersonID))
	}
	if len(f.GranteeOrgIDs) > 0 {
		ph := make([]string, len(f.GranteeOrgIDs))
		for i, o := range f.GranteeOrgIDs {
			ph[i] = arg(o)
		}
		to = append(to, `grantee_org_id IN (`+strings.Join(ph, ", ")+`)`)
	}
	if len(to) > 0 {
		where = append(where, `(`+strings.Join(to, ` OR `)+`)`)
	}
	if !f.LiveAt.IsZero() {
		t := arg(ms(f.LiveAt))
		where = append(where, `revoked_at IS NULL AND valid_from <= `+t+` AND valid_until > `+t)
	}
	q := `SELECT ` + grantCols + `, reminded_at FROM consent_grants`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	return db.findGrants(ctx, "sqlstore.FindGrants", true, q+` ORDER BY created_at, id`, args...)
}

// FindGrantVersions lists every version of one grant (grantID) or of all
// of a resident's grants (grantorID), by grant and version.
func (db *DB) FindGrantVersions(ctx context.Context, grantID, grantorID string) ([]consent.Grant, error) {
	const op = "sqlstore.FindGrantVersions"
	q := `SELECT ` + grantVersionCols + ` FROM consent_grant_versions WHERE `
	switch {
	case grantID != "":
		return db.findGrants(ctx, op, false, q+`grant_id = $1 ORDER BY version`, grantID)
	case grantorID != "":
		return db.findGrants(ctx, op, false, q+`grantor_id = $1 ORDER BY created_at, grant_id, version`, grantorID)
	}
	return nil, errs.E(op, errs.Invalid)
}

// FindGrantsDue lists the grants live at now that end at or before until
// and have not been reminded of, oldest first.
func (db *DB) FindGrantsDue(ctx context.Context, now, until time.Time) ([]consent.Grant, error) {
	return db.findGrants(ctx, "sqlstore.FindGrantsDue", true, `SELECT `+grantCols+`, reminded_at FROM consent_grants
		WHERE revoked_at IS NULL AND reminded_at IS NULL AND valid_from <= $1 AND valid_until > $1 AND valid_until <= $2
		ORDER BY created_at, id`, ms(now), ms(until))
}

// MarkGrantReminded sets when the resident was reminded of a grant's end.
func (db *DB) MarkGrantReminded(ctx context.Context, id string, at time.Time) error {
	return db.exec(ctx, "sqlstore.MarkGrantReminded", true, `UPDATE consent_grants SET reminded_at = $2 WHERE id = $1`, id, ms(at))
}

func (db *DB) findGrants(ctx context.Context, op string, withReminded bool, query string, args ...any) ([]consent.Grant, error) {
	rows, err := db.r(ctx).QueryContext(ctx, query, args...)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []consent.Grant
	for rows.Next() {
		g, err := scanGrant(rows, withReminded)
		if err != nil {
			return nil, db.wrap(op, err)
		}
		list = append(list, g)
	}
	return list, db.wrap(op, rows.Err())
}

const mandateCols = `id, resident_id, delegate_id, kind, scope, child_birth_year, legal_basis,
	valid_from, valid_until, revoked_at, revoked_by_id, created_at, created_by_id`

func scanMandate(sc interface{ Scan(...any) error }) (consent.Mandate, error) {
	var m consent.Mandate
	var scope string
	var from, until, created int64
	var revoked sql.NullInt64
	err := sc.Scan(&m.ID, &m.ResidentID, &m.DelegateID, &m.Kind, &scope, &m.ChildBirthYear, &m.LegalBasis,
		&from, &until, &revoked, &m.RevokedByID, &created, &m.CreatedByID)
	m.Scope = strings.Fields(scope)
	m.ValidFrom, m.ValidUntil, m.RevokedAt, m.CreatedAt = fromMS(from), fromMS(until), fromNullMS(revoked), fromMS(created)
	return m, err
}

// CreateMandate inserts a mandate.
func (db *DB) CreateMandate(ctx context.Context, m *consent.Mandate) error {
	return db.exec(ctx, "sqlstore.CreateMandate", false, `INSERT INTO consent_mandates (`+mandateCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		m.ID, m.ResidentID, m.DelegateID, string(m.Kind), strings.Join(m.Scope, " "), m.ChildBirthYear, m.LegalBasis,
		ms(m.ValidFrom), ms(m.ValidUntil), nullMS(m.RevokedAt), m.RevokedByID, ms(m.CreatedAt), m.CreatedByID)
}

// FindMandateByID returns one mandate.
func (db *DB) FindMandateByID(ctx context.Context, id string) (consent.Mandate, error) {
	m, err := scanMandate(db.r(ctx).QueryRowContext(ctx, `SELECT `+mandateCols+` FROM consent_mandates WHERE id = $1`, id))
	return m, db.wrap("sqlstore.FindMandateByID", err)
}

// FindMandates lists mandates by filter, oldest first.
func (db *DB) FindMandates(ctx context.Context, f consent.MandateFilter) ([]consent.Mandate, error) {
	const op = "sqlstore.FindMandates"
	var where []string
	var args []any
	if f.ResidentID != "" {
		args = append(args, f.ResidentID)
		where = append(where, `resident_id = `+placeholder(len(args)))
	}
	if f.DelegateID != "" {
		args = append(args, f.DelegateID)
		where = append(where, `delegate_id = `+placeholder(len(args)))
	}
	if !f.LiveAt.IsZero() {
		args = append(args, ms(f.LiveAt))
		t := placeholder(len(args))
		where = append(where, `revoked_at IS NULL AND valid_from <= `+t+` AND valid_until > `+t)
	}
	q := `SELECT ` + mandateCols + ` FROM consent_mandates`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	rows, err := db.r(ctx).QueryContext(ctx, q+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []consent.Mandate
	for rows.Next() {
		m, err := scanMandate(rows)
		if err != nil {
			return nil, db.wrap(op, err)
		}
		list = append(list, m)
	}
	return list, db.wrap(op, rows.Err())
}

// RevokeMandate marks a mandate revoked at at by byID; a Conflict when it
// already is, a NotFound when there is no such mandate.
func (db *DB) RevokeMandate(ctx context.Context, id, byID string, at time.Time) error {
	const op = "sqlstore.RevokeMandate"
	return db.InTx(ctx, func(ctx context.Context) error {
		res, err := db.w(ctx).ExecContext(ctx, `UPDATE consent_mandates SET revoked_at = $2, revoked_by_id = $3
			WHERE id = $1 AND revoked_at IS NULL`, id, ms(at), byID)
		return db.touchedOrConflict(ctx, op, res, err, func(ctx context.Context) error {
			_, err := db.FindMandateByID(ctx, id)
			return err
		}, "error.mandate.revoked")
	})
}

// touchedOrConflict turns the result of a conditional UPDATE into an
// error: none when it touched a row; else NotFound when exists says the
// row is gone, and a Conflict with key when it is there but in another
// state.
func (db *DB) touchedOrConflict(ctx context.Context, op string, res sql.Result, err error, exists func(context.Context) error, key string) error {
	if err != nil {
		return db.wrap(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return db.wrap(op, err)
	}
	if n > 0 {
		return nil
	}
	if err := exists(ctx); err != nil {
		return errs.E(op, err)
	}
	return errs.E(op, errs.Conflict, errs.Key(key))
}

var _ consent.Store = (*DB)(nil)
