package market_test

import (
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// TestService_RatingsChanged: a cached results page keeps the ratings it
// was made with, until RatingsChanged drops the cache.
func TestService_RatingsChanged(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		a := k.publish(t, k.groeneHartAdmin, k.groeneHart, k.content("Hulp in de huishouding"), k.woerdenAdmin)
		b := k.publish(t, k.linieAdmin, k.linie, k.content("Maatjesproject"), k.woerdenAdmin)
		ratings := fakeRatings{a.ID: {Count: 20, Average: 4.5}}
		svc := market.NewService(db, k.clock, market.Options{Ratings: ratings})
		q := market.Query{MunicipalityID: k.woerden.ID, Sort: market.SortRating}
		first := func() (string, market.Rating) {
			t.Helper()
			r, err := svc.Search(t.Context(), nil, q)
			must(t, err)
			if len(r.Hits) != 2 {
				t.Fatalf("hits %v", titles(r))
			}
			return r.Hits[0].Offering.ID, r.Hits[0].Rating
		}
		if id, _ := first(); id != a.ID {
			t.Fatalf("first %s, want %q", id, a.Title)
		}
		ratings[b.ID] = market.Rating{Count: 40, Average: 4.9}
		// The same query at the same time answers from the cache: the
		// old order (this shows the cache is there, so the next step is
		// a real test).
		if id, _ := first(); id != a.ID {
			t.Fatalf("the cache is gone: first %s", id)
		}
		svc.RatingsChanged()
		if id, r := first(); id != b.ID || r != ratings[b.ID] {
			t.Errorf("after RatingsChanged first %s with %+v, want %q with %+v", id, r, b.Title, ratings[b.ID])
		}
	})
}
