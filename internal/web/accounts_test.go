package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/seed"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

const newPassword = "lente fiets koffie boom"

func TestRegister(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel() // the databases side by side
		k := newKit(t, db)
		const email = "piet@example.nl"
		form := url.Values{"name": {"Piet Jansen"}, "email": {email}, "password": {newPassword}, "municipality": {k.muni["woerden"].ID}}

		before := k.counts(t)
		res := k.client().post(t, "/registreren", form)
		done := k.catalog.T("nl", "register.done", map[string]string{"Email": email})
		if res.status != http.StatusOK || res.flash() != done {
			t.Fatalf("register: %d, status message %q, want %q", res.status, res.flash(), done)
		}
		if after := k.counts(t); after.persons != before.persons+1 || after.mails != before.mails+1 {
			t.Fatalf("register stored %+v → %+v, want one person and one mail more", before, after)
		}
		p := k.person(t, email)
		if p.EmailVerifiedAt != nil || !p.HasIn(identity.RoleCitizen, k.muni["woerden"].ID) || p.HomeMunicipalityID != k.muni["woerden"].ID {
			t.Errorf("registered person: verified %v, roles %+v, home %q", p.EmailVerifiedAt, p.Roles, p.HomeMunicipalityID)
		}
		if m := k.mails(t)[0]; m.To != email || m.Subject != k.t("mail.verify_email.subject") {
			t.Errorf("mail to %q with subject %q", m.To, m.Subject)
		}
		link := k.mailLink(t, email)
		if link.Path != "/e-mail-bevestigen" || link.Query().Get("token") == "" {
			t.Fatalf("verification link %s", link)
		}

		t.Run("LoginBeforeVerifying", func(t *testing.T) {
			c := k.client()
			res := c.post(t, "/inloggen", url.Values{"email": {email}, "password": {newPassword}})
			if res.status != http.StatusUnprocessableEntity || res.alert() != k.t("error.email_unverified") {
				t.Errorf("login before verifying: %d, alert %q, want 422 %q", res.status, res.alert(), k.t("error.email_unverified"))
			}
			if c.session() != "" {
				t.Errorf("a session started before the address was verified")
			}
		})
		t.Run("OpeningTheLinkChangesNothing", func(t *testing.T) {
			// Mail scanners follow links: only the button confirms.
			res := k.client().get(t, link.RequestURI())
			if v, _ := res.html().form("/e-mail-bevestigen").hidden("token"); v != link.Query().Get("token") {
				t.Errorf("the confirm form carries token %q", v)
			}
			if k.person(t, email).EmailVerifiedAt != nil {
				t.Errorf("GET of the link verified the address")
			}
		})
		t.Run("Verify", func(t *testing.T) {
			c := k.client()
			res := c.post(t, "/e-mail-bevestigen", url.Values{"token": {link.Query().Get("token")}})
			if res.status != http.StatusSeeOther || res.location() != "/inloggen" {
				t.Fatalf("verify: %d to %q", res.status, res.location())
			}
			if res := c.get(t, "/inloggen"); res.flash() != k.t("flash.email_verified") {
				t.Errorf("login page says %q", res.flash())
			}
			c.login(t, email, newPassword)
			if res := c.get(t, "/"); res.h1() != "Welkom, Piet Jansen" {
				t.Errorf("start page heading %q", res.h1())
			}
		})
		t.Run("LinkWorksOnce", func(t *testing.T) {
			res := k.client().post(t, "/e-mail-bevestigen", url.Values{"token": {link.Query().Get("token")}})
			if res.status != http.StatusUnprocessableEntity || res.alert() != k.t("error.link_invalid") {
				t.Errorf("second use: %d, alert %q", res.status, res.alert())
			}
		})
		t.Run("TakenAddressLooksTheSame", func(t *testing.T) {
			before := k.counts(t)
			form := url.Values{"name": {"Iemand Anders"}, "email": {resident}, "password": {newPassword}, "municipality": {k.muni["woerden"].ID}}
			res := k.client().post(t, "/registreren", form)
			want := k.catalog.T("nl", "register.done", map[string]string{"Email": resident})
			if res.status != http.StatusOK || res.flash() != want {
				t.Errorf("registering a taken address: %d %q, want the same page as a new one", res.status, res.flash())
			}
			after := k.counts(t)
			if after.persons != before.persons || after.mails != before.mails+1 {
				t.Errorf("counts %+v → %+v, want no person and one mail more", before, after)
			}
			if m := k.mails(t)[0]; m.To != resident || m.Subject != k.t("mail.register_exists.subject") {
				t.Errorf("the owner got %q", m.Subject)
			}
			if p := k.person(t, resident); p.DisplayName != "Anna de Vries" || !identity.CheckPassword(p.PasswordHash, seed.Password) {
				t.Errorf("the existing account changed")
			}
		})
		t.Run("MailInTheVisitorsLanguage", func(t *testing.T) {
			c := k.client()
			c.header.Set("Accept-Language", "en")
			form := url.Values{"name": {"Pete"}, "email": {"pete@example.nl"}, "password": {newPassword}, "municipality": {k.muni["oudewater"].ID}}
			if res := c.post(t, "/registreren", form); res.status != http.StatusOK {
				t.Fatalf("register: %d", res.status)
			}
			if m := k.mails(t)[0]; m.Subject != k.catalog.T("en", "mail.verify_email.subject", nil) {
				t.Errorf("subject %q, want the English one", m.Subject)
			}
			if got := k.person(t, "pete@example.nl"); got.Locale != "en" || got.HomeMunicipalityID != k.muni["oudewater"].ID {
				t.Errorf("locale %q, home %q", got.Locale, got.HomeMunicipalityID)
			}
		})
	})
}

func TestPasswordReset(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel() // the databases side by side
		k := newKit(t, db)
		other := k.as(t, resident) // a session from before the reset

		sent := k.t("forgot.sent")
		res := k.client().post(t, "/wachtwoord-vergeten", url.Values{"email": {" Inwoner@Demo.Inwonercloud.nl "}})
		if res.status != http.StatusOK || res.flash() != sent {
			t.Fatalf("forgot: %d %q", res.status, res.flash())
		}
		link := k.mailLink(t, resident)
		if link.Path != "/wachtwoord-herstellen" || k.mails(t)[0].Subject != k.t("mail.password_reset.subject") {
			t.Fatalf("reset mail: %s %q", link, k.mails(t)[0].Subject)
		}

		t.Run("UnknownAddressSamePageNoMail", func(t *testing.T) {
			before := k.counts(t)
			res := k.client().post(t, "/wachtwoord-vergeten", url.Values{"email": {"niemand@example.nl"}})
			if res.status != http.StatusOK || res.flash() != sent {
				t.Errorf("unknown address: %d %q, want the same page", res.status, res.flash())
			}
			if k.counts(t) != before {
				t.Errorf("something was stored or mailed for an unknown address")
			}
		})
		t.Run("LinkShowsForm", func(t *testing.T) {
			res := k.client().get(t, link.RequestURI())
			if res.status != http.StatusOK || res.alert() != "" || res.html().input("password") == nil {
				t.Fatalf("reset link: %d, alert %q", res.status, res.alert())
			}
			if v, _ := res.html().form("/wachtwoord-herstellen").hidden("token"); v != link.Query().Get("token") {
				t.Errorf("the form carries token %q", v)
			}
		})
		t.Run("SetPassword", func(t *testing.T) {
			c := k.client()
			res := c.post(t, "/wachtwoord-herstellen", url.Values{"token": {link.Query().Get("token")}, "password": {newPassword}, "password2": {newPassword}})
			if res.status != http.StatusSeeOther || res.location() != "/inloggen" {
				t.Fatalf("reset: %d to %q; %s", res.status, res.location(), res.fieldError("password"))
			}
			if res := c.get(t, "/inloggen"); res.flash() != k.t("flash.password_reset") {
				t.Errorf("login page says %q", res.flash())
			}
			if k.mails(t)[0].Subject != k.t("mail.password_changed.subject") {
				t.Errorf("no notice of the change; newest mail %q", k.mails(t)[0].Subject)
			}
			// Every session ended with the reset.
			if res := other.get(t, "/account"); res.status != http.StatusSeeOther {
				t.Errorf("a session from before the reset still works: %d", res.status)
			}
			res = k.client().post(t, "/inloggen", url.Values{"email": {resident}, "password": {seed.Password}})
			if res.alert() != k.t("error.login_failed") {
				t.Errorf("old password: alert %q", res.alert())
			}
			k.client().login(t, resident, newPassword)
		})
		t.Run("LinkWorksOnce", func(t *testing.T) {
			res := k.client().get(t, link.RequestURI())
			if res.alert() != k.t("error.link_invalid") || res.html().input("password") != nil {
				t.Errorf("used link: alert %q, form shown %v", res.alert(), res.html().input("password") != nil)
			}
			res = k.client().post(t, "/wachtwoord-herstellen", url.Values{"token": {link.Query().Get("token")}, "password": {"zomer fiets koffie boom"}, "password2": {"zomer fiets koffie boom"}})
			if res.status != http.StatusUnprocessableEntity || res.alert() != k.t("error.link_invalid") {
				t.Errorf("used link posted: %d, alert %q", res.status, res.alert())
			}
			k.client().login(t, resident, newPassword)
		})
	})
}
