package sqlstore

import (
	"context"
	"math"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// The access log lives in audit_records, which triggers keep append-only,
// and audit_head, the one row that holds the end of the hash chain. There is
// deliberately no method here that updates or deletes a record.

const auditCols = `seq, prev_hash, hash, at, event_id, action, outcome,
	actor_id, actor_name, actor_role, actor_org_id, actor_org_name, network_address,
	on_behalf_of_id, on_behalf_of_name, purpose_of_use, municipality_id, source_id,
	trace_id, span_id, subject_id, category, object_id, sensitivity, basis,
	consent_id, consent_version, emergency`

func scanAuditRecord(sc interface{ Scan(...any) error }) (audit.Record, error) {
	var r audit.Record
	var at, emergency int64
	err := sc.Scan(&r.Seq, &r.PrevHash, &r.Hash, &at, &r.EventID, &r.Action, &r.Outcome,
		&r.ActorID, &r.ActorName, &r.ActorRole, &r.ActorOrgID, &r.ActorOrgName, &r.NetworkAddress,
		&r.OnBehalfOfID, &r.OnBehalfOfName, &r.PurposeOfUse, &r.MunicipalityID, &r.SourceID,
		&r.TraceID, &r.SpanID, &r.SubjectID, &r.Category, &r.ObjectID, &r.Sensitivity, &r.Basis,
		&r.ConsentID, &r.ConsentVersion, &emergency)
	r.At, r.Emergency = fromMS(at), emergency != 0
	return r, err
}

func (db *DB) findAuditRecords(ctx context.Context, op, query string, args ...any) ([]audit.Record, error) {
	rows, err := db.r(ctx).QueryContext(ctx, query, args...)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []audit.Record
	for rows.Next() {
		r, err := scanAuditRecord(rows)
		if err != nil {
			return nil, db.wrap(op, err)
		}
		list = append(list, r)
	}
	return list, db.wrap(op, rows.Err())
}

// LockAuditHead returns the head of the audit chain. Inside a transaction
// it holds the head until the transaction ends: SQLite's write transaction
// already excludes every other writer; PostgreSQL locks the row.
func (db *DB) LockAuditHead(ctx context.Context) (audit.Head, error) {
	var h audit.Head
	err := db.w(ctx).QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+db.dialect.forUpdate()).Scan(&h.Seq, &h.Hash)
	return h, db.wrap("sqlstore.LockAuditHead", err)
}

// FindAuditHead returns the head of the audit chain without locking it.
func (db *DB) FindAuditHead(ctx context.Context) (audit.Head, error) {
	var h audit.Head
	err := db.r(ctx).QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&h.Seq, &h.Hash)
	return h, db.wrap("sqlstore.FindAuditHead", err)
}

// AppendAuditRecord stores r and moves the head to it, in one transaction.
// r.Seq must directly follow the head; otherwise it is a Conflict and
// nothing is stored.
func (db *DB) AppendAuditRecord(ctx context.Context, r audit.Record) error {
	const op = "sqlstore.AppendAuditRecord"
	return db.InTx(ctx, func(ctx context.Context) error {
		res, err := db.w(ctx).ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1 AND seq = $3`,
			r.Seq, r.Hash, r.Seq-1)
		if err != nil {
			return db.wrap(op, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return db.wrap(op, err)
		} else if n == 0 {
			return errs.E(op, errs.Conflict, errs.Key("error.conflict"))
		}
		emergency := 0
		if r.Emergency {
			emergency = 1
		}
		return db.exec(ctx, op, false, `INSERT INTO audit_records (`+auditCols+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
				$21, $22, $23, $24, $25, $26, $27, $28)`,
			r.Seq, r.PrevHash, r.Hash, ms(r.At), r.EventID, string(r.Action), string(r.Outcome),
			r.ActorID, r.ActorName, r.ActorRole, r.ActorOrgID, r.ActorOrgName, r.NetworkAddress,
			r.OnBehalfOfID, r.OnBehalfOfName, r.PurposeOfUse, r.MunicipalityID, r.SourceID,
			r.TraceID, r.SpanID, r.SubjectID, r.Category, r.ObjectID, r.Sensitivity, r.Basis,
			r.ConsentID, r.ConsentVersion, emergency)
	})
}

// FindAuditChain returns at most limit records with afterSeq < seq <=
// upToSeq, in seq order.
func (db *DB) FindAuditChain(ctx context.Context, afterSeq, upToSeq int64, limit int) ([]audit.Record, error) {
	return db.findAuditRecords(ctx, "sqlstore.FindAuditChain", `SELECT `+auditCols+` FROM audit_records
		WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`, afterSeq, upToSeq, limit)
}

// FindAuditRecordsBySubject returns the records about one subject with
// from <= at < to (a zero time is no bound), newest first, and how many
// match in all.
func (db *DB) FindAuditRecordsBySubject(ctx context.Context, subjectID string, from, to time.Time, limit, offset int) ([]audit.Record, int, error) {
	const op = "sqlstore.FindAuditRecordsBySubject"
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if !from.IsZero() {
		lo = ms(from)
	}
	if !to.IsZero() {
		hi = ms(to)
	}
	var total int
	err := db.r(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_records
		WHERE subject_id = $1 AND at >= $2 AND at < $3`, subjectID, lo, hi).Scan(&total)
	if err != nil {
		return nil, 0, db.wrap(op, err)
	}
	list, err := db.findAuditRecords(ctx, op, `SELECT `+auditCols+` FROM audit_records
		WHERE subject_id = $1 AND at >= $2 AND at < $3
		ORDER BY at DESC, seq DESC LIMIT $4 OFFSET $5`, subjectID, lo, hi, limit, offset)
	return list, total, err
}

var _ audit.Store = (*DB)(nil)
