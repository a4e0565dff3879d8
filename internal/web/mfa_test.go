package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/seed"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// secretOn reads the authenticator secret shown on a set-up page.
func secretOn(t *testing.T, res *response) string {
	t.Helper()
	code := res.html().first(func(n *node) bool { return n.tag == "code" && len(n.text()) >= 16 })
	if code == nil {
		t.Fatalf("no secret shown: %s", res.text())
	}
	return code.text()
}

// recoveryCodes reads the codes shown after turning on a second factor.
func recoveryCodes(t *testing.T, k *kit, res *response) []string {
	t.Helper()
	if res.status != http.StatusOK || res.h1() != k.t("mfa_codes.title") {
		t.Fatalf("want the recovery codes page, got %d %q: %s", res.status, res.h1(), res.fieldError("code"))
	}
	var codes []string
	for _, li := range res.html().all(func(n *node) bool {
		return n.tag == "li" && n.first(func(c *node) bool { return c.tag == "code" }) != nil
	}) {
		codes = append(codes, li.text())
	}
	if len(codes) != identity.RecoveryCodeCount {
		t.Fatalf("%d recovery codes shown, want %d", len(codes), identity.RecoveryCodeCount)
	}
	return codes
}

func TestSecondFactor(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel() // the databases side by side
		k := newKit(t, db)
		code := func(secret string) string {
			c, err := identity.TOTPCode(secret, k.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			return c
		}

		t.Run("ResidentTurnsOnAndOff", func(t *testing.T) {
			c := k.as(t, resident)
			res := c.get(t, "/account/tweestapsverificatie")
			if !strings.Contains(res.text(), k.t("mfa.off")) || res.html().form("/account/tweestapsverificatie/starten") == nil {
				t.Fatalf("mfa page while off: %s", res.text())
			}
			if res := c.post(t, "/account/tweestapsverificatie/starten", nil); res.status != http.StatusSeeOther {
				t.Fatalf("begin: %d", res.status)
			}
			secret := secretOn(t, c.get(t, "/account/tweestapsverificatie"))
			res = c.post(t, "/account/tweestapsverificatie/bevestigen", url.Values{"code": {"000000"}})
			if code(secret) != "000000" && (res.status != http.StatusUnprocessableEntity || res.fieldError("code") != k.t("field.code.wrong")) {
				t.Errorf("wrong code: %d %q", res.status, res.fieldError("code"))
			}
			codes := recoveryCodes(t, k, c.post(t, "/account/tweestapsverificatie/bevestigen", url.Values{"code": {code(secret)}}))

			// Logging in now takes a code; a recovery code works once.
			d := k.client()
			res = d.post(t, "/inloggen", url.Values{"email": {resident}, "password": {seed.Password}})
			if !strings.HasPrefix(res.location(), "/inloggen/code") {
				t.Fatalf("login with a second factor on: to %q", res.location())
			}
			if res := d.post(t, "/inloggen/code", url.Values{"code": {codes[0]}}); res.status != http.StatusSeeOther {
				t.Fatalf("recovery code: %d %q", res.status, res.fieldError("code"))
			}
			left := k.catalog.T("nl", "mfa.codes_left", map[string]any{"Count": identity.RecoveryCodeCount - 1})
			if res := d.get(t, "/account/tweestapsverificatie"); !strings.Contains(res.text(), left) {
				t.Errorf("mfa page does not say %q", left)
			}
			e := k.client()
			e.post(t, "/inloggen", url.Values{"email": {resident}, "password": {seed.Password}})
			if res := e.post(t, "/inloggen/code", url.Values{"code": {codes[0]}}); res.status != http.StatusUnprocessableEntity {
				t.Errorf("a used recovery code works again: %d", res.status)
			}

			res = d.post(t, "/account/tweestapsverificatie/uitzetten", url.Values{"password": {"niet het wachtwoord"}})
			if res.status != http.StatusUnprocessableEntity || res.fieldError("password") != k.t("field.password.wrong") {
				t.Errorf("turning off with a wrong password: %d %q", res.status, res.fieldError("password"))
			}
			res = d.post(t, "/account/tweestapsverificatie/uitzetten", url.Values{"password": {seed.Password}})
			if res.status != http.StatusSeeOther {
				t.Fatalf("turn off: %d", res.status)
			}
			k.login(t, resident) // no code needed any more
		})

		t.Run("StaffCannotTurnOff", func(t *testing.T) {
			c := k.as(t, professional)
			res := c.get(t, "/account/tweestapsverificatie")
			if !strings.Contains(res.text(), k.t("mfa.staff_required")) || res.html().form("/account/tweestapsverificatie/uitzetten") != nil {
				t.Errorf("staff mfa page: %s", res.text())
			}
			res = c.post(t, "/account/tweestapsverificatie/uitzetten", url.Values{"password": {seed.Password}})
			if res.status != http.StatusUnprocessableEntity || res.alert() != k.t("error.mfa_required_staff") {
				t.Errorf("staff turning off: %d %q", res.status, res.alert())
			}
			if k.person(t, professional).TOTPEnabledAt == nil {
				t.Errorf("the staff member's second factor was turned off")
			}
		})

		t.Run("NewStaffMemberSetsUpAtFirstLogin", func(t *testing.T) {
			const email = "nieuw@example.nl"
			admin := k.as(t, tenantAdmin)
			res := admin.post(t, "/beheer/medewerkers", url.Values{"name": {"Nina Nieuw"}, "email": {email}, "role": {"consultant"}})
			if res.status != http.StatusSeeOther {
				t.Fatalf("invite: %d", res.status)
			}
			link := k.mailLink(t, email)
			c := k.client()
			res = c.post(t, "/wachtwoord-herstellen", url.Values{"token": {link.Query().Get("token")}, "password": {newPassword}, "password2": {newPassword}})
			if res.status != http.StatusSeeOther {
				t.Fatalf("choose password: %d %s", res.status, res.fieldError("password"))
			}
			res = c.post(t, "/inloggen", url.Values{"email": {email}, "password": {newPassword}})
			if res.location() != "/inloggen/instellen" {
				t.Fatalf("first staff login: to %q, want /inloggen/instellen", res.location())
			}
			if res := c.get(t, "/account"); res.status != http.StatusSeeOther {
				t.Errorf("logged in before setting up a second factor: %d", res.status)
			}
			res = c.get(t, "/inloggen/instellen")
			if res.h1() != k.t("mfa_enrol.title") {
				t.Fatalf("set-up page: %q", res.h1())
			}
			secret := secretOn(t, res)
			res = c.post(t, "/inloggen/instellen", url.Values{"code": {""}})
			if res.status != http.StatusUnprocessableEntity || res.fieldError("code") != k.t("field.code.required") {
				t.Errorf("empty code: %d %q", res.status, res.fieldError("code"))
			}
			pending := c.session()
			recoveryCodes(t, k, c.post(t, "/inloggen/instellen", url.Values{"code": {code(secret)}}))
			if c.session() == pending {
				t.Errorf("session cookie not renewed after setting up")
			}
			if res := c.get(t, "/"); res.h1() != "Welkom, Nina Nieuw" {
				t.Errorf("after set-up: %q", res.h1())
			}
			res = admin.get(t, "/beheer/medewerkers")
			row := res.html().first(func(n *node) bool { return n.tag == "tr" && strings.Contains(n.text(), email) })
			if row == nil || !strings.Contains(row.text(), k.t("common.yes")) {
				t.Errorf("staff list does not show the new member with a second factor")
			}
		})
	})
}
