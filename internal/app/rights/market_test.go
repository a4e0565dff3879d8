package rights_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/app/review"
	"github.com/inwonercloud/inwonercloud/internal/app/rights"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// marketWorld is the world with the marketplace: a provider with two
// offerings in Woerden, its admin, a moderator, and anna's and jan's
// requests and reviews. The rights service sees requests and reviews.
type marketWorld struct {
	*world
	market    *market.Service
	requests  *request.Service
	reviews   *review.Service
	svc       *rights.Service
	org       tenant.Organisation
	admin     identity.Person
	mod       identity.Person
	delivered request.Request // anna's, reviewed and published
	declined  request.Request // anna's
	refused   request.Request // anna's, its review refused
	published review.Review
	refusedRv review.Review
	janReq    request.Request
	janReview review.Review
}

const (
	annaMessage = "ANNA-MESSAGE graag op dinsdag"
	annaReason  = "ANNA-REASON we zitten vol"
	annaText    = "ANNA-REVIEW de hulp was fijn en op tijd."
	annaRefused = "ANNA-REFUSED tekst met een naam erin."
	annaNote    = "ANNA-NOTE er staat een naam in"
	janMessage  = "JAN-MESSAGE ik heb hulp nodig"
	janText     = "JAN-REVIEW ook goed geholpen hoor."
)

func newMarketWorld(t *testing.T, db *sqlstore.DB) *marketWorld {
	t.Helper()
	ctx := context.Background()
	w := &marketWorld{world: newWorld(t, db)}
	w.reviews = review.NewService(db, w.consent, review.FromRequests(func() review.Requests { return w.requests }), w.clock, review.Options{})
	w.market = market.NewService(db, w.clock, market.Options{Ratings: w.reviews})
	w.requests = request.NewService(db, w.consent, w.market, w.vault, w.clock, request.Options{})
	w.svc = rights.NewService(rights.Deps{Tx: db, Accounts: w.ids, Consents: w.consent, Stories: w.story, Requests: w.requests,
		Reviews: w.reviews, Log: w.log, Vault: w.vault, Clock: w.clock})

	w.org = sqltest.Organisation(t, db, "Thuiszorg Het Groene Hart", w.woerden)
	w.admin = sqltest.Person(t, db, sqltest.PersonSpec{Email: "eva@groenehart.example", TOTP: true,
		Roles: []identity.RoleAssignment{{Role: identity.RoleProviderAdmin, OrganisationID: w.org.ID, MunicipalityID: w.woerden.ID}}})
	gemAdmin := sqltest.Staff(t, db, w.woerden, identity.RoleTenantAdmin, "beheer@woerden.example")
	w.mod = sqltest.Staff(t, db, w.woerden, identity.RoleModerator, "moderator@woerden.example")
	cat, err := w.market.CreateCategory(ctx, nil, market.Category{MunicipalityID: w.woerden.ID, Name: "Huishoudelijke hulp"})
	must(t, err)
	var offers []market.Offering
	for _, title := range []string{"Hulp in de huishouding", "Boodschappenhulp"} {
		o, err := w.market.CreateOffering(ctx, &w.admin, w.org.ID, market.Content{
			MunicipalityIDs: []string{w.woerden.ID}, CategoryIDs: []string{cat.ID}, Title: title,
			Summary: "Een korte samenvatting.", Description: "Een beschrijving in eenvoudige taal.",
			HowToRequest: "Vraag het aan via deze website.", CostType: market.CostFree, Kind: market.KindProfessional,
		}, true)
		must(t, err)
		o, err = w.market.Approve(ctx, &gemAdmin, o.ID, o.Version)
		must(t, err)
		offers = append(offers, o)
	}
	w.clock.Advance(time.Hour)

	w.delivered = w.deliver(t, w.anna, offers[0], annaMessage)
	w.refused = w.deliver(t, w.anna, offers[1], annaMessage)
	w.declined, err = w.requests.Create(ctx, &w.anna, "", offers[1].ID, annaMessage, "")
	must(t, err)
	w.declined, err = w.requests.Decline(ctx, &w.admin, w.declined.ID, w.declined.Version, annaReason)
	must(t, err)
	w.janReq = w.deliver(t, w.jan, offers[0], janMessage)

	c := review.Content{Overall: 4, Information: 5, Treatment: 4, Result: 3, Recommend: true, Text: annaText,
		Display: review.DisplayPseudonym, Pseudonym: "Zonnebloem"}
	w.published = w.review(t, w.anna, w.delivered, c, true)
	c.Text, c.Display, c.Pseudonym = annaRefused, review.DisplayAnonymous, ""
	w.refusedRv = w.review(t, w.anna, w.refused, c, false)
	c.Text = janText
	w.janReview = w.review(t, w.jan, w.janReq, c, true)
	return w
}

// deliver has p request o, and the provider accept and deliver it.
func (w *marketWorld) deliver(t *testing.T, p identity.Person, o market.Offering, msg string) request.Request {
	t.Helper()
	ctx := context.Background()
	r, err := w.requests.Create(ctx, &p, "", o.ID, msg, "")
	must(t, err)
	r, err = w.requests.Accept(ctx, &w.admin, r.ID, r.Version)
	must(t, err)
	r, err = w.requests.Deliver(ctx, &w.admin, r.ID, r.Version)
	must(t, err)
	return r
}

// review writes p's review of a delivered request; the moderator
// approves it, or refuses it for naming staff.
func (w *marketWorld) review(t *testing.T, p identity.Person, req request.Request, c review.Content, approve bool) review.Review {
	t.Helper()
	ctx := context.Background()
	r, err := w.reviews.Create(ctx, review.Actor{Person: p}, req.ID, c)
	must(t, err)
	q, err := w.reviews.Queue(ctx, w.mod)
	must(t, err)
	for _, it := range q {
		if it.Submission.ReviewID != r.ID {
			continue
		}
		if approve {
			must(t, w.reviews.Approve(ctx, w.mod, it.Submission.ID))
		} else {
			must(t, w.reviews.Refuse(ctx, w.mod, it.Submission.ID, review.ReasonStaffNames, annaNote))
		}
		return r
	}
	t.Fatalf("review %s is not in the queue", r.ID)
	return review.Review{}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestService_ExportMarket(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		w := newMarketWorld(t, db)
		b, err := w.svc.Export(context.Background(), w.anna, w.anna.ID)
		must(t, err)

		reqs := map[string]rights.RequestData{}
		for _, r := range b.Requests {
			reqs[r.ID] = r
		}
		if len(b.Requests) != 3 || len(reqs) != 3 {
			t.Fatalf("requests %+v, want anna's three", b.Requests)
		}
		d := reqs[w.delivered.ID]
		if d.OfferingTitle != "Hulp in de huishouding" || d.ProviderName != w.org.Name || d.Status != "delivered" ||
			d.Message != annaMessage || d.DeliveredAt == nil || d.DeclineReason != "" {
			t.Errorf("delivered request %+v", d)
		}
		var steps []string
		for _, e := range d.Timeline {
			steps = append(steps, e.Status)
		}
		if strings.Join(steps, " ") != "sent accepted delivered" || d.Timeline[1].ByID != w.admin.ID {
			t.Errorf("timeline %+v", d.Timeline)
		}
		if x := reqs[w.declined.ID]; x.Status != "declined" || x.DeclineReason != annaReason || x.Message != annaMessage {
			t.Errorf("declined request %+v", x)
		}

		revs := map[string]rights.ReviewData{}
		for _, r := range b.Reviews {
			revs[r.ID] = r
		}
		if len(b.Reviews) != 2 || len(revs) != 2 {
			t.Fatalf("reviews %+v, want anna's two", b.Reviews)
		}
		p := revs[w.published.ID]
		if p.Status != "published" || p.RequestID != w.delivered.ID || p.Published == nil || p.Published.Text != annaText ||
			p.Published.Pseudonym != "Zonnebloem" || p.Published.Overall != 4 || p.Latest.Information != 5 || p.RefusalReason != "" {
			t.Errorf("published review %+v", p)
		}
		r := revs[w.refusedRv.ID]
		if r.Status != "refused" || r.Published != nil || r.Latest.Text != annaRefused || r.Latest.Display != "anonymous" ||
			r.RefusalReason != string(review.ReasonStaffNames) || r.RefusalNote != annaNote {
			t.Errorf("refused review %+v", r)
		}

		raw, err := json.Marshal(b)
		must(t, err)
		for _, s := range []string{janMessage, janText, w.janReq.ID, w.janReview.ID} {
			if strings.Contains(string(raw), s) {
				t.Errorf("anna's export holds jan's %q", s)
			}
		}
		for _, s := range []string{`"requests":[`, `"reviews":[`, `"declineReason":"` + annaReason, `"refusalReason":"staff_names"`} {
			if !strings.Contains(string(raw), s) {
				t.Errorf("the JSON lacks %s", s)
			}
		}
		// Without a marketplace the lists are empty, not null.
		if raw, _ := json.Marshal(mustExport(t, w.world.svc, w.jan)); !strings.Contains(string(raw), `"requests":[]`) ||
			!strings.Contains(string(raw), `"reviews":[]`) {
			t.Errorf("export without the marketplace: %s", raw)
		}
	})
}

func mustExport(t *testing.T, svc *rights.Service, p identity.Person) rights.Bundle {
	t.Helper()
	b, err := svc.Export(context.Background(), p, p.ID)
	must(t, err)
	return b
}

func TestService_EraseMarket(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		w := newMarketWorld(t, db)
		ctx := context.Background()
		must(t, w.svc.Erase(ctx, w.anna, sqltest.Password, "192.0.2.1"))

		if left, err := db.FindRequestsByResident(ctx, w.anna.ID); err != nil || len(left) != 0 {
			t.Errorf("%d of anna's requests left (%v)", len(left), err)
		}
		for _, r := range []request.Request{w.delivered, w.declined, w.refused} {
			if ev, err := db.FindRequestEvents(ctx, r.ID); err != nil || len(ev) != 0 {
				t.Errorf("request %s: %d events left (%v)", r.ID, len(ev), err)
			}
		}
		if left, err := db.FindReviewsByAuthor(ctx, w.anna.ID); err != nil || len(left) != 0 {
			t.Errorf("%d of anna's reviews left (%v)", len(left), err)
		}
		for _, rv := range []review.Review{w.published, w.refusedRv} {
			if subs, err := db.FindSubmissions(ctx, rv.ID); err != nil || len(subs) != 0 {
				t.Errorf("review %s: %d submissions left (%v)", rv.ID, len(subs), err)
			}
		}
		// The provider no longer sees anna's requests; jan's stay, and
		// so do his review and the offering's count of it.
		list, err := w.requests.ForProvider(ctx, &w.admin, w.org.ID)
		must(t, err)
		if len(list) != 1 || list[0].ID != w.janReq.ID || list[0].Message != janMessage {
			t.Errorf("the provider lists %+v, want only jan's request", list)
		}
		agg, err := w.reviews.Aggregate(ctx, w.delivered.OfferingID)
		must(t, err)
		if agg.Count != 1 {
			t.Errorf("the offering counts %d reviews, want jan's one", agg.Count)
		}
		if mine, err := w.reviews.Mine(ctx, review.Actor{Person: w.jan}); err != nil || len(mine) != 1 {
			t.Errorf("jan's reviews %d (%v)", len(mine), err)
		}
	})
}
