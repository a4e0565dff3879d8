package budget

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// Reconcile checks the whole ledger from its entries: every transaction
// sums to zero; every account's running balance equals the sum of its
// entries; no account but funding is below zero; and every budget's
// accounts sum to zero (granted = available + reserved + spent). It
// returns what it checked and every difference; it changes nothing. It
// takes no actor: it is the operator's command and reads no personal
// data (accounts and transactions are opaque ids).
func (s *Service) Reconcile(ctx context.Context) (Report, error) {
	const op = "budget.Reconcile"
	r := Report{CheckedAt: s.now()}
	// One transaction, so that the checks see one state of the ledger.
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		totals, err := s.store.CountLedger(ctx)
		if err != nil {
			return err
		}
		r.Entries, r.Transactions = totals.Entries, totals.Transactions
		unbalanced, err := s.store.UnbalancedTransactions(ctx)
		if err != nil {
			return err
		}
		for tx, sum := range unbalanced {
			r.Differences = append(r.Differences, Difference{Kind: "transaction", Subject: tx, Expected: 0, Actual: sum})
		}
		sums, err := s.store.ReconcileAccounts(ctx)
		if err != nil {
			return err
		}
		r.Accounts = len(sums)
		perBudget := map[string]Cents{}
		var budgets []string
		for _, a := range sums {
			if a.Kept != a.Entries || (!a.HasKept && a.Entries != 0) {
				r.Differences = append(r.Differences, Difference{Kind: "account", Subject: a.Account, Expected: a.Entries, Actual: a.Kept})
			}
			if a.Entries < 0 && !strings.HasSuffix(a.Account, ":funding") {
				r.Differences = append(r.Differences, Difference{Kind: "negative", Subject: a.Account, Expected: 0, Actual: a.Entries})
			}
			if b := budgetOfAccount(a.Account); b != "" {
				if _, ok := perBudget[b]; !ok {
					budgets = append(budgets, b)
				}
				perBudget[b] += a.Entries
			}
		}
		for _, b := range budgets {
			if perBudget[b] != 0 {
				r.Differences = append(r.Differences, Difference{Kind: "budget", Subject: b, Expected: 0, Actual: perBudget[b]})
			}
		}
		return nil
	})
	if err != nil {
		return Report{}, errs.E(op, err)
	}
	slices.SortFunc(r.Differences, func(a, b Difference) int {
		return cmp.Or(strings.Compare(a.Kind, b.Kind), strings.Compare(a.Subject, b.Subject))
	})
	return r, nil
}

// budgetOfAccount returns the budget an account belongs to.
func budgetOfAccount(account string) string {
	rest, ok := strings.CutPrefix(account, "budget:")
	if !ok {
		return ""
	}
	b, _, _ := strings.Cut(rest, ":")
	return b
}
