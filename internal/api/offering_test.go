package api_test

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/api"
	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// marketKit is newKit with the marketplace behind the API: Woerden with a
// few categories, two published offerings and one draft.
type marketKit struct {
	*kit
	market                      *market.Service
	cat                         map[string]market.Category
	schuldhulp, maaltijd, draft market.Offering
}

func newMarketKit(t *testing.T, db *sqlstore.DB) *marketKit {
	t.Helper()
	ctx := context.Background()
	k := &marketKit{kit: &kit{t: t, clock: clock.NewFake(time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)), mail: &fakeMailer{}, log: &logBuffer{}}}
	log := slog.New(slog.NewTextHandler(k.log, nil))
	k.identity = identity.NewService(db, k.clock, k.mail, "https://inwonercloud.example", log)
	k.tenants = tenant.NewService(db, k.clock)
	k.woerden = sqltest.Municipality(t, db, "woerden")
	k.market = market.NewService(db, k.clock, market.Options{})

	org := sqltest.Organisation(t, db, "Stichting De Linie", k.woerden)
	provAdmin := sqltest.Person(t, db, sqltest.PersonSpec{Email: "piet@delinie.example", TOTP: true, Roles: []identity.RoleAssignment{
		{Role: identity.RoleProviderAdmin, MunicipalityID: k.woerden.ID, OrganisationID: org.ID}}})
	admin := sqltest.Staff(t, db, k.woerden, identity.RoleTenantAdmin, "beheer@woerden.example")
	if _, err := k.market.SaveProvider(ctx, &provAdmin, market.Provider{OrganisationID: org.ID, Email: "info@delinie.example", Phone: "0348 123 456"}); err != nil {
		t.Fatal(err)
	}
	k.cat = map[string]market.Category{}
	for _, c := range []struct{ name, parent string }{
		{"Geld en schulden", ""}, {"Schuldhulp", "geld-en-schulden"}, {"Wonen en huishouden", ""}, {"Maaltijden", "wonen-en-huishouden"},
	} {
		cat := market.Category{MunicipalityID: k.woerden.ID, Name: c.name, ParentID: k.cat[c.parent].ID}
		got, err := k.market.CreateCategory(ctx, nil, cat)
		if err != nil {
			t.Fatal(err)
		}
		k.cat[got.Slug] = got
	}
	content := func(title, summary, cat string, cost market.CostType, kind market.Kind) market.Content {
		return market.Content{MunicipalityIDs: []string{k.woerden.ID}, CategoryIDs: []string{k.cat[cat].ID},
			Title: title, Summary: summary, Description: "Uitleg in eenvoudige taal.", HowToRequest: "Bel of mail ons.",
			CostType: cost, Kind: kind, Locations: []market.Location{{Address: "Kerkstraat 1", Postcode: "3441 AB", City: "Woerden",
				Hours: market.Weekdays(9*60, 17*60)}}}
	}
	publish := func(c market.Content) market.Offering {
		o, err := k.market.CreateOffering(ctx, &provAdmin, org.ID, c, true)
		if err != nil {
			t.Fatal(err)
		}
		if o, err = k.market.Approve(ctx, &admin, o.ID, o.Version); err != nil {
			t.Fatal(err)
		}
		return o
	}
	k.schuldhulp = publish(content("Hulp bij schulden", "Een vrijwilliger helpt je met je rekeningen en schulden.", "schuldhulp", market.CostFree, market.KindVolunteer))
	meal := content("Warme maaltijd aan huis", "Elke dag een verse maaltijd bezorgd.", "maaltijden", market.CostPerUnit, market.KindProfessional)
	meal.PriceCents, meal.Unit = 750, "maaltijd"
	k.maaltijd = publish(meal)
	c := content("Geheim conceptaanbod schulden", "Nog niet klaar.", "schuldhulp", market.CostFree, market.KindVolunteer)
	var err error
	if k.draft, err = k.market.CreateOffering(ctx, &provAdmin, org.ID, c, false); err != nil {
		t.Fatal(err)
	}
	k.srv = serve(t, api.Deps{Identity: k.identity, Tenants: k.tenants, Catalog: catalog(t), Log: log,
		BaseURL: "https://inwonercloud.example", Market: k.market})
	return k
}

func TestAPI_Offerings(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		k := newMarketKit(t, db)
		get := func(path string) request { return request{method: "GET", path: path} }
		for _, sc := range []scenario{
			{name: "SearchDutch", request: get("/api/v1/offerings?municipality=woerden&q=schulden"), status: http.StatusOK,
				contains: []string{k.schuldhulp.ID, `"total":1`, `"providerName":"Stichting De Linie"`, `"relaxed":false`},
				excludes: []string{k.maaltijd.ID, k.draft.ID}},
			{name: "All", request: get("/api/v1/offerings?municipality=woerden"), status: http.StatusOK,
				contains: []string{k.schuldhulp.ID, k.maaltijd.ID, `"total":2`, `"page":1`, `"pageSize":20`}, excludes: []string{k.draft.ID}},
			{name: "CategoryParentSlug", request: get("/api/v1/offerings?municipality=woerden&category=geld-en-schulden"), status: http.StatusOK,
				contains: []string{k.schuldhulp.ID}, excludes: []string{k.maaltijd.ID}},
			{name: "CategoryID", request: get("/api/v1/offerings?municipality=woerden&category=" + k.cat["maaltijden"].ID), status: http.StatusOK,
				contains: []string{k.maaltijd.ID}, excludes: []string{k.schuldhulp.ID}},
			{name: "CostTypeRepeated", request: get("/api/v1/offerings?municipality=woerden&costType=price_per_unit&costType=own_budget"), status: http.StatusOK,
				contains: []string{k.maaltijd.ID}, excludes: []string{k.schuldhulp.ID}},
			{name: "Kind", request: get("/api/v1/offerings?municipality=woerden&kind=volunteer"), status: http.StatusOK,
				contains: []string{k.schuldhulp.ID}, excludes: []string{k.maaltijd.ID}},
			{name: "OpenNow", request: get("/api/v1/offerings?municipality=woerden&openNow=true"), status: http.StatusOK,
				contains: []string{`"total":2`}},
			{name: "Distance", request: get("/api/v1/offerings?municipality=woerden&postcode=3441AB&distanceKm=5&sort=distance"), status: http.StatusOK,
				contains: []string{`"total":2`, `"distanceKm":`}},
			{name: "PageTwo", request: get("/api/v1/offerings?municipality=woerden&pageSize=1&page=2"), status: http.StatusOK,
				contains: []string{`"total":2`, `"page":2`, `"pageSize":1`}},
			{name: "PageSizeMax", request: get("/api/v1/offerings?municipality=woerden&pageSize=50"), status: http.StatusOK,
				contains: []string{`"pageSize":50`}},
			{name: "PageSizeTooBig", request: get("/api/v1/offerings?municipality=woerden&pageSize=51"), status: http.StatusBadRequest,
				contains: []string{`"invalidParams"`, `"name":"pageSize"`}},
			{name: "PageNegative", request: get("/api/v1/offerings?municipality=woerden&page=-1"), status: http.StatusBadRequest,
				contains: []string{`"name":"page"`}},
			{name: "BadFilters", request: get("/api/v1/offerings?municipality=woerden&costType=duur&kind=robot&sort=random&distanceKm=5"), status: http.StatusBadRequest,
				contains: []string{`"name":"costType"`, `"name":"kind"`, `"name":"sort"`, `"name":"postcode"`}},
			{name: "UnknownMunicipality", request: get("/api/v1/offerings?municipality=atlantis"), status: http.StatusBadRequest,
				contains: []string{`"name":"municipality"`}},
			{name: "UnknownCategory", request: get("/api/v1/offerings?municipality=woerden&category=nergens"), status: http.StatusBadRequest,
				contains: []string{`"name":"category"`}},
			{name: "MunicipalityRequired", request: get("/api/v1/offerings"), status: http.StatusBadRequest,
				contains: []string{`"invalidParams"`, `municipality`}},
			{name: "Show", request: get("/api/v1/offerings/" + k.schuldhulp.ID), status: http.StatusOK,
				contains: []string{`"title":"Hulp bij schulden"`, `"email":"info@delinie.example"`, `"phone":"0348 123 456"`,
					`"opens":"09:00"`, `"closes":"17:00"`, `"city":"Woerden"`, `"lastCheckedAt":`, `"costType":"free"`}},
			{name: "ShowDraft", request: get("/api/v1/offerings/" + k.draft.ID), status: http.StatusNotFound, excludes: []string{"Geheim"}},
			{name: "ShowUnknown", request: get("/api/v1/offerings/01hzx3k5m7q9s1v3x5z7b9d1f3"), status: http.StatusNotFound},
			{name: "Categories", request: get("/api/v1/municipalities/woerden/categories"), status: http.StatusOK,
				contains: []string{`"slug":"geld-en-schulden"`, `"parentId":"` + k.cat["geld-en-schulden"].ID + `"`, `"depth":1`}},
			{name: "CategoriesUnknown", request: get("/api/v1/municipalities/atlantis/categories"), status: http.StatusNotFound},
		} {
			k.check(t, sc)
		}
	})
}
