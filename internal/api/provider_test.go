package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestAPI_Providers(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		k := newMarketKit(t, db)
		ctx := context.Background()
		linie := k.schuldhulp.ProviderOrgID
		// A change awaiting approval stays private.
		piet, err := db.FindPersonByEmail(ctx, "piet@delinie.example")
		if err != nil {
			t.Fatal(err)
		}
		c := k.schuldhulp.Content
		c.Title = "Geheime nieuwe titel"
		if _, err := k.market.UpdateOffering(ctx, &piet, k.schuldhulp.ID, k.schuldhulp.Version, c, true); err != nil {
			t.Fatal(err)
		}
		// Two more providers in Woerden, one elsewhere, and an organisation that is no provider.
		sqltest.Organisation(t, db, "Aanbieder Alfa", k.woerden)
		sqltest.Organisation(t, db, "Zorg Zuid", k.woerden)
		elsewhere := sqltest.Municipality(t, db, "oudewater")
		sqltest.Organisation(t, db, "Alleen Oudewater", elsewhere)
		isd := tenant.Organisation{ID: id.New(), Name: "ISD Woerden", Kind: tenant.OrgISD, MunicipalityIDs: []string{k.woerden.ID}, CreatedAt: sqltest.Epoch}
		if err := db.CreateOrganisation(ctx, &isd); err != nil {
			t.Fatal(err)
		}
		get := func(path string) request { return request{method: "GET", path: path} }
		for _, sc := range []scenario{
			{name: "List", request: get("/api/v1/providers?municipality=woerden"), status: http.StatusOK,
				contains: []string{`"total":3`, `"name":"Stichting De Linie"`, `"email":"info@delinie.example"`, `"name":"Aanbieder Alfa"`, `"page":1`, `"pageSize":20`},
				excludes: []string{"Alleen Oudewater", "ISD Woerden", "piet@"}},
			{name: "Page", request: get("/api/v1/providers?municipality=woerden&pageSize=1&page=2"), status: http.StatusOK,
				contains: []string{`"total":3`, `"name":"Stichting De Linie"`, `"page":2`}, excludes: []string{"Aanbieder Alfa", "Zorg Zuid"}},
			{name: "PageBeyond", request: get("/api/v1/providers?municipality=woerden&page=9"), status: http.StatusOK,
				contains: []string{`"providers":[]`, `"total":3`}},
			{name: "PageSizeTooBig", request: get("/api/v1/providers?municipality=woerden&pageSize=101"), status: http.StatusBadRequest,
				contains: []string{`"name":"pageSize"`}},
			{name: "MunicipalityRequired", request: get("/api/v1/providers"), status: http.StatusBadRequest, contains: []string{"municipality"}},
			{name: "UnknownMunicipality", request: get("/api/v1/providers?municipality=atlantis"), status: http.StatusBadRequest,
				contains: []string{`"name":"municipality"`}},
			{name: "Show", request: get("/api/v1/providers/" + linie), status: http.StatusOK,
				contains: []string{`"name":"Stichting De Linie"`, `"phone":"0348 123 456"`, k.schuldhulp.ID, `"title":"Hulp bij schulden"`, k.maaltijd.ID},
				excludes: []string{k.draft.ID, "Geheim", "piet@"}},
			{name: "ShowNotProvider", request: get("/api/v1/providers/" + isd.ID), status: http.StatusNotFound},
			{name: "ShowUnknown", request: get("/api/v1/providers/01hzx3k5m7q9s1v3x5z7b9d1f3"), status: http.StatusNotFound},
		} {
			k.check(t, sc)
		}
	})
}
