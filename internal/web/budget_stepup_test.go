package web_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/seed"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// TestBudget_StepUp: with the municipality's threshold at € 200,00, anna
// — logged in, but no password entered in this session — approving a
// claim of € 280,00 or accepting an agreement of € 320,00 is sent to
// confirm her password, back to the page with the form, and nothing
// moves; after confirming, both go through. Below the threshold nothing
// is asked.
func TestBudget_StepUp(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := context.Background()
		k := newKit(t, db)
		k.seedMarket(t)
		f := k.budgetFixtures(t)
		annaP, eva, hanna := k.person(t, resident), k.person(t, requestProvider), k.person(t, tenantAdmin)
		threshold := func(cents budget.Cents) {
			t.Helper()
			if _, err := k.budget.SetSettings(ctx, &hanna, budget.Settings{MunicipalityID: k.muni["woerden"].ID,
				ApprovalRequired: true, ApprovalAboveCents: cents}); err != nil {
				t.Fatal(err)
			}
		}
		threshold(20000)
		budgetPage, agreementPage := "/budget/"+f.budget.Budget.ID, "/budget/afspraken/"+f.proposal.ID
		approve := "/budget/declaraties/" + f.claim.ID + "/goedkeuren"
		accept := agreementPage + "/accepteren"

		anna := k.as(t, resident)
		approveKey := hiddenKey(t, anna.get(t, budgetPage), approve)
		acceptKey := hiddenKey(t, anna.get(t, agreementPage), accept)
		stepUp := func(back string) string { return "/bevestig-wachtwoord?terug=" + url.QueryEscape(back) }
		if r := anna.post(t, approve, url.Values{"idempotency_key": {approveKey}, "budget": {f.budget.Budget.ID}}); r.status != 303 || r.location() != stepUp(budgetPage) {
			t.Fatalf("approve above the threshold, stale password: %d %q", r.status, r.location())
		}
		if r := anna.post(t, accept, url.Values{"idempotency_key": {acceptKey}, "budget": {f.budget.Budget.ID}}); r.status != 303 || r.location() != stepUp(agreementPage) {
			t.Fatalf("accept above the threshold, stale password: %d %q", r.status, r.location())
		}
		c, _ := k.budget.Claim(ctx, &annaP, "", f.claim.ID)
		a, _ := k.budget.Agreement(ctx, &annaP, "", f.proposal.ID)
		v, _ := k.budget.Budget(ctx, &annaP, "", f.budget.Budget.ID)
		if c.Status != budget.ClaimSubmitted || a.Status != budget.AgreementProposed || v.Balance.Spent != 0 || v.Balance.Reserved != f.agreement.TotalCents {
			t.Fatalf("something moved without a fresh password: claim %s, agreement %s, %+v", c.Status, a.Status, v.Balance)
		}

		// She confirms her password and comes back to the form.
		if r := anna.post(t, "/bevestig-wachtwoord", url.Values{"password": {seed.Password}, "terug": {budgetPage}}); r.status != 303 || r.location() != budgetPage {
			t.Fatalf("step-up: %d %q", r.status, r.location())
		}
		if r := anna.post(t, approve, url.Values{"idempotency_key": {approveKey}, "budget": {f.budget.Budget.ID}}); r.status != 303 || r.location() != budgetPage+"#declaraties" {
			t.Fatalf("approve after step-up: %d %q %q", r.status, r.location(), r.alert())
		}
		if r := anna.post(t, accept, url.Values{"idempotency_key": {acceptKey}, "budget": {f.budget.Budget.ID}}); r.status != 303 || r.location() != agreementPage {
			t.Fatalf("accept after step-up: %d %q %q", r.status, r.location(), r.alert())
		}
		c, _ = k.budget.Claim(ctx, &annaP, "", f.claim.ID)
		a, _ = k.budget.Agreement(ctx, &annaP, "", f.proposal.ID)
		if c.Status != budget.ClaimApproved || a.Status != budget.AgreementAwaitingMunicipality {
			t.Fatalf("after step-up: claim %s, agreement %s", c.Status, a.Status)
		}

		// Below the threshold a stale password is enough.
		k.clock.Advance(6 * time.Minute)
		threshold(50000)
		month := time.Date(k.clock.Now().Year(), k.clock.Now().Month(), 1, 0, 0, 0, 0, time.UTC)
		small, err := k.budget.ProposeAgreement(ctx, &eva, budget.NewAgreement{RequestID: k.budgetRequest(t).ID, What: "Boodschappen.",
			Frequency: "elke vrijdag", UnitPriceCents: 2000, UnitsPerMonth: 2, From: month, Until: month.AddDate(0, 1, 0)}, id.Token())
		if err != nil {
			t.Fatal(err)
		}
		anna = k.as(t, resident)
		smallPage := "/budget/afspraken/" + small.ID
		r := anna.post(t, smallPage+"/accepteren", url.Values{"idempotency_key": {hiddenKey(t, anna.get(t, smallPage), smallPage+"/accepteren")}, "budget": {f.budget.Budget.ID}})
		if r.status != 303 || r.location() != smallPage {
			t.Fatalf("accept below the threshold: %d %q %q", r.status, r.location(), r.alert())
		}
		claim, err := k.budget.SubmitClaim(ctx, &eva, budget.NewClaim{AgreementID: small.ID, Period: budget.PeriodOf(k.clock.Now()),
			Description: "2 keer boodschappen.", AmountCents: 4000}, id.Token())
		if err != nil {
			t.Fatal(err)
		}
		smallApprove := "/budget/declaraties/" + claim.ID + "/goedkeuren"
		r = anna.post(t, smallApprove, url.Values{"idempotency_key": {hiddenKey(t, anna.get(t, budgetPage), smallApprove)}, "budget": {f.budget.Budget.ID}})
		if r.status != 303 || r.location() != budgetPage+"#declaraties" {
			t.Fatalf("approve below the threshold: %d %q %q", r.status, r.location(), r.alert())
		}
		if c, _ := k.budget.Claim(ctx, &annaP, "", claim.ID); c.Status != budget.ClaimApproved {
			t.Fatalf("the small claim: %s", c.Status)
		}
	})
}
