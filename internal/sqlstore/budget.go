package sqlstore

import (
	"context"

	"strings"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// joinIDs stores a list of ids as one comma-separated column.
func joinIDs(ids []string) string { return strings.Join(ids, ",") }

// splitIDs reads a column written by joinIDs.
func splitIDs(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

const budgetCols = `b.id, b.resident_id, COALESCE(p.display_name, ''), b.municipality_id, b.consultant_id,
	b.period_start, b.period_end, b.status, b.category_ids, b.offering_ids, b.created_at, b.updated_at, b.version`

const budgetFrom = ` FROM budgets b LEFT JOIN persons p ON p.id = b.resident_id`

func scanBudget(sc interface{ Scan(...any) error }) (budget.Budget, error) {
	var b budget.Budget
	var start, end, created, updated int64
	var cats, offs string
	err := sc.Scan(&b.ID, &b.ResidentID, &b.ResidentName, &b.MunicipalityID, &b.ConsultantID,
		&start, &end, &b.Status, &cats, &offs, &created, &updated, &b.Version)
	b.PeriodStart, b.PeriodEnd, b.CreatedAt, b.UpdatedAt = fromMS(start), fromMS(end), fromMS(created), fromMS(updated)
	b.CategoryIDs, b.OfferingIDs = splitIDs(cats), splitIDs(offs)
	return b, err
}

// CreateBudget inserts a budget (Version 1).
func (db *DB) CreateBudget(ctx context.Context, b budget.Budget) error {
	return db.exec(ctx, "sqlstore.CreateBudget", false, `INSERT INTO budgets (id, resident_id, municipality_id,
		consultant_id, period_start, period_end, status, category_ids, offering_ids, created_at, updated_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1)`,
		b.ID, b.ResidentID, b.MunicipalityID, b.ConsultantID, ms(b.PeriodStart), ms(b.PeriodEnd), b.Status,
		joinIDs(b.CategoryIDs), joinIDs(b.OfferingIDs), ms(b.CreatedAt), ms(b.UpdatedAt))
}

// UpdateBudget stores a budget's changed fields as version prev+1.
func (db *DB) UpdateBudget(ctx context.Context, b budget.Budget, prev int64) error {
	const op = "sqlstore.UpdateBudget"
	return db.versioned(ctx, op, "budgets", b.ID, "error.budget.changed", `UPDATE budgets SET period_start = $2,
		period_end = $3, status = $4, category_ids = $5, offering_ids = $6, updated_at = $7, version = $8
		WHERE id = $1 AND version = $9`,
		b.ID, ms(b.PeriodStart), ms(b.PeriodEnd), b.Status, joinIDs(b.CategoryIDs), joinIDs(b.OfferingIDs),
		ms(b.UpdatedAt), prev+1, prev)
}

// versioned runs an optimistic update: NotFound when the row is missing,
// Conflict (key) when its version is not the one given.
func (db *DB) versioned(ctx context.Context, op, table, id, key, query string, args ...any) error {
	res, err := db.w(ctx).ExecContext(ctx, query, args...)
	if err != nil {
		return db.wrap(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return db.wrap(op, err)
	}
	if n == 0 {
		var one int
		if err := db.w(ctx).QueryRowContext(ctx, `SELECT 1 FROM `+table+` WHERE id = $1`, id).Scan(&one); err != nil {
			return db.wrap(op, err)
		}
		return errs.E(op, errs.Conflict, errs.Key(key))
	}
	return nil
}

// FindBudget returns one budget.
func (db *DB) FindBudget(ctx context.Context, id string) (budget.Budget, error) {
	b, err := scanBudget(db.r(ctx).QueryRowContext(ctx, `SELECT `+budgetCols+budgetFrom+` WHERE b.id = $1`, id))
	return b, db.wrap("sqlstore.FindBudget", err)
}

// LockBudget reads a budget for update: on PostgreSQL the row stays
// locked until the transaction ends; on SQLite the one writer already
// holds the lock (BEGIN IMMEDIATE).
func (db *DB) LockBudget(ctx context.Context, id string) (budget.Budget, error) {
	q := `SELECT b.id, b.resident_id, '', b.municipality_id, b.consultant_id, b.period_start, b.period_end, b.status,
		b.category_ids, b.offering_ids, b.created_at, b.updated_at, b.version FROM budgets b WHERE b.id = $1` + db.dialect.forUpdate()
	b, err := scanBudget(db.w(ctx).QueryRowContext(ctx, q, id))
	return b, db.wrap("sqlstore.LockBudget", err)
}

// LockBudgetID locks a budget without reading it: on PostgreSQL SELECT …
// FOR UPDATE; on SQLite nothing, as the transaction began with BEGIN
// IMMEDIATE and so holds the one write lock already. NotFound when there
// is no such budget (PostgreSQL only: on SQLite the caller's next read
// finds out).
func (db *DB) LockBudgetID(ctx context.Context, id string) error {
	if db.dialect.forUpdate() == "" {
		return nil
	}
	var one int
	err := db.w(ctx).QueryRowContext(ctx, `SELECT 1 FROM budgets WHERE id = $1`+db.dialect.forUpdate(), id).Scan(&one)
	return db.wrap("sqlstore.LockBudgetID", err)
}

// FindBudgetsByResident lists a resident's budgets, newest first.
func (db *DB) FindBudgetsByResident(ctx context.Context, residentID string) ([]budget.Budget, error) {
	return db.findBudgets(ctx, "sqlstore.FindBudgetsByResident", `b.resident_id = $1`, residentID)
}

// FindBudgetsByMunicipalities lists the budgets of municipalities, newest
// first.
func (db *DB) FindBudgetsByMunicipalities(ctx context.Context, ids []string) ([]budget.Budget, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in, args := inList(1, ids)
	return db.findBudgets(ctx, "sqlstore.FindBudgetsByMunicipalities", `b.municipality_id IN (`+in+`)`, args...)
}

func (db *DB) findBudgets(ctx context.Context, op, where string, args ...any) ([]budget.Budget, error) {
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT `+budgetCols+budgetFrom+` WHERE `+where+
		` ORDER BY b.created_at DESC, b.id DESC`, args...)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []budget.Budget
	for rows.Next() {
		b, err := scanBudget(rows)
		if err != nil {
			return nil, db.wrap(op, err)
		}
		list = append(list, b)
	}
	return list, db.wrap(op, rows.Err())
}

// CreateDecision adds a decision to a budget.
func (db *DB) CreateDecision(ctx context.Context, d budget.Decision) error {
	return db.exec(ctx, "sqlstore.CreateDecision", false, `INSERT INTO budget_decisions (id, budget_id, seq, kind,
		amount_cents, delta_cents, period_start, period_end, category_ids, offering_ids, legal_basis, decided_by,
		decided_at, supersedes, tx_id)
		VALUES ($1, $2, (SELECT COALESCE(MAX(seq), 0) + 1 FROM budget_decisions WHERE budget_id = $2), $3, $4, $5,
		$6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		d.ID, d.BudgetID, d.Kind, int64(d.AmountCents), int64(d.DeltaCents), ms(d.PeriodStart), ms(d.PeriodEnd),
		joinIDs(d.CategoryIDs), joinIDs(d.OfferingIDs), d.LegalBasis, d.DecidedByID, ms(d.DecidedAt), d.Supersedes, d.TxID)
}

const decisionCols = `id, budget_id, kind, amount_cents, delta_cents, period_start, period_end, category_ids,
	offering_ids, legal_basis, decided_by, decided_at, supersedes, tx_id`

func scanDecision(sc interface{ Scan(...any) error }) (budget.Decision, error) {
	var d budget.Decision
	var amount, delta, start, end, at int64
	var cats, offs string
	err := sc.Scan(&d.ID, &d.BudgetID, &d.Kind, &amount, &delta, &start, &end, &cats, &offs,
		&d.LegalBasis, &d.DecidedByID, &at, &d.Supersedes, &d.TxID)
	d.AmountCents, d.DeltaCents = budget.Cents(amount), budget.Cents(delta)
	d.PeriodStart, d.PeriodEnd, d.DecidedAt = fromMS(start), fromMS(end), fromMS(at)
	d.CategoryIDs, d.OfferingIDs = splitIDs(cats), splitIDs(offs)
	return d, err
}

// FindDecision returns one decision.
func (db *DB) FindDecision(ctx context.Context, id string) (budget.Decision, error) {
	d, err := scanDecision(db.r(ctx).QueryRowContext(ctx, `SELECT `+decisionCols+` FROM budget_decisions WHERE id = $1`, id))
	return d, db.wrap("sqlstore.FindDecision", err)
}

// FindDecisions lists a budget's decisions, oldest first.
func (db *DB) FindDecisions(ctx context.Context, budgetID string) ([]budget.Decision, error) {
	const op = "sqlstore.FindDecisions"
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT `+decisionCols+` FROM budget_decisions WHERE budget_id = $1
		ORDER BY seq`, budgetID)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []budget.Decision
	for rows.Next() {
		d, err := scanDecision(rows)
		if err != nil {
			return nil, db.wrap(op, err)
		}
		list = append(list, d)
	}
	return list, db.wrap(op, rows.Err())
}

// ClaimIdempotencyKey records an idempotency key, or returns the record
// already there. On PostgreSQL a concurrent insert of the same key waits
// for the first transaction, then finds its row.
func (db *DB) ClaimIdempotencyKey(ctx context.Context, rec budget.Idempotency, now int64) (budget.Idempotency, bool, error) {
	const op = "sqlstore.ClaimIdempotencyKey"
	res, err := db.w(ctx).ExecContext(ctx, `INSERT INTO budget_idempotency (actor_id, key, operation, request_hash,
		result_id, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (actor_id, key) DO NOTHING`,
		rec.ActorID, rec.Key, rec.Operation, rec.RequestHash, rec.ResultID, now)
	if err != nil {
		return budget.Idempotency{}, false, db.wrap(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return budget.Idempotency{}, false, db.wrap(op, err)
	}
	if n == 1 {
		return rec, false, nil
	}
	var got budget.Idempotency
	err = db.w(ctx).QueryRowContext(ctx, `SELECT actor_id, key, operation, request_hash, result_id
		FROM budget_idempotency WHERE actor_id = $1 AND key = $2`, rec.ActorID, rec.Key).
		Scan(&got.ActorID, &got.Key, &got.Operation, &got.RequestHash, &got.ResultID)
	return got, true, db.wrap(op, err)
}

// SetIdempotencyResult stores the result of the call made with a key.
func (db *DB) SetIdempotencyResult(ctx context.Context, actorID, key, resultID string) error {
	return db.exec(ctx, "sqlstore.SetIdempotencyResult", true,
		`UPDATE budget_idempotency SET result_id = $3 WHERE actor_id = $1 AND key = $2`, actorID, key, resultID)
}

// FindSettings returns a municipality's budget settings; NotFound when
// none were saved.
func (db *DB) FindSettings(ctx context.Context, municipalityID string) (budget.Settings, error) {
	var s budget.Settings
	var above, at int64
	err := db.r(ctx).QueryRowContext(ctx, `SELECT municipality_id, approval_required, approval_above_cents,
		updated_by, updated_at FROM budget_settings WHERE municipality_id = $1`, municipalityID).
		Scan(&s.MunicipalityID, &s.ApprovalRequired, &above, &s.UpdatedByID, &at)
	s.ApprovalAboveCents, s.UpdatedAt = budget.Cents(above), fromMS(at)
	return s, db.wrap("sqlstore.FindSettings", err)
}

// SaveSettings stores a municipality's budget settings.
func (db *DB) SaveSettings(ctx context.Context, s budget.Settings) error {
	return db.exec(ctx, "sqlstore.SaveSettings", false, `INSERT INTO budget_settings (municipality_id,
		approval_required, approval_above_cents, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (municipality_id) DO UPDATE SET approval_required = excluded.approval_required,
		approval_above_cents = excluded.approval_above_cents, updated_by = excluded.updated_by,
		updated_at = excluded.updated_at`,
		s.MunicipalityID, s.ApprovalRequired, int64(s.ApprovalAboveCents), s.UpdatedByID, ms(s.UpdatedAt))
}
