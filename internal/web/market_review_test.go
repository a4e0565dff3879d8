package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	requestapp "github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/app/review"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/seed"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

const reviewModerator = "moderator@demo.inwonercloud.nl" // Gijs Mulder, moderator in Woerden

// reviewFixture is an offering of the demo provider with anna's reviews:
// a delivery still to review, a published review and one awaiting a
// moderator.
type reviewFixture struct {
	offering           market.Offering
	fresh              requestapp.Request
	published, pending review.Review
}

// delivery has email's resident request o, and the demo provider accept
// and deliver it.
func (k *kit) delivery(tb testing.TB, email string, o market.Offering) requestapp.Request {
	tb.Helper()
	ctx := context.Background()
	p, eva := k.person(tb, email), k.person(tb, requestProvider)
	r, err := k.requests.Create(ctx, &p, "", o.ID, "Ik wil graag hulp op dinsdag.", "")
	if err == nil {
		r, err = k.requests.Accept(ctx, &eva, r.ID, r.Version)
	}
	if err == nil {
		r, err = k.requests.Deliver(ctx, &eva, r.ID, r.Version)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// reviewFixtures needs the marketplace's categories (seedMarket).
func (k *kit) reviewFixtures(tb testing.TB) reviewFixture {
	tb.Helper()
	ctx := context.Background()
	f := reviewFixture{offering: k.requestOffering(tb, "Huishoudelijke hulp aan huis", market.CostFree)}
	anna, mod := review.Actor{Person: k.person(tb, resident)}, k.person(tb, reviewModerator)
	write := func(c review.Content) review.Review {
		r, err := k.reviews.Create(ctx, anna, k.delivery(tb, resident, f.offering).ID, c)
		if err != nil {
			tb.Fatal(err)
		}
		return r
	}
	f.fresh = k.delivery(tb, resident, f.offering)
	f.published = write(review.Content{Overall: 4, Information: 4, Treatment: 5, Result: 3, Recommend: true,
		Text: "Fijne hulp, altijd op tijd.", Display: review.DisplayPseudonym, Pseudonym: "Zonnebloem"})
	q, err := k.reviews.Queue(ctx, mod)
	if err != nil || len(q) != 1 {
		tb.Fatalf("queue %v: %v", q, err)
	}
	if err := k.reviews.Approve(ctx, mod, q[0].Submission.ID); err != nil {
		tb.Fatal(err)
	}
	f.pending = write(review.Content{Overall: 2, Information: 2, Treatment: 2, Result: 2,
		Text: "Twee keer kwam er niemand.", Display: review.DisplayAnonymous})
	return f
}

// TestReview_Journey: a resident rates a delivered request, the moderator
// refuses and then approves it without seeing who wrote it, the provider
// replies once, the rating shows on the offering's page and in search,
// and the resident withdraws it. Without a delivered request of their own
// nobody reaches the form — not another resident, not the provider.
func TestReview_Journey(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := context.Background()
		k := newKit(t, db)
		k.seedMarket(t)
		o := k.requestOffering(t, "Hulp bij de administratie", market.CostFree)
		annaP := k.person(t, resident)
		sent, err := k.requests.Create(ctx, &annaP, "", o.ID, "Graag hulp met mijn post.", "")
		if err != nil {
			t.Fatal(err)
		}
		req := k.delivery(t, resident, o)
		form := "/aanvragen/" + req.ID + "/beoordelen"
		anna, mod, eva := k.as(t, resident), k.as(t, reviewModerator), k.as(t, requestProvider)

		// Nobody without a delivered request of their own gets the form.
		noDelivery := k.t("error.review.no_delivery")
		for _, sc := range []scenario{
			{name: "not delivered", path: "/aanvragen/" + sent.ID + "/beoordelen", status: 404, contains: []string{noDelivery}},
			{name: "not delivered post", method: "POST", path: "/aanvragen/" + sent.ID + "/beoordelen", form: url.Values{"overall": {"5"}}, status: 404, contains: []string{noDelivery}},
			{name: "unknown", path: "/aanvragen/" + id.New() + "/beoordelen", status: 404, contains: []string{noDelivery}},
		} {
			sc.run(t, anna)
		}
		for _, email := range []string{resident2, requestProvider, reviewModerator, tenantAdmin} {
			scenario{name: email, path: form, status: 404, contains: []string{noDelivery}}.run(t, k.as(t, email))
			scenario{name: email + " post", method: "POST", path: form, form: url.Values{"overall": {"5"}, "information": {"5"},
				"treatment": {"5"}, "result": {"5"}, "recommend": {"yes"}, "text": {"Heel goed geholpen!"}, "display": {"anonymous"}},
				status: 404, contains: []string{noDelivery}}.run(t, k.as(t, email))
		}
		if rs, _ := k.reviews.Mine(ctx, review.Actor{Person: annaP}); len(rs) != 0 {
			t.Fatalf("a refused attempt stored a review: %+v", rs)
		}

		// Wrong input: messages at the fields, the input kept, nothing stored.
		res := anna.post(t, form, url.Values{"overall": {"9"}, "text": {"Kort"}, "display": {"pseudonym"}, "pseudonym": {"Anna"}})
		if res.status != 422 || res.fieldError("overall") != k.t("field.review.score") || res.fieldError("recommend") != k.t("field.review.recommend") {
			t.Fatalf("bad form: %d %q %q", res.status, res.fieldError("overall"), res.fieldError("recommend"))
		}
		if res.fieldError("text") != k.t("field.review.text_short") || res.html().byID("f-text") == nil || res.html().byID("f-text").text() != "Kort" {
			t.Errorf("text kept? error %q", res.fieldError("text"))
		}
		res = anna.post(t, form, url.Values{"overall": {"4"}, "information": {"4"}, "treatment": {"5"}, "result": {"3"},
			"recommend": {"yes"}, "text": {"Een goede ervaring."}, "display": {"pseudonym"}, "pseudonym": {"Anna de Vries"}})
		if res.status != 422 || res.fieldError("pseudonym") != k.t("field.review.pseudonym_personal") {
			t.Fatalf("service errors: %d text %q pseudonym %q", res.status, res.fieldError("text"), res.fieldError("pseudonym"))
		}

		// Sent: waiting for a moderator, not on the offering's page.
		text := "De hulp bij mijn post was duidelijk en vriendelijk. Jan van het team hielp me."
		good := url.Values{"overall": {"4"}, "information": {"4"}, "treatment": {"5"}, "result": {"3"},
			"recommend": {"yes"}, "text": {text}, "display": {"pseudonym"}, "pseudonym": {"Paperclip"}}
		scenario{name: "send", method: "POST", path: form, form: good, status: 303, location: "/beoordelingen"}.run(t, anna)
		scenario{name: "mine", path: "/beoordelingen", status: 200, contains: []string{k.t("review.status.pending"), o.Title, text}}.run(t, anna)
		scenario{name: "once", path: form, status: 409, contains: []string{k.t("error.review.exists")}}.run(t, anna)
		scenario{name: "not public yet", path: "/aanbod/" + o.ID, status: 200, contains: []string{k.t("review.offering.none")}, excludes: []string{text}}.run(t, k.client())

		// The moderator sees the text, never the author, and refuses it.
		res = scenario{name: "queue", path: "/beheer/beoordelingen", status: 200, contains: []string{text, "Paperclip", o.Title},
			excludes: []string{"Anna", "inwoner@"}}.run(t, mod)
		act := res.html().first(func(n *node) bool {
			return n.tag == "form" && strings.HasPrefix(n.attr("action"), "/beheer/beoordelingen/")
		})
		if act == nil {
			t.Fatal("no decision form in the queue")
		}
		decide := act.attr("action")
		res = mod.post(t, decide, url.Values{"decision": {"refuse"}})
		if res.status != 422 || !strings.Contains(res.text(), k.t("field.review.reason")) {
			t.Fatalf("refuse without reason: %d", res.status)
		}
		// The summary at the top leads to the first reason of that review.
		if sum := res.html().first(func(n *node) bool { return n.tag == "a" && strings.HasPrefix(n.attr("href"), "#f-reason-") }); sum == nil ||
			res.html().byID(strings.TrimPrefix(sum.attr("href"), "#")) == nil {
			t.Errorf("no error summary leading to the reasons")
		}
		scenario{name: "refuse", method: "POST", path: decide, form: url.Values{"decision": {"refuse"}, "reason": {"staff_names"},
			"note": {"Laat de naam weg."}}, status: 303, location: "/beheer/beoordelingen"}.run(t, mod)
		scenario{name: "reason shown", path: "/beoordelingen", status: 200,
			contains: []string{k.t("review.status.refused"), k.t("review.rule.staff_names"), "Laat de naam weg."}}.run(t, anna)

		// The author fixes it; the moderator approves; the page shows it.
		mine, err := k.reviews.Mine(ctx, review.Actor{Person: annaP})
		if err != nil || len(mine) != 1 {
			t.Fatalf("mine: %v %v", mine, err)
		}
		edit := "/beoordelingen/" + mine[0].ID + "/bewerken"
		res = anna.get(t, edit)
		if res.status != 200 || res.html().byID("f-text").text() != text {
			t.Fatalf("edit form: %d", res.status)
		}
		text = "De hulp bij mijn post was duidelijk en vriendelijk."
		good.Set("text", text)
		scenario{name: "edit", method: "POST", path: edit, form: good, status: 303, location: "/beoordelingen"}.run(t, anna)
		res = mod.get(t, "/beheer/beoordelingen")
		decide = res.html().first(func(n *node) bool {
			return n.tag == "form" && strings.HasPrefix(n.attr("action"), "/beheer/beoordelingen/")
		}).attr("action")
		scenario{name: "approve", method: "POST", path: decide, form: url.Values{"decision": {"approve"}}, status: 303}.run(t, mod)
		scenario{name: "decided", method: "POST", path: decide, form: url.Values{"decision": {"approve"}}, status: 422,
			contains: []string{k.t("error.review.decided")}}.run(t, mod)
		page := scenario{name: "published", path: "/aanbod/" + o.ID, status: 200, contains: []string{text, "Paperclip",
			k.catalog.T("nl", "review.offering.summary_one", map[string]any{"Average": "4,0"}), k.t("review.offering.distribution"),
			k.catalog.T("nl", "review.offering.recommend_pct", map[string]any{"Pct": 100})}}.run(t, k.client())
		if cap := page.html().first(func(n *node) bool { return n.tag == "caption" }); cap == nil || !strings.Contains(cap.text(), k.t("review.offering.distribution")) {
			t.Error("the distribution is not a table with a caption")
		}

		// The provider replies once, after moderation.
		scenario{name: "provider list", path: "/aanbieder/beoordelingen", status: 200, contains: []string{text}, excludes: []string{"Anna"}}.run(t, eva)
		reply := "/aanbieder/beoordelingen/" + mine[0].ID + "/reactie"
		scenario{name: "empty reply", method: "POST", path: reply, form: url.Values{"reply": {" "}}, status: 422,
			contains: []string{k.t("field.review.reply_required")}}.run(t, eva)
		scenario{name: "reply", method: "POST", path: reply, form: url.Values{"reply": {"Dank je wel voor je beoordeling!"}}, status: 303}.run(t, eva)
		scenario{name: "second reply", method: "POST", path: reply, form: url.Values{"reply": {"Nog iets."}}, status: 422,
			contains: []string{k.t("error.review.reply_pending")}}.run(t, eva)
		res = mod.get(t, "/beheer/beoordelingen")
		decide = res.html().first(func(n *node) bool {
			return n.tag == "form" && strings.HasPrefix(n.attr("action"), "/beheer/beoordelingen/")
		}).attr("action")
		scenario{name: "approve reply", method: "POST", path: decide, form: url.Values{"decision": {"approve"}}, status: 303}.run(t, mod)
		scenario{name: "reply shown", path: "/aanbod/" + o.ID, status: 200, contains: []string{"Dank je wel voor je beoordeling!", k.t("review.reply.provider")}}.run(t, k.client())
		scenario{name: "reply once", method: "POST", path: reply, form: url.Values{"reply": {"Nog iets."}}, status: 422,
			contains: []string{k.t("error.review.reply_exists")}}.run(t, eva)

		// The rating shows in the search results.
		scenario{name: "search", path: "/aanbod?q=" + url.QueryEscape("administratie") + "&sort=rating", status: 200,
			contains: []string{k.catalog.T("nl", "review.search.rating_one", map[string]any{"Average": "4,0"})}}.run(t, k.client())

		// Staff pages are for their roles only.
		scenario{name: "queue for resident", path: "/beheer/beoordelingen", status: 404}.run(t, anna)
		scenario{name: "provider page for resident", path: "/aanbieder/beoordelingen", status: 404}.run(t, anna)
		scenario{name: "queue for provider", path: "/beheer/beoordelingen", status: 404}.run(t, eva)

		// Withdrawn: gone from the page and the counts.
		scenario{name: "withdraw", method: "POST", path: "/beoordelingen/" + mine[0].ID + "/intrekken", status: 303, location: "/beoordelingen"}.run(t, anna)
		scenario{name: "gone", path: "/aanbod/" + o.ID, status: 200, contains: []string{k.t("review.offering.none")}, excludes: []string{text}}.run(t, k.client())
		scenario{name: "mine withdrawn", path: "/beoordelingen", status: 200, contains: []string{k.t("review.status.withdrawn")}, excludes: []string{text}}.run(t, anna)
	})
}

// TestReview_ProviderCannotRate: someone who works for the provider is
// refused at the form even with a delivered request of their own.
func TestReview_ProviderCannotRate(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		k.seedMarket(t)
		o := k.requestOffering(t, "Hulp bij de administratie", market.CostFree)
		req := k.delivery(t, resident, o)
		anna := k.person(t, resident)
		ra := identity.RoleAssignment{ID: id.New(), PersonID: anna.ID, Role: identity.RoleProfessional, OrganisationID: k.orgs["provider1"].ID,
			MunicipalityID: k.muni["woerden"].ID, CreatedAt: k.clock.Now()}
		if err := db.AddRole(context.Background(), &ra); err != nil {
			t.Fatal(err)
		}
		c := k.as(t, resident)
		scenario{name: "form", path: "/aanvragen/" + req.ID + "/beoordelen", status: 403, contains: []string{k.t("error.review.own_provider")}}.run(t, c)
		scenario{name: "post", method: "POST", path: "/aanvragen/" + req.ID + "/beoordelen", form: url.Values{"overall": {"5"}, "information": {"5"},
			"treatment": {"5"}, "result": {"5"}, "recommend": {"yes"}, "text": {"Heel goed geholpen!"}, "display": {"anonymous"}},
			status: 403, contains: []string{k.t("error.review.own_provider")}}.run(t, c)
	})
}

// pendingSubmission is the id of the text of a review awaiting the demo
// moderator.
func (k *kit) pendingSubmission(tb testing.TB, reviewID string) string {
	tb.Helper()
	q, err := k.reviews.Queue(context.Background(), k.person(tb, reviewModerator))
	if err != nil {
		tb.Fatal(err)
	}
	for _, it := range q {
		if it.Submission.ReviewID == reviewID {
			return it.Submission.ID
		}
	}
	tb.Fatalf("review %s awaits no moderator", reviewID)
	return ""
}

// TestReview_Erase: erasing the account deletes the resident's reviews:
// they leave the offering's page and its counts at once.
func TestReview_Erase(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		k.seedMarket(t)
		f := k.reviewFixtures(t)
		page := "/aanbod/" + f.offering.ID
		scenario{name: "before", path: page, status: 200, contains: []string{"Fijne hulp, altijd op tijd."}}.run(t, k.client())
		c := k.fresh(t, resident)
		if r := c.post(t, "/account/verwijderen", url.Values{"password": {seed.Password}, "confirm": {"yes"}}); r.status != 200 {
			t.Fatalf("erase: status %d, alert %q", r.status, r.alert())
		}
		scenario{name: "after", path: page, status: 200, contains: []string{k.t("review.offering.none")},
			excludes: []string{"Fijne hulp, altijd op tijd."}}.run(t, k.client())
		if got := k.reviews.RatingOf(f.offering.ID); got.Count != 0 {
			t.Errorf("RatingOf after erasure = %+v", got)
		}
	})
}
