package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// outcome is what one actor gets for a page: a status, and for a page the
// message key of its heading, for a redirect its Location.
type outcome struct {
	status   int
	h1       string // message key; data from the actor's name for home.welcome
	location string
}

func ok(h1 string) outcome              { return outcome{status: http.StatusOK, h1: h1} }
func redirect(to string) outcome        { return outcome{status: http.StatusSeeOther, location: to} }
func notFound() outcome                 { return outcome{status: http.StatusNotFound, h1: "error.title.not_found"} }
func toLogin(path string) outcome       { return redirect("/inloggen?terug=" + url.QueryEscape(path)) }
func same(o outcome) [3]outcome         { return [3]outcome{o, o, o} }
func split(anon, in outcome) [3]outcome { return [3]outcome{anon, in, in} }

// TestPages requests every page as an anonymous visitor, a resident and a
// staff member, in Dutch and in English, and checks the status, the
// heading, and (through checkPage) the headers and markup of every page.
func TestPages(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel() // the databases side by side
		k := newKit(t, db)
		actors := []struct {
			name, display string
			c             *client
		}{
			{"anonymous", "", k.client()},
			{"resident", "Anna de Vries", k.as(t, resident)},
			{"staff", "Carla Bakker", k.as(t, professional)},
		}
		routes := []struct {
			path string
			want [3]outcome // anonymous, resident, staff
		}{
			{"/", [3]outcome{ok("home.title_public"), ok("home.welcome"), ok("home.welcome")}},
			{"/toegankelijkheid", same(ok("a11y.title"))},
			{"/beveiliging", same(ok("security.title"))},
			{"/inloggen", split(ok("login.title"), redirect("/"))},
			{"/inloggen/code", same(redirect("/inloggen"))},
			{"/inloggen/instellen", same(redirect("/inloggen"))},
			{"/sessie/verloopt", split(redirect("/sessie/verlopen"), ok("idle.title"))},
			{"/sessie/verlopen", split(ok("idle_expired.title"), ok("idle_expired.still"))},
			{"/registreren", split(ok("register.title"), redirect("/"))},
			{"/e-mail-bevestigen?token=abc", same(ok("verify.title"))},
			{"/wachtwoord-vergeten", same(ok("forgot.title"))},
			{"/wachtwoord-herstellen?token=abc", same(ok("reset.title"))},
			{"/account", split(toLogin("/account"), ok("account.title"))},
			{"/account/wachtwoord", split(toLogin("/account/wachtwoord"), ok("password.title"))},
			{"/account/sessies", split(toLogin("/account/sessies"), ok("sessions.title"))},
			{"/account/tweestapsverificatie", split(toLogin("/account/tweestapsverificatie"), ok("mfa.title"))},
			{"/account/tokens", split(toLogin("/account/tokens"), ok("tokens.title"))},
			{"/beheer/medewerkers", split(toLogin("/beheer/medewerkers"), notFound())},
			{"/beheer/gemeenten", split(toLogin("/beheer/gemeenten"), notFound())},
			{"/demo/outbox", same(ok("outbox.title"))},
			{"/bestaat-niet", same(notFound())},
			{"/account/bestaat-niet", same(notFound())},
		}
		for _, lang := range []string{"nl", "en"} {
			for i, a := range actors {
				t.Run(lang+"/"+a.name, func(t *testing.T) {
					for _, rt := range routes {
						want := rt.want[i]
						c := *a.c
						c.header = http.Header{"Accept-Language": {lang}}
						if a.name != "anonymous" {
							// A logged-in person's own language beats the
							// browser's; the language button sets the cookie.
							c.header.Set("Cookie", "ic_lang="+lang)
						}
						res := c.get(t, rt.path)
						if res.status != want.status {
							t.Errorf("GET %s: status %d, want %d (Location %q)", rt.path, res.status, want.status, res.location())
							continue
						}
						if want.location != "" && res.location() != want.location {
							t.Errorf("GET %s: Location %q, want %q", rt.path, res.location(), want.location)
						}
						if want.h1 == "" {
							continue
						}
						if got := res.html().first(func(n *node) bool { return n.tag == "html" }).attr("lang"); got != lang {
							t.Errorf("GET %s: <html lang=%q>, want %q", rt.path, got, lang)
						}
						if h1 := k.catalog.T(lang, want.h1, map[string]string{"Name": a.display}); res.h1() != h1 {
							t.Errorf("GET %s: heading %q, want %q", rt.path, res.h1(), h1)
						}
						if a.name != "anonymous" && res.header.Get("Cache-Control") != "no-store" {
							t.Errorf("GET %s while logged in: Cache-Control %q, want no-store", rt.path, res.header.Get("Cache-Control"))
						}
						if a.name == "anonymous" && strings.Contains(res.header.Get("Cache-Control"), "public") {
							t.Errorf("GET %s: Cache-Control %q lets shared caches keep a page", rt.path, res.header.Get("Cache-Control"))
						}
					}
				})
			}
		}
	})
}

// TestLanguage checks that Dutch is the default, that Accept-Language:
// en gives English, and that the language button is remembered.
func TestLanguage(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel() // the databases side by side
		k := newKit(t, db)
		lang := func(res *response) string {
			return res.html().first(func(n *node) bool { return n.tag == "html" }).attr("lang")
		}

		t.Run("DutchByDefault", func(t *testing.T) {
			res := k.client().get(t, "/")
			if lang(res) != "nl" || res.h1() != "Welkom bij Inwonercloud" {
				t.Errorf("lang %q, heading %q; want nl, Welkom bij Inwonercloud", lang(res), res.h1())
			}
			// The switch offers the other language in that language.
			btn := res.html().first(func(n *node) bool { return n.tag == "button" && n.attr("lang") != "" })
			if btn == nil || btn.attr("lang") != "en" {
				t.Errorf("no language button marked lang=en")
			}
		})
		t.Run("AcceptLanguage", func(t *testing.T) {
			c := k.client()
			c.header.Set("Accept-Language", "en-GB,en;q=0.9")
			res := c.get(t, "/")
			if lang(res) != "en" || res.h1() != "Welcome to Inwonercloud" {
				t.Errorf("lang %q, heading %q; want en, Welcome to Inwonercloud", lang(res), res.h1())
			}
		})
		t.Run("ButtonRemembered", func(t *testing.T) {
			c := k.client()
			res := c.post(t, "/taal", url.Values{"lang": {"en"}, "terug": {"/toegankelijkheid"}})
			if res.status != http.StatusSeeOther || res.location() != "/toegankelijkheid" {
				t.Fatalf("POST /taal: %d to %q, want 303 to /toegankelijkheid", res.status, res.location())
			}
			for _, p := range []string{"/toegankelijkheid", "/inloggen"} {
				if res := c.get(t, p); lang(res) != "en" {
					t.Errorf("GET %s after choosing English: lang %q", p, lang(res))
				}
			}
			c.post(t, "/taal", url.Values{"lang": {"nl"}, "terug": {"/"}})
			if res := c.get(t, "/"); lang(res) != "nl" {
				t.Errorf("after choosing Dutch again: lang %q", lang(res))
			}
		})
		t.Run("UnknownLanguageAndForeignReturn", func(t *testing.T) {
			c := k.client()
			res := c.post(t, "/taal", url.Values{"lang": {"de"}, "terug": {"//evil.example/x"}})
			if res.location() != "/" {
				t.Errorf("terug=//evil.example/x redirected to %q, want /", res.location())
			}
			if res := c.get(t, "/"); lang(res) != "nl" {
				t.Errorf("lang=de gave %q, want nl", lang(res))
			}
		})
		t.Run("StoredInProfile", func(t *testing.T) {
			c := k.as(t, resident2)
			c.post(t, "/taal", url.Values{"lang": {"en"}, "terug": {"/"}})
			if got := k.person(t, resident2).Locale; got != "en" {
				t.Fatalf("locale stored = %q, want en", got)
			}
			// A new browser without the cookie gets English after logging in.
			c2 := k.login(t, resident2)
			if res := c2.get(t, "/account"); lang(res) != "en" {
				t.Errorf("after login on a new browser: lang %q, want en", lang(res))
			}
		})
	})
}
