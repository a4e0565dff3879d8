package consent_test

import (
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// TestCategories_AddGranteeRole: a role registered for one category
// reaches grants to its organisation for that category only; the other
// categories' grants still reach only professionals and consultants.
func TestCategories_AddGranteeRole(t *testing.T) {
	t.Parallel()
	cats := categories(t)
	must(t, cats.Register("request", ""))
	must(t, cats.AddGranteeRole("request", identity.RoleProviderAdmin))
	for _, c := range []struct {
		name string
		cat  string
		role identity.Role
	}{
		{"UnknownCategory", "nothing", identity.RoleProviderAdmin},
		{"ConsentCategory", consent.CategoryConsent, identity.RoleProviderAdmin},
		{"PlatformAdmin", "request", identity.RolePlatformAdmin},
		{"Citizen", "request", identity.RoleCitizen},
		{"Delegate", "request", identity.RoleDelegate},
	} {
		if err := cats.AddGranteeRole(c.cat, c.role); err == nil {
			t.Errorf("%s: AddGranteeRole(%q, %q) = nil, want an error", c.name, c.cat, c.role)
		}
	}

	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		w := newWorld(t, db)
		opts := consent.Options{Categories: cats}
		svc, rec := at(t, db, t0, opts)
		ctx := t.Context()
		// anna shares her requests with Zorg A; w.gOrg already shares her story with it.
		g, err := svc.Grant(ctx, w.anna, consent.NewGrant{GranteeOrgID: w.zorgA.ID, Categories: []string{"request"},
			Permission: consent.PermissionRead, Purpose: consent.PurposeCareDelivery})
		must(t, err)
		rec.take()

		read := func(p identity.Person, cat string) consent.Decision {
			t.Helper()
			d, err := svc.Decide(ctx, p, "", w.anna.ID, consent.Request{Category: cat, Action: "read"})
			must(t, err)
			return d
		}
		d := read(w.providerAdmin, "request")
		if !d.Allowed || d.Basis != consent.BasisConsent || d.GrantID != g.ID || d.Role != identity.RoleProviderAdmin || d.OrganisationID != w.zorgA.ID {
			t.Errorf("provider admin of Zorg A reading requests: %+v, want allowed by grant %s as provider_admin of Zorg A", d, g.ID)
		}
		if d := read(w.providerAdmin, "story"); d.Allowed {
			t.Errorf("provider admin of Zorg A reading the story shared with Zorg A: allowed (%+v), want denied", d)
		}
		if d := read(w.profOrg, "request"); !d.Allowed || d.Role != identity.RoleProfessional {
			t.Errorf("professional of Zorg A reading requests: %+v, want allowed as professional", d)
		}
		if d := read(w.profOther, "request"); d.Allowed {
			t.Errorf("professional of Zorg B reading requests shared with Zorg A: allowed (%+v)", d)
		}
		// Another service with the default registry (no extra roles) keeps
		// the old table: a provider admin reaches nothing.
		plain, _ := at(t, db, t0, consent.Options{Categories: func() *consent.Categories {
			c := categories(t)
			must(t, c.Register("request", ""))
			return c
		}()})
		if d, err := plain.Decide(ctx, w.providerAdmin, "", w.anna.ID, consent.Request{Category: "request", Action: "read"}); err != nil || d.Allowed {
			t.Errorf("without AddGranteeRole: %+v, %v; want denied", d, err)
		}
		// The grantee's own overview still counts only GranteeRoles.
		list, err := svc.GrantsTo(ctx, w.providerAdmin)
		must(t, err)
		if len(list) != 0 {
			t.Errorf("GrantsTo(provider admin) = %d grants, want none", len(list))
		}
	})
}
