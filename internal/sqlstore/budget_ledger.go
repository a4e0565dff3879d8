package sqlstore

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// AppendEntries adds ledger entries in the caller's transaction, in one
// statement; the database adds each one's amount to its account's running
// balance as it is written (trigger budget_entries_balance), and refuses
// the whole statement when an account other than funding would go below
// zero: Conflict (error.budget.insufficient). Entries are never updated or deleted (the database refuses it
// too).
func (db *DB) AppendEntries(ctx context.Context, list []budget.Entry) error {
	const op = "sqlstore.AppendEntries"
	if len(list) == 0 {
		return nil
	}
	var q strings.Builder
	q.WriteString(`INSERT INTO budget_entries (id, tx_id, account, budget_id, agreement_id, claim_id, amount_cents,
		kind, reversal_of, created_by, created_at) VALUES `)
	args := make([]any, 0, 11*len(list))
	for i, e := range list {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(")
		for j := range 11 {
			if j > 0 {
				q.WriteString(", ")
			}
			q.WriteString(placeholder(len(args) + j + 1))
		}
		q.WriteString(")")
		args = append(args, e.ID, e.TxID, e.Account, e.BudgetID, e.AgreementID, e.ClaimID, int64(e.AmountCents),
			string(e.Kind), e.ReversalOf, e.CreatedByID, ms(e.CreatedAt))
	}
	err := db.exec(ctx, op, false, q.String(), args...)
	if isCheckViolation(err) {
		return errs.E(op, errs.Conflict, errs.Key("error.budget.insufficient"), err)
	}
	return err
}

// isCheckViolation reports whether err is a CHECK constraint violation:
// here, an account that would go below zero.
func isCheckViolation(err error) bool {
	var le *sqlite.Error
	if errors.As(err, &le) {
		return le.Code() == sqlite3.SQLITE_CONSTRAINT_CHECK
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23514"
}

// AccountBalances returns the running balances of a budget's accounts.
func (db *DB) AccountBalances(ctx context.Context, budgetID string) (map[string]budget.Cents, error) {
	const op = "sqlstore.AccountBalances"
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT account, balance_cents FROM budget_accounts WHERE budget_id = $1`, budgetID)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	out := map[string]budget.Cents{}
	for rows.Next() {
		var a string
		var v int64
		if err := rows.Scan(&a, &v); err != nil {
			return nil, db.wrap(op, err)
		}
		out[a] = budget.Cents(v)
	}
	return out, db.wrap(op, rows.Err())
}

// SumsByAgreement sums a budget's entries per agreement and account.
func (db *DB) SumsByAgreement(ctx context.Context, budgetID string) (map[string]map[string]budget.Cents, error) {
	const op = "sqlstore.SumsByAgreement"
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT agreement_id, account, SUM(amount_cents) FROM budget_entries
		WHERE budget_id = $1 AND agreement_id <> '' GROUP BY agreement_id, account`, budgetID)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	out := map[string]map[string]budget.Cents{}
	for rows.Next() {
		var ag, account string
		var v int64
		if err := rows.Scan(&ag, &account, &v); err != nil {
			return nil, db.wrap(op, err)
		}
		if out[ag] == nil {
			out[ag] = map[string]budget.Cents{}
		}
		out[ag][account] = budget.Cents(v)
	}
	return out, db.wrap(op, rows.Err())
}

const entryCols = `seq, id, tx_id, account, budget_id, agreement_id, claim_id, amount_cents, kind, reversal_of,
	created_by, created_at`

// FindEntriesByBudget lists a budget's entries in the order written
// (including its payments to providers).
func (db *DB) FindEntriesByBudget(ctx context.Context, budgetID string) ([]budget.Entry, error) {
	return db.findEntries(ctx, "sqlstore.FindEntriesByBudget", `budget_id = $1`, budgetID)
}

// FindEntriesByTx lists the entries of one ledger transaction.
func (db *DB) FindEntriesByTx(ctx context.Context, txID string) ([]budget.Entry, error) {
	return db.findEntries(ctx, "sqlstore.FindEntriesByTx", `tx_id = $1`, txID)
}

// FindPaymentsToProvider lists the entries on an organisation's paid
// accounts, in the order written.
func (db *DB) FindPaymentsToProvider(ctx context.Context, orgID string) ([]budget.Entry, error) {
	return db.findEntries(ctx, "sqlstore.FindPaymentsToProvider", `account LIKE $1`, "budget:%:paid:"+orgID)
}

func (db *DB) findEntries(ctx context.Context, op, where string, args ...any) ([]budget.Entry, error) {
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT `+entryCols+` FROM budget_entries WHERE `+where+` ORDER BY seq`, args...)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []budget.Entry
	for rows.Next() {
		var e budget.Entry
		var amount, at int64
		if err := rows.Scan(&e.Seq, &e.ID, &e.TxID, &e.Account, &e.BudgetID, &e.AgreementID, &e.ClaimID, &amount,
			&e.Kind, &e.ReversalOf, &e.CreatedByID, &at); err != nil {
			return nil, db.wrap(op, err)
		}
		e.AmountCents, e.CreatedAt = budget.Cents(amount), fromMS(at)
		list = append(list, e)
	}
	return list, db.wrap(op, rows.Err())
}

// ReconcileAccounts recomputes every account from its entries, beside
// its running balance, sorted by account.
func (db *DB) ReconcileAccounts(ctx context.Context) ([]budget.AccountSum, error) {
	const op = "sqlstore.ReconcileAccounts"
	sums := map[string]*budget.AccountSum{}
	get := func(a string) *budget.AccountSum {
		s, ok := sums[a]
		if !ok {
			s = &budget.AccountSum{Account: a}
			sums[a] = s
		}
		return s
	}
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT account, SUM(amount_cents) FROM budget_entries GROUP BY account`)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	for rows.Next() {
		var a string
		var v int64
		if err := rows.Scan(&a, &v); err != nil {
			rows.Close()
			return nil, db.wrap(op, err)
		}
		get(a).Entries = budget.Cents(v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, db.wrap(op, err)
	}
	rows, err = db.r(ctx).QueryContext(ctx, `SELECT account, budget_id, balance_cents FROM budget_accounts`)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		var a, b string
		var v int64
		if err := rows.Scan(&a, &b, &v); err != nil {
			return nil, db.wrap(op, err)
		}
		s := get(a)
		s.BudgetID, s.Kept, s.HasKept = b, budget.Cents(v), true
	}
	if err := rows.Err(); err != nil {
		return nil, db.wrap(op, err)
	}
	out := make([]budget.AccountSum, 0, len(sums))
	for _, s := range sums {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b budget.AccountSum) int { return strings.Compare(a.Account, b.Account) })
	return out, nil
}

// UnbalancedTransactions lists the ledger transactions whose entries do
// not sum to zero.
func (db *DB) UnbalancedTransactions(ctx context.Context) (map[string]budget.Cents, error) {
	const op = "sqlstore.UnbalancedTransactions"
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT tx_id, SUM(amount_cents) FROM budget_entries
		GROUP BY tx_id HAVING SUM(amount_cents) <> 0`)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	out := map[string]budget.Cents{}
	for rows.Next() {
		var tx string
		var v int64
		if err := rows.Scan(&tx, &v); err != nil {
			return nil, db.wrap(op, err)
		}
		out[tx] = budget.Cents(v)
	}
	return out, db.wrap(op, rows.Err())
}

// CountLedger counts the entries and transactions of the ledger.
func (db *DB) CountLedger(ctx context.Context) (budget.LedgerTotals, error) {
	var t budget.LedgerTotals
	err := db.r(ctx).QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT tx_id) FROM budget_entries`).
		Scan(&t.Entries, &t.Transactions)
	return t, db.wrap("sqlstore.CountLedger", err)
}

var _ budget.Store = (*DB)(nil)
