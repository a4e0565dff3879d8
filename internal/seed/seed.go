// Package seed fills an empty database with the demo: the municipalities
// Woerden and Oudewater, their organisations, and one account for every
// role. It runs only for the demo command, never for serve.
package seed

import (
	"context"
	"fmt"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

// Password is the password of every demo account. It is public: it is
// printed in the README and on the demo's login page.
const Password = "Inwonercloud-demo-2026"

// TOTPSecret is the authenticator secret of every demo staff account.
const TOTPSecret = "IC5DEMO7STAFF2FACTOR3KEY4WOERDEN"

// Account is one demo account.
type Account struct {
	Email string
	Name  string
	Role  identity.Role
	Org   string // key into the organisations below
	Home  string // municipality slug
}

// Accounts lists the demo accounts, one per role.
var Accounts = []Account{
	{"inwoner@demo.inwonercloud.nl", "Anna de Vries", identity.RoleCitizen, "", "woerden"},
	{"mantelzorger@demo.inwonercloud.nl", "Bram de Vries", identity.RoleDelegate, "", "woerden"},
	{"hulpverlener@demo.inwonercloud.nl", "Carla Bakker", identity.RoleProfessional, "team", "woerden"},
	{"consulent@demo.inwonercloud.nl", "Daan Visser", identity.RoleConsultant, "isd", "woerden"},
	{"aanbieder@demo.inwonercloud.nl", "Eva Smit", identity.RoleProviderAdmin, "provider1", "woerden"},
	{"redacteur@demo.inwonercloud.nl", "Fleur de Boer", identity.RoleEditor, "isd", "woerden"},
	{"moderator@demo.inwonercloud.nl", "Gijs Mulder", identity.RoleModerator, "isd", "woerden"},
	{"beheer@demo.inwonercloud.nl", "Hanna Peters", identity.RoleTenantAdmin, "", "woerden"},
	{"platform@demo.inwonercloud.nl", "Ivo Dekker", identity.RolePlatformAdmin, "", ""},
	{"inwoner.oudewater@demo.inwonercloud.nl", "Jan Hoekstra", identity.RoleCitizen, "", "oudewater"},
}

type org struct {
	key, name string
	kind      tenant.OrgKind
	kvk       string
	slugs     []string
}

var orgs = []org{
	{"isd", "ISD Woerden-Oudewater", tenant.OrgISD, "", []string{"woerden", "oudewater"}},
	{"team", "Sociaal Team Woerden", tenant.OrgSocialTeam, "", []string{"woerden"}},
	{"team-oudewater", "Sociaal Team Oudewater", tenant.OrgSocialTeam, "", []string{"oudewater"}},
	{"provider1", "Thuiszorg Het Groene Hart", tenant.OrgProvider, "12345678", []string{"woerden", "oudewater"}},
	{"provider2", "Stichting Dagbesteding De Linie", tenant.OrgProvider, "87654321", []string{"woerden"}},
}

// Store is what seeding needs beyond the services: a way to set the demo
// secret and mark it confirmed.
type Store interface {
	FindPersonByEmail(ctx context.Context, email string) (identity.Person, error)
	UpdatePerson(ctx context.Context, p identity.Person) error
}

// Demo seeds the demo data once: when a municipality named woerden exists
// it does nothing. It reports whether it seeded.
func Demo(ctx context.Context, ids *identity.Service, tenants *tenant.Service, store Store) (bool, error) {
	if _, err := tenants.MunicipalityBySlug(ctx, "woerden"); err == nil {
		return false, nil
	} else if !errs.Is(err, errs.NotFound) {
		return false, err
	}
	muni := map[string]tenant.Municipality{}
	for _, m := range []tenant.Municipality{
		{Slug: "woerden", Name: "Woerden", Theme: "woerden"},
		{Slug: "oudewater", Name: "Oudewater", Theme: "oudewater"},
	} {
		created, err := tenants.CreateMunicipality(ctx, nil, m)
		if err != nil {
			return false, fmt.Errorf("seed: municipality %s: %w", m.Slug, err)
		}
		muni[m.Slug] = created
	}
	orgIDs := map[string]string{}
	for _, o := range orgs {
		var mids []string
		for _, s := range o.slugs {
			mids = append(mids, muni[s].ID)
		}
		created, err := tenants.CreateOrganisation(ctx, nil, tenant.Organisation{Name: o.name, Kind: o.kind, KvK: o.kvk, MunicipalityIDs: mids})
		if err != nil {
			return false, fmt.Errorf("seed: organisation %s: %w", o.name, err)
		}
		orgIDs[o.key] = created.ID
	}
	for _, a := range Accounts {
		ra := identity.RoleAssignment{Role: a.Role, OrganisationID: orgIDs[a.Org]}
		if a.Role != identity.RolePlatformAdmin {
			ra.MunicipalityID = muni[a.Home].ID
		}
		p, err := ids.CreatePerson(ctx, identity.NewPerson{
			Email: a.Email, DisplayName: a.Name, Password: Password, HomeMunicipalityID: homeOf(a, muni),
			Locale: "nl", Roles: []identity.RoleAssignment{ra},
		})
		if err != nil {
			return false, fmt.Errorf("seed: account %s: %w", a.Email, err)
		}
		if !a.Role.Staff() {
			continue
		}
		// Staff get the published demo secret, already confirmed, so the
		// demo can be tried without setting up an app first.
		p, err = store.FindPersonByEmail(ctx, p.Email)
		if err != nil {
			return false, err
		}
		now := p.CreatedAt
		p.TOTPSecret, p.TOTPEnabledAt = TOTPSecret, &now
		if err := store.UpdatePerson(ctx, p); err != nil {
			return false, err
		}
	}
	return true, nil
}

// homeOf is a resident's home municipality; staff have none of their own.
func homeOf(a Account, muni map[string]tenant.Municipality) string {
	if a.Role == identity.RoleCitizen || a.Role == identity.RoleDelegate {
		return muni[a.Home].ID
	}
	return ""
}
