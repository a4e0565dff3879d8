package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

const consultant = "consulent@demo.inwonercloud.nl" // Daan Visser, consultant in Woerden

func TestAdminMandate(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		ctx := context.Background()
		woerden := k.muni["woerden"]
		child := sqltest.Person(t, db, sqltest.PersonSpec{Email: "kees@example.nl", Name: "Kees de Vries", Home: woerden.ID,
			Roles: []identity.RoleAssignment{sqltest.Role(identity.RoleCitizen, woerden)}})
		stored := func() int {
			t.Helper()
			list, err := db.FindMandates(ctx, consent.MandateFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return len(list)
		}
		year := k.clock.Now().Year()
		parent := url.Values{"resident": {child.Email}, "delegate": {resident}, "kind": {"parent"}, "birth_year": {strconv.Itoa(year - 10)},
			"legal_basis": {"Gezag gecontroleerd in het gezagsregister"}, "scope[]": {"story", "consent"}}
		with := func(v url.Values, kv ...string) url.Values {
			c := url.Values{}
			for k, vs := range v {
				c[k] = append([]string(nil), vs...)
			}
			for i := 0; i+1 < len(kv); i += 2 {
				c.Set(kv[i], kv[i+1])
			}
			return c
		}
		without := func(v url.Values, key string) url.Values {
			c := with(v)
			c.Del(key)
			return c
		}

		t.Run("OthersGetNotFound", func(t *testing.T) {
			for _, email := range []string{resident, professional, platformAdmin} {
				c := k.fresh(t, email)
				(scenario{name: email + " show", path: "/beheer/machtigingen", status: http.StatusNotFound, contains: []string{"Pagina niet gevonden"}}).run(t, c)
				(scenario{name: email + " post", method: "POST", path: "/beheer/machtigingen", form: parent, status: http.StatusNotFound}).run(t, c)
				if r := c.get(t, "/"); r.status != 200 || containsText(r, k.t("app.admin_mandates.name")) {
					t.Errorf("%s sees the admin tile", email)
				}
			}
			if n := stored(); n != 0 {
				t.Errorf("%d mandates stored, want 0", n)
			}
		})

		t.Run("NoFreshPassword", func(t *testing.T) {
			c := k.as(t, consultant)
			(scenario{name: "show", path: "/beheer/machtigingen", status: 200, contains: []string{k.t("adminmandate.title")}}).run(t, c)
			(scenario{name: "post", method: "POST", path: "/beheer/machtigingen", form: parent, status: http.StatusSeeOther,
				location: "/bevestig-wachtwoord?terug=%2Fbeheer%2Fmachtigingen"}).run(t, c)
			if n := stored(); n != 0 {
				t.Errorf("%d mandates stored without a fresh password, want 0", n)
			}
		})

		t.Run("BadInput", func(t *testing.T) {
			c := k.fresh(t, consultant)
			for _, tc := range []struct {
				name, field, key string
				form             url.Values
			}{
				{"UnknownResident", "resident", "adminmandate.resident_unknown", with(parent, "resident", "niemand@example.nl")},
				{"ResidentElsewhere", "resident", "adminmandate.resident_unknown", with(parent, "resident", resident2)},
				{"UnknownDelegate", "delegate", "field.delegate.unknown", with(parent, "delegate", "niemand@example.nl")},
				{"NoKind", "kind", "field.mandate_kind.invalid", with(parent, "kind", "")},
				{"NoBirthYear", "birth_year", "field.birth_year.required", with(parent, "birth_year", "")},
				{"AdultBirthYear", "birth_year", "field.birth_year.not_minor", with(parent, "birth_year", strconv.Itoa(year-30))},
				{"NoLegalBasis", "legal_basis", "field.legal_basis.required", with(parent, "kind", "legal_representative", "legal_basis", "")},
				{"NoScope", "scope", "adminmandate.scope_required", without(parent, "scope[]")},
				{"UnknownScope", "scope", "field.scope.unknown", with(parent, "scope[]", "dossier")},
			} {
				t.Run(tc.name, func(t *testing.T) {
					r := (scenario{name: tc.name, method: "POST", path: "/beheer/machtigingen", form: tc.form, status: http.StatusUnprocessableEntity}).run(t, c)
					if got, want := r.fieldError(tc.field), k.t(tc.key); got != want {
						t.Errorf("message at %s: %q, want %q", tc.field, got, want)
					}
					doc := r.html()
					for _, f := range []string{"resident", "delegate", "birth_year", "legal_basis"} {
						if got := doc.input(f).attr("value"); got != tc.form.Get(f) {
							t.Errorf("%s not kept: %q, want %q", f, got, tc.form.Get(f))
						}
					}
				})
			}
			if n := stored(); n != 0 {
				t.Errorf("%d mandates stored, want 0", n)
			}
		})

		t.Run("Parent", func(t *testing.T) {
			c := k.fresh(t, consultant)
			(scenario{name: "tile", path: "/", status: 200, contains: []string{k.t("app.admin_mandates.name")}}).run(t, c)
			(scenario{name: "admin may", path: "/beheer/machtigingen", status: 200}).run(t, k.as(t, tenantAdmin))
			(scenario{name: "register", method: "POST", path: "/beheer/machtigingen", form: parent, status: http.StatusSeeOther, location: "/beheer/machtigingen"}).run(t, c)
			if r := c.get(t, "/beheer/machtigingen"); r.flash() != k.t("flash.adminmandate_registered") {
				t.Errorf("flash %q", r.flash())
			}
			anna := k.person(t, resident)
			held, err := k.consent.MandatesFor(ctx, anna)
			if err != nil {
				t.Fatal(err)
			}
			if len(held) != 1 {
				t.Fatalf("Anna holds %d mandates, want 1", len(held))
			}
			m := held[0]
			adult := time.Date(year-10+consent.AdultAge, 1, 1, 0, 0, 0, 0, time.UTC)
			if m.ResidentID != child.ID || m.Kind != consent.MandateParent || m.ChildBirthYear != year-10 || m.ValidUntil.After(adult) ||
				m.CreatedByID != k.person(t, consultant).ID || len(m.Scope) != 2 {
				t.Errorf("mandate %+v", m)
			}
			// Anna can act for her child.
			(scenario{name: "act for child", method: "POST", path: "/namens", form: url.Values{"resident": {child.ID}}, status: http.StatusSeeOther, location: "/"}).run(t, k.as(t, resident))
		})
	})
}

// containsText reports whether the page text contains s.
func containsText(r *response, s string) bool {
	return r.doc != nil && strings.Contains(r.html().text(), s)
}
