package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// The wheelchair filter of /api/v1/offerings keeps only offerings with a
// wheelchair-accessible location, like the search form's checkbox.
func TestAPI_OfferingsWheelchair(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		k := newMarketKit(t, db)
		ctx := context.Background()
		c := market.Content{MunicipalityIDs: []string{k.woerden.ID}, CategoryIDs: []string{k.cat["schuldhulp"].ID},
			Title: "Budgetcursus", Summary: "Leer rondkomen met je geld.", Description: "Een cursus in het buurthuis.",
			HowToRequest: "Meld je aan.", CostType: market.CostFree, Kind: market.KindVolunteer,
			Locations: []market.Location{{Address: "Molenstraat 2", Postcode: "3441 CD", City: "Woerden", Wheelchair: true}}}
		o, err := k.market.CreateOffering(ctx, nil, k.schuldhulp.ProviderOrgID, c, true)
		if err != nil {
			t.Fatal(err)
		}
		if o, err = k.market.Approve(ctx, nil, o.ID, o.Version); err != nil {
			t.Fatal(err)
		}
		get := func(path string) request { return request{method: "GET", path: path} }
		for _, sc := range []scenario{
			{name: "Wheelchair", request: get("/api/v1/offerings?municipality=woerden&wheelchair=true"), status: http.StatusOK,
				contains: []string{o.ID, `"total":1`}, excludes: []string{k.schuldhulp.ID, k.maaltijd.ID}},
			{name: "WheelchairWithWords", request: get("/api/v1/offerings?municipality=woerden&q=schulden&wheelchair=true"), status: http.StatusOK,
				contains: []string{`"total":0`}, excludes: []string{k.schuldhulp.ID}},
			{name: "WheelchairOff", request: get("/api/v1/offerings?municipality=woerden&wheelchair=false"), status: http.StatusOK,
				contains: []string{o.ID, k.schuldhulp.ID, k.maaltijd.ID, `"total":3`}},
			{name: "WheelchairNotABool", request: get("/api/v1/offerings?municipality=woerden&wheelchair=misschien"), status: http.StatusBadRequest},
		} {
			k.check(t, sc)
		}
	})
}
