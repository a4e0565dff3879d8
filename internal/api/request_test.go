package api_test

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/api"
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

// requestKit is newKit with the privacy core, the marketplace and the
// request service behind the API, one provider and a published offering.
type requestKit struct {
	*kit
	log      *audit.Log
	provider tenant.Organisation
	offering market.Offering
}

func newRequestKit(t *testing.T, db *sqlstore.DB) *requestKit {
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
	rk := &requestKit{kit: k, log: audit.NewLog(db, k.clock)}
	cs, err := consent.NewService(db, rk.log, k.clock, consent.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ring, err := vault.NewKeyring()
	if err != nil {
		t.Fatal(err)
	}
	mk := market.NewService(db, k.clock, market.Options{})
	rs := requestapp.NewService(db, cs, mk, vault.New(sqltest.Open(t, db.Dialect()), ring, k.clock), k.clock, requestapp.Options{Log: log})
	k.srv = serve(t, api.Deps{Identity: k.identity, Tenants: k.tenants, Catalog: catalog(t), Log: log, BaseURL: "https://inwonercloud.example",
		Consent: cs, Audit: rk.log, Market: mk, Requests: rs})

	if rk.provider, err = k.tenants.CreateOrganisation(ctx, nil, tenant.Organisation{Name: "Thuiszorg Het Groene Hart", Kind: tenant.OrgProvider,
		KvK: "12345678", MunicipalityIDs: []string{k.woerden.ID}}); err != nil {
		t.Fatal(err)
	}
	cat, err := mk.CreateCategory(ctx, nil, market.Category{MunicipalityID: k.woerden.ID, Name: "Huishoudelijke hulp"})
	if err != nil {
		t.Fatal(err)
	}
	o, err := mk.CreateOffering(ctx, nil, rk.provider.ID, market.Content{
		MunicipalityIDs: []string{k.woerden.ID}, CategoryIDs: []string{cat.ID}, Title: "Hulp in de huishouding",
		Summary: "Hulp thuis.", Description: "Een vaste hulp maakt schoon.", HowToRequest: "Vraag het aan.",
		CostType: market.CostOwnBudget, PriceCents: 3000, Unit: "uur", Kind: market.KindProfessional,
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	if rk.offering, err = mk.Approve(ctx, nil, o.ID, o.Version); err != nil {
		t.Fatal(err)
	}
	return rk
}

// providerStaff creates a person holding role in the kit's provider, with
// a confirmed authenticator, and returns a token of theirs.
func (rk *requestKit) providerStaff(email string, role identity.Role) (identity.Person, string) {
	k := rk.kit
	k.t.Helper()
	ctx := context.Background()
	p, err := k.identity.CreatePerson(ctx, identity.NewPerson{
		Email: email, DisplayName: email, Password: password, Locale: "nl",
		Roles: []identity.RoleAssignment{{Role: role, OrganisationID: rk.provider.ID, MunicipalityID: k.woerden.ID}},
	})
	if err != nil {
		k.t.Fatal(err)
	}
	setup, err := k.identity.BeginTOTP(ctx, p.ID)
	if err != nil {
		k.t.Fatal(err)
	}
	if _, _, err := k.identity.ConfirmTOTP(ctx, p.ID, "", k.code(setup.Secret)); err != nil {
		k.t.Fatal(err)
	}
	return p, k.token(email, k.code(setup.Secret)).Token
}

// TestAPI_Requests: a resident requests an offering; the provider answers
// through the sub-resources; outsiders get 404; stale versions get 409;
// every provider read is in the resident's access log.
func TestAPI_Requests(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newRequestKit(t, db)
		anna := k.resident("anna@example.org", "Anna")
		k.resident("bob@example.org", "Bob")
		eva, evaTok := k.providerStaff("eva@groenehart.example", identity.RoleProviderAdmin)
		_, consSecret := k.staff("consulent@example.org", "Carla Consulent")
		as := func(tok string) func(method, path, body string) request {
			return func(method, path, body string) request {
				return request{method: method, path: "/api/v1" + path, token: tok, body: body}
			}
		}
		a, b, e := as(k.token("anna@example.org", "").Token), as(k.token("bob@example.org", "").Token), as(evaTok)
		c := as(k.token("consulent@example.org", k.code(consSecret)).Token)

		for _, sc := range []scenario{
			{name: "NoToken", request: request{method: "GET", path: "/api/v1/requests"}, status: http.StatusUnauthorized},
			{name: "NoMessageNoFunding", request: a("POST", "/requests", `{"offeringId":"`+k.offering.ID+`","message":" "}`), status: http.StatusBadRequest,
				contains: []string{"invalidParams", "message", "funding"}},
			{name: "UnknownOffering", request: a("POST", "/requests", `{"offeringId":"nope","message":"Hallo","funding":"budget"}`), status: http.StatusNotFound},
			{name: "OwnOrganisation", request: e("POST", "/requests", `{"offeringId":"`+k.offering.ID+`","message":"Hallo","funding":"budget"}`), status: http.StatusForbidden},
			{name: "EmptyList", request: a("GET", "/requests", ""), status: http.StatusOK, contains: []string{`"requests":[]`}},
		} {
			k.check(t, sc)
		}
		res := k.do(a("POST", "/requests", `{"offeringId":"`+k.offering.ID+`","message":"ANNA-MESSAGE","funding":"budget"}`))
		if res.status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		var r api.Request
		res.decode(t, &r)
		if r.Status != "sent" || r.Version != 1 || r.Funding != "budget" || r.ResidentID != anna.ID || len(r.Events) != 1 {
			t.Fatalf("created %+v", r)
		}
		path := "/requests/" + r.ID
		v := func(n int) string { return `{"version":` + strconv.Itoa(n) + `}` }
		future := k.clock.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)
		past := k.clock.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
		for _, sc := range []scenario{
			{name: "OwnRequest", request: a("GET", path, ""), status: http.StatusOK, contains: []string{"ANNA-MESSAGE", `"events":[{`}},
			{name: "OwnList", request: a("GET", "/requests", ""), status: http.StatusOK, contains: []string{r.ID}},
			{name: "OtherResident", request: b("GET", path, ""), status: http.StatusNotFound, excludes: []string{"ANNA"}},
			{name: "OtherResidentList", request: b("GET", "/requests", ""), status: http.StatusOK, excludes: []string{r.ID}},
			{name: "Consultant", request: c("GET", path, ""), status: http.StatusNotFound, excludes: []string{"ANNA"}},
			{name: "ConsultantAccepts", request: c("POST", path+"/accept", v(1)), status: http.StatusNotFound},
			{name: "ResidentAccepts", request: a("POST", path+"/accept", v(1)), status: http.StatusNotFound},
			{name: "ProviderCancels", request: e("POST", path+"/cancel", v(1)), status: http.StatusNotFound},
			{name: "ProviderList", request: e("GET", "/requests?role=provider", ""), status: http.StatusOK, contains: []string{r.ID, "ANNA-MESSAGE", `"residentName":"Anna"`}},
			{name: "ProviderListFiltered", request: e("GET", "/requests?role=provider&status=delivered", ""), status: http.StatusOK, excludes: []string{r.ID}},
			{name: "ProviderListBadStatus", request: e("GET", "/requests?role=provider&status=zomaar", ""), status: http.StatusBadRequest, contains: []string{"invalidParams"}},
			{name: "NotProviderStaff", request: b("GET", "/requests?role=provider", ""), status: http.StatusForbidden},
			{name: "DeclineNoReason", request: e("POST", path+"/decline", `{"version":1,"reason":""}`), status: http.StatusBadRequest, contains: []string{"invalidParams", "reason"}},
			{name: "ProposePast", request: e("POST", path+"/propose-time", `{"version":1,"proposedTime":"`+past+`"}`), status: http.StatusBadRequest, contains: []string{"proposedTime"}},
			{name: "DeliverTooEarly", request: e("POST", path+"/deliver", v(1)), status: http.StatusConflict},
			{name: "Propose", request: e("POST", path+"/propose-time", `{"version":1,"proposedTime":"`+future+`"}`), status: http.StatusOK, contains: []string{`"status":"time_proposed"`, `"version":2`}},
			{name: "StaleVersion", request: e("POST", path+"/decline", `{"version":1,"reason":"Geen plek"}`), status: http.StatusConflict},
			{name: "AcceptTime", request: a("POST", path+"/accept-proposed-time", v(2)), status: http.StatusOK, contains: []string{`"status":"accepted"`}},
			{name: "Deliver", request: e("POST", path+"/deliver", v(3)), status: http.StatusOK, contains: []string{`"status":"delivered"`, `"deliveredAt":"`}},
			{name: "CancelDelivered", request: a("POST", path+"/cancel", v(4)), status: http.StatusConflict},
			{name: "ProviderReadsLogged", request: a("GET", "/access-log", ""), status: http.StatusOK, contains: []string{eva.ID, `"category":"request"`, `"outcome":"allowed"`}},
		} {
			k.check(t, sc)
		}
	})
}
