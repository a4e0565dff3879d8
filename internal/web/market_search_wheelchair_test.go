package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// TestMarket_SearchWheelchair: the "Rolstoeltoegankelijk" box keeps only
// offerings with a wheelchair-accessible location, stays ticked, and is
// kept in the links to other pages; the municipality filter searches
// another municipality's offerings.
func TestMarket_SearchWheelchair(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		ctx := context.Background()
		woerden := k.muni["woerden"]
		cat, err := k.market.CreateCategory(ctx, nil, market.Category{MunicipalityID: woerden.ID, Name: "Gezondheid en bewegen"})
		if err != nil {
			t.Fatal(err)
		}
		publish := func(title string, wheelchair bool) {
			t.Helper()
			c := market.Content{MunicipalityIDs: []string{woerden.ID}, CategoryIDs: []string{cat.ID}, Title: title,
				Summary: "Zwemles voor volwassenen.", Description: "Leer zwemmen in het bad.", HowToRequest: "Meld je aan.",
				CostType: market.CostFree, Kind: market.KindVolunteer,
				Locations: []market.Location{{Address: "Zwembadweg 1", Postcode: "3441 AB", City: "Woerden", Wheelchair: wheelchair}}}
			o, err := k.market.CreateOffering(ctx, nil, k.orgs["provider1"].ID, c, true)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := k.market.Approve(ctx, nil, o.ID, o.Version); err != nil {
				t.Fatal(err)
			}
		}
		publish("Zwemles met trap", false)
		for i := range market.DefaultPageSize + 1 {
			publish(fmt.Sprintf("Zwemles met lift %02d", i+1), true)
		}
		anon := k.client()

		all := anon.get(t, "/aanbod?q=zwemles")
		if !strings.Contains(all.text(), "22 resultaten") {
			t.Fatalf("without the filter: want 22 results, got %q", resultTitles(all))
		}
		res := anon.get(t, "/aanbod?q=zwemles&wheelchair=1")
		if res.status != http.StatusOK || !strings.Contains(res.text(), "21 resultaten") {
			t.Fatalf("with the filter: status %d, want 21 results: %q", res.status, resultTitles(res))
		}
		for _, title := range resultTitles(res) {
			if title == "Zwemles met trap" {
				t.Errorf("an offering without wheelchair access is a result")
			}
		}
		box := res.html().input("wheelchair")
		if box == nil || box.attr("type") != "checkbox" || !hasAttr(box, "checked") {
			t.Errorf("wheelchair box not ticked: %+v", box)
		}
		if label := res.html().first(func(n *node) bool { return n.tag == "label" && n.attr("for") == "f-wheelchair" }); label == nil ||
			strings.TrimSpace(label.text()) != "Rolstoeltoegankelijk" {
			t.Errorf("no label Rolstoeltoegankelijk for the box")
		}
		next := res.html().first(func(n *node) bool { return n.tag == "a" && n.attr("rel") == "next" })
		if next == nil {
			t.Fatal("no link to the next page")
		}
		u, err := url.Parse(next.attr("href"))
		if err != nil || u.Query().Get("wheelchair") != "1" || u.Query().Get("page") != "2" {
			t.Fatalf("next page link %q loses the filter", next.attr("href"))
		}
		page2 := anon.get(t, next.attr("href"))
		if titles := resultTitles(page2); len(titles) != 1 || !strings.HasPrefix(titles[0], "Zwemles met lift") {
			t.Errorf("page 2: %q", titles)
		}

		// The municipality filter: Oudewater has no swimming lessons.
		ow := anon.get(t, "/aanbod?q=zwemles&municipality=oudewater")
		if ow.status != http.StatusOK || len(resultTitles(ow)) != 0 {
			t.Errorf("Oudewater: status %d, results %q", ow.status, resultTitles(ow))
		}
		if sel := ow.html().first(func(n *node) bool { return n.tag == "option" && n.attr("value") == "oudewater" }); sel == nil || !hasAttr(sel, "selected") {
			t.Errorf("Oudewater not selected")
		}
		if bad := anon.get(t, "/aanbod?municipality=atlantis"); bad.status != http.StatusUnprocessableEntity ||
			bad.fieldError("municipality") != k.t("field.search_municipality.invalid") {
			t.Errorf("unknown municipality: status %d, error %q", bad.status, bad.fieldError("municipality"))
		}
	})
}
