package budget_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// TestService_AgreementAndClaims follows the money from a grant through
// an agreement (with the municipality's approval) to a claim approved by
// a trusted person, a dispute, a correction and the end.
func TestService_AgreementAndClaims(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		b := w.grant(t, 500_000)
		w.mail.take()
		_, err := w.svc.SetSettings(ctx, &w.gemAdmin, budget.Settings{MunicipalityID: w.woerden.ID, ApprovalRequired: true, ApprovalAboveCents: 100_000})
		must(t, err)
		r := w.request(t)

		// The provider proposes: 4 hours a month at € 35, March to June.
		a, err := w.svc.ProposeAgreement(ctx, &w.zorgPro, budget.NewAgreement{RequestID: r.ID, What: "Begeleiding thuis",
			Frequency: "elke dinsdagochtend", UnitPriceCents: 3500, UnitsPerMonth: 4, From: day(3, 15), Until: day(6, 1)}, key())
		must(t, err)
		if a.Status != budget.AgreementProposed || a.TotalCents != 56_000 || a.Months() != 4 || !a.From.Equal(day(3, 1)) {
			t.Fatalf("proposed = %+v", a)
		}
		if got := w.mail.take(); len(got) != 1 || got[0] != "anna@example.nl budget_resident https://example.test/budget/afspraken/"+a.ID {
			t.Errorf("mail = %q", got)
		}
		// Another agreement on the same request is refused while this one
		// is open.
		_, err = w.svc.ProposeAgreement(ctx, &w.zorgAdmin, budget.NewAgreement{RequestID: r.ID, What: "x", Frequency: "y",
			UnitPriceCents: 1, UnitsPerMonth: 1, From: day(3, 1), Until: day(3, 1)}, key())
		wantProblem(t, err, problem{Kind: errs.Conflict, Key: "error.budget.agreement_exists"})

		// Carla, anna's trusted person, accepts it: below the threshold,
		// it is active at once and reserves its total.
		a, err = w.svc.AcceptAgreement(ctx, &w.carla, w.anna.ID, a.ID, "", key())
		must(t, err)
		if a.Status != budget.AgreementActive || a.BudgetID != b.ID || a.ReservedCents != 56_000 || a.AcceptedByID != w.carla.ID {
			t.Fatalf("accepted = %+v", a)
		}
		if diff := cmp.Diff(budget.Balance{Granted: 500_000, Available: 444_000, Reserved: 56_000}, w.balance(t, b)); diff != "" {
			t.Errorf("balance (-want +got):\n%s", diff)
		}

		// A bigger one waits for the municipality.
		big := w.request(t)
		a2, err := w.svc.ProposeAgreement(ctx, &w.zorgAdmin, budget.NewAgreement{RequestID: big.ID, What: "Dagbesteding",
			Frequency: "twee dagen per week", UnitPriceCents: 6000, UnitsPerMonth: 8, From: day(3, 1), Until: day(11, 1)}, key())
		must(t, err)
		a2, err = w.svc.AcceptAgreement(ctx, &w.anna, "", a2.ID, b.ID, key())
		must(t, err)
		if a2.Status != budget.AgreementAwaitingMunicipality || a2.ReservedCents != 432_000 {
			t.Fatalf("big accepted = %+v", a2)
		}
		waiting, err := w.svc.AgreementsAwaitingMunicipality(ctx, &w.consult)
		must(t, err)
		if len(waiting) != 1 || waiting[0].ID != a2.ID {
			t.Fatalf("awaiting = %+v", waiting)
		}
		// Less is left than a third agreement needs.
		third := w.request(t)
		a3, err := w.svc.ProposeAgreement(ctx, &w.zorgAdmin, budget.NewAgreement{RequestID: third.ID, What: "Vervoer",
			Frequency: "wekelijks", UnitPriceCents: 15_000, UnitsPerMonth: 1, From: day(3, 1), Until: day(3, 1)}, key())
		must(t, err)
		_, err = w.svc.AcceptAgreement(ctx, &w.anna, "", a3.ID, b.ID, key())
		wantProblem(t, err, insufficient)
		// The municipality refuses the big one: its money is free again.
		_, err = w.svc.RejectAgreement(ctx, &w.consult, a2.ID, "", key())
		wantProblem(t, err, invalid(map[string]string{"reason": "field.agreement_reason.required"}))
		a2, err = w.svc.RejectAgreement(ctx, &w.consult, a2.ID, "Dit past niet bij het besluit.", key())
		must(t, err)
		if a2.Status != budget.AgreementRefused || a2.ReservedCents != 0 || a2.DecidedByID != w.consult.ID {
			t.Fatalf("rejected = %+v", a2)
		}
		a3, err = w.svc.AcceptAgreement(ctx, &w.anna, "", a3.ID, b.ID, key())
		must(t, err)

		// The provider claims March; a second claim for March is refused.
		c := w.claim(t, a, "2026-03", 14_000)
		_, err = w.svc.SubmitClaim(ctx, &w.zorgAdmin, budget.NewClaim{AgreementID: a.ID, Period: "2026-03", Description: "Nog eens", AmountCents: 100}, key())
		wantProblem(t, err, problem{Kind: errs.Conflict, Key: "error.budget.claim_period_taken", Fields: map[string]string{"period": "field.claim_period.taken"}})
		_, err = w.svc.SubmitClaim(ctx, &w.zorgAdmin, budget.NewClaim{AgreementID: a.ID, Period: "2026-05", Description: "Te vroeg", AmountCents: 100}, key())
		wantProblem(t, err, invalid(map[string]string{"period": "field.claim_period.future"}))
		_, err = w.svc.SubmitClaim(ctx, &w.zorgAdmin, budget.NewClaim{AgreementID: a.ID, Period: "2026-02", Description: "Ervoor", AmountCents: 100_000}, key())
		wantProblem(t, err, invalid(map[string]string{"period": "field.claim_period.outside"}))
		w.mail.take()

		// Dirk's mandate does not cover the budget; carla's does.
		_, err = w.svc.ApproveClaim(ctx, &w.dirk, w.anna.ID, c.ID, key())
		wantProblem(t, err, notFound)
		c, err = w.svc.ApproveClaim(ctx, &w.carla, w.anna.ID, c.ID, key())
		must(t, err)
		if c.Status != budget.ClaimApproved || c.TxID == "" || c.DecidedByID != w.carla.ID {
			t.Fatalf("approved = %+v", c)
		}
		if got := w.mail.take(); len(got) != 1 || got[0] != "eva@groenehart.example budget_provider https://example.test/aanbieder/afspraken/"+a.ID {
			t.Errorf("mail = %q", got)
		}
		if diff := cmp.Diff(budget.Balance{Granted: 500_000, Available: 429_000, Reserved: 57_000, Spent: 14_000, Paid: 14_000}, w.balance(t, b)); diff != "" {
			t.Errorf("balance (-want +got):\n%s", diff)
		}
		payments, err := w.svc.PaymentsForProvider(ctx, &w.zorgAdmin, w.zorg.ID)
		must(t, err)
		if len(payments) != 1 || payments[0].AmountCents != 14_000 || payments[0].ClaimID != c.ID || payments[0].Kind != budget.EntryPayment {
			t.Errorf("payments = %+v", payments)
		}

		// April: disputed, then approved after all.
		w.clock.Advance(31 * 24 * time.Hour)
		c2 := w.claim(t, a, "2026-04", 20_000)
		_, err = w.svc.DisputeClaim(ctx, &w.anna, "", c2.ID, " ", key())
		wantProblem(t, err, invalid(map[string]string{"reason": "field.claim_reason.required"}))
		c2, err = w.svc.DisputeClaim(ctx, &w.anna, "", c2.ID, "Er waren maar drie ochtenden.", key())
		must(t, err)
		if c2.Status != budget.ClaimDisputed || c2.DisputeReason != "Er waren maar drie ochtenden." {
			t.Fatalf("disputed = %+v", c2)
		}
		c2, err = w.svc.ApproveClaim(ctx, &w.anna, "", c2.ID, key())
		must(t, err)

		// The consultant reverses March: it is reserved again.
		_, err = w.svc.ReverseClaim(ctx, &w.anna, c.ID, "Dubbel gedeclareerd.", key())
		wantProblem(t, err, problem{Kind: errs.Forbidden, Key: "error.budget.consultant_only"})
		_, err = w.svc.ReverseClaim(ctx, &w.consultOW, c.ID, "Dubbel gedeclareerd.", key())
		wantProblem(t, err, notFound)
		c, err = w.svc.ReverseClaim(ctx, &w.consult, c.ID, "Dubbel gedeclareerd.", key())
		must(t, err)
		if c.Status != budget.ClaimReversed || c.ReversalTxID == "" {
			t.Fatalf("reversed = %+v", c)
		}
		_, err = w.svc.ReverseClaim(ctx, &w.consult, c.ID, "Nog eens.", key())
		wantProblem(t, err, problem{Kind: errs.Conflict, Key: "error.budget.claim_not_approved"})
		if diff := cmp.Diff(budget.Balance{Granted: 500_000, Available: 429_000, Reserved: 51_000, Spent: 20_000, Paid: 20_000}, w.balance(t, b)); diff != "" {
			t.Errorf("balance after reversal (-want +got):\n%s", diff)
		}

		// Ending the agreement releases what is left of it.
		a, err = w.svc.EndAgreement(ctx, &w.zorgAdmin, "", a.ID, key())
		must(t, err)
		if a.Status != budget.AgreementEnded || a.ReservedCents != 0 || a.SpentCents != 20_000 {
			t.Fatalf("ended = %+v", a)
		}
		if diff := cmp.Diff(budget.Balance{Granted: 500_000, Available: 465_000, Reserved: 15_000, Spent: 20_000, Paid: 20_000}, w.balance(t, b)); diff != "" {
			t.Errorf("balance after end (-want +got):\n%s", diff)
		}

		// A change to the grant may not take away what is used.
		_, err = w.svc.ChangeGrant(ctx, &w.consult, b.ID, budget.GrantChange{AmountCents: 20_000, PeriodEnd: day(12, 31), LegalBasis: "Minder."}, key())
		wantProblem(t, err, invalid(map[string]string{"amount": "field.budget_amount.below_used"}))
		d, err := w.svc.ChangeGrant(ctx, &w.consult, b.ID, budget.GrantChange{AmountCents: 400_000, PeriodEnd: day(12, 31), LegalBasis: "Minder uren nodig."}, key())
		must(t, err)
		if d.Kind != budget.KindChange || d.DeltaCents != -100_000 || d.Supersedes == "" {
			t.Fatalf("change = %+v", d)
		}
		// Withdrawal: the open agreement ends, the rest goes back.
		d, err = w.svc.Withdraw(ctx, &w.consult, b.ID, "De indicatie is beëindigd.", key())
		must(t, err)
		if d.Kind != budget.KindWithdrawal || d.AmountCents != 20_000 {
			t.Fatalf("withdrawal = %+v", d)
		}
		if diff := cmp.Diff(budget.Balance{Granted: 20_000, Spent: 20_000, Paid: 20_000}, w.balance(t, b)); diff != "" {
			t.Errorf("balance after withdrawal (-want +got):\n%s", diff)
		}
		a3, err = w.svc.Agreement(ctx, &w.anna, "", a3.ID)
		must(t, err)
		if a3.Status != budget.AgreementEnded {
			t.Errorf("agreement after withdrawal = %s", a3.Status)
		}
		decisions, err := w.svc.Decisions(ctx, &w.anna, "", b.ID)
		must(t, err)
		if len(decisions) != 3 || decisions[2].Supersedes != decisions[1].ID || decisions[1].Supersedes != decisions[0].ID {
			t.Errorf("decisions = %+v", decisions)
		}

		// The statement: one row per movement, the header first.
		rows, err := w.svc.Statement(ctx, &w.carla, w.anna.ID, b.ID)
		must(t, err)
		kinds := []string{}
		for _, r := range rows[1:] {
			kinds = append(kinds, r[2])
		}
		wantKinds := []string{"grant", "reservation", "reservation", "release", "reservation", "claim_approval",
			"claim_approval", "reversal", "release", "grant", "release", "grant"}
		if diff := cmp.Diff(wantKinds, kinds); diff != "" {
			t.Errorf("statement kinds (-want +got):\n%s", diff)
		}
		if last := rows[len(rows)-1]; last[9] != "0.00" || rows[1][5] != "5000.00" {
			t.Errorf("statement = %q", rows)
		}
		months, err := w.svc.Months(ctx, &w.anna, "", b.ID)
		must(t, err)
		if len(months) != 4 || months[0].Month != "2026-01" || months[3].Month != "2026-04" || months[2].Granted != 500_000 ||
			months[3].Available != 0 {
			t.Errorf("months = %+v", months)
		}
		w.reconciled(t)
	})
}
