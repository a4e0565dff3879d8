package budget_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// lateWorld is a world whose clock stands in September 2027, so that
// claims may be made for every month from January 2026.
func lateWorld(t testing.TB, db *sqlstore.DB) *world {
	w := newWorld(t.(*testing.T), db)
	w.clock.Advance(time.Date(2027, 9, 6, 9, 0, 0, 0, time.UTC).Sub(w.clock.Now()))
	// The mandates of the kit ran out meanwhile: anna appoints carla again.
	_, err := w.consent.Appoint(context.Background(), w.anna, consent.NewMandate{DelegateID: w.carla.ID,
		Kind: consent.MandateTrustedPerson, Scope: []string{budget.Category}})
	must(t, err)
	return w
}

// longGrant gives anna a budget of amount for 2026 and 2027.
func (w *world) longGrant(t testing.TB, amount budget.Cents) budget.Budget {
	t.Helper()
	d, err := w.svc.Grant(context.Background(), &w.consult, budget.NewGrant{ResidentID: w.anna.ID, AmountCents: amount,
		PeriodStart: day(1, 1), PeriodEnd: time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC), LegalBasis: "Wmo 2015 art. 2.3.6"}, key())
	must(t, err)
	v, err := w.svc.Budget(context.Background(), &w.anna, "", d.BudgetID)
	must(t, err)
	return v.Budget
}

// longAgreement makes an active agreement from January 2026 for months
// months at price a month.
func (w *world) longAgreement(t testing.TB, b budget.Budget, price budget.Cents, months int) budget.Agreement {
	t.Helper()
	ctx := context.Background()
	r := w.request(t)
	a, err := w.svc.ProposeAgreement(ctx, &w.zorgAdmin, budget.NewAgreement{RequestID: r.ID, What: "Begeleiding",
		Frequency: "wekelijks", UnitPriceCents: price, UnitsPerMonth: 1, From: day(1, 1), Until: day(1, 1).AddDate(0, months-1, 0)}, key())
	must(t, err)
	a, err = w.svc.AcceptAgreement(ctx, &w.anna, "", a.ID, b.ID, key())
	must(t, err)
	return a
}

// period is the n-th month from January 2026 ("2026-01" for 0).
func period(n int) string { return budget.PeriodOf(day(1, 1).AddDate(0, n, 0)) }

// TestLedger_NeverBeyondBudget: 200 concurrent claim approvals against a
// budget that covers exactly 100 of them — exactly 100 succeed, the rest
// are refused with error.budget.insufficient, and nothing is left.
func TestLedger_NeverBeyondBudget(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		db.SetMaxConns(16)
		ctx := context.Background()
		w := lateWorld(t, db)
		const claimCents = 1000
		b := w.longGrant(t, 100*claimCents)
		// Ten agreements of twenty months each reserve ten claims' worth:
		// the budget holds 100 claims, the providers send 200.
		var claims []budget.Claim
		for range 10 {
			a := w.longAgreement(t, b, claimCents/2, 20)
			for m := range 20 {
				claims = append(claims, w.claim(t, a, period(m), claimCents))
			}
		}
		if bal := w.balance(t, b); bal.Available != 0 || bal.Reserved != 100*claimCents {
			t.Fatalf("before: %+v", bal)
		}
		var mu sync.Mutex
		ok, refused := 0, 0
		var other []error
		var wg sync.WaitGroup
		start := make(chan struct{})
		for _, c := range claims {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, err := w.svc.ApproveClaim(ctx, &w.anna, "", c.ID, key())
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case errs.Is(err, errs.Conflict) && errs.KeyOf(err) == "error.budget.insufficient":
					refused++
				default:
					other = append(other, err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if ok != 100 || refused != 100 || len(other) > 0 {
			t.Fatalf("approved %d, refused %d, other errors %v; want 100, 100, none", ok, refused, other)
		}
		bal := w.balance(t, b)
		if bal.Available != 0 || bal.Reserved != 0 || bal.Spent != 100*claimCents || bal.Paid != 100*claimCents {
			t.Errorf("after: %+v, want all spent and nothing left", bal)
		}
		entries, err := w.svc.Entries(ctx, &w.anna, "", b.ID)
		must(t, err)
		var paid budget.Cents
		for _, e := range entries {
			if e.Kind == budget.EntryPayment && e.AmountCents > 0 {
				paid += e.AmountCents
			}
		}
		if paid != 100*claimCents {
			t.Errorf("payments sum to %d", paid)
		}
		w.reconciled(t)
	})
}

// TestLedger_OnePaymentPerKey: the same approval sent ten times with one
// idempotency key — one after the other and all at once — pays once; the
// key for another request is refused.
func TestLedger_OnePaymentPerKey(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		db.SetMaxConns(16)
		ctx := context.Background()
		w := lateWorld(t, db)
		b := w.longGrant(t, 100_000)
		a := w.longAgreement(t, b, 2000, 20)
		first, second, third := w.claim(t, a, period(0), 1500), w.claim(t, a, period(1), 1500), w.claim(t, a, period(2), 1500)

		k := key()
		for i := range 10 {
			c, err := w.svc.ApproveClaim(ctx, &w.anna, "", first.ID, k)
			if err != nil || c.Status != budget.ClaimApproved {
				t.Fatalf("try %d: %+v, %v", i, c, err)
			}
		}
		k2 := key()
		var wg sync.WaitGroup
		errsSeen := make(chan error, 10)
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := w.svc.ApproveClaim(ctx, &w.carla, w.anna.ID, second.ID, k2)
				if err == nil && c.Status != budget.ClaimApproved {
					err = fmt.Errorf("status %s", c.Status)
				}
				errsSeen <- err
			}()
		}
		wg.Wait()
		close(errsSeen)
		for err := range errsSeen {
			if err != nil {
				t.Errorf("concurrent retry: %v", err)
			}
		}
		payments := map[string]int{}
		entries, err := w.svc.Entries(ctx, &w.anna, "", b.ID)
		must(t, err)
		for _, e := range entries {
			if e.Kind == budget.EntryPayment && e.AmountCents > 0 {
				payments[e.ClaimID]++
			}
		}
		if payments[first.ID] != 1 || payments[second.ID] != 1 || len(payments) != 2 {
			t.Errorf("payments per claim = %v, want one each", payments)
		}
		if bal := w.balance(t, b); bal.Paid != 3000 {
			t.Errorf("paid = %d, want 3000", bal.Paid)
		}
		// The same key for another claim: 409, and nothing moves.
		_, err = w.svc.ApproveClaim(ctx, &w.anna, "", third.ID, k)
		wantProblem(t, err, problem{Kind: errs.Conflict, Key: "error.budget.key_reused"})
		// Nor for another operation.
		_, err = w.svc.DisputeClaim(ctx, &w.anna, "", third.ID, "Klopt niet.", k)
		wantProblem(t, err, problem{Kind: errs.Conflict, Key: "error.budget.key_reused"})
		c, err := w.svc.Claim(ctx, &w.anna, "", third.ID)
		must(t, err)
		if c.Status != budget.ClaimSubmitted {
			t.Errorf("third claim = %s", c.Status)
		}
		w.reconciled(t)
	})
}

// TestLedger_WholeOrAbsent: a failure injected between the entries of a
// movement leaves none of them, nor the change they belong to; the key
// may be used again; the ledger reconciles.
func TestLedger_WholeOrAbsent(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		w := lateWorld(t, db)
		b := w.longGrant(t, 100_000)
		a := w.longAgreement(t, b, 2000, 20)
		c := w.claim(t, a, period(0), 1500)
		before := w.reconciled(t)
		balBefore := w.balance(t, b)

		// A grant: two entries; fail after the first.
		budget.FailAfterEntries(w.svc, 1)
		gk := key()
		_, err := w.svc.Grant(ctx, &w.consult, budget.NewGrant{ResidentID: w.anna.ID, AmountCents: 5000,
			PeriodStart: day(1, 1), PeriodEnd: day(12, 31), LegalBasis: "Wmo"}, gk)
		if err == nil {
			t.Fatal("grant with a failure succeeded")
		}
		// An approval: four entries; fail after each of the first three.
		ak := key()
		for n := 1; n <= 3; n++ {
			budget.FailAfterEntries(w.svc, n)
			if _, err := w.svc.ApproveClaim(ctx, &w.anna, "", c.ID, ak); err == nil {
				t.Fatalf("approval failing after %d entries succeeded", n)
			}
		}
		budget.FailAfterEntries(w.svc, 0)
		after := w.reconciled(t)
		if after.Entries != before.Entries || after.Transactions != before.Transactions {
			t.Errorf("ledger grew from %+v to %+v", before, after)
		}
		list, err := w.svc.BudgetsOf(ctx, &w.anna, "", "")
		must(t, err)
		if len(list) != 1 {
			t.Errorf("%d budgets, want the first only", len(list))
		}
		if got := w.balance(t, b); got != balBefore {
			t.Errorf("balance %+v, want %+v", got, balBefore)
		}
		got, err := w.svc.Claim(ctx, &w.anna, "", c.ID)
		must(t, err)
		if got.Status != budget.ClaimSubmitted || got.TxID != "" {
			t.Errorf("claim after failures = %+v", got)
		}
		// The failed calls left no key behind: the retry goes through.
		if _, err := w.svc.ApproveClaim(ctx, &w.anna, "", c.ID, ak); err != nil {
			t.Fatalf("retry: %v", err)
		}
		if _, err := w.svc.Grant(ctx, &w.consult, budget.NewGrant{ResidentID: w.anna.ID, AmountCents: 5000,
			PeriodStart: day(1, 1), PeriodEnd: day(12, 31), LegalBasis: "Wmo"}, gk); err != nil {
			t.Fatalf("retry grant: %v", err)
		}
		w.reconciled(t)
	})
}
