package market_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestService_CreateOffering(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		k := newKit(t, db)

		t.Run("OK", func(t *testing.T) {
			c := k.content("  Hulp in de huishouding ")
			c.Languages = []string{"NL", "en", "nl"}
			c.Locations = []market.Location{{Address: "Rijnstraat 1", Postcode: "3441bs", City: "Woerden", Hours: officeHours, Wheelchair: true}}
			o, err := k.svc.CreateOffering(ctx, &k.groeneHartAdmin, k.groeneHart.ID, c, false)
			must(t, err)
			if o.Status != market.StatusDraft || o.Title != "Hulp in de huishouding" || o.Version != 1 ||
				o.LastCheckedByID != k.groeneHartAdmin.ID || !o.LastCheckedAt.Equal(sqltest.Epoch) {
				t.Errorf("created %+v", o)
			}
			got, err := k.svc.Offering(ctx, &k.groeneHartAdmin, o.ID)
			must(t, err)
			if diff := cmp.Diff(o, got.Offering); diff != "" {
				t.Errorf("stored offering (-created +read):\n%s", diff)
			}
			if got.Offering.Locations[0].Postcode != "3441 BS" || !cmp.Equal(got.Offering.Languages, []string{"nl", "en"}) {
				t.Errorf("not normalised: %+v", got.Offering.Content)
			}
		})
		t.Run("ErrFields", func(t *testing.T) {
			c := market.Content{
				MunicipalityIDs: []string{k.woerden.ID},
				CategoryIDs:     []string{k.cat["dagbesteding"].ID, k.cat["vervoer"].ID},
				Title:           "x\x00",
				Languages:       []string{"nederlands"},
				CostType:        market.CostPerUnit,
				Kind:            "betaald",
				Locations:       []market.Location{{Address: "Dorpsstraat 1", Postcode: "0000 XX", City: "Woerden", Lat: 40, Lon: 4, Hours: market.OpeningHours{{Day: time.Monday, Opens: 600, Closes: 500}}}},
			}
			_, err := k.svc.CreateOffering(ctx, &k.groeneHartAdmin, k.groeneHart.ID, c, true)
			wantProblem(t, err, invalid(map[string]string{
				"title": "field.invalid_text", "summary": "field.summary.required", "description": "field.description.required",
				"how_to_request": "field.how_to_request.required", "languages": "field.languages.invalid",
				"price": "field.price.required", "kind": "field.kind.invalid", "categories": "field.categories.invalid",
				"locations.0.postcode": "field.postcode.invalid", "locations.0.coordinates": "field.coordinates.invalid",
				"locations.0.hours": "field.hours.invalid",
			}))
		})
		t.Run("ErrMunicipalityOutsideProvider", func(t *testing.T) {
			c := k.content("Dagbesteding")
			c.MunicipalityIDs = []string{k.woerden.ID, k.oudewater.ID}
			_, err := k.svc.CreateOffering(ctx, &k.linieAdmin, k.linie.ID, c, true)
			wantProblem(t, err, invalid(map[string]string{"municipalities": "field.municipalities.invalid"}))
		})
		t.Run("ErrPriceNotAllowed", func(t *testing.T) {
			c := k.content("Gratis hulp")
			c.PriceCents, c.Unit = 500, "uur"
			_, err := k.svc.CreateOffering(ctx, &k.groeneHartAdmin, k.groeneHart.ID, c, true)
			wantProblem(t, err, invalid(map[string]string{"price": "field.price.not_allowed"}))
		})
		t.Run("ErrOtherProvider", func(t *testing.T) {
			_, err := k.svc.CreateOffering(ctx, &k.linieAdmin, k.groeneHart.ID, k.content("Hulp"), true)
			wantProblem(t, err, forbidden)
			_, err = k.svc.CreateOffering(ctx, &k.woerdenAdmin, k.groeneHart.ID, k.content("Hulp"), true)
			wantProblem(t, err, forbidden)
		})
	})
}

func TestService_ApprovalFlow(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		k := newKit(t, db)
		q := market.Query{Text: "huishouding"}

		// A new offering waits for approval, unseen by residents.
		o, err := k.svc.CreateOffering(ctx, &k.groeneHartAdmin, k.groeneHart.ID, k.content("Hulp in de huishouding"), true)
		must(t, err)
		if got := k.search(t, nil, q); got.Total != 0 {
			t.Fatalf("resident finds a pending offering: %v", titles(got))
		}
		_, err = k.svc.Offering(ctx, nil, o.ID)
		wantProblem(t, err, notFound)
		_, err = k.svc.Offering(ctx, &k.resident, o.ID)
		wantProblem(t, err, notFound)
		// The municipality's staff see it, marked pending, and in the queue.
		got := k.search(t, &k.woerdenConsultant, q)
		if got.Total != 1 || !got.Hits[0].Pending {
			t.Fatalf("staff search = %+v, want the pending offering", got)
		}
		queue, err := k.svc.Queue(ctx, &k.woerdenAdmin, k.woerden.ID)
		must(t, err)
		if len(queue) != 1 || queue[0].Offering.ID != o.ID {
			t.Fatalf("queue = %+v", queue)
		}
		// Another municipality's admin neither sees nor decides it.
		if got := k.search(t, &k.oudeAdmin, q); got.Total != 0 {
			t.Errorf("Oudewater's admin finds Woerden's pending offering")
		}
		_, err = k.svc.Approve(ctx, &k.oudeAdmin, o.ID, o.Version)
		wantProblem(t, err, notFound)
		_, err = k.svc.Queue(ctx, &k.woerdenAdmin, k.oudewater.ID)
		wantProblem(t, err, forbidden)
		// A provider admin cannot approve their own offering.
		_, err = k.svc.Approve(ctx, &k.groeneHartAdmin, o.ID, o.Version)
		wantProblem(t, err, forbidden)

		// Refusal needs a reason, which the provider then reads.
		_, err = k.svc.Refuse(ctx, &k.woerdenAdmin, o.ID, o.Version, "  ")
		wantProblem(t, err, invalid(map[string]string{"reason": "field.reason.required"}))
		o, err = k.svc.Refuse(ctx, &k.woerdenAdmin, o.ID, o.Version, "Noem de kosten.")
		must(t, err)
		if o.Status != market.StatusRefused || o.RefusalReason != "Noem de kosten." {
			t.Fatalf("refused offering = %s %q", o.Status, o.RefusalReason)
		}
		// Resubmitted and approved, it is public.
		o, err = k.svc.Submit(ctx, &k.groeneHartAdmin, o.ID, o.Version)
		must(t, err)
		_, err = k.svc.Approve(ctx, &k.woerdenAdmin, o.ID, o.Version-1)
		wantProblem(t, err, changed)
		o, err = k.svc.Approve(ctx, &k.woerdenAdmin, o.ID, o.Version)
		must(t, err)
		if got := k.search(t, nil, q); got.Total != 1 || got.Hits[0].Pending {
			t.Fatalf("after approval resident finds %+v", got)
		}

		// A change to a published offering waits; the approved text stays.
		c := o.Content
		c.Title = "Hulp in de huishouding en boodschappen"
		_, err = k.svc.UpdateOffering(ctx, &k.linieAdmin, o.ID, o.Version, c, true)
		wantProblem(t, err, forbidden) // another provider's admin
		o2, err := k.svc.UpdateOffering(ctx, &k.groeneHartAdmin, o.ID, o.Version, c, true)
		must(t, err)
		if o2.Title != "Hulp in de huishouding" || o2.Status != market.StatusPublished {
			t.Fatalf("live offering changed before approval: %+v", o2)
		}
		_, err = k.svc.UpdateOffering(ctx, &k.groeneHartAdmin, o.ID, o.Version, c, true)
		wantProblem(t, err, changed) // stale version
		v, err := k.svc.Offering(ctx, nil, o.ID)
		must(t, err)
		if v.Offering.Title != "Hulp in de huishouding" || v.Revision != nil {
			t.Errorf("resident sees %q, revision %v", v.Offering.Title, v.Revision)
		}
		if got := k.search(t, nil, market.Query{Text: "boodschappen"}); got.Total != 0 {
			t.Errorf("resident finds the unapproved text: %v", titles(got))
		}
		v, err = k.svc.Offering(ctx, &k.woerdenConsultant, o.ID)
		must(t, err)
		if v.Pending() == nil || v.Pending().Content.Title != c.Title {
			t.Errorf("staff does not see the pending change: %+v", v.Revision)
		}
		if got := k.search(t, &k.woerdenAdmin, market.Query{Text: "boodschappen"}); got.Total != 1 || !got.Hits[0].Pending ||
			got.Hits[0].Offering.Title != c.Title {
			t.Errorf("staff search for the new text = %+v", got)
		}
		if got := k.search(t, &k.woerdenAdmin, q); got.Total != 1 {
			t.Errorf("staff search shows an offering twice: %v", titles(got))
		}

		// Refusing the change keeps the approved content, with the reason
		// for the provider.
		o, err = k.svc.Refuse(ctx, &k.woerdenAdmin, o2.ID, o2.Version, "Boodschappen doen wij niet.")
		must(t, err)
		v, err = k.svc.Offering(ctx, &k.groeneHartAdmin, o.ID)
		must(t, err)
		if v.Offering.Title != "Hulp in de huishouding" || v.Revision.Status != market.RevisionRefused ||
			v.Revision.RefusalReason != "Boodschappen doen wij niet." || v.Revision.DecidedByID != k.woerdenAdmin.ID {
			t.Errorf("after refusal: %+v / %+v", v.Offering, v.Revision)
		}
		_, err = k.svc.Approve(ctx, &k.woerdenAdmin, o.ID, o.Version)
		wantProblem(t, err, problem{Kind: errs.Conflict, Key: "error.market.nothing_pending"})

		// A new change, approved, replaces the content.
		c.Title = "Hulp in huis"
		k.clock.Advance(time.Hour)
		o, err = k.svc.UpdateOffering(ctx, &k.groeneHartAdmin, o.ID, o.Version, c, true)
		must(t, err)
		k.clock.Advance(time.Hour)
		o, err = k.svc.Approve(ctx, &k.woerdenAdmin, o.ID, o.Version)
		must(t, err)
		if o.Title != "Hulp in huis" || !o.LastCheckedAt.Equal(sqltest.Epoch.Add(time.Hour)) {
			t.Errorf("approved change: %+v", o)
		}
		if got := k.search(t, nil, market.Query{Text: "huis"}); got.Total != 1 {
			t.Errorf("resident does not find the approved text: %+v", got)
		}
	})
}

func TestService_Drafts(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		k := newKit(t, db)
		o, err := k.svc.CreateOffering(ctx, &k.groeneHartAdmin, k.groeneHart.ID, k.content("Concept"), false)
		must(t, err)
		// A draft is the provider's own: staff do not see it yet.
		_, err = k.svc.Offering(ctx, &k.woerdenAdmin, o.ID)
		wantProblem(t, err, notFound)
		_, err = k.svc.Approve(ctx, &k.woerdenAdmin, o.ID, o.Version)
		wantProblem(t, err, notFound)
		_, err = k.svc.Offering(ctx, &k.linieAdmin, o.ID)
		wantProblem(t, err, notFound)
		list, err := k.svc.ProviderOfferings(ctx, &k.groeneHartAdmin, k.groeneHart.ID)
		must(t, err)
		if len(list) != 1 || list[0].Offering.Status != market.StatusDraft {
			t.Errorf("provider's list = %+v", list)
		}
		_, err = k.svc.ProviderOfferings(ctx, &k.linieAdmin, k.groeneHart.ID)
		wantProblem(t, err, forbidden)
		// Edited in place; submitting sends it to the queue.
		o, err = k.svc.UpdateOffering(ctx, &k.groeneHartAdmin, o.ID, o.Version, k.content("Concept 2"), true)
		must(t, err)
		if o.Status != market.StatusPending || o.Title != "Concept 2" {
			t.Errorf("after submit: %s %q", o.Status, o.Title)
		}
		_, err = k.svc.Submit(ctx, &k.groeneHartAdmin, o.ID, o.Version)
		wantProblem(t, err, problem{Kind: errs.Conflict, Key: "error.market.not_submittable"})
	})
}

func TestService_Stale(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		k := newKit(t, db)
		old := k.publish(t, k.groeneHartAdmin, k.groeneHart, k.content("Oude huishoudhulp"), k.woerdenAdmin)
		k.clock.Advance(200 * 24 * time.Hour)
		fresh := k.publish(t, k.groeneHartAdmin, k.groeneHart, k.content("Nieuwe huishoudhulp"), k.woerdenAdmin)

		// Eleven months on, nothing is stale.
		now := sqltest.Epoch.AddDate(0, 11, 0)
		ids, err := k.svc.Stale(ctx, now)
		must(t, err)
		if len(ids) != 0 {
			t.Fatalf("flagged after 11 months: %v", ids)
		}
		// After twelve months the old one is flagged, once.
		now = sqltest.Epoch.AddDate(0, 12, 1)
		ids, err = k.svc.Stale(ctx, now)
		must(t, err)
		if !cmp.Equal(ids, []string{old.ID}) {
			t.Fatalf("flagged = %v, want the old offering", ids)
		}
		if ids, _ := k.svc.Stale(ctx, now.Add(time.Hour)); len(ids) != 0 {
			t.Errorf("flagged twice: %v", ids)
		}
		v, err := k.svc.Offering(ctx, &k.groeneHartAdmin, old.ID)
		must(t, err)
		if v.Offering.StaleSince == nil || !v.Offering.StaleSince.Equal(now) || v.Offering.Status != market.StatusPublished {
			t.Errorf("flagged offering: %+v", v.Offering)
		}
		// Within the grace period it stays visible.
		ids, err = k.svc.HideStale(ctx, now.Add(market.HideAfter-time.Minute))
		must(t, err)
		if len(ids) != 0 {
			t.Errorf("hidden within the grace period: %v", ids)
		}
		// After it, it is hidden from residents.
		ids, err = k.svc.HideStale(ctx, now.Add(market.HideAfter))
		must(t, err)
		if !cmp.Equal(ids, []string{old.ID}) {
			t.Fatalf("hidden = %v", ids)
		}
		if got := k.search(t, nil, market.Query{Text: "huishoudhulp"}); !cmp.Equal(titles(got), []string{"Nieuwe huishoudhulp"}) {
			t.Errorf("resident finds %v", titles(got))
		}
		_, err = k.svc.Offering(ctx, nil, old.ID)
		wantProblem(t, err, notFound)
		// The provider checks it: it is back.
		v, err = k.svc.Offering(ctx, &k.groeneHartAdmin, old.ID)
		must(t, err)
		_, err = k.svc.MarkChecked(ctx, &k.linieAdmin, old.ID, v.Offering.Version)
		wantProblem(t, err, notFound)
		k.clock.Advance(400 * 24 * time.Hour)
		o, err := k.svc.MarkChecked(ctx, &k.groeneHartAdmin, old.ID, v.Offering.Version)
		must(t, err)
		if o.Status != market.StatusPublished || o.StaleSince != nil || !o.LastCheckedAt.Equal(k.clock.Now()) {
			t.Errorf("checked offering: %+v", o)
		}
		if got := k.search(t, nil, market.Query{Text: "huishoudhulp"}); got.Total != 2 {
			t.Errorf("resident finds %v", titles(got))
		}
		_ = fresh
	})
}
