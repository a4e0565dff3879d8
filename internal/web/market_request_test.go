package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	requestapp "github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

const requestProvider = "aanbieder@demo.inwonercloud.nl" // Eva Smit, admin of Thuiszorg Het Groene Hart

// requestFixture is an offering of the demo provider, payable from a
// budget, with anna's requests for it in three states.
type requestFixture struct {
	offering                  market.Offering
	sent, proposed, delivered requestapp.Request
}

// requestOffering publishes an offering of the demo provider (Thuiszorg
// Het Groene Hart) in Woerden.
func (k *kit) requestOffering(tb testing.TB, title string, cost market.CostType) market.Offering {
	tb.Helper()
	ctx := context.Background()
	cats, err := k.market.Categories(ctx, k.muni["woerden"].ID)
	if err != nil || len(cats) == 0 {
		tb.Fatalf("categories: %v", err)
	}
	c := market.Content{
		MunicipalityIDs: []string{k.muni["woerden"].ID}, CategoryIDs: []string{cats[0].ID}, Title: title,
		Summary: "Hulp thuis.", Description: "Een vaste hulp helpt u thuis.", HowToRequest: "Vraag het aan op deze website.",
		CostType: cost, Kind: market.KindProfessional,
	}
	if cost == market.CostOwnBudget {
		c.PriceCents, c.Unit = 3500, "uur"
	}
	o, err := k.market.CreateOffering(ctx, nil, k.orgs["provider1"].ID, c, true)
	if err != nil {
		tb.Fatal(err)
	}
	if o, err = k.market.Approve(ctx, nil, o.ID, o.Version); err != nil {
		tb.Fatal(err)
	}
	return o
}

// requestFixtures needs the marketplace's categories (seedMarket).
func (k *kit) requestFixtures(tb testing.TB) requestFixture {
	tb.Helper()
	ctx := context.Background()
	f := requestFixture{offering: k.requestOffering(tb, "Begeleiding thuis", market.CostOwnBudget)}
	anna, eva := k.person(tb, resident), k.person(tb, requestProvider)
	ask := func() requestapp.Request {
		r, err := k.requests.Create(ctx, &anna, "", f.offering.ID, "Ik wil graag hulp op dinsdag.", requestapp.FundingBudget)
		if err != nil {
			tb.Fatal(err)
		}
		return r
	}
	must := func(r requestapp.Request, err error) requestapp.Request {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		return r
	}
	f.sent = ask()
	f.proposed = must(k.requests.ProposeTime(ctx, &eva, ask().ID, 1, k.clock.Now().Add(72*time.Hour)))
	d := must(k.requests.Accept(ctx, &eva, ask().ID, 1))
	f.delivered = must(k.requests.Deliver(ctx, &eva, d.ID, d.Version))
	return f
}

// TestRequest_Journey: a resident requests an offering from its page; the
// provider proposes a time, the resident takes it, the provider delivers;
// mistakes are shown at the fields with the input kept; only a delivered
// request offers the review.
func TestRequest_Journey(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		k.seedMarket(t)
		o := k.requestOffering(t, "Hulp bij de administratie", market.CostOwnBudget)
		page := "/aanbod/" + o.ID
		form := page + "/aanvragen"

		// Anonymous: the call to action leads to the login, and back.
		res := k.client().get(t, page)
		link := res.html().first(func(n *node) bool { return n.tag == "a" && strings.HasPrefix(n.attr("href"), "/inloggen?terug=") })
		if link == nil || link.attr("href") != "/inloggen?terug=/aanbod/"+o.ID+"/aanvragen" || strings.TrimSpace(link.text()) != k.t("request.cta.login") {
			t.Fatalf("anonymous offering page: no login link to request (%v)", link)
		}
		if r := k.client().get(t, form); r.status != 303 || !strings.HasPrefix(r.location(), "/inloggen?terug=") {
			t.Errorf("anonymous GET %s: %d %s", form, r.status, r.location())
		}

		anna := k.as(t, resident)
		res = anna.get(t, page)
		if res.html().first(func(n *node) bool { return n.tag == "a" && n.attr("href") == form }) == nil {
			t.Fatalf("offering page has no link to %s for a logged-in resident", form)
		}
		res = anna.get(t, form)
		if res.status != 200 || res.html().input("message") == nil {
			t.Fatalf("GET %s: %d", form, res.status)
		}
		// Nothing chosen: both fields say what is wrong; the message is kept.
		res = anna.post(t, form, url.Values{"message": {"   "}})
		if res.status != 422 || res.fieldError("message") != k.t("field.request_message.required") || res.fieldError("funding") != k.t("field.funding.required") {
			t.Fatalf("empty request: %d, message %q, funding %q", res.status, res.fieldError("message"), res.fieldError("funding"))
		}
		res = anna.post(t, form, url.Values{"message": {"Hulp met post, op dinsdag."}, "funding": {"free"}})
		if res.status != 422 || res.fieldError("funding") != k.t("field.funding.invalid") || !strings.Contains(res.body, "Hulp met post, op dinsdag.") {
			t.Fatalf("wrong funding: %d %q, input kept: %v", res.status, res.fieldError("funding"), strings.Contains(res.body, "Hulp met post"))
		}
		if list, _ := k.requests.ForResident(context.Background(), requestPtr(k.person(t, resident)), ""); len(list) != 0 {
			t.Fatalf("a wrong form stored %d requests", len(list))
		}
		res = anna.post(t, form, url.Values{"message": {"Hulp met post, op dinsdag."}, "funding": {"budget"}})
		if res.status != 303 || !strings.HasPrefix(res.location(), "/aanvragen/") {
			t.Fatalf("request: %d %s (%s)", res.status, res.location(), res.fieldError("message"))
		}
		reqPath := res.location()
		id := strings.TrimPrefix(reqPath, "/aanvragen/")
		res = anna.get(t, reqPath)
		if res.flash() != k.t("flash.request.sent") || !strings.Contains(res.text(), k.t("request.explain.sent")) || !strings.Contains(res.text(), "Hulp met post, op dinsdag.") {
			t.Errorf("request page after sending: flash %q, text %q", res.flash(), res.text())
		}
		list := anna.get(t, "/aanvragen")
		if !strings.Contains(list.text(), "Hulp bij de administratie") || !strings.Contains(list.text(), k.t("request.status.sent")) {
			t.Errorf("my requests: %q", list.text())
		}
		// The provider is told, without any detail.
		mails := k.mails(t)
		if len(mails) == 0 || mails[0].To != requestProvider || strings.Contains(mails[0].Body, "administratie") || strings.Contains(mails[0].Body, "Anna") {
			t.Fatalf("mail to the provider: %+v", mails)
		}

		eva := k.as(t, requestProvider)
		plist := eva.get(t, "/aanbieder/aanvragen")
		if plist.status != 200 || plist.html().first(func(n *node) bool { return n.tag == "a" && n.attr("href") == "/aanbieder/aanvragen/"+id }) == nil {
			t.Fatalf("provider list: %d %q", plist.status, plist.text())
		}
		ppage := "/aanbieder/aanvragen/" + id
		res = eva.get(t, ppage)
		if res.status != 200 || !strings.Contains(res.text(), "Anna de Vries") || !strings.Contains(res.text(), "Hulp met post, op dinsdag.") {
			t.Fatalf("provider's request page: %d %q", res.status, res.text())
		}
		// Declining needs a reason; a past time is refused; the input stays.
		res = eva.post(t, ppage+"/afwijzen", url.Values{"version": {"1"}, "reason": {" "}})
		if res.status != 422 || res.fieldError("reason") != k.t("field.decline_reason.required") {
			t.Fatalf("decline without reason: %d %q", res.status, res.fieldError("reason"))
		}
		yesterday := k.clock.Now().Add(-24 * time.Hour).Format("2006-01-02")
		res = eva.post(t, ppage+"/tijd-voorstellen", url.Values{"version": {"1"}, "date": {yesterday}, "time": {"10:00"}})
		if res.status != 422 || res.fieldError("proposed_time") != k.t("field.proposed_time.past") || res.html().input("date").attr("value") != yesterday {
			t.Fatalf("past time: %d %q", res.status, res.fieldError("proposed_time"))
		}
		res = eva.post(t, ppage+"/tijd-voorstellen", url.Values{"version": {"1"}, "date": {"morgen"}, "time": {"25:00"}})
		if res.status != 422 || res.fieldError("date") != k.t("field.proposed_date.invalid") || res.fieldError("time") != k.t("field.proposed_clock.invalid") {
			t.Fatalf("bad date and time: %d %q %q", res.status, res.fieldError("date"), res.fieldError("time"))
		}
		when := k.clock.Now().Add(72 * time.Hour).Format("2006-01-02")
		res = eva.post(t, ppage+"/tijd-voorstellen", url.Values{"version": {"1"}, "date": {when}, "time": {"10:30"}})
		if res.status != 303 || res.location() != ppage {
			t.Fatalf("propose: %d %s %q", res.status, res.location(), res.alert())
		}
		// A form made for an older version says the request changed.
		res = eva.post(t, ppage+"/accepteren", url.Values{"version": {"1"}})
		if res.status != 422 || res.alert() != k.t("error.request.changed") {
			t.Fatalf("stale accept: %d %q", res.status, res.alert())
		}

		res = anna.get(t, reqPath)
		if !strings.Contains(res.text(), k.t("request.explain.time_proposed")) || !strings.Contains(res.text(), "10:30") {
			t.Fatalf("resident's page after the proposal: %q", res.text())
		}
		if res.html().first(func(n *node) bool { return n.tag == "a" && strings.HasSuffix(n.attr("href"), "/beoordelen") }) != nil {
			t.Error("a review link before delivery")
		}
		res = anna.post(t, reqPath+"/tijd-accepteren", url.Values{"version": {"2"}})
		if res.status != 303 {
			t.Fatalf("accept time: %d %q", res.status, res.alert())
		}
		res = eva.post(t, ppage+"/geleverd", url.Values{"version": {"3"}})
		if res.status != 303 {
			t.Fatalf("deliver: %d %q", res.status, res.alert())
		}
		res = anna.get(t, reqPath)
		if res.html().first(func(n *node) bool { return n.tag == "a" && n.attr("href") == reqPath+"/beoordelen" }) == nil {
			t.Errorf("no review link on the delivered request")
		}
		// The timeline names the resident's side and, to her, the provider.
		for _, step := range [][2]string{{"request.event.sent", "Anna de Vries"}, {"request.event.time_proposed", "Thuiszorg Het Groene Hart"},
			{"request.event.time_accepted", "Anna de Vries"}, {"request.event.delivered", "Thuiszorg Het Groene Hart"}} {
			if want := k.catalog.T("nl", step[0], map[string]string{"Who": step[1]}); !strings.Contains(res.text(), want) {
				t.Errorf("timeline lacks %q: %q", want, res.text())
			}
		}
		if res.html().first(func(n *node) bool { return n.tag == "form" && strings.HasSuffix(n.attr("action"), "/annuleren") }) != nil {
			t.Error("a delivered request can still be cancelled")
		}
		// Every look by the provider is in anna's access log.
		recs, _, err := k.audit.ForSubject(context.Background(), k.person(t, resident).ID, time.Time{}, k.clock.Now().Add(time.Hour), 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		reads := 0
		for _, r := range recs {
			if r.Category == requestapp.Category && r.ActorID == k.person(t, requestProvider).ID && r.Outcome == "allowed" {
				reads++
			}
		}
		if reads < 5 {
			t.Errorf("access log holds %d reads of the request by the provider, want at least 5 (list, page, answers)", reads)
		}
	})
}

// TestRequest_Outsiders: a request exists only for its resident and its
// provider; a provider cannot request its own offering; the provider's
// pages are for provider staff.
func TestRequest_Outsiders(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		k.seedMarket(t)
		f := k.requestFixtures(t)
		for _, sc := range []scenario{
			{name: "another resident", path: "/aanvragen/" + f.sent.ID, status: 404},
			{name: "another resident, provider page", path: "/aanbieder/aanvragen/" + f.sent.ID, status: 404},
			{name: "another resident, provider list", path: "/aanbieder/aanvragen", status: 403},
			{name: "another resident cancels", method: "POST", path: "/aanvragen/" + f.sent.ID + "/annuleren", form: url.Values{"version": {"1"}}, status: 404},
		} {
			t.Run(sc.name, func(t *testing.T) { sc.run(t, k.as(t, resident2)) })
		}
		for _, sc := range []scenario{
			{name: "professional of another organisation", path: "/aanbieder/aanvragen/" + f.sent.ID, status: 404},
			{name: "professional answers", method: "POST", path: "/aanbieder/aanvragen/" + f.sent.ID + "/accepteren", form: url.Values{"version": {"1"}}, status: 404},
			{name: "not a provider's staff", path: "/aanbieder/aanvragen", status: 403},
		} {
			t.Run(sc.name, func(t *testing.T) { sc.run(t, k.as(t, professional)) })
		}
		eva := k.as(t, requestProvider)
		if r := eva.get(t, "/aanvragen/"+f.sent.ID); r.status != 404 {
			t.Errorf("provider on the resident's page: %d", r.status)
		}
		if r := k.as(t, resident).get(t, "/aanbieder/aanvragen/"+f.sent.ID); r.status != 403 && r.status != 404 {
			t.Errorf("resident on the provider's page: %d", r.status)
		}
		// The provider's own offering cannot be requested by its admin.
		res := eva.post(t, "/aanbod/"+f.offering.ID+"/aanvragen", url.Values{"message": {"Voor mezelf"}, "funding": {"self"}})
		if res.status != 422 || (res.alert() != k.t("error.request.residents_only") && res.alert() != k.t("error.request.own_provider")) {
			t.Errorf("provider requests its own offering: %d %q", res.status, res.alert())
		}
		// Filter by state.
		res = eva.get(t, "/aanbieder/aanvragen?status=delivered")
		links := res.html().all(func(n *node) bool { return n.tag == "a" && strings.HasPrefix(n.attr("href"), "/aanbieder/aanvragen/") })
		if len(links) != 1 || links[0].attr("href") != "/aanbieder/aanvragen/"+f.delivered.ID {
			t.Errorf("delivered filter: %d links", len(links))
		}
		if r := eva.get(t, "/aanbieder/aanvragen?status=zomaar"); r.status != 422 || r.fieldError("status") != k.t("field.request_status.invalid") {
			t.Errorf("bad filter: %d %q", r.status, r.fieldError("status"))
		}
	})
}

func requestPtr[T any](v T) *T { return &v }

// TestRequest_Delegate: a trusted person acting for the resident sees her
// requests and requests for her; the request is hers, made by him, and
// his reads are in her access log.
func TestRequest_Delegate(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := context.Background()
		k := newKit(t, db)
		k.seedMarket(t)
		f := k.requestFixtures(t)
		anna, bramP := k.person(t, resident), k.person(t, "mantelzorger@demo.inwonercloud.nl")
		if _, err := k.consent.Appoint(ctx, anna, consent.NewMandate{DelegateID: bramP.ID, Kind: consent.MandateTrustedPerson,
			Scope: []string{requestapp.Category, consent.CategoryConsent}}); err != nil {
			t.Fatal(err)
		}
		bram := k.as(t, "mantelzorger@demo.inwonercloud.nl")
		if r := bram.get(t, "/aanvragen/"+f.sent.ID); r.status != 404 {
			t.Fatalf("before acting for anna: %d", r.status)
		}
		if r := bram.post(t, "/namens", url.Values{"resident": {anna.ID}}); r.status != 303 {
			t.Fatalf("act for anna: %d", r.status)
		}
		if r := bram.get(t, "/aanvragen"); r.status != 200 || r.html().first(func(n *node) bool { return n.tag == "a" && n.attr("href") == "/aanvragen/"+f.sent.ID }) == nil {
			t.Fatalf("anna's requests as bram: %d", r.status)
		}
		res := bram.post(t, "/aanbod/"+f.offering.ID+"/aanvragen", url.Values{"message": {"Voor mijn moeder."}, "funding": {"self"}})
		if res.status != 303 {
			t.Fatalf("request for anna: %d %q", res.status, res.alert())
		}
		got, err := k.requests.Get(ctx, &anna, "", strings.TrimPrefix(res.location(), "/aanvragen/"))
		if err != nil || got.ResidentID != anna.ID || got.CreatedByID != bramP.ID {
			t.Fatalf("the request made by bram: %+v, %v", got, err)
		}
		recs, _, err := k.audit.ForSubject(ctx, anna.ID, time.Time{}, k.clock.Now().Add(time.Hour), 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		var bramReads int
		for _, r := range recs {
			if r.ActorID == bramP.ID && r.Category == requestapp.Category && r.OnBehalfOfID == anna.ID {
				bramReads++
			}
		}
		if bramReads < 2 {
			t.Errorf("bram's accesses in anna's log: %d, want the list and the request", bramReads)
		}
	})
}
