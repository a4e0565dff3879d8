package sqlstore

import (
	"context"
	"database/sql"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
)

const agreementCols = `a.id, COALESCE(a.budget_id, ''), a.request_id, a.offering_id, a.provider_org_id, org.name,
	COALESCE(o.title, ''), a.resident_id, a.what, a.frequency, a.unit_price_cents, a.units_per_month, a.from_month,
	a.until_month, a.total_cents, a.status, a.reason, a.proposed_by, a.accepted_by, a.accepted_at, a.decided_by,
	a.decided_at, a.ended_at, a.created_at, a.updated_at, a.version`

const agreementFrom = ` FROM budget_agreements a JOIN organisations org ON org.id = a.provider_org_id
	LEFT JOIN market_offerings o ON o.id = a.offering_id`

func scanAgreement(sc interface{ Scan(...any) error }) (budget.Agreement, error) {
	var a budget.Agreement
	var price, total, from, until, created, updated int64
	var accepted, decided, ended sql.NullInt64
	err := sc.Scan(&a.ID, &a.BudgetID, &a.RequestID, &a.OfferingID, &a.ProviderOrgID, &a.ProviderName,
		&a.OfferingTitle, &a.ResidentID, &a.What, &a.Frequency, &price, &a.UnitsPerMonth, &from,
		&until, &total, &a.Status, &a.Reason, &a.ProposedByID, &a.AcceptedByID, &accepted, &a.DecidedByID,
		&decided, &ended, &created, &updated, &a.Version)
	a.UnitPriceCents, a.TotalCents = budget.Cents(price), budget.Cents(total)
	a.From, a.Until, a.CreatedAt, a.UpdatedAt = fromMS(from), fromMS(until), fromMS(created), fromMS(updated)
	a.AcceptedAt, a.DecidedAt, a.EndedAt = fromNullMS(accepted), fromNullMS(decided), fromNullMS(ended)
	return a, err
}

// CreateAgreement inserts an agreement (Version 1).
func (db *DB) CreateAgreement(ctx context.Context, a budget.Agreement) error {
	return db.exec(ctx, "sqlstore.CreateAgreement", false, `INSERT INTO budget_agreements (id, budget_id, request_id,
		offering_id, provider_org_id, resident_id, what, frequency, unit_price_cents, units_per_month, from_month,
		until_month, total_cents, status, reason, proposed_by, accepted_by, accepted_at, decided_by, decided_at,
		ended_at, created_at, updated_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, 1)`,
		a.ID, nullStr(a.BudgetID), a.RequestID, a.OfferingID, a.ProviderOrgID, a.ResidentID, a.What, a.Frequency,
		int64(a.UnitPriceCents), a.UnitsPerMonth, ms(a.From), ms(a.Until), int64(a.TotalCents), a.Status, a.Reason,
		a.ProposedByID, a.AcceptedByID, nullMS(a.AcceptedAt), a.DecidedByID, nullMS(a.DecidedAt), nullMS(a.EndedAt),
		ms(a.CreatedAt), ms(a.UpdatedAt))
}

// UpdateAgreement stores an agreement's changed fields as version prev+1.
func (db *DB) UpdateAgreement(ctx context.Context, a budget.Agreement, prev int64) error {
	return db.versioned(ctx, "sqlstore.UpdateAgreement", "budget_agreements", a.ID, "error.budget.agreement_changed",
		`UPDATE budget_agreements SET budget_id = $2, status = $3, reason = $4, accepted_by = $5, accepted_at = $6,
		decided_by = $7, decided_at = $8, ended_at = $9, updated_at = $10, version = $11 WHERE id = $1 AND version = $12`,
		a.ID, nullStr(a.BudgetID), a.Status, a.Reason, a.AcceptedByID, nullMS(a.AcceptedAt), a.DecidedByID,
		nullMS(a.DecidedAt), nullMS(a.EndedAt), ms(a.UpdatedAt), prev+1, prev)
}

// FindAgreement returns one agreement.
func (db *DB) FindAgreement(ctx context.Context, id string) (budget.Agreement, error) {
	a, err := scanAgreement(db.r(ctx).QueryRowContext(ctx, `SELECT `+agreementCols+agreementFrom+` WHERE a.id = $1`, id))
	return a, db.wrap("sqlstore.FindAgreement", err)
}

// FindAgreementsByResident lists a resident's agreements, newest first.
func (db *DB) FindAgreementsByResident(ctx context.Context, residentID string) ([]budget.Agreement, error) {
	return db.findAgreements(ctx, "sqlstore.FindAgreementsByResident", `a.resident_id = $1`, residentID)
}

// FindAgreementsByProvider lists an organisation's agreements, newest
// first.
func (db *DB) FindAgreementsByProvider(ctx context.Context, orgID string) ([]budget.Agreement, error) {
	return db.findAgreements(ctx, "sqlstore.FindAgreementsByProvider", `a.provider_org_id = $1`, orgID)
}

// FindAgreementsByBudget lists the agreements paid from a budget, newest
// first.
func (db *DB) FindAgreementsByBudget(ctx context.Context, budgetID string) ([]budget.Agreement, error) {
	return db.findAgreements(ctx, "sqlstore.FindAgreementsByBudget", `a.budget_id = $1`, budgetID)
}

// FindAgreementsAwaiting lists the agreements awaiting the approval of one
// of the municipalities, newest first.
func (db *DB) FindAgreementsAwaiting(ctx context.Context, municipalityIDs []string) ([]budget.Agreement, error) {
	if len(municipalityIDs) == 0 {
		return nil, nil
	}
	in, args := inList(2, municipalityIDs)
	return db.findAgreements(ctx, "sqlstore.FindAgreementsAwaiting",
		`a.status = $1 AND a.budget_id IN (SELECT b.id FROM budgets b WHERE b.municipality_id IN (`+in+`))`,
		append([]any{string(budget.AgreementAwaitingMunicipality)}, args...)...)
}

func (db *DB) findAgreements(ctx context.Context, op, where string, args ...any) ([]budget.Agreement, error) {
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT `+agreementCols+agreementFrom+` WHERE `+where+
		` ORDER BY a.created_at DESC, a.id DESC`, args...)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []budget.Agreement
	for rows.Next() {
		a, err := scanAgreement(rows)
		if err != nil {
			return nil, db.wrap(op, err)
		}
		list = append(list, a)
	}
	return list, db.wrap(op, rows.Err())
}
