package sqlstore_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// ledgerBudget stores a budget with one grant of amount: funding −amount,
// available +amount.
func ledgerBudget(t *testing.T, db *sqlstore.DB, amount budget.Cents) (budget.Budget, string) {
	t.Helper()
	ctx := context.Background()
	m := sqltest.Municipality(t, db, "woerden")
	b := budget.Budget{ID: id.New(), ResidentID: id.New(), MunicipalityID: m.ID, ConsultantID: id.New(),
		PeriodStart: at(0), PeriodEnd: at(24 * 365 * 3600e9), Status: budget.StatusActive, CreatedAt: at(0), UpdatedAt: at(0), Version: 1}
	must(t, db.CreateBudget(ctx, b))
	tx := id.New()
	must(t, db.InTx(ctx, func(ctx context.Context) error {
		return db.AppendEntries(ctx, []budget.Entry{
			{ID: id.New(), TxID: tx, Account: "budget:" + b.ID + ":funding", BudgetID: b.ID, AmountCents: -amount, Kind: budget.EntryGrant, CreatedByID: "x", CreatedAt: at(0)},
			{ID: id.New(), TxID: tx, Account: "budget:" + b.ID + ":available", BudgetID: b.ID, AmountCents: amount, Kind: budget.EntryGrant, CreatedByID: "x", CreatedAt: at(0)},
		})
	}))
	return b, tx
}

// TestBudgetLedger_AppendOnly: the database itself refuses to change or
// remove a ledger entry, on both databases.
func TestBudgetLedger_AppendOnly(t *testing.T) {
	eachRaw(t, func(t *testing.T, db *sqlstore.DB, raw *sql.DB) {
		ctx := context.Background()
		b, tx := ledgerBudget(t, db, 5000)
		stmts := []string{
			`UPDATE budget_entries SET amount_cents = 1`,
			`UPDATE budget_entries SET kind = 'payment' WHERE tx_id = '` + tx + `'`,
			`DELETE FROM budget_entries`,
			`DELETE FROM budget_entries WHERE tx_id = '` + tx + `'`,
		}
		if db.Dialect() == "postgres" {
			stmts = append(stmts, `TRUNCATE budget_entries`)
		}
		for _, s := range stmts {
			if _, err := raw.Exec(s); err == nil {
				t.Errorf("%s: allowed", s)
			}
		}
		entries, err := db.FindEntriesByBudget(ctx, b.ID)
		must(t, err)
		if len(entries) != 2 || entries[0].AmountCents != -5000 || entries[1].AmountCents != 5000 || entries[0].Kind != budget.EntryGrant {
			t.Errorf("entries after the attempts: %+v", entries)
		}
	})
}

// TestBudgetLedger_NeverNegative: a movement that would take an account
// other than funding below zero is refused by the database as a whole.
func TestBudgetLedger_NeverNegative(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		b, _ := ledgerBudget(t, db, 5000)
		tx := id.New()
		err := db.InTx(ctx, func(ctx context.Context) error {
			return db.AppendEntries(ctx, []budget.Entry{
				{ID: id.New(), TxID: tx, Account: "budget:" + b.ID + ":available", BudgetID: b.ID, AmountCents: -6000, Kind: budget.EntryReservation, CreatedByID: "x", CreatedAt: at(1)},
				{ID: id.New(), TxID: tx, Account: "budget:" + b.ID + ":reserved:a", BudgetID: b.ID, AmountCents: 6000, Kind: budget.EntryReservation, CreatedByID: "x", CreatedAt: at(1)},
			})
		})
		if err == nil {
			t.Fatal("overdraft allowed")
		}
		got, err := db.AccountBalances(ctx, b.ID)
		must(t, err)
		if len(got) != 2 || got["budget:"+b.ID+":available"] != 5000 {
			t.Errorf("balances = %v", got)
		}
		entries, err := db.FindEntriesByTx(ctx, tx)
		must(t, err)
		if len(entries) != 0 {
			t.Errorf("half a movement stored: %+v", entries)
		}
	})
}

// TestBudgetLedger_ReconcileFindsTampering: the reconciliation queries
// see a running balance that no longer matches its entries, and a
// transaction that no longer sums to zero.
func TestBudgetLedger_ReconcileFindsTampering(t *testing.T) {
	eachRaw(t, func(t *testing.T, db *sqlstore.DB, raw *sql.DB) {
		ctx := context.Background()
		b, tx := ledgerBudget(t, db, 5000)
		sums, err := db.ReconcileAccounts(ctx)
		must(t, err)
		for _, s := range sums {
			if s.Kept != s.Entries || !s.HasKept {
				t.Errorf("clean ledger: %+v", s)
			}
		}
		if _, err := raw.Exec(`UPDATE budget_accounts SET balance_cents = balance_cents + 1 WHERE account = $1`, "budget:"+b.ID+":available"); err != nil {
			t.Fatal(err)
		}
		sums, err = db.ReconcileAccounts(ctx)
		must(t, err)
		found := false
		for _, s := range sums {
			if s.Account == "budget:"+b.ID+":available" {
				found = s.Kept == 5001 && s.Entries == 5000
			}
		}
		if !found {
			t.Errorf("tampered balance not seen: %+v", sums)
		}
		// Someone with the rights drops the guard and changes an entry.
		drop := map[string][]string{
			"sqlite":   {`DROP TRIGGER budget_entries_no_update`},
			"postgres": {`DROP TRIGGER budget_entries_append_only ON budget_entries`},
		}[db.Dialect()]
		for _, s := range drop {
			if _, err := raw.Exec(s); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := raw.Exec(`UPDATE budget_entries SET amount_cents = 4000 WHERE amount_cents = 5000`); err != nil {
			t.Fatal(err)
		}
		unbalanced, err := db.UnbalancedTransactions(ctx)
		must(t, err)
		if len(unbalanced) != 1 || unbalanced[tx] != -1000 {
			t.Errorf("unbalanced = %v", unbalanced)
		}
	})
}

// TestBudgetIdempotency_Claim: a key is claimed once; a second claim
// returns the first record.
func TestBudgetIdempotency_Claim(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		rec := budget.Idempotency{ActorID: "a", Key: "k", Operation: "op", RequestHash: "h1"}
		must(t, db.InTx(ctx, func(ctx context.Context) error {
			_, found, err := db.ClaimIdempotencyKey(ctx, rec, 1)
			if err != nil || found {
				t.Fatalf("first claim: found %v, %v", found, err)
			}
			return db.SetIdempotencyResult(ctx, "a", "k", "result-1")
		}))
		rec.RequestHash = "h2"
		got, found, err := db.ClaimIdempotencyKey(ctx, rec, 2)
		must(t, err)
		if !found || got.RequestHash != "h1" || got.ResultID != "result-1" {
			t.Errorf("second claim = %+v, %v", got, found)
		}
		err = db.SetIdempotencyResult(ctx, "a", "other", "x")
		wantKind(t, err, errs.NotFound)
	})
}
