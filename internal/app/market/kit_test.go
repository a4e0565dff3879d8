package market_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// kit is a marketplace with two municipalities, two providers and the
// people who act on it.
type kit struct {
	db                      *sqlstore.DB
	clock                   *clock.Fake
	svc                     *market.Service
	woerden, oudewater      tenant.Municipality
	groeneHart, linie       tenant.Organisation // providers: Groene Hart works in both, De Linie in Woerden
	groeneHartAdmin         identity.Person     // provider admin of Groene Hart
	linieAdmin              identity.Person     // provider admin of De Linie
	woerdenAdmin, oudeAdmin identity.Person     // municipality admins
	woerdenConsultant       identity.Person
	resident                identity.Person
	cat                     map[string]market.Category // Woerden's categories by slug
	oudeCat                 map[string]market.Category // Oudewater's categories by slug
}

func newKit(t *testing.T, db *sqlstore.DB) *kit {
	t.Helper()
	k := &kit{db: db, clock: clock.NewFake(sqltest.Epoch)}
	k.svc = market.NewService(db, k.clock, market.Options{})
	k.woerden = sqltest.Municipality(t, db, "woerden")
	k.oudewater = sqltest.Municipality(t, db, "oudewater")
	k.groeneHart = sqltest.Organisation(t, db, "Thuiszorg Het Groene Hart", k.woerden, k.oudewater)
	k.linie = sqltest.Organisation(t, db, "Stichting De Linie", k.woerden)
	providerAdmin := func(email string, org tenant.Organisation) identity.Person {
		return sqltest.Person(t, db, sqltest.PersonSpec{Email: email, TOTP: true, Roles: []identity.RoleAssignment{
			{Role: identity.RoleProviderAdmin, MunicipalityID: org.MunicipalityIDs[0], OrganisationID: org.ID}}})
	}
	k.groeneHartAdmin = providerAdmin("eva@groenehart.example", k.groeneHart)
	k.linieAdmin = providerAdmin("piet@delinie.example", k.linie)
	k.woerdenAdmin = sqltest.Staff(t, db, k.woerden, identity.RoleTenantAdmin, "beheer@woerden.example")
	k.oudeAdmin = sqltest.Staff(t, db, k.oudewater, identity.RoleTenantAdmin, "beheer@oudewater.example")
	k.woerdenConsultant = sqltest.Staff(t, db, k.woerden, identity.RoleConsultant, "consulent@woerden.example")
	k.resident = sqltest.Citizen(t, db, k.woerden, "anna@example.nl")
	k.cat = k.categories(t, k.woerden)
	k.oudeCat = k.categories(t, k.oudewater)
	return k
}

// categories makes a municipality's tree: top-level categories with a
// few sub-categories.
func (k *kit) categories(t *testing.T, m tenant.Municipality) map[string]market.Category {
	t.Helper()
	out := map[string]market.Category{}
	for _, c := range []struct{ name, parent string }{
		{"Wonen en huishouden", ""}, {"Huishoudelijke hulp", "wonen-en-huishouden"}, {"Maaltijden", "wonen-en-huishouden"},
		{"Woningaanpassing", "wonen-en-huishouden"},
		{"Geld en schulden", ""}, {"Schuldhulp", "geld-en-schulden"}, {"Thuisadministratie", "geld-en-schulden"},
		{"Meedoen", ""}, {"Dagbesteding", "meedoen"}, {"Eenzaamheid", "meedoen"}, {"Taal", "meedoen"},
		{"Mantelzorg", ""}, {"Vervoer", ""}, {"Jeugd en gezin", ""}, {"Gezondheid en bewegen", ""},
	} {
		cat := market.Category{MunicipalityID: m.ID, Name: c.name}
		if c.parent != "" {
			cat.ParentID = out[c.parent].ID
		}
		got, err := k.svc.CreateCategory(context.Background(), nil, cat)
		if err != nil {
			t.Fatalf("kit: category %q: %v", c.name, err)
		}
		out[got.Slug] = got
	}
	return out
}

// content returns valid content for an offering of Groene Hart in
// Woerden, to change per test.
func (k *kit) content(title string) market.Content {
	return market.Content{
		MunicipalityIDs: []string{k.woerden.ID},
		CategoryIDs:     []string{k.cat["huishoudelijke-hulp"].ID},
		Title:           title,
		Summary:         "Een korte samenvatting.",
		Description:     "Een beschrijving in eenvoudige taal.",
		HowToRequest:    "Bel ons of vraag het aan via deze website.",
		CostType:        market.CostFree,
		Kind:            market.KindProfessional,
	}
}

// publish creates an offering for org as its admin and has it approved
// by admin.
func (k *kit) publish(t *testing.T, providerAdmin identity.Person, org tenant.Organisation, c market.Content, approver identity.Person) market.Offering {
	t.Helper()
	ctx := context.Background()
	o, err := k.svc.CreateOffering(ctx, &providerAdmin, org.ID, c, true)
	if err != nil {
		t.Fatalf("kit: create offering %q: %v", c.Title, err)
	}
	o, err = k.svc.Approve(ctx, &approver, o.ID, o.Version)
	if err != nil {
		t.Fatalf("kit: approve offering %q: %v", c.Title, err)
	}
	return o
}

// problem is what a person notices of an error.
type problem struct {
	Kind   errs.Kind
	Key    string
	Fields map[string]string
}

func wantProblem(t *testing.T, err error, want problem) {
	t.Helper()
	if err == nil {
		t.Fatalf("error = nil, want %+v", want)
	}
	got := problem{Kind: errs.KindOf(err), Key: errs.KeyOf(err), Fields: errs.FieldsOf(err)}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("error %v (-want +got):\n%s", err, diff)
	}
}

func invalid(fields map[string]string) problem {
	return problem{Kind: errs.Invalid, Key: "error.invalid", Fields: fields}
}

var (
	forbidden = problem{Kind: errs.Forbidden, Key: "error.forbidden"}
	notFound  = problem{Kind: errs.NotFound, Key: "error.not_found"}
	changed   = problem{Kind: errs.Conflict, Key: "error.market.changed"}
)

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// titles returns the titles of the hits.
func titles(r market.Results) []string {
	out := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.Offering.Title
	}
	return out
}

// search runs q as actor (nil: anonymous) and fails the test on an error.
func (k *kit) search(t *testing.T, actor *identity.Person, q market.Query) market.Results {
	t.Helper()
	r, err := k.svc.Search(context.Background(), actor, q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	return r
}

// hours are opening hours from 9:00 to 17:00 on weekdays.
var officeHours = market.Weekdays(9*60, 17*60)

var _ = time.Second
