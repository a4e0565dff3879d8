package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// staffRow returns the row of the staff table that mentions email.
func staffRow(res *response, email string) *node {
	return res.html().first(func(n *node) bool { return n.tag == "tr" && strings.Contains(n.text(), email) })
}

func TestAdmin_Staff(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel() // the databases side by side
		k := newKit(t, db)
		admin := k.as(t, tenantAdmin)
		woerden := k.muni["woerden"].ID

		t.Run("List", func(t *testing.T) {
			res := admin.get(t, "/beheer/medewerkers")
			if res.status != http.StatusOK || res.h1() != k.t("staff.title") {
				t.Fatalf("staff page: %d %q", res.status, res.h1())
			}
			text := res.text()
			for _, want := range []string{"Carla Bakker", "Daan Visser", "Hanna Peters", "Sociaal Team Woerden"} {
				if !strings.Contains(text, want) {
					t.Errorf("staff page does not show %q", want)
				}
			}
			// Residents and the platform admin are not staff of Woerden.
			for _, not := range []string{"Anna de Vries", "Jan Hoekstra", "Ivo Dekker"} {
				if strings.Contains(text, not) {
					t.Errorf("staff page shows %q", not)
				}
			}
			if res := admin.get(t, "/"); res.html().first(func(n *node) bool { return n.tag == "a" && n.attr("href") == "/beheer/medewerkers" }) == nil {
				t.Errorf("the start page has no link to the staff page for the admin")
			}
		})

		t.Run("Invite", func(t *testing.T) {
			before := k.counts(t)
			res := admin.post(t, "/beheer/medewerkers", url.Values{
				"name": {"Els Kok"}, "email": {"els@example.nl"}, "role": {"consultant"}, "organisation": {k.orgs["team"].ID},
			})
			if res.status != http.StatusSeeOther || res.location() != "/beheer/medewerkers" {
				t.Fatalf("invite: %d to %q; alert %q", res.status, res.location(), res.alert())
			}
			after := k.counts(t)
			if after.persons != before.persons+1 || after.roles != before.roles+1 || after.mails != before.mails+1 {
				t.Errorf("counts %+v → %+v", before, after)
			}
			p := k.person(t, "els@example.nl")
			if len(p.Roles) != 1 || p.Roles[0].Role != identity.RoleConsultant || p.Roles[0].MunicipalityID != woerden || p.Roles[0].OrganisationID != k.orgs["team"].ID {
				t.Errorf("stored roles %+v", p.Roles)
			}
			if m := k.mails(t)[0]; m.To != "els@example.nl" || m.Subject != k.t("mail.invite.subject") {
				t.Errorf("mail %q to %q", m.Subject, m.To)
			}
			res = admin.get(t, "/beheer/medewerkers")
			if res.flash() != k.t("flash.staff_added") {
				t.Errorf("flash %q", res.flash())
			}
			if row := staffRow(res, "els@example.nl"); row == nil || !strings.Contains(row.text(), k.t("staff.mfa_pending")) {
				t.Errorf("the new member is not listed as waiting for a second factor")
			}
		})

		t.Run("InviteExistingAccount", func(t *testing.T) {
			before := k.counts(t)
			res := admin.post(t, "/beheer/medewerkers", url.Values{"name": {"Carla Bakker"}, "email": {professional}, "role": {"moderator"}})
			if res.status != http.StatusSeeOther {
				t.Fatalf("add a role: %d %q", res.status, res.alert())
			}
			if after := k.counts(t); after.persons != before.persons || after.roles != before.roles+1 {
				t.Errorf("counts %+v → %+v, want one role more", before, after)
			}
			if m := k.mails(t)[0]; m.To != professional || m.Subject != k.t("mail.role_changed.subject") {
				t.Errorf("mail %q to %q", m.Subject, m.To)
			}
			res = admin.post(t, "/beheer/medewerkers", url.Values{"name": {"Carla Bakker"}, "email": {professional}, "role": {"moderator"}})
			if res.status != http.StatusUnprocessableEntity || res.fieldError("role") != k.t("field.role.held") {
				t.Errorf("the same role twice: %d %q", res.status, res.fieldError("role"))
			}
		})

		t.Run("RemoveRole", func(t *testing.T) {
			carla := k.as(t, professional)
			p := k.person(t, professional)
			var roleID string
			for _, r := range p.Roles {
				if r.Role == identity.RoleProfessional {
					roleID = r.ID
				}
			}
			res := admin.post(t, "/beheer/medewerkers/"+p.ID+"/rollen/"+roleID+"/verwijderen", nil)
			if res.status != http.StatusSeeOther {
				t.Fatalf("remove: %d", res.status)
			}
			if res := admin.get(t, "/beheer/medewerkers"); res.flash() != k.t("flash.role_removed") {
				t.Errorf("flash %q", res.flash())
			}
			if k.person(t, professional).Has(identity.RoleProfessional) {
				t.Errorf("the role is still stored")
			}
			if res := carla.get(t, "/account"); res.status != http.StatusSeeOther {
				t.Errorf("fewer rights did not end the member's session: %d", res.status)
			}
		})

		t.Run("CannotRemoveOwnAdminRole", func(t *testing.T) {
			p := k.person(t, tenantAdmin)
			res := admin.post(t, "/beheer/medewerkers/"+p.ID+"/rollen/"+p.Roles[0].ID+"/verwijderen", nil)
			if res.status != http.StatusSeeOther {
				t.Fatalf("remove own: %d", res.status)
			}
			if res := admin.get(t, "/beheer/medewerkers"); res.flash() != k.t("flash.remove_own_admin") {
				t.Errorf("flash %q", res.flash())
			}
			if !k.person(t, tenantAdmin).Has(identity.RoleTenantAdmin) {
				t.Errorf("the admin removed their own admin role")
			}
		})

		t.Run("OthersGetNotFound", func(t *testing.T) {
			jan := k.person(t, resident2)
			for _, email := range []string{resident, "consulent@demo.inwonercloud.nl", platformAdmin} {
				c := k.as(t, email)
				before := k.counts(t)
				for _, sc := range []scenario{
					{name: "show", path: "/beheer/medewerkers", status: http.StatusNotFound, contains: []string{"Pagina niet gevonden"}},
					{name: "invite", method: http.MethodPost, path: "/beheer/medewerkers", form: url.Values{"name": {"X"}, "email": {"x@example.nl"}, "role": {"tenant_admin"}}, status: http.StatusNotFound},
					{name: "remove", method: http.MethodPost, path: "/beheer/medewerkers/" + jan.ID + "/rollen/" + jan.Roles[0].ID + "/verwijderen", status: http.StatusNotFound},
				} {
					sc.run(t, c)
				}
				if after := k.counts(t); after != before {
					t.Errorf("%s changed the store: %+v → %+v", email, before, after)
				}
			}
		})
	})
}

func TestAdmin_Municipalities(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel() // the databases side by side
		k := newKit(t, db)
		admin := k.as(t, platformAdmin)

		res := admin.get(t, "/beheer/gemeenten")
		if res.status != http.StatusOK || !strings.Contains(res.text(), "Woerden") || !strings.Contains(res.text(), "Oudewater") {
			t.Fatalf("municipalities page: %d %s", res.status, res.text())
		}
		if res := admin.get(t, "/"); res.html().first(func(n *node) bool { return n.tag == "a" && n.attr("href") == "/beheer/gemeenten" }) == nil {
			t.Errorf("the start page has no link to the municipalities page for the platform admin")
		}

		res = admin.post(t, "/beheer/gemeenten", url.Values{"name": {"Montfoort"}, "slug": {" Montfoort "}, "host": {"montfoort.example.nl"}, "theme": {"default"}})
		if res.status != http.StatusSeeOther || res.location() != "/beheer/gemeenten" {
			t.Fatalf("create: %d to %q; %s", res.status, res.location(), res.text())
		}
		m, err := k.tenants.MunicipalityBySlug(context.Background(), "montfoort")
		if err != nil || m.Name != "Montfoort" || m.Host != "montfoort.example.nl" {
			t.Fatalf("stored: %+v %v", m, err)
		}
		res = admin.get(t, "/beheer/gemeenten")
		if res.flash() != k.t("flash.municipality_added") || !strings.Contains(res.text(), "montfoort.example.nl") {
			t.Errorf("after create: flash %q", res.flash())
		}

		// The host name now selects the municipality for visitors.
		req, _ := http.NewRequest(http.MethodGet, k.base+"/", nil)
		req.Host = "montfoort.example.nl"
		if res := k.client().do(t, req); !strings.Contains(res.html().first(func(n *node) bool { return n.tag == "header" }).text(), "Montfoort") {
			t.Errorf("the page for host montfoort.example.nl does not name Montfoort")
		}

		for _, email := range []string{tenantAdmin, resident} {
			c := k.as(t, email)
			before := k.counts(t)
			scenario{name: "show", path: "/beheer/gemeenten", status: http.StatusNotFound, contains: []string{"Pagina niet gevonden"}}.run(t, c)
			scenario{name: "create", method: http.MethodPost, path: "/beheer/gemeenten", form: url.Values{"name": {"Nep"}, "slug": {"nep"}, "theme": {"default"}}, status: http.StatusNotFound}.run(t, c)
			if after := k.counts(t); after != before {
				t.Errorf("%s changed the store: %+v → %+v", email, before, after)
			}
		}
	})
}
