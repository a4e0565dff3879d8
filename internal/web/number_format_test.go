package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/app/review"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// TestNumberFormat: averages follow the page's language, a decimal comma
// in Dutch and a decimal point in English, on the offering's page and in
// the search results.
func TestNumberFormat(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := context.Background()
		k := newKit(t, db)
		k.seedMarket(t)
		o := k.requestOffering(t, "Hulp bij het strijken", market.CostFree)
		anna, mod := review.Actor{Person: k.person(t, resident)}, k.person(t, reviewModerator)
		// Two reviews, 4 and 5: averages of 4.5.
		for _, score := range []int{4, 5} {
			r, err := k.reviews.Create(ctx, anna, k.delivery(t, resident, o).ID, review.Content{Overall: score, Information: score,
				Treatment: 4, Result: 4, Recommend: true, Text: "Het strijkgoed was keurig op tijd klaar.", Display: review.DisplayAnonymous})
			if err != nil {
				t.Fatal(err)
			}
			if err := k.reviews.Approve(ctx, mod, k.pendingSubmission(t, r.ID)); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			lang             string
			offering, search []string
			not              string
		}{
			{"nl", []string{"Gemiddeld 4,5 van 5 sterren, uit 2 beoordelingen.", "4,5 van 5", "4,0 van 5"}, []string{"4,5 van 5 (2 beoordelingen)"}, "4.5"},
			{"en", []string{"On average 4.5 of 5 stars, from 2 reviews.", "4.5 of 5", "4.0 of 5"}, []string{"4.5 of 5 (2 reviews)"}, "4,5"},
		} {
			t.Run(tc.lang, func(t *testing.T) {
				c := k.client()
				c.header.Set("Cookie", "ic_lang="+tc.lang)
				for path, want := range map[string][]string{"/aanbod/" + o.ID: tc.offering, "/aanbod?q=strijken&sort=rating": tc.search} {
					r := c.get(t, path)
					if r.status != http.StatusOK {
						t.Fatalf("GET %s: %d", path, r.status)
					}
					text := r.text()
					for _, w := range want {
						if !strings.Contains(text, w) {
							t.Errorf("GET %s lacks %q", path, w)
						}
					}
					if strings.Contains(text, tc.not) {
						t.Errorf("GET %s in %s writes %q", path, tc.lang, tc.not)
					}
				}
			})
		}
	})
}
