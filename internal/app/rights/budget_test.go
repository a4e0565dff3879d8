package rights_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/app/rights"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// budgetWorld is the market world with the Eigen budget: the consultant
// granted anna € 1.000,00; the provider proposed an agreement of
// 8 × € 35,00 a month for three months on her request paid from the
// budget, which she accepted; the provider claimed € 280,00 for this
// month, which waits for her.
type budgetWorld struct {
	*marketWorld
	budget    *budget.Service
	view      budget.View
	request   request.Request
	agreement budget.Agreement
	claim     budget.Claim
}

const annaWhat = "ANNA-AGREEMENT hulp bij het huishouden"

func newBudgetWorld(t *testing.T, db *sqlstore.DB) *budgetWorld {
	t.Helper()
	ctx := context.Background()
	w := &budgetWorld{marketWorld: newMarketWorld(t, db)}
	// The consultant's budget decisions rest on the legal task.
	policy, err := consent.NewService(db, w.log, w.clock, consent.Options{LegalTasks: []consent.LegalTask{budget.LegalTask}})
	must(t, err)
	w.budget = budget.NewService(db, policy, w.requests, w.market, w.clock, budget.Options{})
	w.svc = rights.NewService(rights.Deps{Tx: db, Accounts: w.ids, Consents: w.consent, Stories: w.story, Requests: w.requests,
		Reviews: w.reviews, Budgets: w.budget, Log: w.log, Vault: w.vault, Clock: w.clock})

	gemAdmin, err := db.FindPersonByEmail(ctx, "beheer@woerden.example")
	must(t, err)
	cats, err := w.market.Categories(ctx, w.woerden.ID)
	must(t, err)
	o, err := w.market.CreateOffering(ctx, &w.admin, w.org.ID, market.Content{
		MunicipalityIDs: []string{w.woerden.ID}, CategoryIDs: []string{cats[0].ID}, Title: "Hulp in huis uit je budget",
		Summary: "Een korte samenvatting.", Description: "Een beschrijving in eenvoudige taal.",
		HowToRequest: "Vraag het aan via deze website.", CostType: market.CostOwnBudget, Kind: market.KindProfessional,
	}, true)
	must(t, err)
	o, err = w.market.Approve(ctx, &gemAdmin, o.ID, o.Version)
	must(t, err)

	now := w.clock.Now()
	d, err := w.budget.Grant(ctx, &w.pro, budget.NewGrant{ResidentID: w.anna.ID, AmountCents: 100000, PeriodStart: now,
		PeriodEnd: now.AddDate(1, 0, -1), LegalBasis: "Wmo 2015 art. 2.3.6: een budget voor hulp thuis."}, id.Token())
	must(t, err)
	w.view, err = w.budget.Budget(ctx, &w.anna, "", d.BudgetID)
	must(t, err)
	w.request, err = w.requests.Create(ctx, &w.anna, "", o.ID, annaMessage, request.FundingBudget)
	must(t, err)
	w.request, err = w.requests.Accept(ctx, &w.admin, w.request.ID, w.request.Version)
	must(t, err)
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	a, err := w.budget.ProposeAgreement(ctx, &w.admin, budget.NewAgreement{RequestID: w.request.ID, What: annaWhat,
		Frequency: "twee ochtenden per week", UnitPriceCents: 3500, UnitsPerMonth: 8, From: month, Until: month.AddDate(0, 2, 0)}, id.Token())
	must(t, err)
	w.agreement, err = w.budget.AcceptAgreement(ctx, &w.anna, "", a.ID, w.view.Budget.ID, id.Token())
	must(t, err)
	w.claim, err = w.budget.SubmitClaim(ctx, &w.admin, budget.NewClaim{AgreementID: a.ID, Period: budget.PeriodOf(now),
		Description: "8 keer hulp in huis.", AmountCents: 28000}, id.Token())
	must(t, err)
	return w
}

// TestService_ExportBudget: anna's export holds her budget with the
// decision, the claim and every ledger entry, and her care agreement;
// jan's export holds none of it.
func TestService_ExportBudget(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		w := newBudgetWorld(t, db)
		b := mustExport(t, w.svc, w.anna)
		if len(b.Budgets) != 1 || len(b.Agreements) != 1 {
			t.Fatalf("anna's export: %d budgets, %d agreements", len(b.Budgets), len(b.Agreements))
		}
		bd := b.Budgets[0]
		if bd.ID != w.view.Budget.ID || bd.GrantedCents != 100000 || bd.ReservedCents != 84000 || bd.AvailableCents != 16000 || bd.Status != "active" {
			t.Errorf("budget: %+v", bd)
		}
		if len(bd.Decisions) != 1 || bd.Decisions[0].Kind != "grant" || bd.Decisions[0].AmountCents != 100000 || bd.Decisions[0].DecidedByID != w.pro.ID {
			t.Errorf("decisions: %+v", bd.Decisions)
		}
		if len(bd.Claims) != 1 || bd.Claims[0].ID != w.claim.ID || bd.Claims[0].AmountCents != 28000 || bd.Claims[0].Status != "submitted" {
			t.Errorf("claims: %+v", bd.Claims)
		}
		// The grant and the reservation, two entries each, summing to zero.
		var sum int64
		kinds := map[string]int{}
		for _, e := range bd.LedgerEntries {
			sum += e.AmountCents
			kinds[e.Kind]++
		}
		if len(bd.LedgerEntries) != 4 || sum != 0 || kinds["grant"] != 2 || kinds["reservation"] != 2 {
			t.Errorf("ledger entries: %+v", bd.LedgerEntries)
		}
		a := b.Agreements[0]
		if a.ID != w.agreement.ID || a.What != annaWhat || a.TotalCents != 84000 || a.Status != "active" || a.BudgetID != w.view.Budget.ID || a.ProviderName == "" {
			t.Errorf("agreement: %+v", a)
		}
		raw, err := json.Marshal(b)
		must(t, err)
		for _, want := range []string{`"budgets"`, `"careAgreements"`, `"ledgerEntries"`, annaWhat} {
			if !strings.Contains(string(raw), want) {
				t.Errorf("the JSON lacks %s", want)
			}
		}
		jan := mustExport(t, w.svc, w.jan)
		if len(jan.Budgets) != 0 || len(jan.Agreements) != 0 {
			t.Errorf("jan's export holds anna's budget: %+v %+v", jan.Budgets, jan.Agreements)
		}
		if raw, _ := json.Marshal(jan); strings.Contains(string(raw), annaWhat) || strings.Contains(string(raw), w.view.Budget.ID) {
			t.Error("jan's export names anna's budget")
		}
	})
}

// TestService_EraseBudget: while anna's claim waits for her or her care
// agreement runs, erasure is refused with the reason and nothing changes;
// once she approved the claim and ended the agreement, her account goes,
// and the budget's financial records stay under her opaque id: the
// budget, decision, agreement, claim and every ledger entry, with the
// request the agreement came from; the ledger still reconciles and the
// provider keeps its payment instruction.
func TestService_EraseBudget(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		w := newBudgetWorld(t, db)
		ctx := context.Background()
		refused := func(step string) {
			t.Helper()
			err := w.svc.Erase(ctx, w.anna, sqltest.Password, "192.0.2.1")
			if errs.KindOf(err) != errs.Conflict || errs.KeyOf(err) != "rights.erase.budget_open" {
				t.Fatalf("%s: erase: %v, want the budget refusal", step, err)
			}
			if _, err := w.ids.Person(ctx, w.anna.ID); err != nil {
				t.Fatalf("%s: anna's account is gone after a refusal: %v", step, err)
			}
			// Her key is still there: her story still opens.
			if b := mustExport(t, w.svc, w.anna); len(b.Story.Versions) == 0 || len(b.Requests) != 4 {
				t.Fatalf("%s: after a refusal: %d story versions, %d requests", step, len(b.Story.Versions), len(b.Requests))
			}
		}
		refused("claim waiting")
		_, err := w.budget.ApproveClaim(ctx, &w.anna, "", w.claim.ID, id.Token())
		must(t, err)
		refused("agreement running")
		_, err = w.budget.EndAgreement(ctx, &w.anna, "", w.agreement.ID, id.Token())
		must(t, err)
		before, err := w.budget.Entries(ctx, &w.anna, "", w.view.Budget.ID)
		must(t, err)

		must(t, w.svc.Erase(ctx, w.anna, sqltest.Password, "192.0.2.1"))
		if _, err := w.ids.Person(ctx, w.anna.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("anna's account after erasure: %v", err)
		}
		// The financial records stay, under her id.
		b, err := db.FindBudget(ctx, w.view.Budget.ID)
		if err != nil || b.ResidentID != w.anna.ID {
			t.Fatalf("the budget after erasure: %+v %v", b, err)
		}
		if ds, err := db.FindDecisions(ctx, b.ID); err != nil || len(ds) != 1 {
			t.Errorf("decisions after erasure: %d %v", len(ds), err)
		}
		if a, err := db.FindAgreement(ctx, w.agreement.ID); err != nil || a.Status != budget.AgreementEnded {
			t.Errorf("agreement after erasure: %+v %v", a.Status, err)
		}
		if c, err := db.FindClaim(ctx, w.claim.ID); err != nil || c.Status != budget.ClaimApproved {
			t.Errorf("claim after erasure: %+v %v", c.Status, err)
		}
		after, err := db.FindEntriesByBudget(ctx, b.ID)
		must(t, err)
		if len(after) != len(before) || len(after) < 8 {
			t.Errorf("ledger entries after erasure: %d, before %d", len(after), len(before))
		}
		// The provider's payment instruction stays its financial record.
		paid, err := w.budget.PaymentsForProvider(ctx, &w.admin, w.org.ID)
		must(t, err)
		if len(paid) != 1 || paid[0].AmountCents != 28000 {
			t.Errorf("the provider's payments after erasure: %+v", paid)
		}
		// No page shows the budget any more: the consultant's legal task
		// follows a home municipality, and the pseudonymous id has none.
		consultant, err := w.budget.BudgetsForConsultant(ctx, &w.pro)
		must(t, err)
		if len(consultant) != 0 {
			t.Errorf("the consultant still lists the erased resident's budget: %+v", consultant)
		}
		rep, err := w.budget.Reconcile(ctx)
		if err != nil || !rep.OK() {
			t.Errorf("reconcile after erasure: %+v %v", rep.Differences, err)
		}
		// The request the agreement came from stays as a record, its
		// message unreadable and its timeline gone; her other requests go.
		left, err := db.FindRequestsByResident(ctx, w.anna.ID)
		must(t, err)
		if len(left) != 1 || left[0].ID != w.request.ID {
			t.Fatalf("anna's requests after erasure: %d, want only the agreement's", len(left))
		}
		if ev, err := db.FindRequestEvents(ctx, w.request.ID); err != nil || len(ev) != 0 {
			t.Errorf("the kept request's timeline: %d %v", len(ev), err)
		}
		if _, err := w.vault.Open(ctx, w.anna.ID, w.annaBinding, w.annaSealed.Sealed); err == nil {
			t.Error("anna's key still opens her data after erasure")
		}
		// The provider no longer reaches the agreement: the grant is gone.
		if _, err := w.budget.Agreement(ctx, &w.admin, "", w.agreement.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("the provider reads the agreement after erasure: %v", err)
		}
	})
}

// TestService_EraseWithoutBudget: a resident without a budget is erased
// as before when the budget service is wired.
func TestService_EraseWithoutBudget(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		w := newBudgetWorld(t, db)
		ctx := context.Background()
		must(t, w.svc.Erase(ctx, w.jan, sqltest.Password, "192.0.2.1"))
		if _, err := w.ids.Person(ctx, w.jan.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("jan after erasure: %v", err)
		}
	})
}
