package market_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// keysOf maps hits back to corpus keys.
func keysOf(r market.Results, ids map[string]string) []string {
	byID := map[string]string{}
	for k, id := range ids {
		byID[id] = k
	}
	out := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = byID[h.Offering.ID]
	}
	return out
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

// TestSearch_Quality: a resident's Dutch queries return the right
// offerings on top, on the in-process index, and the database's full-text
// index (FTS5 or GIN over the same Go-made terms) finds the same set.
func TestSearch_Quality(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		ids := k.loadCorpus(t)
		for _, tc := range []struct {
			query string
			top   []string // these first, in any order
			also  []string // these further down
			not   []string // these not at all
		}{
			{"huishoudelijke hulp", []string{"huishouding"}, nil, []string{"huishouding-oude", "schuldhulp"}},
			{"hulp in de huishouding", []string{"huishouding"}, nil, nil},
			{"hulp bij schulden", []string{"schuldhulp"}, nil, []string{"budgetcursus"}},
			{"schulden", []string{"schuldhulp"}, []string{"administratie"}, nil},
			{"schuldhulp", []string{"schuldhulp"}, nil, nil},
			{"dagbesteding ouderen", []string{"dagbesteding-ouderen"}, nil, []string{"dagbesteding-jongeren", "bewegen"}},
			{"eenzaam", []string{"maatje", "koffie"}, nil, nil},
			{"vervoer rolstoel", []string{"rolstoeltaxi"}, nil, []string{"chauffeurs"}},
			{"mantelzorger ondersteuning", []string{"mantelzorg"}, nil, nil},
			{"mantelzorgers", []string{"mantelzorg", "logeren"}, nil, nil},
			{"maaltijden", []string{"maaltijd"}, nil, nil},
			{"taalcafe", []string{"taalcafe"}, nil, nil},
			{"TRAPLIFT", []string{"traplift"}, nil, nil},
			{"opvoeding", []string{"jeugd"}, nil, nil},
			{"jeugdhulp", []string{"jeugd"}, nil, nil},
			{"financiële hulp", nil, nil, nil}, // no match, no error
		} {
			t.Run(tc.query, func(t *testing.T) {
				r := k.search(t, nil, market.Query{Text: tc.query, MunicipalityID: k.woerden.ID})
				got := keysOf(r, ids)
				if len(got) < len(tc.top) || !cmp.Equal(sorted(got[:len(tc.top)]), sorted(tc.top)) {
					t.Fatalf("%q: got %v, want %v on top", tc.query, got, tc.top)
				}
				for _, a := range tc.also {
					if !slices.Contains(got, a) {
						t.Errorf("%q: got %v, want %s too", tc.query, got, a)
					}
				}
				for _, n := range tc.not {
					if slices.Contains(got, n) {
						t.Errorf("%q: got %v, want no %s", tc.query, got, n)
					}
				}
				// The database's full-text index finds the same set.
				inDB, err := k.svc.MatchInDatabase(t.Context(), tc.query, k.woerden.ID, 100)
				must(t, err)
				var fromIndex []string
				for _, h := range r.Hits {
					fromIndex = append(fromIndex, h.Offering.ID)
				}
				if !r.Relaxed {
					if diff := cmp.Diff(sorted(fromIndex), sorted(inDB), cmpopts.EquateEmpty()); diff != "" {
						t.Errorf("%q: database and index differ (-index +db):\n%s", tc.query, diff)
					}
				}
			})
		}
	})
}

type fakeRatings map[string]market.Rating

func (f fakeRatings) RatingOf(id string) market.Rating { return f[id] }

func TestSearch_FiltersAndOrder(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		ids := k.loadCorpus(t)
		w := k.woerden.ID
		// Epoch is Monday 2 March 2026, 10:00 in Amsterdam.
		for _, tc := range []struct {
			name string
			q    market.Query
			want []string // keys, sorted unless ordered
			ord  bool
		}{
			{name: "CategoryWithSubcategories", q: market.Query{MunicipalityID: w, CategoryID: k.cat["meedoen"].ID},
				want: []string{"dagbesteding-jongeren", "dagbesteding-ouderen", "koffie", "maatje", "taalcafe"}},
			{name: "Category", q: market.Query{Text: "ouderen", CategoryID: k.cat["dagbesteding"].ID},
				want: []string{"dagbesteding-ouderen"}},
			{name: "CostFree", q: market.Query{MunicipalityID: w, CostTypes: []market.CostType{market.CostFree}},
				want: []string{"administratie", "jeugd", "maatje", "schuldhulp", "taalcafe"}},
			{name: "CostTwo", q: market.Query{Text: "hulp", MunicipalityID: w, CostTypes: []market.CostType{market.CostOwnBudget, market.CostFree}},
				want: []string{"jeugd", "schoonmaak", "schuldhulp"}},
			{name: "Volunteer", q: market.Query{MunicipalityID: w, Kind: market.KindVolunteer},
				want: []string{"administratie", "chauffeurs", "koffie", "maatje", "taalcafe"}},
			{name: "Oudewater", q: market.Query{MunicipalityID: k.oudewater.ID},
				want: []string{"huishouding-oude", "maatje", "mantelzorg", "rolstoeltaxi", "schuldhulp"}},
			{name: "OpenNow", q: market.Query{MunicipalityID: w, OpenNow: true},
				want: []string{"dagbesteding-jongeren", "dagbesteding-ouderen", "huishouding", "mantelzorg", "schuldhulp"}},
			{name: "Wheelchair", q: market.Query{Wheelchair: true},
				want: []string{"dagbesteding-ouderen", "huishouding", "huishouding-oude", "mantelzorg", "schuldhulp"}},
			{name: "WithinDistance", q: market.Query{Postcode: "3421 ZZ", MaxDistanceKM: 3},
				want: []string{"huishouding-oude"}},
			{name: "WithinDistanceFromPC4", q: market.Query{Postcode: "3441", MaxDistanceKM: 3},
				want: []string{"budgetcursus", "dagbesteding-ouderen", "huishouding", "koffie", "mantelzorg", "schuldhulp"}},
			{name: "SortDistance", q: market.Query{Text: "dagbesteding", Postcode: "3481AB", Sort: market.SortDistance},
				want: []string{"dagbesteding-jongeren", "dagbesteding-ouderen"}, ord: true},
			{name: "SortDistanceOther", q: market.Query{Text: "dagbesteding", Postcode: "3441", Sort: market.SortDistance},
				want: []string{"dagbesteding-ouderen", "dagbesteding-jongeren"}, ord: true},
			{name: "Combined", q: market.Query{Text: "hulp", MunicipalityID: w, Kind: market.KindProfessional, OpenNow: true, Postcode: "3441", MaxDistanceKM: 2},
				want: []string{"huishouding", "schuldhulp"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got := keysOf(k.search(t, nil, tc.q), ids)
				if !tc.ord {
					got = sorted(got)
				}
				if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			})
		}

		t.Run("Distance", func(t *testing.T) {
			r := k.search(t, nil, market.Query{Text: "huishouding", Postcode: "3421", Sort: market.SortDistance})
			if len(r.Hits) != 2 || r.Hits[0].DistanceKM != 0 || r.Hits[1].DistanceKM < 6 || r.Hits[1].DistanceKM > 8 {
				t.Errorf("distances: %+v", r.Hits)
			}
			r = k.search(t, nil, market.Query{Text: "huishouding"})
			if r.Hits[0].DistanceKM != -1 {
				t.Errorf("distance without postcode = %v, want -1", r.Hits[0].DistanceKM)
			}
		})
		t.Run("OpenNowFollowsAmsterdamTime", func(t *testing.T) {
			q := market.Query{Text: "koffie", OpenNow: true}
			svc := func(at time.Time) *market.Service {
				return market.NewService(k.db, fakeClock(at), market.Options{})
			}
			// Tuesday 3 March 07:30 UTC is 08:30 in winter time: closed.
			r, err := svc(time.Date(2026, 3, 3, 7, 30, 0, 0, time.UTC)).Search(t.Context(), nil, q)
			must(t, err)
			if r.Total != 0 {
				t.Errorf("open at 08:30 CET: %v", titles(r))
			}
			r, err = svc(time.Date(2026, 3, 3, 8, 30, 0, 0, time.UTC)).Search(t.Context(), nil, q)
			must(t, err)
			if r.Total != 1 {
				t.Errorf("closed at 09:30 CET")
			}
			// Tuesday 7 July 07:30 UTC is 09:30 in summer time: open.
			r, err = svc(time.Date(2026, 7, 7, 7, 30, 0, 0, time.UTC)).Search(t.Context(), nil, q)
			must(t, err)
			if r.Total != 1 {
				t.Errorf("closed at 09:30 CEST")
			}
		})
		t.Run("Relaxed", func(t *testing.T) {
			r := k.search(t, nil, market.Query{Text: "huishouding rolstoel", MunicipalityID: w})
			if !r.Relaxed || !cmp.Equal(sorted(keysOf(r, ids)), []string{"huishouding", "rolstoeltaxi"}) {
				t.Errorf("relaxed = %v, hits %v", r.Relaxed, keysOf(r, ids))
			}
			r = k.search(t, nil, market.Query{Text: "huishouding", MunicipalityID: w})
			if r.Relaxed {
				t.Errorf("a full match is marked relaxed")
			}
		})
		t.Run("SortRating", func(t *testing.T) {
			// One 5-star review does not beat fifty averaging 4.5.
			ratings := fakeRatings{ids["maatje"]: {Count: 1, Average: 5}, ids["koffie"]: {Count: 50, Average: 4.5}}
			svc := market.NewService(k.db, k.clock, market.Options{Ratings: ratings})
			r, err := svc.Search(t.Context(), nil, market.Query{Text: "eenzaam", Sort: market.SortRating})
			must(t, err)
			if got := keysOf(r, ids); !cmp.Equal(got, []string{"koffie", "maatje"}) || r.Hits[0].Rating.Count != 50 {
				t.Errorf("by rating: %v", got)
			}
		})
		t.Run("Pagination", func(t *testing.T) {
			all := k.search(t, nil, market.Query{MunicipalityID: w, PageSize: 50})
			var paged []string
			for page := 1; ; page++ {
				r := k.search(t, nil, market.Query{MunicipalityID: w, Page: page, PageSize: 4})
				if r.Total != all.Total || r.Pages() != (all.Total+3)/4 {
					t.Fatalf("page %d: total %d of %d pages", page, r.Total, r.Pages())
				}
				if len(r.Hits) == 0 {
					break
				}
				paged = append(paged, titles(r)...)
			}
			if diff := cmp.Diff(titles(all), paged); diff != "" {
				t.Errorf("pages differ from one long page (-all +paged):\n%s", diff)
			}
			if !slices.IsSorted(paged) {
				t.Errorf("without words, not by title: %v", paged)
			}
			r := k.search(t, nil, market.Query{Text: "hulp", Page: 2, PageSize: 2})
			r1 := k.search(t, nil, market.Query{Text: "hulp", Page: 1, PageSize: 2})
			if r.Total < 4 || slices.ContainsFunc(titles(r), func(s string) bool { return slices.Contains(titles(r1), s) }) {
				t.Errorf("ranked pages overlap or too few: %v / %v", titles(r1), titles(r))
			}
		})
		t.Run("ErrQuery", func(t *testing.T) {
			for _, tc := range []struct {
				q    market.Query
				want map[string]string
			}{
				{market.Query{Postcode: "abc"}, map[string]string{"postcode": "field.postcode.invalid"}},
				{market.Query{Postcode: "9999"}, map[string]string{"postcode": "field.postcode.unknown"}},
				{market.Query{Sort: market.SortDistance}, map[string]string{"postcode": "field.postcode.required"}},
				{market.Query{Sort: "best", Kind: "paid", CostTypes: []market.CostType{"cheap"}, Postcode: "3441", MaxDistanceKM: -1},
					map[string]string{"sort": "field.sort.invalid", "kind": "field.kind.invalid", "cost_type": "field.cost_type.invalid", "distance": "field.distance.invalid"}},
				{market.Query{Text: string(make([]byte, 201))}, map[string]string{"q": "field.invalid_text"}},
			} {
				_, err := k.svc.Search(t.Context(), nil, tc.q)
				wantProblem(t, err, invalid(tc.want))
			}
		})
	})
}

type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }

func fakeClock(t time.Time) fixedClock { return fixedClock(t) }

// TestSearch_Freshness: a node sees its own writes at once, another
// node's within Freshness, and the index survives compaction.
func TestSearch_Freshness(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		k := newKit(t, db)
		other := market.NewService(db, k.clock, market.Options{Freshness: time.Second})
		q := market.Query{Text: "huishouding"}
		if r, err := other.Search(ctx, nil, q); err != nil || r.Total != 0 {
			t.Fatalf("empty market: %v %v", r, err)
		}
		o := k.publish(t, k.groeneHartAdmin, k.groeneHart, k.content("Hulp in de huishouding"), k.woerdenAdmin)
		if r := k.search(t, nil, q); r.Total != 1 {
			t.Errorf("the writing node does not see its write")
		}
		if r, _ := other.Search(ctx, nil, q); r.Total != 0 {
			t.Errorf("the other node looked before Freshness passed")
		}
		k.clock.Advance(time.Second)
		if r, _ := other.Search(ctx, nil, q); r.Total != 1 {
			t.Errorf("the other node does not see the write after Freshness")
		}
		// Many changes to one offering: the index compacts and stays right.
		for range 80 {
			var err error
			o, err = k.svc.MarkChecked(ctx, &k.groeneHartAdmin, o.ID, o.Version)
			must(t, err)
			if r := k.search(t, nil, q); r.Total != 1 {
				t.Fatalf("after %d checks: %d hits", o.Version, r.Total)
			}
		}
		k.clock.Advance(time.Second)
		if r, _ := other.Search(ctx, nil, q); r.Total != 1 || r.Hits[0].Offering.Version != o.Version {
			t.Errorf("other node after many changes: %+v", r)
		}
	})
}
