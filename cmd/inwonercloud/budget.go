package main

import (
	"context"
	"fmt"
	"io"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
)

// budgetCmd runs "budget reconcile": it checks the whole Eigen budget
// ledger from its entries (every transaction sums to zero, every running
// balance equals its entries, no account below zero where it may not be,
// every budget balances), prints every difference and fails when there is
// one. It reads no personal data: accounts and transactions are opaque
// ids.
func budgetCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	switch {
	case len(args) == 0:
		return fmt.Errorf("budget: want reconcile")
	case args[0] != "reconcile":
		return fmt.Errorf("budget: unknown subcommand %q", args[0])
	case len(args) > 1:
		return fmt.Errorf("budget reconcile: takes no arguments")
	}
	a, err := open(ctx, getenv, stderr, false)
	if err != nil {
		return err
	}
	defer a.Close()
	// Reconciling needs only the ledger, not the requests (nor a vault).
	svc := a.budget
	if svc == nil {
		svc = budget.NewService(a.db, a.consent, nil, a.market, a.clock, budget.Options{Log: a.log})
	}
	rep, err := svc.Reconcile(ctx)
	if err != nil {
		return fmt.Errorf("budget reconcile: %w", err)
	}
	if rep.OK() {
		fmt.Fprintf(stdout, "budget ledger OK: %d accounts, %d transactions, %d entries checked\n",
			rep.Accounts, rep.Transactions, rep.Entries)
		return nil
	}
	for _, d := range rep.Differences {
		fmt.Fprintln(stdout, d.String())
	}
	noun := "differences"
	if len(rep.Differences) == 1 {
		noun = "difference"
	}
	return fmt.Errorf("budget ledger does not balance: %d %s in %d accounts, %d transactions checked",
		len(rep.Differences), noun, rep.Accounts, rep.Transactions)
}
