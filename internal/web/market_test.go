package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// resultTitles are the titles of the results on a search page, in order.
func resultTitles(r *response) []string {
	var out []string
	for _, n := range r.html().all(func(n *node) bool { return n.tag == "h3" }) {
		out = append(out, strings.TrimSpace(n.text()))
	}
	return out
}

// resultsText is the text of the result list alone, without the form.
func resultsText(r *response) string {
	if n := r.html().first(func(n *node) bool { return n.tag == "ol" && strings.Contains(n.attr("class"), "ic-results") }); n != nil {
		return n.text()
	}
	return ""
}

// TestMarket_Search: anyone finds the seeded offerings without logging
// in, filters narrow the results, pages link to each other, and wrong
// input is shown again with a message at the field.
func TestMarket_Search(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		k.seedMarket(t)
		anon := k.client()

		t.Run("tile and nav", func(t *testing.T) {
			res := anon.get(t, "/")
			for _, want := range []string{"/aanbod"} {
				if len(res.html().all(func(n *node) bool { return n.tag == "a" && n.attr("href") == want })) < 2 {
					t.Errorf("start page: want a tile and a nav link to %s", want)
				}
			}
			if !strings.Contains(res.text(), k.t("app.market.name")) {
				t.Errorf("start page lacks the tile %q", k.t("app.market.name"))
			}
		})

		t.Run("Dutch words", func(t *testing.T) {
			res := anon.get(t, "/aanbod?q="+url.QueryEscape("huishoudelijke hulp"))
			if res.status != 200 {
				t.Fatalf("status %d", res.status)
			}
			titles := resultTitles(res)
			if len(titles) == 0 || titles[0] != "Hulp bij het huishouden – Stichting Oude Rijn" {
				t.Fatalf("results %q, want first \"Hulp bij het huishouden – Stichting Oude Rijn\"", titles)
			}
			if !strings.Contains(res.text(), "4 resultaten") {
				t.Errorf("no count \"4 resultaten\" in %q", res.text())
			}
			for _, want := range []string{k.t("market.last_checked"), k.t("market.cost.tailored_via_municipality"), "Stichting Oude Rijn"} {
				if !strings.Contains(res.text(), want) {
					t.Errorf("results lack %q", want)
				}
			}
			if got := res.html().input("q").attr("value"); got != "huishoudelijke hulp" {
				t.Errorf("search box holds %q", got)
			}
		})

		t.Run("filters narrow", func(t *testing.T) {
			all := anon.get(t, "/aanbod?q=hulp")
			paid := anon.get(t, "/aanbod?q=hulp&cost_type%5B%5D=price_per_unit&kind=professional")
			if a, p := len(resultTitles(all)), len(resultTitles(paid)); p == 0 || p >= a {
				t.Errorf("filtered %d results, all %d: want fewer but some", p, a)
			}
			if strings.Contains(resultsText(paid), k.t("market.cost.tailored_via_municipality")) {
				t.Errorf("cost filter let another cost type through")
			}
			none := anon.get(t, "/aanbod?q="+url.QueryEscape("huishoudelijke hulp")+"&kind=volunteer")
			if none.status != 200 || !strings.Contains(none.text(), k.t("market.results.none")) || !strings.Contains(none.text(), k.t("market.results.tip_filters")) {
				t.Errorf("nothing found: status %d, %q", none.status, none.text())
			}
			near := anon.get(t, "/aanbod?postcode=3441+AB&distance=50&sort=distance")
			if near.status != 200 || !strings.Contains(near.text(), k.t("market.distance")) {
				t.Errorf("distance: status %d, no distances shown", near.status)
			}
		})

		t.Run("relaxed", func(t *testing.T) {
			res := anon.get(t, "/aanbod?q="+url.QueryEscape("schulden zeppelin"))
			if len(resultTitles(res)) == 0 || !strings.Contains(res.text(), k.t("market.results.relaxed")) {
				t.Errorf("partial matches without the notice: %q", res.text())
			}
		})

		t.Run("pages", func(t *testing.T) {
			first := anon.get(t, "/aanbod")
			cur := first.html().first(func(n *node) bool {
				return n.tag == "a" && n.attr("aria-current") == "page" && strings.Contains(n.attr("class"), "ic-pagination__link")
			})
			if cur == nil || !strings.HasSuffix(cur.text(), "1") {
				t.Fatalf("no current page 1 in the pagination")
			}
			next := first.html().first(func(n *node) bool { return n.tag == "a" && n.attr("rel") == "next" })
			if next == nil {
				t.Fatal("no link to the next page")
			}
			second := anon.get(t, next.attr("href"))
			if second.status != 200 {
				t.Fatalf("page 2: status %d", second.status)
			}
			a, b := resultTitles(first), resultTitles(second)
			if len(a) != market.DefaultPageSize || len(b) == 0 || a[0] == b[0] {
				t.Errorf("page 1 %d results, page 2 %d: want %d and other ones", len(a), len(b), market.DefaultPageSize)
			}
		})

		t.Run("bad input", func(t *testing.T) {
			long := strings.Repeat("hulp ", 41)
			res := anon.get(t, "/aanbod?q="+url.QueryEscape(long)+"&postcode=abc&sort=duur")
			if res.status != 422 {
				t.Fatalf("status %d, want 422", res.status)
			}
			for _, key := range []string{"field.q.too_long", "field.postcode.invalid", "field.sort.invalid"} {
				if !strings.Contains(res.text(), k.t(key)) {
					t.Errorf("no message %q", k.t(key))
				}
			}
			if got := res.html().input("q").attr("value"); got != long {
				t.Errorf("search words not kept: %q", got)
			}
			if got := res.html().input("postcode").attr("value"); got != "abc" {
				t.Errorf("postcode not kept: %q", got)
			}
			if len(resultTitles(res)) != 0 {
				t.Errorf("results shown for wrong input")
			}
			unknown := anon.get(t, "/aanbod?postcode=9999")
			if unknown.status != 422 || !strings.Contains(unknown.text(), k.t("field.postcode.unknown")) {
				t.Errorf("unknown postcode: status %d", unknown.status)
			}
		})
	})
}

// TestMarket_Offering: the offering page shows what a resident needs to
// decide; an unknown or unpublished offering is the normal 404.
func TestMarket_Offering(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		k.seedMarket(t)
		ctx := context.Background()
		res, err := k.market.Search(ctx, nil, market.Query{Text: "huishoudelijke hulp", MunicipalityID: k.muni["woerden"].ID})
		if err != nil || len(res.Hits) == 0 {
			t.Fatalf("search: %v, %d hits", err, len(res.Hits))
		}
		o := res.Hits[0].Offering
		anon := k.client()
		page := anon.get(t, "/aanbod/"+o.ID)
		if page.status != 200 || page.h1() != o.Title {
			t.Fatalf("status %d, heading %q", page.status, page.h1())
		}
		want := []string{o.Summary, o.Description, o.HowToRequest, o.ProviderName, k.t("market.cost." + string(o.CostType)),
			k.t("market.last_checked"), k.t("market.how_to_request"), "Nederlands"}
		for _, l := range o.Locations {
			want = append(want, l.Address, l.Postcode)
		}
		if len(o.Locations) > 0 {
			want = append(want, k.t("market.hours"))
		}
		want = append(want, o.TargetGroups...)
		for _, w := range want {
			if !strings.Contains(page.text(), w) {
				t.Errorf("offering page lacks %q", w)
			}
		}

		draft := o
		draft.ID, draft.Status, draft.Title = id.New(), market.StatusDraft, "Nog niet goedgekeurd"
		if err := k.db.CreateOffering(ctx, &draft); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/aanbod/" + draft.ID, "/aanbod/bestaat-niet"} {
			r := anon.get(t, path)
			if r.status != 404 || r.h1() != k.t("error.title.not_found") {
				t.Errorf("%s: status %d, heading %q; want the 404 page", path, r.status, r.h1())
			}
		}
	})
}
