package api_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/api"
	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/app/market"
	requestapp "github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/core/vault"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// budgetKit is the request kit with the budget service behind the API,
// and consultants reaching budgets under the legal task.
type budgetKit struct {
	*requestKit
	requests *requestapp.Service
	budget   *budget.Service
}

func newBudgetKit(t *testing.T, db *sqlstore.DB) *budgetKit {
	t.Helper()
	ctx := context.Background()
	k := &kit{t: t, clock: clock.NewFake(time.Now().UTC().Truncate(time.Millisecond)), mail: &fakeMailer{}, log: &logBuffer{}}
	log := slog.New(slog.NewTextHandler(k.log, nil))
	k.identity = identity.NewService(db, k.clock, k.mail, "https://inwonercloud.example", log)
	k.tenants = tenant.NewService(db, k.clock)
	var err error
	if k.woerden, err = k.tenants.CreateMunicipality(ctx, nil, tenant.Municipality{Slug: "woerden", Name: "Woerden"}); err != nil {
		t.Fatal(err)
	}
	bk := &budgetKit{requestKit: &requestKit{kit: k, log: audit.NewLog(db, k.clock)}}
	cs, err := consent.NewService(db, bk.log, k.clock, consent.Options{LegalTasks: []consent.LegalTask{budget.LegalTask}})
	if err != nil {
		t.Fatal(err)
	}
	ring, err := vault.NewKeyring()
	if err != nil {
		t.Fatal(err)
	}
	mk := market.NewService(db, k.clock, market.Options{})
	bk.requests = requestapp.NewService(db, cs, mk, vault.New(sqltest.Open(t, db.Dialect()), ring, k.clock), k.clock, requestapp.Options{Log: log})
	bk.budget = budget.NewService(db, cs, bk.requests, mk, k.clock, budget.Options{Log: log})
	k.srv = serve(t, api.Deps{Identity: k.identity, Tenants: k.tenants, Catalog: catalog(t), Log: log, BaseURL: "https://inwonercloud.example",
		Consent: cs, Audit: bk.log, Market: mk, Requests: bk.requests, Budget: bk.budget})
	if bk.provider, err = k.tenants.CreateOrganisation(ctx, nil, tenant.Organisation{Name: "Thuiszorg Het Groene Hart", Kind: tenant.OrgProvider,
		KvK: "12345678", MunicipalityIDs: []string{k.woerden.ID}}); err != nil {
		t.Fatal(err)
	}
	cat, err := mk.CreateCategory(ctx, nil, market.Category{MunicipalityID: k.woerden.ID, Name: "Huishoudelijke hulp"})
	if err != nil {
		t.Fatal(err)
	}
	o, err := mk.CreateOffering(ctx, nil, bk.provider.ID, market.Content{
		MunicipalityIDs: []string{k.woerden.ID}, CategoryIDs: []string{cat.ID}, Title: "Hulp in de huishouding",
		Summary: "Hulp thuis.", Description: "Een vaste hulp maakt schoon.", HowToRequest: "Vraag het aan.",
		CostType: market.CostOwnBudget, PriceCents: 3000, Unit: "uur", Kind: market.KindProfessional,
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	if bk.offering, err = mk.Approve(ctx, nil, o.ID, o.Version); err != nil {
		t.Fatal(err)
	}
	return bk
}

// TestAPI_Budget: a consultant grants a budget, the provider proposes an
// agreement, the resident accepts it and approves the claim. Every call
// that moves money needs an Idempotency-Key: without one it is 400; the
// same key again answers the same and moves nothing; the same key with
// another request is 409. Outsiders get 404.
func TestAPI_Budget(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := context.Background()
		k := newBudgetKit(t, db)
		anna := k.resident("anna@example.org", "Anna")
		k.resident("bob@example.org", "Bob")
		eva, evaTok := k.providerStaff("eva@groenehart.example", identity.RoleProviderAdmin)
		_, consSecret := k.staff("consulent@example.org", "Carla Consulent")
		as := func(tok string) func(method, path, key, body string) request {
			return func(method, path, key, body string) request {
				r := request{method: method, path: "/api/v1" + path, token: tok, body: body}
				if key != "" {
					r.header = map[string]string{"Idempotency-Key": key}
				}
				return r
			}
		}
		a, b, e := as(k.token("anna@example.org", "").Token), as(k.token("bob@example.org", "").Token), as(evaTok)
		c := as(k.token("consulent@example.org", k.code(consSecret)).Token)

		today := k.clock.Now().UTC()
		grant := `{"residentId":"` + anna.ID + `","amountCents":125000,"periodStart":"` + today.Format(time.DateOnly) +
			`","periodEnd":"` + today.AddDate(1, 0, -1).Format(time.DateOnly) + `","legalBasis":"Wmo 2015 art. 2.3.6."}`
		for _, sc := range []scenario{
			{name: "NoToken", request: request{method: "GET", path: "/api/v1/budgets"}, status: http.StatusUnauthorized},
			{name: "GrantWithoutKey", request: c("POST", "/budgets", "", grant), status: http.StatusBadRequest,
				contains: []string{"invalidParams", `"name":"Idempotency-Key"`, `"code":"required"`}},
			{name: "ResidentGrants", request: a("POST", "/budgets", "r-1", grant), status: http.StatusForbidden},
			{name: "NoBudgetsYet", request: a("GET", "/budgets", "", ""), status: http.StatusOK, contains: []string{`"budgets":[]`}},
		} {
			k.check(t, sc)
		}
		res := k.do(c("POST", "/budgets", "grant-1", grant))
		if res.status != http.StatusCreated {
			t.Fatalf("grant: %d %s", res.status, res.body)
		}
		var bud api.Budget
		res.decode(t, &bud)
		if bud.Balance.GrantedCents != 125000 || bud.Balance.AvailableCents != 125000 || bud.Decision.Kind != "grant" {
			t.Fatalf("granted %+v", bud)
		}
		// The same call again: the same budget and decision, one movement.
		res = k.do(c("POST", "/budgets", "grant-1", grant))
		var again api.Budget
		res.decode(t, &again)
		if res.status != http.StatusCreated || again.ID != bud.ID || again.Decision.ID != bud.Decision.ID || again.Balance.GrantedCents != 125000 {
			t.Fatalf("retry: %d %+v", res.status, again)
		}
		// The same key with another amount: refused, nothing moves.
		k.check(t, scenario{name: "KeyReused", request: c("POST", "/budgets", "grant-1", strings.Replace(grant, "125000", "99900", 1)),
			status: http.StatusConflict})
		entries := func() []api.LedgerEntry {
			t.Helper()
			res := k.do(a("GET", "/ledger-entries?budgetId="+bud.ID, "", ""))
			if res.status != http.StatusOK {
				t.Fatalf("ledger: %d %s", res.status, res.body)
			}
			var l api.LedgerEntryList
			res.decode(t, &l)
			return l.LedgerEntries
		}
		if got := entries(); len(got) != 2 || got[0].TransactionID != got[1].TransactionID || got[0].AmountCents+got[1].AmountCents != 0 {
			t.Fatalf("ledger after one grant sent three times: %+v", got)
		}
		path := "/budgets/" + bud.ID
		for _, sc := range []scenario{
			{name: "OwnBudget", request: a("GET", path, "", ""), status: http.StatusOK, contains: []string{`"grantedCents":125000`, `"months":[`}},
			{name: "OwnList", request: a("GET", "/budgets", "", ""), status: http.StatusOK, contains: []string{bud.ID}},
			{name: "ConsultantList", request: c("GET", "/budgets?role=consultant", "", ""), status: http.StatusOK, contains: []string{bud.ID, `"residentName":"Anna"`}},
			{name: "ResidentAsConsultant", request: a("GET", "/budgets?role=consultant", "", ""), status: http.StatusForbidden},
			{name: "OtherResident", request: b("GET", path, "", ""), status: http.StatusNotFound, excludes: []string{"125000"}},
			{name: "OtherResidentLedger", request: b("GET", "/ledger-entries?budgetId="+bud.ID, "", ""), status: http.StatusNotFound},
			{name: "ProviderReadsBudget", request: e("GET", path, "", ""), status: http.StatusNotFound},
			{name: "Decisions", request: a("GET", path+"/decisions", "", ""), status: http.StatusOK, contains: []string{`"kind":"grant"`}},
			{name: "ChangeWithoutKey", request: c("POST", path+"/decisions", "", `{"kind":"change","amountCents":150000,"periodEnd":"`+today.AddDate(1, 0, -1).Format(time.DateOnly)+`","legalBasis":"Meer uren."}`),
				status: http.StatusBadRequest, contains: []string{"Idempotency-Key"}},
			{name: "ClaimsNoFilter", request: a("GET", "/claims", "", ""), status: http.StatusBadRequest, contains: []string{"invalidParams"}},
		} {
			k.check(t, sc)
		}

		// Anna asks the provider, who accepts and proposes an agreement.
		annaP := anna
		req, err := k.requests.Create(ctx, &annaP, "", k.offering.ID, "Hulp op dinsdag.", requestapp.FundingBudget)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := k.requests.Accept(ctx, &eva, req.ID, req.Version); err != nil {
			t.Fatal(err)
		}
		month := today.Format("2006-01")
		until := today.AddDate(0, 2, 0).Format("2006-01")
		propose := `{"requestId":"` + req.ID + `","what":"Schoonmaken.","frequency":"elke dinsdag","unitPriceCents":3000,"unitsPerMonth":4,"from":"` + month + `","until":"` + until + `"}`
		k.check(t, scenario{name: "ProposeWithoutKey", request: e("POST", "/agreements", "", propose), status: http.StatusBadRequest})
		res = k.do(e("POST", "/agreements", "agr-1", propose))
		if res.status != http.StatusCreated {
			t.Fatalf("propose: %d %s", res.status, res.body)
		}
		var agr api.Agreement
		res.decode(t, &agr)
		if agr.Status != "proposed" || agr.TotalCents != 3*4*3000 {
			t.Fatalf("proposed %+v", agr)
		}
		apath := "/agreements/" + agr.ID
		for _, sc := range []scenario{
			{name: "OtherAccepts", request: b("POST", apath+"/accept", "x-1", `{"budgetId":"`+bud.ID+`"}`), status: http.StatusNotFound},
			{name: "AcceptUnknownBudget", request: a("POST", apath+"/accept", "acc-0", `{"budgetId":"nope"}`), status: http.StatusBadRequest, contains: []string{`"name":"budgetId"`}},
			{name: "Accept", request: a("POST", apath+"/accept", "acc-1", `{"budgetId":"`+bud.ID+`"}`), status: http.StatusOK, contains: []string{`"status":"active"`}},
			{name: "AcceptAgain", request: a("POST", apath+"/accept", "acc-1", `{"budgetId":"`+bud.ID+`"}`), status: http.StatusOK, contains: []string{`"status":"active"`}},
			{name: "ProviderList", request: e("GET", "/agreements?role=provider", "", ""), status: http.StatusOK, contains: []string{agr.ID}},
			{name: "OwnAgreements", request: a("GET", "/agreements", "", ""), status: http.StatusOK, contains: []string{agr.ID}},
			{name: "Reserved", request: a("GET", path, "", ""), status: http.StatusOK, contains: []string{`"reservedCents":36000`, `"availableCents":89000`}},
		} {
			k.check(t, sc)
		}
		claim := `{"agreementId":"` + agr.ID + `","period":"` + month + `","description":"4 keer schoonmaken.","amountCents":12000}`
		res = k.do(e("POST", "/claims", "cl-1", claim))
		if res.status != http.StatusCreated {
			t.Fatalf("claim: %d %s", res.status, res.body)
		}
		var cl api.Claim
		res.decode(t, &cl)
		cpath := "/claims/" + cl.ID
		for _, sc := range []scenario{
			{name: "SecondClaimSameMonth", request: e("POST", "/claims", "cl-2", claim), status: http.StatusConflict, contains: []string{`"name":"period"`, `"code":"taken"`}},
			{name: "ApproveWithoutKey", request: a("POST", cpath+"/approve", "", ""), status: http.StatusBadRequest, contains: []string{"Idempotency-Key"}},
			{name: "ProviderApproves", request: e("POST", cpath+"/approve", "p-1", ""), status: http.StatusNotFound},
			{name: "OtherApproves", request: b("POST", cpath+"/approve", "b-1", ""), status: http.StatusNotFound},
		} {
			k.check(t, sc)
		}
		for i := range 3 {
			res := k.do(a("POST", cpath+"/approve", "appr-1", ""))
			if res.status != http.StatusOK || !strings.Contains(res.body, `"status":"approved"`) {
				t.Fatalf("approve #%d: %d %s", i+1, res.status, res.body)
			}
		}
		k.check(t, scenario{name: "SameKeyOtherClaimStep", request: a("POST", cpath+"/dispute", "appr-1", `{"reason":"Klopt niet."}`), status: http.StatusConflict})
		payments := 0
		for _, en := range entries() {
			if en.Kind == "payment" && en.AmountCents > 0 {
				payments++
			}
		}
		if payments != 1 {
			t.Fatalf("payments after approving three times with one key: %d", payments)
		}
		for _, sc := range []scenario{
			{name: "Spent", request: a("GET", path, "", ""), status: http.StatusOK, contains: []string{`"spentCents":12000`, `"paidCents":12000`, `"reservedCents":24000`}},
			{name: "ClaimsOfBudget", request: a("GET", "/claims?budgetId="+bud.ID, "", ""), status: http.StatusOK, contains: []string{cl.ID, `"status":"approved"`}},
			{name: "ProviderClaims", request: e("GET", "/claims?organisationId="+k.provider.ID, "", ""), status: http.StatusOK, contains: []string{cl.ID}},
			{name: "ConsultantReadsLogged", request: a("GET", "/access-log", "", ""), status: http.StatusOK, contains: []string{`"category":"budget"`}},
		} {
			k.check(t, sc)
		}
	})
}
