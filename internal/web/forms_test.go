package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/seed"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// badUTF8 is what a form body carries when a client sends bytes that are
// not UTF-8; the server shows them as one replacement character.
const (
	badUTF8  = "%ff%fe"
	replaced = "\uFFFD"
)

var (
	longEmail    = strings.Repeat("a", 290) + "@example.nl" // 301 characters
	longName     = strings.Repeat("a", 101)
	longPassword = strings.Repeat("lente fiets ", 11)[:129]
)

// badInput is one wrong form: the body differs from a right one in one
// field, and the page must say so next to that field.
type badInput struct {
	name  string
	set   map[string]string // fields changed from the form's right values; values are sent raw
	field string            // the field that must carry the message
	key   string            // the message key
	kept  *string           // the value the field must show again; nil: the typed value; "" for secrets
}

// formCase is a form with right values and wrong variants.
type formCase struct {
	name   string
	path   string
	client func(t *testing.T) *client
	right  map[string]string
	secret map[string]bool // fields never shown again
	choice map[string]bool
	bad    []badInput
	stored func(t *testing.T) string // a fingerprint of what the form could change
}

// body encodes values, except that a value holding badUTF8 is sent raw.
func body(values map[string]string) string {
	var parts []string
	for k, v := range values {
		if strings.Contains(v, badUTF8) {
			parts = append(parts, url.QueryEscape(k)+"="+v)
			continue
		}
		parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
	}
	return strings.Join(parts, "&")
}

// TestForms_BadInput posts wrong input to every form: each answer is 422
// with the message next to the right field (marked aria-invalid and listed
// in the summary), keeps what was typed (except secrets), and stores
// nothing.
func TestForms_BadInput(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel() // the databases side by side
		k := newKit(t, db)
		ctx := context.Background()
		anon := func(*testing.T) *client { return k.client() }
		as := func(email string) func(t *testing.T) *client {
			var c *client
			return func(t *testing.T) *client {
				if c == nil {
					c = k.as(t, email)
				}
				return c
			}
		}
		pending := func(t *testing.T) *client { return k.as(t, professional, identity.StateSecondFactor) }
		if err := k.identity.RequestPasswordReset(ctx, resident2); err != nil {
			t.Fatal(err)
		}
		resetToken := k.mailLink(t, resident2).Query().Get("token")
		fingerprint := func(email string) func(t *testing.T) string {
			return func(t *testing.T) string {
				p := k.person(t, email)
				return p.DisplayName + "|" + p.Locale + "|" + p.PasswordHash + "|" + p.TOTPSecret
			}
		}
		none := func(*testing.T) string { return "" }
		woerden := k.muni["woerden"].ID

		forms := []formCase{
			{
				name: "Login", path: "/inloggen", client: anon,
				right:  map[string]string{"email": "anna@example.nl", "password": "lente fiets koffie boom"},
				secret: map[string]bool{"password": true}, stored: none,
				bad: []badInput{
					{"EmailEmpty", map[string]string{"email": ""}, "email", "field.email.required", nil},
					{"EmailTooLong", map[string]string{"email": longEmail}, "email", "field.email.too_long", nil},
					{"EmailInvalid", map[string]string{"email": "anna@@example"}, "email", "field.email.invalid", nil},
					{"EmailNotUTF8", map[string]string{"email": badUTF8}, "email", "field.invalid_text", &[]string{replaced}[0]},
					{"PasswordEmpty", map[string]string{"password": ""}, "password", "field.password.required", nil},
				},
			},
			{
				name: "Register", path: "/registreren", client: anon,
				right:  map[string]string{"name": "Piet Jansen", "email": "piet@example.nl", "password": "lente fiets koffie boom", "municipality": woerden},
				secret: map[string]bool{"password": true},
				choice: map[string]bool{"municipality": true},
				stored: none,
				bad: []badInput{
					{"NameEmpty", map[string]string{"name": "  "}, "name", "field.name.required", nil},
					{"NameTooLong", map[string]string{"name": longName}, "name", "field.name.too_long", nil},
					{"NameNotUTF8", map[string]string{"name": "Piet" + badUTF8}, "name", "field.invalid_text", &[]string{"Piet" + replaced}[0]},
					// The page echoes the control character; the test's parser reads it as U+FFFD.
					{"NameControlCharacter", map[string]string{"name": "Piet\x07"}, "name", "field.invalid_text", &[]string{"Piet"}[0]},
					{"EmailEmpty", map[string]string{"email": ""}, "email", "field.email.required", nil},
					{"EmailTooLong", map[string]string{"email": longEmail}, "email", "field.email.too_long", nil},
					{"EmailInvalid", map[string]string{"email": "piet"}, "email", "field.email.invalid", nil},
					{"PasswordEmpty", map[string]string{"password": ""}, "password", "field.password.required", nil},
					{"PasswordShort", map[string]string{"password": "kort"}, "password", "field.password.too_short", nil},
					{"PasswordTooLong", map[string]string{"password": longPassword}, "password", "field.password.too_long", nil},
					{"PasswordCommon", map[string]string{"password": "Wachtwoord2024!"}, "password", "field.password.common", nil},
					{"MunicipalityUnknown", map[string]string{"municipality": "bestaat-niet"}, "municipality", "field.municipality.required", nil},
				},
			},
			{
				name: "Forgot", path: "/wachtwoord-vergeten", client: anon,
				right: map[string]string{"email": "anna@example.nl"}, stored: none,
				bad: []badInput{
					{"EmailEmpty", map[string]string{"email": ""}, "email", "field.email.required", nil},
					{"EmailTooLong", map[string]string{"email": longEmail}, "email", "field.email.too_long", nil},
					{"EmailInvalid", map[string]string{"email": "anna@example"}, "email", "field.email.invalid", nil},
					{"EmailNotUTF8", map[string]string{"email": badUTF8}, "email", "field.invalid_text", &[]string{replaced}[0]},
				},
			},
			{
				name: "Reset", path: "/wachtwoord-herstellen", client: anon,
				right:  map[string]string{"token": resetToken, "password": "lente fiets koffie boom", "password2": "lente fiets koffie boom"},
				secret: map[string]bool{"password": true, "password2": true},
				stored: fingerprint(resident2),
				bad: []badInput{
					{"PasswordEmpty", map[string]string{"password": "", "password2": ""}, "password", "field.password.required", nil},
					{"PasswordShort", map[string]string{"password": "kort", "password2": "kort"}, "password", "field.password.too_short", nil},
					{"PasswordTooLong", map[string]string{"password": longPassword, "password2": longPassword}, "password", "field.password.too_long", nil},
					{"PasswordNotUTF8", map[string]string{"password": badUTF8, "password2": badUTF8}, "password", "field.invalid_text", nil},
					{"Mismatch", map[string]string{"password2": "zomer fiets koffie boom"}, "password2", "field.password.mismatch", nil},
				},
			},
			{
				name: "Account", path: "/account", client: as(resident),
				right: map[string]string{"name": "Anna Bakker", "locale": "nl"}, stored: fingerprint(resident),
				bad: []badInput{
					{"NameEmpty", map[string]string{"name": ""}, "name", "field.name.required", nil},
					{"NameTooLong", map[string]string{"name": longName}, "name", "field.name.too_long", nil},
					{"NameNotUTF8", map[string]string{"name": badUTF8}, "name", "field.invalid_text", &[]string{replaced}[0]},
					{"LocaleUnknown", map[string]string{"locale": "xx"}, "locale", "field.locale.invalid", nil},
				},
				choice: map[string]bool{"locale": true},
			},
			{
				name: "PasswordChange", path: "/account/wachtwoord", client: as(resident),
				right:  map[string]string{"current": seed.Password, "password": "zomer fiets koffie boom", "password2": "zomer fiets koffie boom"},
				secret: map[string]bool{"current": true, "password": true, "password2": true},
				stored: fingerprint(resident),
				bad: []badInput{
					{"CurrentEmpty", map[string]string{"current": ""}, "current", "field.password.required", nil},
					{"CurrentWrong", map[string]string{"current": "niet het wachtwoord"}, "current", "field.password.wrong", nil},
					{"NewShort", map[string]string{"password": "kort", "password2": "kort"}, "password", "field.password.too_short", nil},
					{"NewTooLong", map[string]string{"password": longPassword, "password2": longPassword}, "password", "field.password.too_long", nil},
					{"NewIsEmail", map[string]string{"password": resident, "password2": resident}, "password", "field.password.common", nil},
					{"Mismatch", map[string]string{"password2": "winter fiets koffie boom"}, "password2", "field.password.mismatch", nil},
				},
			},
			{
				name: "StaffInvite", path: "/beheer/medewerkers", client: as(tenantAdmin),
				right:  map[string]string{"name": "Els Kok", "email": "els@example.nl", "role": "consultant", "organisation": ""},
				choice: map[string]bool{"role": true, "organisation": true},
				stored: none,
				bad: []badInput{
					{"NameEmpty", map[string]string{"name": ""}, "name", "field.name.required", nil},
					{"NameTooLong", map[string]string{"name": longName}, "name", "field.name.too_long", nil},
					{"EmailEmpty", map[string]string{"email": ""}, "email", "field.email.required", nil},
					{"EmailInvalid", map[string]string{"email": "els"}, "email", "field.email.invalid", nil},
					{"EmailTooLong", map[string]string{"email": longEmail}, "email", "field.email.too_long", nil},
					{"EmailNotUTF8", map[string]string{"email": "els" + badUTF8 + "@example.nl"}, "email", "field.invalid_text", &[]string{"els" + replaced + "@example.nl"}[0]},
					{"RolePlatformAdmin", map[string]string{"role": "platform_admin"}, "role", "field.role.invalid", nil},
					{"RoleCitizen", map[string]string{"role": "citizen"}, "role", "field.role.invalid", nil},
					{"RoleEmpty", map[string]string{"role": ""}, "role", "field.role.invalid", nil},
					{"OrganisationUnknown", map[string]string{"organisation": "bestaat-niet"}, "organisation", "field.organisation.invalid", nil},
				},
			},
			{
				name: "MunicipalityCreate", path: "/beheer/gemeenten", client: as(platformAdmin),
				right:  map[string]string{"name": "Montfoort", "slug": "montfoort", "host": "", "theme": "default"},
				choice: map[string]bool{"theme": true},
				stored: none,
				bad: []badInput{
					{"NameEmpty", map[string]string{"name": ""}, "name", "field.name.required", nil},
					{"NameTooLong", map[string]string{"name": longName}, "name", "field.name.too_long", nil},
					{"NameNotUTF8", map[string]string{"name": "Mont" + badUTF8}, "name", "field.invalid_text", &[]string{"Mont" + replaced}[0]},
					{"SlugEmpty", map[string]string{"slug": ""}, "slug", "field.slug.invalid", nil},
					{"SlugInvalid", map[string]string{"slug": "Mont foort!"}, "slug", "field.slug.invalid", nil},
					{"SlugTooLong", map[string]string{"slug": strings.Repeat("m", 41)}, "slug", "field.too_long", nil},
					{"SlugTaken", map[string]string{"slug": "woerden"}, "slug", "field.slug.taken", nil},
					{"HostInvalid", map[string]string{"host": "geen host"}, "host", "field.host.invalid", nil},
					{"ThemeUnknown", map[string]string{"theme": "roze"}, "theme", "field.theme.invalid", nil},
				},
			},
			{
				name: "SecondFactor", path: "/inloggen/code", client: pending,
				right: map[string]string{"code": "123456", "terug": "/"}, secret: map[string]bool{"code": true},
				stored: fingerprint(professional),
				bad: []badInput{
					{"CodeEmpty", map[string]string{"code": ""}, "code", "field.code.required", nil},
					{"CodeSpaces", map[string]string{"code": " - "}, "code", "field.code.required", nil},
					{"CodeTooLong", map[string]string{"code": strings.Repeat("1", 41)}, "code", "field.too_long", nil},
					{"CodeNotUTF8", map[string]string{"code": badUTF8}, "code", "field.invalid_text", nil},
					{"CodeWrong", map[string]string{"code": k.wrongCode(t)}, "code", "field.code.wrong", nil},
				},
			},
		}

		for _, fc := range forms {
			t.Run(fc.name, func(t *testing.T) {
				for _, bi := range fc.bad {
					t.Run(bi.name, func(t *testing.T) {
						c := fc.client(t)
						before, stored := k.counts(t), fc.stored(t)
						values := map[string]string{}
						for f, v := range fc.right {
							values[f] = v
						}
						for f, v := range bi.set {
							values[f] = v
						}
						res := c.postRaw(t, fc.path, body(values))
						if res.status != http.StatusUnprocessableEntity {
							t.Fatalf("status %d, want 422; alert %q", res.status, res.alert())
						}
						if got, want := res.fieldError(bi.field), k.t(bi.key); got != want {
							t.Errorf("message next to %s = %q, want %q (%s)", bi.field, got, want, bi.key)
						}
						if res.html().first(func(n *node) bool { return n.tag == "a" && n.attr("href") == "#f-"+bi.field }) == nil {
							t.Errorf("the error summary does not link to #f-%s", bi.field)
						}
						in := res.html().input(bi.field)
						if in == nil {
							t.Fatalf("no form control named %s", bi.field)
						}
						if in.attr("type") != "radio" {
							if in.attr("aria-invalid") != "true" || !strings.Contains(in.attr("aria-describedby"), "f-"+bi.field+"-error") {
								t.Errorf("%s: aria-invalid=%q aria-describedby=%q", bi.field, in.attr("aria-invalid"), in.attr("aria-describedby"))
							}
						}
						for f, v := range values {
							in := res.html().input(f)
							switch {
							case in == nil || fc.choice[f]:
								continue
							case fc.secret[f]:
								if in.attr("value") != "" {
									t.Errorf("secret field %s is sent back", f)
								}
							default:
								want := v
								if f == bi.field && bi.kept != nil {
									want = *bi.kept
								}
								if in.attr("value") != want {
									t.Errorf("field %s shows %q, want what was typed: %q", f, in.attr("value"), want)
								}
							}
						}
						if after := k.counts(t); after != before {
							t.Errorf("stored counts changed: %+v → %+v", before, after)
						}
						if got := fc.stored(t); got != stored {
							t.Errorf("a wrong form changed the account")
						}
					})
				}
			})
		}

		t.Run("ResetLinkStillWorks", func(t *testing.T) {
			// Wrong tries do not spend the link.
			res := k.client().get(t, "/wachtwoord-herstellen?token="+url.QueryEscape(resetToken))
			if res.alert() != "" || res.html().input("password") == nil {
				t.Errorf("after wrong tries the link shows %q", res.alert())
			}
		})
		t.Run("CodeStillPending", func(t *testing.T) {
			// A session waiting for its code stays waiting through wrong input.
			c := pending(t)
			c.postRaw(t, "/inloggen/code", "code=")
			if res := c.get(t, "/inloggen/code"); res.status != http.StatusOK {
				t.Errorf("code page after a wrong try: %d", res.status)
			}
			if res := c.get(t, "/account"); res.status != http.StatusSeeOther {
				t.Errorf("wrong input logged the person in: GET /account %d", res.status)
			}
		})
	})
}
