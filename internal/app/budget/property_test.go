package budget_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// TestLedger_Property runs random sequences of grants, changes,
// withdrawals, reservations, releases, claims, approvals, disputes and
// reversals (a fixed seed, so a failure repeats) and checks after every
// step that each budget has available ≥ 0 and granted = available +
// reserved + spent, and regularly that every ledger transaction sums to
// zero and the ledger reconciles. A refusal (Invalid or Conflict) is a
// normal outcome; any other error fails the test.
func TestLedger_Property(t *testing.T) {
	steps := 1000
	if testing.Short() {
		steps = 200
	}
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		w := lateWorld(t, db)
		_, err := w.svc.SetSettings(ctx, &w.gemAdmin, budget.Settings{MunicipalityID: w.woerden.ID, ApprovalRequired: true, ApprovalAboveCents: 20_000})
		must(t, err)
		rng := rand.New(rand.NewPCG(6, 2026))
		var budgets, all []budget.Budget // the active ones; all ever granted
		var agreements []budget.Agreement
		var claims []budget.Claim
		pick := func(n int) int { return rng.IntN(n) }
		refusals, done := 0, 0
		why := map[string]int{}
		step := func(name string, err error) {
			t.Helper()
			switch {
			case err == nil:
				done++
			case errs.Is(err, errs.Invalid) || errs.Is(err, errs.Conflict):
				refusals++
				why[name+" "+errs.KeyOf(err)+" "+fmtFields(errs.FieldsOf(err))]++
			default:
				t.Fatalf("%s: %v", name, err)
			}
		}
		for i := range steps {
			op := pick(12)
			if len(budgets) == 0 {
				op = 0
			}
			switch op {
			case 0: // a grant
				if len(budgets) >= 3 {
					continue
				}
				b := w.longGrant(t, budget.Cents(1000+pick(60_000)))
				budgets, all = append(budgets, b), append(all, b)
				done++
			case 1: // a change of the amount, up or down
				b := budgets[pick(len(budgets))]
				bal := w.balance(t, b)
				amount := bal.Granted/2 + budget.Cents(pick(int(bal.Granted)+1))
				if amount <= 0 {
					amount = 1
				}
				_, err := w.svc.ChangeGrant(ctx, &w.consult, b.ID, budget.GrantChange{AmountCents: amount,
					PeriodEnd: b.PeriodEnd, LegalBasis: "Herziening."}, key())
				step("change", err)
			case 2, 3: // an agreement proposed and accepted: a reservation
				b := budgets[pick(len(budgets))]
				r := w.request(t)
				a, err := w.svc.ProposeAgreement(ctx, &w.zorgAdmin, budget.NewAgreement{RequestID: r.ID, What: "Zorg",
					Frequency: "wekelijks", UnitPriceCents: budget.Cents(100 + pick(3000)), UnitsPerMonth: 1 + pick(3),
					From: day(1, 1), Until: day(1, 1).AddDate(0, pick(20), 0)}, key())
				must(t, err)
				a2, err := w.svc.AcceptAgreement(ctx, &w.anna, "", a.ID, b.ID, key())
				step("accept", err)
				if err == nil {
					agreements = append(agreements, a2)
				}
			case 4, 5: // a claim
				if len(agreements) == 0 {
					continue
				}
				a := agreements[pick(len(agreements))]
				c, err := w.svc.SubmitClaim(ctx, &w.zorgAdmin, budget.NewClaim{AgreementID: a.ID,
					Period: period(pick(a.Months())), Description: "Geleverd.", AmountCents: budget.Cents(1 + pick(4000))}, key())
				step("claim", err)
				if err == nil {
					claims = append(claims, c)
				}
			case 6, 7: // an approval
				if len(claims) == 0 {
					continue
				}
				_, err := w.svc.ApproveClaim(ctx, &w.anna, "", claims[pick(len(claims))].ID, key())
				step("approve", err)
			case 8: // a dispute
				if len(claims) == 0 {
					continue
				}
				_, err := w.svc.DisputeClaim(ctx, &w.carla, w.anna.ID, claims[pick(len(claims))].ID, "Klopt niet.", key())
				step("dispute", err)
			case 9: // a reversal
				if len(claims) == 0 {
					continue
				}
				_, err := w.svc.ReverseClaim(ctx, &w.consult, claims[pick(len(claims))].ID, "Correctie.", key())
				step("reverse", err)
			case 10: // the municipality decides, or an agreement ends: a release
				if len(agreements) == 0 {
					continue
				}
				a := agreements[pick(len(agreements))]
				var err error
				switch pick(3) {
				case 0:
					_, err = w.svc.ApproveAgreement(ctx, &w.consult, a.ID, key())
				case 1:
					_, err = w.svc.RejectAgreement(ctx, &w.consult, a.ID, "Past niet.", key())
				default:
					_, err = w.svc.EndAgreement(ctx, &w.anna, "", a.ID, key())
				}
				step("agreement", err)
			case 11: // now and then a withdrawal
				if pick(6) != 0 {
					continue
				}
				n := pick(len(budgets))
				_, err := w.svc.Withdraw(ctx, &w.consult, budgets[n].ID, "Ingetrokken.", key())
				step("withdraw", err)
				if err == nil {
					budgets = append(budgets[:n], budgets[n+1:]...)
				}
			}
			for _, b := range all {
				bal := w.balance(t, b)
				if bal.Available < 0 || bal.Reserved < 0 || bal.Spent < 0 || bal.Granted != bal.Available+bal.Reserved+bal.Spent {
					t.Fatalf("step %d (op %d): budget %s out of balance: %+v", i, op, b.ID, bal)
				}
			}
			if i%50 == 49 || i == steps-1 {
				w.zeroSumTransactions(t, all)
				w.reconciled(t)
			}
		}
		t.Logf("%d steps done, %d refused: %v", done, refusals, why)
		if done < steps/4 || refusals == 0 {
			t.Errorf("%d steps done and %d refused (%v): the sequence tests too little", done, refusals, why)
		}
	})
}

// zeroSumTransactions checks, from the entries themselves, that every
// ledger transaction of the budgets sums to zero and has at least two
// entries.
func (w *world) zeroSumTransactions(t *testing.T, budgets []budget.Budget) {
	t.Helper()
	for _, b := range budgets {
		entries, err := w.svc.Entries(context.Background(), &w.anna, "", b.ID)
		must(t, err)
		sums, counts := map[string]budget.Cents{}, map[string]int{}
		for _, e := range entries {
			sums[e.TxID] += e.AmountCents
			counts[e.TxID]++
		}
		for tx, sum := range sums {
			if sum != 0 || counts[tx] < 2 {
				t.Fatalf("transaction %s: %d entries summing to %d", tx, counts[tx], sum)
			}
		}
	}
}

func fmtFields(f map[string]string) string {
	out := ""
	for k, v := range f {
		out += k + "=" + v + " "
	}
	return out
}
