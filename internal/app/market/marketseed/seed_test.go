package marketseed_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/app/market/marketseed"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// TestSeed: the same seed gives the same catalogue, every offering is
// valid and published, and searching it finds what a resident expects.
func TestSeed(t *testing.T) {
	t.Parallel()
	catalogue := func() []string {
		db := sqltest.Open(t, "sqlite")
		munis := []tenant.Municipality{sqltest.Municipality(t, db, "woerden"), sqltest.Municipality(t, db, "oudewater")}
		rep, err := marketseed.Seed(t.Context(), db, sqltest.Epoch, munis, 600, 7)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Offerings != 600 || rep.Providers != 10 || rep.Categories != 2*21 {
			t.Errorf("report %+v", rep)
		}
		svc := market.NewService(db, clock.NewFake(sqltest.Epoch), market.Options{})
		all, err := svc.Search(t.Context(), nil, market.Query{PageSize: market.MaxPageSize})
		if err != nil || all.Total != 600 {
			t.Fatalf("published: %d, %v", all.Total, err)
		}
		r, err := svc.Search(t.Context(), nil, market.Query{Text: "huishoudelijke hulp", MunicipalityID: munis[0].ID})
		if err != nil || len(r.Hits) == 0 {
			t.Fatalf("huishoudelijke hulp: %v", err)
		}
		for _, h := range r.Hits[:min(5, len(r.Hits))] {
			if !strings.Contains(strings.ToLower(h.Offering.Title+h.Offering.Summary), "hu") {
				t.Errorf("huishoudelijke hulp finds %q", h.Offering.Title)
			}
		}
		var titles []string
		for p := 1; p <= all.Pages(); p++ {
			r, err := svc.Search(t.Context(), nil, market.Query{Page: p, PageSize: market.MaxPageSize})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range r.Hits {
				titles = append(titles, h.Offering.Title+"|"+h.Offering.Description)
			}
		}
		slices.Sort(titles) // equal titles are ordered by their random ids
		return titles
	}
	a, b := catalogue(), catalogue()
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Errorf("two runs with the same seed differ")
	}
}
