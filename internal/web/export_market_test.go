package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/rights"
	"github.com/inwonercloud/inwonercloud/internal/seed"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// TestExport_Market: the resident's download holds their requests (with
// the message and the timeline) and their reviews in every state, in the
// JSON and in the readable page; erasing the account removes both.
func TestExport_Market(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := context.Background()
		k := newKit(t, db)
		k.seedMarket(t)
		f := k.reviewFixtures(t) // anna: a delivery to review, a published and a pending review
		c := k.fresh(t, resident)

		r := c.download(t, "/account/gegevens/export.json")
		if r.status != http.StatusOK {
			t.Fatalf("export.json: %d", r.status)
		}
		var b rights.Bundle
		if err := json.Unmarshal([]byte(r.body), &b); err != nil {
			t.Fatal(err)
		}
		if len(b.Requests) != 3 {
			t.Errorf("%d requests, want anna's three deliveries", len(b.Requests))
		}
		for _, q := range b.Requests {
			if q.Message != "Ik wil graag hulp op dinsdag." || q.OfferingTitle != f.offering.Title || q.Status != "delivered" || len(q.Timeline) != 3 {
				t.Errorf("request %+v", q)
			}
		}
		states := map[string]string{}
		for _, rv := range b.Reviews {
			states[rv.ID] = rv.Status
		}
		if states[f.published.ID] != "published" || states[f.pending.ID] != "pending" || len(states) != 2 {
			t.Errorf("reviews %v", states)
		}

		r = c.download(t, "/account/gegevens/export.html")
		if r.status != http.StatusOK {
			t.Fatalf("export.html: %d", r.status)
		}
		for _, want := range []string{k.t("rights.doc.requests"), f.offering.Title, "Ik wil graag hulp op dinsdag.", k.t("request.status.delivered"),
			k.t("rights.doc.reviews"), "Fijne hulp, altijd op tijd.", "Zonnebloem", "Twee keer kwam er niemand.", k.t("review.status.pending")} {
			if !strings.Contains(r.body, want) {
				t.Errorf("export.html lacks %q", want)
			}
		}

		// Erasure through the page: the requests and reviews go too, and
		// the provider no longer lists the requests.
		anna := k.person(t, resident)
		r = c.post(t, "/account/verwijderen", url.Values{"password": {seed.Password}, "confirm": {"yes"}})
		if r.status != http.StatusOK || r.h1() != k.t("rights.erase.done_title") {
			t.Fatalf("erase: status %d, h1 %q, alert %q", r.status, r.h1(), r.alert())
		}
		if left, err := db.FindRequestsByResident(ctx, anna.ID); err != nil || len(left) != 0 {
			t.Errorf("%d requests left (%v)", len(left), err)
		}
		if left, err := db.FindReviewsByAuthor(ctx, anna.ID); err != nil || len(left) != 0 {
			t.Errorf("%d reviews left (%v)", len(left), err)
		}
		if r := k.as(t, requestProvider).get(t, "/aanbieder/aanvragen"); r.status != http.StatusOK || strings.Contains(r.body, f.fresh.ID) {
			t.Errorf("the provider's list: status %d, still holds anna's request", r.status)
		}
	})
}
