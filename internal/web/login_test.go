package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/seed"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// wrongCode returns a six-digit code that is not valid now, nor one step
// before or after (the accepted drift).
func (k *kit) wrongCode(tb testing.TB) string {
	tb.Helper()
	valid := map[string]bool{}
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		c, err := identity.TOTPCode(seed.TOTPSecret, k.clock.Now().Add(d))
		if err != nil {
			tb.Fatal(err)
		}
		valid[c] = true
	}
	for i := 0; ; i++ {
		c := fmt.Sprintf("%06d", i*111111%1000000)
		if !valid[c] {
			return c
		}
	}
}

func TestLogin(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel() // the databases side by side
		k := newKit(t, db)

		t.Run("Resident", func(t *testing.T) {
			c := k.client()
			res := c.post(t, "/inloggen", url.Values{"email": {resident}, "password": {seed.Password}})
			if res.status != http.StatusSeeOther || res.location() != "/" {
				t.Fatalf("login: %d to %q, want 303 to /; alert %q", res.status, res.location(), res.alert())
			}
			if c.session() == "" {
				t.Fatal("no session cookie after login")
			}
			sc := res.header.Get("Set-Cookie")
			for _, attr := range []string{"ic_session=", "Path=/", "HttpOnly", "SameSite=Lax"} {
				if !strings.Contains(sc, attr) {
					t.Errorf("session cookie %q lacks %s", sc, attr)
				}
			}
			res = c.get(t, "/")
			if res.h1() != "Welkom, Anna de Vries" {
				t.Errorf("start page heading %q, want %q", res.h1(), "Welkom, Anna de Vries")
			}
		})

		t.Run("ReturnsToLocalPathOnly", func(t *testing.T) {
			for terug, want := range map[string]string{
				"/account/sessies": "/account/sessies",
				"//evil.example/":  "/",
			} {
				c := k.client()
				res := c.post(t, "/inloggen", url.Values{"email": {resident}, "password": {seed.Password}, "terug": {terug}})
				if res.location() != want {
					t.Errorf("login with terug=%q: redirected to %q, want %q", terug, res.location(), want)
				}
			}
			// The same check guards every terug; the language switch needs
			// no password hash to show it.
			for terug, want := range map[string]string{
				"/account?x=1":               "/account?x=1",
				"https://evil.example/":      "/",
				"//evil.example/":            "/",
				"/\\evil.example":            "/",
				"/account\r\nSet-Cookie: x=": "/",
				"":                           "/",
			} {
				res := k.client().post(t, "/taal", url.Values{"lang": {"nl"}, "terug": {terug}})
				if res.location() != want {
					t.Errorf("terug=%q: redirected to %q, want %q", terug, res.location(), want)
				}
			}
			// The login page carries the return path of a redirect to it.
			res := k.client().get(t, "/account/sessies")
			if res.location() != "/inloggen?terug=%2Faccount%2Fsessies" {
				t.Fatalf("GET /account/sessies anonymous: Location %q", res.location())
			}
			res = k.client().get(t, res.location())
			if v, _ := res.html().form("/inloggen").hidden("terug"); v != "/account/sessies" {
				t.Errorf("login form carries terug=%q, want /account/sessies", v)
			}
		})

		t.Run("StaffNeedsCode", func(t *testing.T) {
			c := k.client()
			res := c.post(t, "/inloggen", url.Values{"email": {professional}, "password": {seed.Password}})
			if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location(), "/inloggen/code") {
				t.Fatalf("staff login: %d to %q, want 303 to /inloggen/code", res.status, res.location())
			}
			pending := c.session()
			// Waiting for the code is not being logged in.
			if res := c.get(t, "/account"); res.status != http.StatusSeeOther {
				t.Errorf("GET /account while the code is due: %d, want 303 to the login", res.status)
			}
			if res := c.get(t, res.location()); res.status != http.StatusOK || res.h1() != k.t("login_code.title") {
				t.Fatalf("code page: %d %q", res.status, res.h1())
			}

			res = c.post(t, "/inloggen/code", url.Values{"code": {k.wrongCode(t)}, "terug": {"/"}})
			if res.status != http.StatusUnprocessableEntity {
				t.Fatalf("wrong code: status %d, want 422", res.status)
			}
			if msg := res.fieldError("code"); !strings.HasPrefix(msg, "Deze code klopt niet") {
				t.Errorf("wrong code: field message %q, want Deze code klopt niet…", msg)
			}
			in := res.html().input("code")
			if in.attr("aria-invalid") != "true" || !strings.Contains(in.attr("aria-describedby"), "f-code-error") {
				t.Errorf("code field: aria-invalid=%q aria-describedby=%q", in.attr("aria-invalid"), in.attr("aria-describedby"))
			}
			if res.html().first(func(n *node) bool { return n.tag == "a" && n.attr("href") == "#f-code" }) == nil {
				t.Errorf("the error summary does not link to the code field")
			}

			res = c.post(t, "/inloggen/code", url.Values{"code": {k.code(t)}, "terug": {"/account"}})
			if res.status != http.StatusSeeOther || res.location() != "/account" {
				t.Fatalf("right code: %d to %q, want 303 to /account; %s", res.status, res.location(), res.fieldError("code"))
			}
			if c.session() == pending || c.session() == "" {
				t.Errorf("session cookie not renewed after the code")
			}
			if res := c.get(t, "/"); res.h1() != "Welkom, Carla Bakker" {
				t.Errorf("start page heading %q", res.h1())
			}
			// The token from before the code no longer works.
			old := k.client()
			old.header.Set("Cookie", "ic_session="+pending)
			if res := old.get(t, "/inloggen/code"); res.status != http.StatusSeeOther || res.location() != "/inloggen" {
				t.Errorf("old pending token: %d to %q, want 303 to /inloggen", res.status, res.location())
			}
		})

		t.Run("TooManyWrongCodes", func(t *testing.T) {
			c := k.client()
			c.post(t, "/inloggen", url.Values{"email": {"consulent@demo.inwonercloud.nl"}, "password": {seed.Password}})
			var res *response
			for range identity.MaxFailures {
				res = c.post(t, "/inloggen/code", url.Values{"code": {k.wrongCode(t)}})
			}
			if res.status != http.StatusSeeOther || res.location() != "/inloggen" {
				t.Fatalf("after %d wrong codes: %d to %q, want 303 to /inloggen", identity.MaxFailures, res.status, res.location())
			}
			res = c.get(t, "/inloggen")
			if res.flash() != k.t("flash.code_locked") {
				t.Errorf("login page says %q, want %q", res.flash(), k.t("flash.code_locked"))
			}
			// The session has ended: the right code no longer helps.
			if res := c.post(t, "/inloggen/code", url.Values{"code": {k.code(t)}}); res.location() != "/inloggen" {
				t.Errorf("right code after the lock-out: %d to %q, want 303 to /inloggen", res.status, res.location())
			}
		})

		t.Run("LockOut", func(t *testing.T) {
			const victim = "mantelzorger@demo.inwonercloud.nl"
			tries := func(email string) []string {
				var alerts []string
				for i := range identity.MaxFailures + 1 {
					res := k.client().post(t, "/inloggen", url.Values{"email": {email}, "password": {fmt.Sprintf("fout-wachtwoord-%d", i)}})
					if res.status != http.StatusUnprocessableEntity && res.status != http.StatusTooManyRequests {
						t.Errorf("try %d for %s: status %d", i+1, email, res.status)
					}
					if in := res.html().input("email"); in.attr("value") != email {
						t.Errorf("try %d: e-mail not kept in the form (%q)", i+1, in.attr("value"))
					}
					if in := res.html().input("password"); in.attr("value") != "" {
						t.Errorf("try %d: the password is sent back in the form", i+1)
					}
					alerts = append(alerts, res.alert())
				}
				return alerts
			}
			known := tries(victim)
			for i, a := range known {
				want := k.t("error.login_failed")
				if i+1 >= identity.MaxFailures {
					want = k.t("error.login_locked")
				}
				if a != want {
					t.Errorf("try %d: alert %q, want %q", i+1, a, want)
				}
			}
			unknown := tries("niemand@example.nl")
			if strings.Join(unknown, "|") != strings.Join(known, "|") {
				t.Errorf("an unknown address gets other messages than a known one:\nknown   %q\nunknown %q", known, unknown)
			}

			// Locked: even the right password is refused, and no session starts.
			c := k.client()
			res := c.post(t, "/inloggen", url.Values{"email": {victim}, "password": {seed.Password}})
			if res.alert() != k.t("error.login_locked") || c.session() != "" {
				t.Errorf("right password while locked: %d, alert %q, session %q", res.status, res.alert(), c.session())
			}
			// Other accounts are not locked.
			k.login(t, resident)
			// After the lock-out period the right password works again.
			k.clock.Advance(identity.LockDuration)
			k.client().login(t, victim, seed.Password)
		})

		t.Run("Logout", func(t *testing.T) {
			c := k.login(t, resident)
			tok := c.session()
			res := c.post(t, "/uitloggen", nil)
			if res.status != http.StatusSeeOther || res.location() != "/" {
				t.Fatalf("logout: %d to %q", res.status, res.location())
			}
			if res.header.Get("Clear-Site-Data") == "" {
				t.Errorf("logout without Clear-Site-Data")
			}
			if c.session() != "" {
				t.Errorf("session cookie kept after logout")
			}
			if res := c.get(t, "/"); res.flash() != k.t("flash.logged_out") || res.h1() != k.t("home.title_public") {
				t.Errorf("after logout: flash %q, heading %q", res.flash(), res.h1())
			}
			// The token itself is ended on the server, not only forgotten.
			old := k.client()
			old.header.Set("Cookie", "ic_session="+tok)
			if res := old.get(t, "/account"); res.status != http.StatusSeeOther {
				t.Errorf("old token after logout: GET /account %d, want 303 to the login", res.status)
			}
		})
	})
}
