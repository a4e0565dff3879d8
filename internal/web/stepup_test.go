package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/seed"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// fresh returns a client like k.as whose password was entered just now, so
// sensitive actions need no step-up; TestStepUp covers the step itself.
func (k *kit) fresh(tb testing.TB, email string) *client {
	tb.Helper()
	p := k.person(tb, email)
	now := k.clock.Now()
	tok := id.Token()
	s := identity.Session{
		ID: id.New(), TokenHash: id.Hash(tok), PersonID: p.ID, State: identity.StateActive, AuthAt: now,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(p.SessionLifetime()), UserAgent: "Go-http-client/1.1",
	}
	if err := k.db.CreateSession(context.Background(), &s); err != nil {
		tb.Fatal(err)
	}
	c := k.client()
	u, _ := url.Parse(k.base)
	c.hc.Jar.SetCookies(u, []*http.Cookie{{Name: "ic_session", Value: tok, Path: "/", HttpOnly: true}})
	return c
}

// grantsOf counts a resident's grants.
func (k *kit) grantsOf(tb testing.TB, email string) int {
	tb.Helper()
	p := k.person(tb, email)
	list, err := k.consent.GrantsBy(context.Background(), p, p.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return len(list)
}

func TestStepUp(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		anna := k.as(t, resident) // logged in, but no password entered in this session
		carla := k.person(t, professional)
		share := url.Values{"grantee_email": {carla.Email}, "categories[]": {"story"}, "permission": {"read"}, "purpose": {"support_plan"}}
		for _, sc := range []scenario{
			{name: "GET the form", path: "/delen/nieuw", status: 303, location: "/bevestig-wachtwoord?terug=%2Fdelen%2Fnieuw"},
			{name: "POST the form", method: "POST", path: "/delen/nieuw", form: share, status: 303, location: "/bevestig-wachtwoord?terug=%2Fdelen%2Fnieuw"},
			{name: "appoint", method: "POST", path: "/machtigingen/nieuw", form: url.Values{"delegate": {"mantelzorger@demo.inwonercloud.nl"}, "scope[]": {"story"}}, status: 303, location: "/bevestig-wachtwoord?terug=%2Fmachtigingen%2Fnieuw"},
			{name: "the page", path: "/bevestig-wachtwoord?terug=%2Fdelen%2Fnieuw", status: 200, contains: []string{k.t("stepup.intro")}},
			{name: "wrong password", method: "POST", path: "/bevestig-wachtwoord", form: url.Values{"password": {"wrong-password"}, "terug": {"/delen/nieuw"}}, status: 422, contains: []string{k.t("field.password.wrong")}},
			{name: "no password", method: "POST", path: "/bevestig-wachtwoord", form: url.Values{"terug": {"/delen/nieuw"}}, status: 422, contains: []string{k.t("field.password.required")}},
		} {
			sc.run(t, anna)
		}
		if n := k.grantsOf(t, resident); n != 0 {
			t.Fatalf("a POST without fresh authentication stored %d grants", n)
		}
		// A foreign return address is not followed.
		r := anna.post(t, "/bevestig-wachtwoord", url.Values{"password": {seed.Password}, "terug": {"//evil.example/"}})
		if r.status != 303 || r.location() != "/" {
			t.Errorf("foreign terug: %d %q, want 303 to /", r.status, r.location())
		}
		r = anna.post(t, "/bevestig-wachtwoord", url.Values{"password": {seed.Password}, "terug": {"/delen/nieuw"}})
		if r.status != 303 || r.location() != "/delen/nieuw" {
			t.Fatalf("step-up: %d %q, want 303 to /delen/nieuw", r.status, r.location())
		}
		if r := anna.get(t, "/delen/nieuw"); r.status != 200 || r.h1() != k.t("consent_new.title") {
			t.Fatalf("after step-up: %d %q", r.status, r.h1())
		}
		// Five minutes later it is needed again.
		k.clock.Advance(5*time.Minute + time.Second)
		if r := anna.get(t, "/delen/nieuw"); r.status != 303 || !strings.HasPrefix(r.location(), "/bevestig-wachtwoord") {
			t.Errorf("after 5 minutes: %d %q, want a step-up", r.status, r.location())
		}
	})
}
