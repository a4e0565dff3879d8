package api_test

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/api"
	"github.com/inwonercloud/inwonercloud/internal/app/rights"
	"github.com/inwonercloud/inwonercloud/internal/app/story"
	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/core/vault"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// newDataKit is newKit with the privacy core and the story behind the API.
func newDataKit(t *testing.T, db *sqlstore.DB) *kit {
	t.Helper()
	k := &kit{t: t, clock: clock.NewFake(time.Now().UTC().Truncate(time.Millisecond)), mail: &fakeMailer{}, log: &logBuffer{}}
	log := slog.New(slog.NewTextHandler(k.log, nil))
	k.identity = identity.NewService(db, k.clock, k.mail, "https://inwonercloud.example", log)
	k.tenants = tenant.NewService(db, k.clock)
	var err error
	if k.woerden, err = k.tenants.CreateMunicipality(context.Background(), nil, tenant.Municipality{Slug: "woerden", Name: "Woerden"}); err != nil {
		t.Fatal(err)
	}
	lg := audit.NewLog(db, k.clock)
	cs, err := consent.NewService(db, lg, k.clock, consent.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ring, err := vault.NewKeyring()
	if err != nil {
		t.Fatal(err)
	}
	v := vault.New(sqltest.Open(t, db.Dialect()), ring, k.clock)
	st := story.NewService(db, cs, v, k.clock)
	rs := rights.NewService(rights.Deps{Tx: db, Accounts: k.identity, Consents: cs, Stories: st, Log: lg, Vault: v, Clock: k.clock})
	k.srv = serve(t, api.Deps{Identity: k.identity, Tenants: k.tenants, Catalog: catalog(t), Log: log, BaseURL: "https://inwonercloud.example",
		Story: st, Consent: cs, Audit: lg, Rights: rs})
	return k
}

func TestAPI_ResidentData(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newDataKit(t, db)
		anna := k.resident("anna@example.org", "Anna")
		bob := k.resident("bob@example.org", "Bob")
		cons, secret := k.staff("consulent@example.org", "Carla Consulent")
		annaTok := k.token("anna@example.org", "").Token
		bobTok := k.token("bob@example.org", "").Token
		consTok := k.token("consulent@example.org", k.code(secret)).Token
		as := func(tok string) func(method, path, body string) request {
			return func(method, path, body string) request {
				return request{method: method, path: "/api/v1" + path, token: tok, body: body}
			}
		}
		a, b, c := as(annaTok), as(bobTok), as(consTok)
		const storyBody = `{"narrative":"ANNA-NARRATIVE","domains":[{"domain":"finances","text":"ANNA-FINANCES","rating":2,"wantToTalk":true},{"domain":"housing","text":"ANNA-HOUSING","rating":3}]}`

		for _, sc := range []scenario{
			{name: "NoTokenStory", request: request{method: "GET", path: "/api/v1/stories/me"}, status: http.StatusUnauthorized},
			{name: "NoTokenConsents", request: request{method: "GET", path: "/api/v1/consents"}, status: http.StatusUnauthorized},
			{name: "NoTokenExport", request: request{method: "GET", path: "/api/v1/export"}, status: http.StatusUnauthorized},
			{name: "NoTokenAccessLog", request: request{method: "GET", path: "/api/v1/access-log"}, status: http.StatusUnauthorized},
			{name: "EmptyStory", request: a("GET", "/stories/me", ""), status: http.StatusOK, contains: []string{`"version":0`}},
			{name: "BadRating", request: a("PUT", "/stories/me", `{"domains":[{"domain":"finances","rating":9}]}`), status: http.StatusBadRequest, contains: []string{"invalidParams", "rating"}},
			{name: "BadDomain", request: a("PUT", "/stories/me", `{"domains":[{"domain":"moon"}]}`), status: http.StatusBadRequest, contains: []string{"invalidParams", "domain"}},
			{name: "SaveStory", request: a("PUT", "/stories/me", storyBody), status: http.StatusOK, contains: []string{`"version":1`, "ANNA-NARRATIVE", "ANNA-HOUSING"}},
			{name: "OwnStory", request: a("GET", "/stories/me", ""), status: http.StatusOK, contains: []string{"ANNA-NARRATIVE", "ANNA-FINANCES"}},
			{name: "Versions", request: a("GET", "/stories/me/versions", ""), status: http.StatusOK, contains: []string{`"number":1`}},
			{name: "NoGrantNoStory", request: c("GET", "/stories/"+anna.ID, ""), status: http.StatusNotFound, excludes: []string{"ANNA"}},
			{name: "OtherResidentNoStory", request: b("GET", "/stories/"+anna.ID, ""), status: http.StatusNotFound, excludes: []string{"ANNA"}},
			{name: "BadConsent", request: a("POST", "/consents", `{"categories":[],"permission":"all","purpose":"fun"}`), status: http.StatusBadRequest, contains: []string{"invalidParams", "permission", "purpose"}},
			{name: "ConsentWithoutGrantee", request: a("POST", "/consents", `{"categories":["story:finances"],"permission":"read","purpose":"support_plan"}`), status: http.StatusBadRequest, contains: []string{"invalidParams", "grantee"}},
		} {
			k.check(t, sc)
		}

		res := k.do(a("POST", "/consents", `{"granteePersonId":"`+cons.ID+`","categories":["story:finances","story:housing"],"permission":"read","purpose":"support_plan"}`))
		if res.status != http.StatusCreated {
			t.Fatalf("grant: %d %s", res.status, res.body)
		}
		var g rights.GrantHistory
		res.decode(t, &g)

		for _, sc := range []scenario{
			{name: "GrantedSections", request: c("GET", "/stories/"+anna.ID, ""), status: http.StatusOK,
				contains: []string{"ANNA-FINANCES", "ANNA-HOUSING", `"visibleSections":["finances","housing"]`}, excludes: []string{"ANNA-NARRATIVE"}},
			{name: "GranteeSeesConsent", request: c("GET", "/consents?role=grantee", ""), status: http.StatusOK, contains: []string{g.ID}},
			{name: "OwnConsent", request: a("GET", "/consents/"+g.ID, ""), status: http.StatusOK, contains: []string{g.ID, `"versions"`}},
			{name: "SomeoneElsesConsent", request: b("GET", "/consents/"+g.ID, ""), status: http.StatusNotFound, excludes: []string{cons.ID}},
			{name: "GranteeCannotRevoke", request: c("DELETE", "/consents/"+g.ID, ""), status: http.StatusNotFound},
			{name: "ReadInLog", request: a("GET", "/access-log", ""), status: http.StatusOK, contains: []string{cons.ID, `"action":"read"`, `"outcome":"allowed"`}},
			{name: "BobsLogIsHis", request: b("GET", "/access-log", ""), status: http.StatusOK, excludes: []string{cons.ID}},
			{name: "BadPeriod", request: a("GET", "/access-log?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z", ""), status: http.StatusBadRequest, contains: []string{"invalidParams"}},
			{name: "Export", request: a("GET", "/export", ""), status: http.StatusOK,
				contains: []string{`"schemaVersion":"` + rights.SchemaVersion + `"`, "ANNA-NARRATIVE", g.ID, "anna@example.org"}, excludes: []string{"bob@example.org", "passwordHash"}},
			{name: "Revoke", request: a("DELETE", "/consents/"+g.ID, ""), status: http.StatusNoContent},
			{name: "RevokedNoStory", request: c("GET", "/stories/"+anna.ID, ""), status: http.StatusNotFound, excludes: []string{"ANNA"}},
		} {
			k.check(t, sc)
		}

		res = k.do(a("POST", "/mandates", `{"delegateId":"`+bob.ID+`","scope":["story"]}`))
		if res.status != http.StatusCreated {
			t.Fatalf("mandate: %d %s", res.status, res.body)
		}
		var m rights.MandateData
		res.decode(t, &m)
		for _, sc := range []scenario{
			{name: "MandatesGiven", request: a("GET", "/mandates", ""), status: http.StatusOK, contains: []string{m.ID, bob.ID}},
			{name: "MandatesHeld", request: b("GET", "/mandates?role=delegate", ""), status: http.StatusOK, contains: []string{m.ID}},
			{name: "BadMandate", request: a("POST", "/mandates", `{"delegateId":"","scope":[]}`), status: http.StatusBadRequest, contains: []string{"invalidParams"}},
			{name: "StrangerCannotRevokeMandate", request: c("DELETE", "/mandates/"+m.ID, ""), status: http.StatusNotFound},
			{name: "RevokeMandate", request: a("DELETE", "/mandates/"+m.ID, ""), status: http.StatusNoContent},
		} {
			k.check(t, sc)
		}
	})
}
