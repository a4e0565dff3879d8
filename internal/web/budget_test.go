package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/app/market"
	requestapp "github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// budgetFixture is anna's budget of € 1.250,00 with an active agreement
// of the demo provider (8 × € 35,00 a month for three months) and a
// claim of € 280,00 for this month waiting for her.
type budgetFixture struct {
	budget    budget.View
	request   requestapp.Request
	agreement budget.Agreement
	claim     budget.Claim
	proposal  budget.Agreement // proposed on another request, waiting for anna
}

// budgetGrant grants anna € 1.250,00 for a year from today.
func (k *kit) budgetGrant(tb testing.TB) budget.View {
	tb.Helper()
	ctx := context.Background()
	daan, anna := k.person(tb, consultant), k.person(tb, resident)
	now := k.clock.Now()
	d, err := k.budget.Grant(ctx, &daan, budget.NewGrant{ResidentID: anna.ID, AmountCents: 125000, PeriodStart: now,
		PeriodEnd: now.AddDate(1, 0, -1), LegalBasis: "Wmo 2015 art. 2.3.6: een budget voor hulp thuis."}, id.Token())
	if err != nil {
		tb.Fatal(err)
	}
	v, err := k.budget.Budget(ctx, &anna, "", d.BudgetID)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// budgetRequest is anna's request, paid from a budget, that the demo
// provider accepted.
func (k *kit) budgetRequest(tb testing.TB) requestapp.Request {
	tb.Helper()
	ctx := context.Background()
	anna, eva := k.person(tb, resident), k.person(tb, requestProvider)
	o := k.requestOffering(tb, "Hulp in huis", market.CostOwnBudget)
	r, err := k.requests.Create(ctx, &anna, "", o.ID, "Hulp op dinsdag graag.", requestapp.FundingBudget)
	if err != nil {
		tb.Fatal(err)
	}
	if r, err = k.requests.Accept(ctx, &eva, r.ID, r.Version); err != nil {
		tb.Fatal(err)
	}
	return r
}

// budgetFixtures needs the marketplace's categories (seedMarket).
func (k *kit) budgetFixtures(tb testing.TB) budgetFixture {
	tb.Helper()
	ctx := context.Background()
	anna, eva := k.person(tb, resident), k.person(tb, requestProvider)
	f := budgetFixture{budget: k.budgetGrant(tb), request: k.budgetRequest(tb)}
	month := time.Date(k.clock.Now().Year(), k.clock.Now().Month(), 1, 0, 0, 0, 0, time.UTC)
	a, err := k.budget.ProposeAgreement(ctx, &eva, budget.NewAgreement{RequestID: f.request.ID, What: "Hulp bij het huishouden.",
		Frequency: "twee ochtenden per week", UnitPriceCents: 3500, UnitsPerMonth: 8, From: month, Until: month.AddDate(0, 2, 0)}, id.Token())
	if err != nil {
		tb.Fatal(err)
	}
	if f.agreement, err = k.budget.AcceptAgreement(ctx, &anna, "", a.ID, f.budget.Budget.ID, id.Token()); err != nil {
		tb.Fatal(err)
	}
	if f.claim, err = k.budget.SubmitClaim(ctx, &eva, budget.NewClaim{AgreementID: a.ID, Period: budget.PeriodOf(k.clock.Now()),
		Description: "8 keer hulp in huis.", AmountCents: 28000}, id.Token()); err != nil {
		tb.Fatal(err)
	}
	if f.proposal, err = k.budget.ProposeAgreement(ctx, &eva, budget.NewAgreement{RequestID: k.budgetRequest(tb).ID, What: "Begeleiding bij de administratie.",
		Frequency: "elke maandag", UnitPriceCents: 4000, UnitsPerMonth: 4, From: month, Until: month.AddDate(0, 1, 0)}, id.Token()); err != nil {
		tb.Fatal(err)
	}
	return f
}

// hiddenKey is the idempotency key of the form posting to action.
func hiddenKey(tb testing.TB, res *response, action string) string {
	tb.Helper()
	form := res.html().first(func(n *node) bool { return n.tag == "form" && n.attr("action") == action })
	if form == nil {
		tb.Fatalf("no form to %s", action)
	}
	in := form.first(func(n *node) bool { return n.tag == "input" && n.attr("name") == "idempotency_key" })
	if in == nil || in.attr("value") == "" {
		tb.Fatalf("the form to %s has no idempotency key", action)
	}
	return in.attr("value")
}

// TestBudget_Grant: a consultant grants anna a budget; an amount that is
// not Dutch is refused at the field with the input kept and nothing
// stored; the same form posted twice grants once; anna reads the decision
// in plain words.
func TestBudget_Grant(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := context.Background()
		k := newKit(t, db)
		k.seedMarket(t)
		daan := k.as(t, consultant)
		annaP := k.person(t, resident)
		res := daan.get(t, "/beheer/budgetten/nieuw")
		if res.status != 200 {
			t.Fatalf("grant form: %d", res.status)
		}
		key := hiddenKey(t, res, "/beheer/budgetten/nieuw")
		form := url.Values{"idempotency_key": {key}, "resident": {resident}, "amount": {"1250.00"},
			"period_start": {"2026-01-01"}, "period_end": {"2026-12-31"}, "legal_basis": {"Wmo 2015 art. 2.3.6."}}
		res = daan.post(t, "/beheer/budgetten/nieuw", form)
		if res.status != 422 || res.fieldError("amount") != k.t("field.budget_amount.invalid") || res.html().input("amount").attr("value") != "1250.00" {
			t.Fatalf("a dot as decimal sign: %d %q", res.status, res.fieldError("amount"))
		}
		if res.html().input("legal_basis") == nil && !strings.Contains(res.body, "Wmo 2015 art. 2.3.6.") {
			t.Error("the legal basis was not kept")
		}
		if list, _ := k.budget.BudgetsOf(ctx, &annaP, "", annaP.ID); len(list) != 0 {
			t.Fatalf("a wrong form stored %d budgets", len(list))
		}
		for _, bad := range []struct{ in, key string }{{"", "field.budget_amount.required"}, {"1,250", "field.budget_amount.invalid"},
			{"-5", "field.budget_amount.positive"}, {"12,345", "field.budget_amount.invalid"}, {"0", "field.budget_amount.positive"}} {
			form.Set("amount", bad.in)
			if r := daan.post(t, "/beheer/budgetten/nieuw", form); r.status != 422 || r.fieldError("amount") != k.t(bad.key) {
				t.Errorf("amount %q: %d %q, want %q", bad.in, r.status, r.fieldError("amount"), k.t(bad.key))
			}
		}
		form.Set("amount", "1.250,00")
		form.Set("resident", "niemand@example.nl")
		if r := daan.post(t, "/beheer/budgetten/nieuw", form); r.status != 422 || r.fieldError("resident") != k.t("field.budget_resident.unknown") {
			t.Fatalf("unknown resident: %d %q", r.status, r.fieldError("resident"))
		}
		form.Set("resident", resident)
		res = daan.post(t, "/beheer/budgetten/nieuw", form)
		if res.status != 303 || !strings.HasPrefix(res.location(), "/beheer/budgetten/") {
			t.Fatalf("grant: %d %q %v", res.status, res.alert(), res.doc != nil)
		}
		page := res.location()
		// The same form again (a double click, a retry): the same answer, one budget.
		if again := daan.post(t, "/beheer/budgetten/nieuw", form); again.status != 303 || again.location() != page {
			t.Fatalf("double post: %d %s, want 303 %s", again.status, again.location(), page)
		}
		list, err := k.budget.BudgetsOf(ctx, &annaP, "", annaP.ID)
		if err != nil || len(list) != 1 || list[0].Balance.Granted != 125000 || list[0].Balance.Available != 125000 {
			t.Fatalf("after a double post: %+v, %v", list, err)
		}
		res = daan.get(t, page)
		if res.status != 200 || !strings.Contains(res.text(), "Anna de Vries") || !strings.Contains(res.text(), "€ 1.250,00") {
			t.Fatalf("consultant's budget page: %d %q", res.status, res.text())
		}
		if r := daan.get(t, "/beheer/budgetten"); r.status != 200 || r.html().first(func(n *node) bool { return n.tag == "a" && n.attr("href") == page }) == nil {
			t.Errorf("the consultant's list does not link the budget: %d", r.status)
		}

		// A change is a new decision; the history shows both.
		changeKey := hiddenKey(t, res, page+"/wijzigen")
		res = daan.post(t, page+"/wijzigen", url.Values{"idempotency_key": {changeKey}, "amount": {"1500"}, "period_end": {"2026-12-31"}, "legal_basis": {"Meer uren nodig."}})
		if res.status != 303 {
			t.Fatalf("change: %d %q %q", res.status, res.alert(), res.fieldError("amount"))
		}
		if v, _ := k.budget.Budget(ctx, &annaP, "", list[0].Budget.ID); v.Balance.Granted != 150000 {
			t.Errorf("granted after the change: %d", v.Balance.Granted)
		}

		// Anna reads the decisions in plain words, newest first.
		anna := k.as(t, resident)
		res = anna.get(t, "/budget")
		if res.status != 303 || res.location() != "/budget/"+list[0].Budget.ID {
			t.Fatalf("/budget with one budget: %d %s", res.status, res.location())
		}
		res = anna.get(t, res.location())
		want := k.catalog.T("nl", "budget.decision.text.change", map[string]string{"Amount": "1.500,00", "Until": "31-12-2026"})
		if res.status != 200 || !strings.Contains(res.text(), want) || !strings.Contains(res.text(), "Meer uren nodig.") {
			t.Fatalf("anna's budget: %d, want %q in %q", res.status, want, res.text())
		}
		if i, j := strings.Index(res.text(), k.t("budget.decision.change")), strings.Index(res.text(), k.t("budget.decision.grant")); i < 0 || j < i {
			t.Errorf("decisions not newest first")
		}
		// The month table is the source of truth, with a caption; the chart is hidden from screen readers.
		if cap := res.html().first(func(n *node) bool { return n.tag == "caption" && n.text() == k.t("budget.months.caption") }); cap == nil {
			t.Error("no month table with a caption")
		}
		if svg := res.html().first(func(n *node) bool { return n.tag == "svg" }); svg == nil || svg.attr("aria-hidden") != "true" {
			t.Error("the chart is not aria-hidden")
		}

		// Withdrawal: a new decision again.
		res = daan.get(t, page)
		wkey := hiddenKey(t, res, page+"/intrekken")
		if r := daan.post(t, page+"/intrekken", url.Values{"idempotency_key": {wkey}, "withdraw_basis": {""}}); r.status != 422 || r.fieldError("withdraw_basis") == "" {
			t.Fatalf("withdraw without grounds: %d %q", r.status, r.fieldError("withdraw_basis"))
		}
		if r := daan.post(t, page+"/intrekken", url.Values{"idempotency_key": {wkey}, "withdraw_basis": {"Verhuisd."}}); r.status != 303 {
			t.Fatalf("withdraw: %d %q", r.status, r.alert())
		}
		decisions, _ := k.budget.Decisions(ctx, &annaP, "", list[0].Budget.ID)
		if len(decisions) != 3 || decisions[2].Kind != budget.KindWithdrawal {
			t.Fatalf("decisions: %+v", decisions)
		}
	})
}

// TestBudget_Stranger: someone who is not the resident, her delegate,
// her provider or her consultant gets 404 on every budget page, and the
// refusal is in the resident's access log.
func TestBudget_Stranger(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := context.Background()
		k := newKit(t, db)
		k.seedMarket(t)
		f := k.budgetFixtures(t)
		annaP, carla := k.person(t, resident), k.person(t, professional)
		for _, who := range []string{resident2, professional, delegate} {
			c := k.as(t, who)
			for _, path := range []string{"/budget/" + f.budget.Budget.ID, "/budget/overzicht/" + f.budget.Budget.ID,
				"/budget/afspraken/" + f.agreement.ID, "/beheer/budgetten/" + f.budget.Budget.ID, "/aanbieder/afspraken/" + f.agreement.ID} {
				if r := c.get(t, path); r.status != 404 {
					t.Errorf("%s GET %s: %d, want 404", who, path, r.status)
				}
			}
			if r := c.post(t, "/budget/declaraties/"+f.claim.ID+"/goedkeuren", url.Values{"idempotency_key": {"x"}, "budget": {f.budget.Budget.ID}}); r.status != 404 {
				t.Errorf("%s approves anna's claim: %d, want 404", who, r.status)
			}
		}
		if v, _ := k.budget.Budget(ctx, &annaP, "", f.budget.Budget.ID); v.Balance.Spent != 0 {
			t.Fatalf("a stranger's approval moved money: %+v", v.Balance)
		}
		recs, _, err := k.audit.ForSubject(ctx, annaP.ID, time.Time{}, k.clock.Now().Add(time.Hour), 200, 0)
		if err != nil {
			t.Fatal(err)
		}
		denied := false
		for _, r := range recs {
			if r.ActorID == carla.ID && r.Category == budget.Category && r.Outcome == audit.Denied {
				denied = true
			}
		}
		if !denied {
			t.Errorf("the professional's refused look is not in anna's access log (%d records)", len(recs))
		}
	})
}

// TestBudget_AgreementAndClaim: the provider proposes an agreement on
// anna's request, she accepts it, the provider claims a month, and Bram,
// acting for her under a mandate for her budget, approves the claim;
// the same approval posted twice pays once; the overview shows it.
func TestBudget_AgreementAndClaim(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := context.Background()
		k := newKit(t, db)
		k.seedMarket(t)
		v := k.budgetGrant(t)
		req := k.budgetRequest(t)
		annaP := k.person(t, resident)

		eva := k.as(t, requestProvider)
		res := eva.get(t, "/aanbieder/budget")
		newPath := "/aanbieder/afspraken/nieuw?aanvraag=" + req.ID
		if res.status != 200 || res.html().first(func(n *node) bool { return n.tag == "a" && n.attr("href") == newPath }) == nil {
			t.Fatalf("provider's budget page does not offer the request: %d %q", res.status, res.text())
		}
		// The accepted request's own page leads there too.
		if res := eva.get(t, "/aanbieder/aanvragen/"+req.ID); res.html().first(func(n *node) bool { return n.tag == "a" && n.attr("href") == newPath }) == nil {
			t.Errorf("the provider's request page has no link to the agreement form")
		}
		res = eva.get(t, newPath)
		if res.status != 200 {
			t.Fatalf("agreement form: %d", res.status)
		}
		key := hiddenKey(t, res, "/aanbieder/afspraken/nieuw")
		month := k.clock.Now().Format("2006-01")
		form := url.Values{"idempotency_key": {key}, "aanvraag": {req.ID}, "what": {"Hulp bij het huishouden."}, "frequency": {"twee ochtenden per week"},
			"unit_price": {"35,5,0"}, "units": {"acht"}, "from": {month}, "until": {"13-2026"}}
		res = eva.post(t, "/aanbieder/afspraken/nieuw", form)
		if res.status != 422 || res.fieldError("unit_price") != k.t("field.budget_amount.invalid") || res.fieldError("units") != k.t("field.budget_units.invalid") ||
			res.fieldError("until") != k.t("field.budget_month.invalid") || res.html().input("unit_price").attr("value") != "35,5,0" {
			t.Fatalf("bad agreement: %d %q %q %q", res.status, res.fieldError("unit_price"), res.fieldError("units"), res.fieldError("until"))
		}
		form.Set("unit_price", "35,00")
		form.Set("units", "8")
		form.Set("until", k.clock.Now().AddDate(0, 2, 0).Format("2006-01"))
		res = eva.post(t, "/aanbieder/afspraken/nieuw", form)
		if res.status != 303 || !strings.HasPrefix(res.location(), "/aanbieder/afspraken/") {
			t.Fatalf("propose: %d %q %v", res.status, res.alert(), res.doc != nil)
		}
		agreementID := strings.TrimPrefix(res.location(), "/aanbieder/afspraken/")

		// Anna accepts it from her budget page.
		anna := k.as(t, resident)
		res = anna.get(t, "/budget/"+v.Budget.ID)
		if res.html().first(func(n *node) bool { return n.tag == "a" && n.attr("href") == "/budget/afspraken/"+agreementID }) == nil {
			t.Fatalf("anna's budget does not show the proposal: %q", res.text())
		}
		res = anna.get(t, "/budget/afspraken/"+agreementID)
		accept := "/budget/afspraken/" + agreementID + "/accepteren"
		res = anna.post(t, accept, url.Values{"idempotency_key": {hiddenKey(t, res, accept)}, "budget": {v.Budget.ID}})
		if res.status != 303 {
			t.Fatalf("accept: %d %q", res.status, res.alert())
		}
		if got, _ := k.budget.Budget(ctx, &annaP, "", v.Budget.ID); got.Balance.Reserved != 3*8*3500 {
			t.Fatalf("reserved after accepting: %+v", got.Balance)
		}

		// The provider claims this month; a bad amount keeps the input.
		res = eva.get(t, "/aanbieder/afspraken/"+agreementID)
		claimPath := "/aanbieder/afspraken/" + agreementID + "/declareren"
		ckey := hiddenKey(t, res, claimPath)
		res = eva.post(t, claimPath, url.Values{"idempotency_key": {ckey}, "period": {month}, "amount": {"€ 280.00"}, "description": {"8 keer hulp."}})
		if res.status != 422 || res.fieldError("amount") != k.t("field.budget_amount.invalid") || !strings.Contains(res.body, "8 keer hulp.") {
			t.Fatalf("bad claim amount: %d %q", res.status, res.fieldError("amount"))
		}
		res = eva.post(t, claimPath, url.Values{"idempotency_key": {ckey}, "period": {month}, "amount": {"€ 280,00"}, "description": {"8 keer hulp."}})
		if res.status != 303 {
			t.Fatalf("claim: %d %q %q", res.status, res.alert(), res.fieldError("period"))
		}
		claims, err := k.budget.ClaimsOf(ctx, &annaP, "", agreementID)
		if err != nil || len(claims) != 1 || claims[0].AmountCents != 28000 {
			t.Fatalf("claims: %+v %v", claims, err)
		}
		claim := claims[0]

		// Bram, with a mandate for her budget, acts for her.
		bramP := k.person(t, delegate)
		if _, err := k.consent.Appoint(ctx, annaP, consent.NewMandate{DelegateID: bramP.ID, Kind: consent.MandateTrustedPerson,
			Scope: []string{budget.Category}}); err != nil {
			t.Fatal(err)
		}
		bram := k.as(t, delegate)
		if r := bram.post(t, "/namens", url.Values{"resident": {annaP.ID}}); r.status != 303 {
			t.Fatalf("act for anna: %d", r.status)
		}
		res = bram.get(t, "/budget/"+v.Budget.ID)
		approve := "/budget/declaraties/" + claim.ID + "/goedkeuren"
		dispute := "/budget/declaraties/" + claim.ID + "/betwisten"
		if res.status != 200 {
			t.Fatalf("anna's budget as bram: %d", res.status)
		}
		// A dispute needs a reason, shown at the claim's own field.
		if r := bram.post(t, dispute, url.Values{"idempotency_key": {hiddenKey(t, res, dispute)}, "budget": {v.Budget.ID}, "reason": {" "}}); r.status != 422 ||
			r.fieldError("reason-"+claim.ID) == "" {
			t.Fatalf("dispute without reason: %d %q %q", r.status, r.fieldError("reason-"+claim.ID), r.alert())
		}
		akey := hiddenKey(t, res, approve)
		for i := range 2 {
			r := bram.post(t, approve, url.Values{"idempotency_key": {akey}, "budget": {v.Budget.ID}})
			if r.status != 303 || !strings.HasPrefix(r.location(), "/budget/"+v.Budget.ID) {
				t.Fatalf("approve #%d: %d %s %q", i+1, r.status, r.location(), r.alert())
			}
		}
		got, err := k.budget.Budget(ctx, &annaP, "", v.Budget.ID)
		if err != nil || got.Balance.Spent != 28000 || got.Balance.Paid != 28000 || got.Balance.Reserved != 3*8*3500-28000 {
			t.Fatalf("after approving twice with one key: %+v %v", got.Balance, err)
		}
		entries, _ := k.budget.Entries(ctx, &annaP, "", v.Budget.ID)
		payments := 0
		for _, e := range entries {
			if e.Kind == budget.EntryPayment && e.AmountCents > 0 {
				payments++
			}
		}
		if payments != 1 {
			t.Errorf("payments in the ledger: %d, want 1", payments)
		}
		// A new form (a new key) for a claim already decided is refused with the reason.
		res = bram.get(t, "/budget/"+v.Budget.ID)
		if !strings.Contains(res.text(), "€ 280,00") || !strings.Contains(res.text(), k.t("budget.claim.status.approved")) {
			t.Errorf("the overview does not show the approved claim: %q", res.text())
		}
		// Bram's reads are in anna's access log, as acting for her.
		recs, _, _ := k.audit.ForSubject(ctx, annaP.ID, time.Time{}, k.clock.Now().Add(time.Hour), 200, 0)
		mandated := false
		for _, r := range recs {
			if r.ActorID == bramP.ID && r.Category == budget.Category && r.Basis == "mandate" {
				mandated = true
			}
		}
		if !mandated {
			t.Error("bram's access is not logged as under a mandate")
		}

		// The statement as CSV.
		csv := anna.get(t, "/budget/overzicht/"+v.Budget.ID)
		if csv.status != 200 || !strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv") || strings.Count(csv.body, "\n") < 3 {
			t.Fatalf("statement: %d %q %q", csv.status, csv.header.Get("Content-Type"), csv.body)
		}
		// The provider sees the payment.
		res = eva.get(t, "/aanbieder/budget")
		if !strings.Contains(res.text(), "€ 280,00") {
			t.Errorf("provider's payments: %q", res.text())
		}
	})
}

// TestBudget_MunicipalityApproval: the municipality admin sets that
// agreements above € 500,00 need approval; an agreement of € 840,00 then
// waits after the resident accepts it; a refusal needs a reason; the
// consultant's approval makes it run.
func TestBudget_MunicipalityApproval(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := context.Background()
		k := newKit(t, db)
		k.seedMarket(t)
		admin := k.as(t, tenantAdmin)
		if r := k.as(t, resident2).get(t, "/beheer/budget-instellingen"); r.status != 404 {
			t.Errorf("a resident on the settings page: %d", r.status)
		}
		if r := admin.get(t, "/beheer/budget-instellingen"); r.status != 200 || r.h1() != k.t("budget.settings.title") {
			t.Fatalf("settings page: %d %q", r.status, r.h1())
		}
		res := admin.post(t, "/beheer/budget-instellingen", url.Values{"approval_required": {"1"}, "approval_above": {"500.00"}})
		if res.status != 422 || res.fieldError("approval_above") != k.t("field.budget_amount.invalid") {
			t.Fatalf("bad threshold: %d %q", res.status, res.fieldError("approval_above"))
		}
		if res = admin.post(t, "/beheer/budget-instellingen", url.Values{"approval_required": {"1"}, "approval_above": {"500,00"}}); res.status != 303 {
			t.Fatalf("save threshold: %d %q", res.status, res.alert())
		}
		if st, _ := k.budget.Settings(ctx, k.muni["woerden"].ID); !st.ApprovalRequired || st.ApprovalAboveCents != 50000 {
			t.Fatalf("settings: %+v", st)
		}

		v := k.budgetGrant(t)
		req := k.budgetRequest(t)
		anna, eva := k.person(t, resident), k.person(t, requestProvider)
		month := time.Date(k.clock.Now().Year(), k.clock.Now().Month(), 1, 0, 0, 0, 0, time.UTC)
		a, err := k.budget.ProposeAgreement(ctx, &eva, budget.NewAgreement{RequestID: req.ID, What: "Hulp.", Frequency: "wekelijks",
			UnitPriceCents: 3500, UnitsPerMonth: 8, From: month, Until: month.AddDate(0, 2, 0)}, id.Token())
		if err != nil {
			t.Fatal(err)
		}
		if a, err = k.budget.AcceptAgreement(ctx, &anna, "", a.ID, v.Budget.ID, id.Token()); err != nil || a.Status != budget.AgreementAwaitingMunicipality {
			t.Fatalf("accepted above the threshold: %+v %v", a.Status, err)
		}
		if r := k.as(t, resident).get(t, "/budget/afspraken/"+a.ID); !strings.Contains(r.text(), k.t("budget.agreement.explain.awaiting_municipality")) {
			t.Errorf("anna is not told the agreement waits: %q", r.text())
		}

		daan := k.as(t, consultant)
		res = daan.get(t, "/beheer/budgetten")
		reject, approve := "/beheer/afspraken/"+a.ID+"/afwijzen", "/beheer/afspraken/"+a.ID+"/goedkeuren"
		if res.status != 200 || !strings.Contains(res.text(), "€ 840,00") {
			t.Fatalf("the waiting agreement is not on the consultant's list: %d %q", res.status, res.text())
		}
		r := daan.post(t, reject, url.Values{"idempotency_key": {hiddenKey(t, res, reject)}, "reason": {""}})
		if r.status != 422 || r.fieldError("reason-"+a.ID) == "" {
			t.Fatalf("reject without reason: %d %q %q", r.status, r.fieldError("reason-"+a.ID), r.alert())
		}
		if r := daan.post(t, approve, url.Values{"idempotency_key": {hiddenKey(t, res, approve)}}); r.status != 303 {
			t.Fatalf("approve: %d %q", r.status, r.alert())
		}
		if got, _ := k.budget.Agreement(ctx, &anna, "", a.ID); got.Status != budget.AgreementActive {
			t.Fatalf("after the municipality's approval: %s", got.Status)
		}
		if r := k.as(t, professional).post(t, approve, url.Values{"idempotency_key": {"x"}}); r.status != 404 {
			t.Errorf("a professional approves for the municipality: %d", r.status)
		}
	})
}

// TestBudget_Reverse: the consultant corrects an approved claim by a
// reversal, with a reason anna then reads; nothing of the ledger is
// changed, a counter-entry is added.
func TestBudget_Reverse(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := context.Background()
		k := newKit(t, db)
		k.seedMarket(t)
		f := k.budgetFixtures(t)
		annaP := k.person(t, resident)
		if _, err := k.budget.ApproveClaim(ctx, &annaP, "", f.claim.ID, id.Token()); err != nil {
			t.Fatal(err)
		}
		before, _ := k.budget.Entries(ctx, &annaP, "", f.budget.Budget.ID)
		daan := k.as(t, consultant)
		page := "/beheer/budgetten/" + f.budget.Budget.ID
		res := daan.get(t, page)
		reverse := "/beheer/declaraties/" + f.claim.ID + "/terugdraaien"
		key := hiddenKey(t, res, reverse)
		r := daan.post(t, reverse, url.Values{"idempotency_key": {key}, "budget": {f.budget.Budget.ID}, "reason": {""}})
		if r.status != 422 || r.fieldError("reason-"+f.claim.ID) == "" {
			t.Fatalf("reverse without reason: %d %q %q", r.status, r.fieldError("reason-"+f.claim.ID), r.alert())
		}
		if r := daan.post(t, reverse, url.Values{"idempotency_key": {key}, "budget": {f.budget.Budget.ID}, "reason": {"Dubbel gedeclareerd."}}); r.status != 303 || r.location() != page {
			t.Fatalf("reverse: %d %s %q", r.status, r.location(), r.alert())
		}
		v, _ := k.budget.Budget(ctx, &annaP, "", f.budget.Budget.ID)
		after, _ := k.budget.Entries(ctx, &annaP, "", f.budget.Budget.ID)
		if v.Balance.Spent != 0 || v.Balance.Reserved != 3*8*3500 || len(after) <= len(before) {
			t.Fatalf("after the reversal: %+v, entries %d → %d", v.Balance, len(before), len(after))
		}
		for i, e := range before {
			if after[i] != e {
				t.Fatalf("entry %d changed: %+v → %+v", i, e, after[i])
			}
		}
		res = k.as(t, resident).get(t, "/budget/"+f.budget.Budget.ID)
		if !strings.Contains(res.text(), "Dubbel gedeclareerd.") || !strings.Contains(res.text(), k.t("budget.claim.status.reversed")) {
			t.Errorf("anna does not see the reversal and its reason: %q", res.text())
		}
	})
}

// TestBudget_AccessLogWords: the resident's access log names the
// consultant's legal task and the budget in words, not as codes.
func TestBudget_AccessLogWords(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		v := k.budgetGrant(t)
		scenario{name: "consultant reads", path: "/beheer/budgetten/" + v.Budget.ID, status: 200}.run(t, k.as(t, consultant))
		scenario{name: "log", path: "/wie-keek-mee", status: 200, contains: []string{
			k.t("consent.section.budget"), k.t("accesslog.task.budget_decision")}, excludes: []string{"budget_decision"}}.run(t, k.as(t, resident))
	})
}
