package market_test

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/app/market/marketseed"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// BenchmarkSearch measures, side by side in one run, a results page over
// 10,000 seeded offerings made four ways, on SQLite and (with
// INWONERCLOUD_TEST_DATABASE_URL) PostgreSQL:
//
//   - pair: memory and index (below) alternately in one goroutine, with
//     the ratio index/memory as a metric: robust on a busy machine;
//   - memory: the page rendered from results already in memory (the
//     baseline of issue 7's speed requirement);
//   - index: search on the in-process index, result cache off, then render;
//   - index-cached: the same with the result cache on (repeated queries);
//   - sql: the database ranks every match (FTS5 bm25 / ts_rank on GIN)
//     and returns the top ids; the offerings come from memory; then render.
//
// All run in parallel on every core, so ns/op is the inverse of
// throughput. Issue 7 asks index ≤ 2 × memory. Seeding takes a few
// seconds per database; run with -run '^$' -bench Search -benchtime 2s.
func BenchmarkSearch(b *testing.B) {
	for _, dialect := range sqltest.Dialects() {
		env := newBenchEnv(b, dialect, 10_000)
		for _, bq := range env.queries {
			want, err := env.plain.Search(context.Background(), nil, bq.q)
			if err != nil {
				b.Fatal(err)
			}
			if len(want.Hits) == 0 {
				b.Fatalf("%s: no hits", bq.name)
			}
			b.Run(dialect+"/"+bq.name+"/pair", func(b *testing.B) {
				// Memory and index in turns, so both see the same load on a
				// shared machine; index/memory is the ratio issue 7 bounds by 2.
				var buf bytes.Buffer
				var mem, idx time.Duration
				n := 0
				for b.Loop() {
					t0 := time.Now()
					render(b, &buf, want)
					t1 := time.Now()
					r, err := env.plain.Search(context.Background(), nil, bq.q)
					if err != nil {
						b.Fatal(err)
					}
					render(b, &buf, r)
					idx += time.Since(t1)
					mem += t1.Sub(t0)
					n++
				}
				b.ReportMetric(float64(mem.Nanoseconds())/float64(n), "memory-ns/op")
				b.ReportMetric(float64(idx.Nanoseconds())/float64(n), "index-ns/op")
				b.ReportMetric(float64(idx)/float64(mem), "index/memory")
			})
			b.Run(dialect+"/"+bq.name+"/memory", func(b *testing.B) {
				b.RunParallel(func(pb *testing.PB) {
					var buf bytes.Buffer
					for pb.Next() {
						render(b, &buf, want)
					}
				})
			})
			b.Run(dialect+"/"+bq.name+"/index", func(b *testing.B) {
				env.searchBench(b, env.plain, bq.q)
			})
			b.Run(dialect+"/"+bq.name+"/index-cached", func(b *testing.B) {
				env.searchBench(b, env.cached, bq.q)
			})
			if bq.q.Text == "" {
				continue // the database path needs words
			}
			b.Run(dialect+"/"+bq.name+"/sql", func(b *testing.B) {
				b.RunParallel(func(pb *testing.PB) {
					var buf bytes.Buffer
					for pb.Next() {
						ids, err := env.plain.MatchInDatabase(context.Background(), bq.q.Text, bq.q.MunicipalityID, market.DefaultPageSize)
						if err != nil {
							b.Fatal(err)
						}
						res := market.Results{Total: len(ids), Page: 1, PageSize: market.DefaultPageSize}
						for _, id := range ids {
							res.Hits = append(res.Hits, market.Hit{Offering: env.byID[id], DistanceKM: -1})
						}
						render(b, &buf, res)
					}
				})
			})
		}
	}
}

type benchQuery struct {
	name string
	q    market.Query
}

type benchEnv struct {
	plain, cached *market.Service
	byID          map[string]market.Offering
	queries       []benchQuery
}

func newBenchEnv(b *testing.B, dialect string, n int) *benchEnv {
	b.Helper()
	ctx := context.Background()
	db := sqltest.Open(b, dialect)
	woerden := sqltest.Municipality(b, db, "woerden")
	oudewater := sqltest.Municipality(b, db, "oudewater")
	start := time.Now()
	if _, err := marketseed.Seed(ctx, db, sqltest.Epoch, []tenant.Municipality{woerden, oudewater}, n, 1); err != nil {
		b.Fatal(err)
	}
	seeded := time.Since(start)
	// Monday 10:00 in Amsterdam: many places are open.
	clk := clock.NewFake(sqltest.Epoch)
	env := &benchEnv{
		plain:  market.NewService(db, clk, market.Options{NoCache: true}),
		cached: market.NewService(db, clk, market.Options{}),
		byID:   map[string]market.Offering{},
	}
	start = time.Now()
	if err := env.plain.Warm(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: seeded %d offerings in %s, built the index in %s", dialect, n, seeded.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	must(b, env.cached.Warm(ctx))
	all, err := env.plain.Search(ctx, nil, market.Query{PageSize: market.MaxPageSize})
	must(b, err)
	for page := 1; page <= all.Pages(); page++ {
		r, err := env.plain.Search(ctx, nil, market.Query{Page: page, PageSize: market.MaxPageSize})
		must(b, err)
		for _, h := range r.Hits {
			env.byID[h.Offering.ID] = h.Offering
		}
	}
	cats, err := env.plain.Categories(ctx, woerden.ID)
	must(b, err)
	var meedoen string
	for _, c := range cats {
		if c.Slug == "meedoen" {
			meedoen = c.ID
		}
	}
	env.queries = []benchQuery{
		{"broad-hulp", market.Query{Text: "hulp"}},
		{"huishoudelijke-hulp", market.Query{Text: "huishoudelijke hulp", MunicipalityID: woerden.ID}},
		{"schulden-page3", market.Query{Text: "schulden", MunicipalityID: woerden.ID, Page: 3}},
		{"mantelzorger-ondersteuning", market.Query{Text: "mantelzorger ondersteuning"}},
		{"browse-filters-distance", market.Query{MunicipalityID: woerden.ID, CategoryID: meedoen, OpenNow: true,
			Postcode: "3441 AB", MaxDistanceKM: 5, Sort: market.SortDistance}},
	}
	return env
}

func (env *benchEnv) searchBench(b *testing.B, svc *market.Service, q market.Query) {
	b.RunParallel(func(pb *testing.PB) {
		var buf bytes.Buffer
		for pb.Next() {
			r, err := svc.Search(context.Background(), nil, q)
			if err != nil {
				b.Fatal(err)
			}
			render(b, &buf, r)
		}
	})
}

// render writes a results page as the web app will: a form with the
// filters, the count, one card per hit and the page links.
func render(b *testing.B, buf *bytes.Buffer, r market.Results) {
	buf.Reset()
	if err := resultsPage.Execute(buf, r); err != nil {
		b.Fatal(err)
	}
}

var resultsPage = template.Must(template.New("results").Funcs(template.FuncMap{
	"euro": func(c int64) string { return fmt.Sprintf("€ %d,%02d", c/100, c%100) },
}).Parse(`<!doctype html><html lang="nl"><head><title>Zoeken in het aanbod</title></head><body>
<main id="main"><h1>Aanbod</h1>
<form method="get" action="/aanbod" role="search"><label for="q">Zoek</label><input id="q" name="q">
<fieldset><legend>Kosten</legend><label><input type="checkbox" name="cost" value="free"> Gratis</label>
<label><input type="checkbox" name="cost" value="open_service"> Algemene voorziening</label>
<label><input type="checkbox" name="cost" value="tailored_via_municipality"> Via de gemeente</label></fieldset>
<label for="pc">Postcode</label><input id="pc" name="postcode"><button>Zoeken</button></form>
<p role="status">{{.Total}} resultaten{{if .Relaxed}} met een deel van uw zoekwoorden{{end}}</p>
<ol class="results">{{range .Hits}}<li class="utrecht-card">
<h2><a href="/aanbod/{{.Offering.ID}}">{{.Offering.Title}}</a></h2>
<p>{{.Offering.Summary}}</p>
<dl><dt>Aanbieder</dt><dd>{{.Offering.ProviderName}}</dd>
<dt>Kosten</dt><dd>{{.Offering.CostType}}{{if .Offering.PriceCents}} {{euro .Offering.PriceCents}} per {{.Offering.Unit}}{{end}}</dd>
<dt>Soort</dt><dd>{{.Offering.Kind}}</dd>
{{range .Offering.Locations}}<dt>Locatie</dt><dd>{{.Address}}, {{.City}}{{if .Wheelchair}} (rolstoeltoegankelijk){{end}}</dd>{{end}}
{{if ge .DistanceKM 0.0}}<dt>Afstand</dt><dd>{{.DistanceKM}} km</dd>{{end}}
{{if .Rating.Count}}<dt>Waardering</dt><dd>{{.Rating.Average}} ({{.Rating.Count}})</dd>{{end}}</dl>
</li>{{end}}</ol>
<nav aria-label="Paginering"><a href="?page={{.Page}}">Pagina {{.Page}}</a></nav></main></body></html>`))

// BenchmarkIndex measures one search on the in-process index alone (no
// page, no result cache, one goroutine): the latency a request adds.
func BenchmarkIndex(b *testing.B) {
	env := newBenchEnv(b, "sqlite", 10_000)
	for _, bq := range env.queries {
		b.Run(bq.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := env.plain.Search(context.Background(), nil, bq.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
