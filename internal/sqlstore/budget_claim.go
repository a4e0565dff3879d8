package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

const claimCols = `id, agreement_id, budget_id, provider_org_id, resident_id, period, description, amount_cents,
	status, dispute_reason, submitted_by, submitted_at, decided_by, decided_at, tx_id, reversal_tx_id, reversal_reason, version`

func scanClaim(sc interface{ Scan(...any) error }) (budget.Claim, error) {
	var c budget.Claim
	var amount, submitted int64
	var decided sql.NullInt64
	err := sc.Scan(&c.ID, &c.AgreementID, &c.BudgetID, &c.ProviderOrgID, &c.ResidentID, &c.Period, &c.Description,
		&amount, &c.Status, &c.DisputeReason, &c.SubmittedByID, &submitted, &c.DecidedByID, &decided, &c.TxID,
		&c.ReversalTxID, &c.ReversalReason, &c.Version)
	c.AmountCents, c.SubmittedAt, c.DecidedAt = budget.Cents(amount), fromMS(submitted), fromNullMS(decided)
	return c, err
}

// CreateClaim inserts a claim (Version 1); Conflict when the agreement
// already has a claim for the period.
func (db *DB) CreateClaim(ctx context.Context, c budget.Claim) error {
	err := db.exec(ctx, "sqlstore.CreateClaim", false, `INSERT INTO budget_claims (id, agreement_id, budget_id,
		provider_org_id, resident_id, period, description, amount_cents, status, dispute_reason, submitted_by,
		submitted_at, decided_by, decided_at, tx_id, reversal_tx_id, reversal_reason, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 1)`,
		c.ID, c.AgreementID, c.BudgetID, c.ProviderOrgID, c.ResidentID, c.Period, c.Description, int64(c.AmountCents),
		c.Status, c.DisputeReason, c.SubmittedByID, ms(c.SubmittedAt), c.DecidedByID, nullMS(c.DecidedAt), c.TxID,
		c.ReversalTxID, c.ReversalReason)
	if errs.Is(err, errs.Conflict) {
		return errs.E("sqlstore.CreateClaim", errs.Conflict, errs.Key("error.budget.claim_period_taken"),
			errs.Fields{"period": "field.claim_period.taken"})
	}
	return err
}

// UpdateClaim stores a claim's changed fields as version prev+1.
func (db *DB) UpdateClaim(ctx context.Context, c budget.Claim, prev int64) error {
	return db.versioned(ctx, "sqlstore.UpdateClaim", "budget_claims", c.ID, "error.budget.claim_changed",
		`UPDATE budget_claims SET status = $2, dispute_reason = $3, decided_by = $4, decided_at = $5, tx_id = $6,
		reversal_tx_id = $7, reversal_reason = $8, version = $9 WHERE id = $1 AND version = $10`,
		c.ID, c.Status, c.DisputeReason, c.DecidedByID, nullMS(c.DecidedAt), c.TxID, c.ReversalTxID, c.ReversalReason,
		prev+1, prev)
}

// DecideClaim stores a claim's decision as the next version when its
// stored status is one of from, and returns the claim as stored; Conflict
// (error.budget.claim_decided) otherwise, NotFound when there is no such
// claim. An empty dispute reason keeps the stored one.
func (db *DB) DecideClaim(ctx context.Context, c budget.Claim, from ...budget.ClaimStatus) (budget.Claim, error) {
	const op = "sqlstore.DecideClaim"
	statuses := make([]string, len(from))
	for i, f := range from {
		statuses[i] = string(f)
	}
	in, args := inList(9, statuses)
	got, err := scanClaim(db.w(ctx).QueryRowContext(ctx, `UPDATE budget_claims SET status = $2,
		dispute_reason = CASE WHEN $3 = '' THEN dispute_reason ELSE $3 END, decided_by = $4, decided_at = $5,
		tx_id = $6, reversal_tx_id = $7, reversal_reason = $8, version = version + 1
		WHERE id = $1 AND status IN (`+in+`) RETURNING `+claimCols,
		append([]any{c.ID, c.Status, c.DisputeReason, c.DecidedByID, nullMS(c.DecidedAt), c.TxID, c.ReversalTxID,
			c.ReversalReason}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		var one int
		if err := db.w(ctx).QueryRowContext(ctx, `SELECT 1 FROM budget_claims WHERE id = $1`, c.ID).Scan(&one); err != nil {
			return budget.Claim{}, db.wrap(op, err)
		}
		return budget.Claim{}, errs.E(op, errs.Conflict, errs.Key("error.budget.claim_decided"))
	}
	return got, db.wrap(op, err)
}

// FindClaimOwner returns the resident and budget of a claim.
func (db *DB) FindClaimOwner(ctx context.Context, id string) (residentID, budgetID string, err error) {
	err = db.r(ctx).QueryRowContext(ctx, `SELECT resident_id, budget_id FROM budget_claims WHERE id = $1`, id).
		Scan(&residentID, &budgetID)
	return residentID, budgetID, db.wrap("sqlstore.FindClaimOwner", err)
}

// FindClaim returns one claim.
func (db *DB) FindClaim(ctx context.Context, id string) (budget.Claim, error) {
	c, err := scanClaim(db.r(ctx).QueryRowContext(ctx, `SELECT `+claimCols+` FROM budget_claims WHERE id = $1`, id))
	return c, db.wrap("sqlstore.FindClaim", err)
}

// FindClaimsByAgreement lists an agreement's claims, by period.
func (db *DB) FindClaimsByAgreement(ctx context.Context, agreementID string) ([]budget.Claim, error) {
	return db.findClaims(ctx, "sqlstore.FindClaimsByAgreement", `agreement_id = $1 ORDER BY period, id`, agreementID)
}

// FindClaimsByBudget lists a budget's claims, newest first.
func (db *DB) FindClaimsByBudget(ctx context.Context, budgetID string) ([]budget.Claim, error) {
	return db.findClaims(ctx, "sqlstore.FindClaimsByBudget", `budget_id = $1 ORDER BY submitted_at DESC, id DESC`, budgetID)
}

// FindClaimsByProvider lists an organisation's claims, newest first.
func (db *DB) FindClaimsByProvider(ctx context.Context, orgID string) ([]budget.Claim, error) {
	return db.findClaims(ctx, "sqlstore.FindClaimsByProvider", `provider_org_id = $1 ORDER BY submitted_at DESC, id DESC`, orgID)
}

func (db *DB) findClaims(ctx context.Context, op, whereOrder string, args ...any) ([]budget.Claim, error) {
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT `+claimCols+` FROM budget_claims WHERE `+whereOrder, args...)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []budget.Claim
	for rows.Next() {
		c, err := scanClaim(rows)
		if err != nil {
			return nil, db.wrap(op, err)
		}
		list = append(list, c)
	}
	return list, db.wrap(op, rows.Err())
}
