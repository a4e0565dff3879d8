package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestRun_BudgetReconcile(t *testing.T) {
	t.Parallel()
	for name, e := range databases(t) {
		t.Run(name, func(t *testing.T) {
			for _, tc := range []struct {
				args    []string
				wantErr string
			}{
				{[]string{"budget"}, "budget: want reconcile"},
				{[]string{"budget", "check"}, `budget: unknown subcommand "check"`},
				{[]string{"budget", "reconcile", "--fix"}, "budget reconcile: takes no arguments"},
			} {
				if r := runCmd(t, e, "", tc.args...); r.err == nil || !strings.Contains(r.err.Error(), tc.wantErr) {
					t.Errorf("%v: err = %v, want one containing %q", tc.args, r.err, tc.wantErr)
				}
			}
			r := runCmd(t, e, "", "budget", "reconcile")
			if r.err != nil || r.stdout != "budget ledger OK: 0 accounts, 0 transactions, 0 entries checked\n" {
				t.Fatalf("reconcile of an empty ledger: %v %q %q", r.err, r.stdout, r.stderr)
			}

			// A grant, written the way the service writes it.
			ctx := context.Background()
			a, err := open(ctx, e.get, io.Discard, false)
			if err != nil {
				t.Fatal(err)
			}
			m := sqltest.Municipality(t, a.db, "woerden")
			now := time.Now().UTC()
			b := budget.Budget{ID: id.New(), ResidentID: id.New(), MunicipalityID: m.ID, ConsultantID: id.New(),
				PeriodStart: now, PeriodEnd: now, Status: budget.StatusActive, CreatedAt: now, UpdatedAt: now, Version: 1}
			tx := id.New()
			err = a.db.InTx(ctx, func(ctx context.Context) error {
				if err := a.db.CreateBudget(ctx, b); err != nil {
					return err
				}
				return a.db.AppendEntries(ctx, []budget.Entry{
					{ID: id.New(), TxID: tx, Account: "budget:" + b.ID + ":funding", BudgetID: b.ID, AmountCents: -5000, Kind: budget.EntryGrant, CreatedByID: "x", CreatedAt: now},
					{ID: id.New(), TxID: tx, Account: "budget:" + b.ID + ":available", BudgetID: b.ID, AmountCents: 5000, Kind: budget.EntryGrant, CreatedByID: "x", CreatedAt: now},
				})
			})
			a.Close()
			if err != nil {
				t.Fatal(err)
			}
			r = runCmd(t, e, "", "budget", "reconcile")
			if r.err != nil || r.stdout != "budget ledger OK: 2 accounts, 1 transactions, 2 entries checked\n" {
				t.Fatalf("reconcile of a sound ledger: %v %q %q", r.err, r.stdout, r.stderr)
			}

			// A running balance changed behind the application's back.
			raw := rawDB(t, name, e)
			account := "budget:" + b.ID + ":available"
			if _, err := raw.Exec(`UPDATE budget_accounts SET balance_cents = 7000 WHERE account = $1`, account); err != nil {
				t.Fatal(err)
			}
			r = runCmd(t, e, "", "budget", "reconcile")
			wantOut := "account " + account + ": expected 5000, found 7000\n"
			if r.err == nil || r.stdout != wantOut || !strings.Contains(r.err.Error(), "budget ledger does not balance: 1 difference") {
				t.Fatalf("reconcile of a tampered ledger: %v %q, want the difference %q", r.err, r.stdout, wantOut)
			}
		})
	}
}
