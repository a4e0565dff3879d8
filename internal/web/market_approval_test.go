package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// submitThroughPortal creates and submits an offering as the provider
// admin through the form, and returns it.
func (k *portalKit) submitThroughPortal(t *testing.T, eva *client, title string) market.Offering {
	t.Helper()
	if r := eva.post(t, "/aanbieder/aanbod/nieuw", k.offeringForm(title, "submit")); r.status != 303 {
		t.Fatalf("submit %q: status %d; %s", title, r.status, r.alert())
	}
	for _, o := range k.offeringsOf(t, k.orgs["provider1"].ID) {
		if o.Title == title {
			return o
		}
	}
	t.Fatalf("offering %q not stored", title)
	return market.Offering{}
}

// TestMarketApproval_Journey: the municipality refuses a new offering with
// a reason the provider reads, approves it when fixed, and a later change
// stays invisible to residents until it too is approved.
func TestMarketApproval_Journey(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newPortalKit(t, db)
		eva := k.as(t, providerAdmin)
		hanna := k.as(t, tenantAdmin)
		anon := k.client()
		o := k.submitThroughPortal(t, eva, "Schoonmaakhulp")

		queue := hanna.get(t, "/beheer/aanbod")
		if queue.status != 200 || !strings.Contains(queue.text(), "Schoonmaakhulp") || !strings.Contains(queue.text(), k.t("approval.kind.new")) {
			t.Fatalf("queue: status %d, %q", queue.status, queue.text())
		}
		show := hanna.get(t, "/beheer/aanbod/"+o.ID)
		if show.status != 200 || !strings.Contains(show.text(), "Hulp bij het schoonmaken van je huis.") || !strings.Contains(show.text(), "Rijnstraat 1") {
			t.Fatalf("proposal page: status %d, %q", show.status, show.text())
		}
		v, _ := show.html().form("/beheer/aanbod/" + o.ID + "/afwijzen").hidden("version")

		// Refusing needs a reason: a message at the field, nothing decided.
		long := strings.Repeat("a", market.MaxReasonLen+1)
		for _, reason := range []string{"", "   ", long} {
			res := hanna.post(t, "/beheer/aanbod/"+o.ID+"/afwijzen", url.Values{"version": {v}, "reason": {reason}})
			want := k.t("field.reason.required")
			if reason == long {
				want = k.t("field.too_long")
			}
			if res.status != 422 || res.fieldError("reason") != want {
				t.Fatalf("reason %.10q: status %d, message %q, want %q", reason, res.status, res.fieldError("reason"), want)
			}
			if got := res.html().input("reason").text(); got != strings.TrimSpace(reason) && reason == long {
				t.Errorf("reason not kept")
			}
			if got, _ := res.html().form("/beheer/aanbod/" + o.ID + "/afwijzen").hidden("version"); got != v {
				t.Errorf("version %q, want %q", got, v)
			}
		}
		if got := k.offeringsOf(t, k.orgs["provider1"].ID)[0]; got.Status != market.StatusPending {
			t.Fatalf("decided without a reason: %s", got.Status)
		}
		refused := hanna.post(t, "/beheer/aanbod/"+o.ID+"/afwijzen", url.Values{"version": {v}, "reason": {"Noem de prijs per uur in de tekst."}})
		if refused.status != 303 || refused.location() != "/beheer/aanbod" {
			t.Fatalf("refuse: status %d", refused.status)
		}
		portal := eva.get(t, "/aanbieder")
		if !strings.Contains(portal.text(), "Noem de prijs per uur in de tekst.") || !strings.Contains(portal.text(), k.t("portal.status.refused")) {
			t.Fatalf("provider does not see the refusal: %q", portal.text())
		}
		if r := eva.get(t, "/aanbieder/aanbod/"+o.ID); !strings.Contains(r.text(), "Noem de prijs per uur in de tekst.") {
			t.Errorf("the form does not show the reason")
		}
		if r := anon.get(t, "/aanbod/"+o.ID); r.status != 404 {
			t.Errorf("refused offering is public: %d", r.status)
		}

		// Fixed and submitted again, then approved: public.
		edit := eva.get(t, "/aanbieder/aanbod/"+o.ID)
		ev, _ := edit.html().hidden("version")
		form := k.offeringForm("Schoonmaakhulp", "submit")
		form.Set("summary", "Hulp bij het schoonmaken, 24,50 euro per uur.")
		form.Set("version", ev)
		if r := eva.post(t, "/aanbieder/aanbod/"+o.ID, form); r.status != 303 {
			t.Fatalf("resubmit: status %d", r.status)
		}
		show = hanna.get(t, "/beheer/aanbod/"+o.ID)
		av, _ := show.html().form("/beheer/aanbod/" + o.ID + "/goedkeuren").hidden("version")
		if r := hanna.post(t, "/beheer/aanbod/"+o.ID+"/goedkeuren", url.Values{"version": {av}}); r.status != 303 {
			t.Fatalf("approve: status %d; %s", r.status, r.alert())
		}
		if r := anon.get(t, "/aanbod/"+o.ID); r.status != 200 || r.h1() != "Schoonmaakhulp" {
			t.Fatalf("approved offering: status %d, %q", r.status, r.h1())
		}
		if r := hanna.get(t, "/beheer/aanbod"); strings.Contains(r.text(), "Schoonmaakhulp") {
			t.Errorf("approved offering still in the queue")
		}

		// A change to the published offering waits; residents see the old text.
		edit = eva.get(t, "/aanbieder/aanbod/"+o.ID)
		if !strings.Contains(edit.text(), k.t("portal.offering.live")) {
			t.Errorf("form does not say the approved text stays")
		}
		ev, _ = edit.html().hidden("version")
		form = k.offeringForm("Schoonmaakhulp Plus", "submit")
		form.Set("summary", "Nu ook ramen lappen.")
		form.Set("version", ev)
		if r := eva.post(t, "/aanbieder/aanbod/"+o.ID, form); r.status != 303 {
			t.Fatalf("change: status %d", r.status)
		}
		page := anon.get(t, "/aanbod/"+o.ID)
		if page.h1() != "Schoonmaakhulp" || strings.Contains(page.text(), "ramen lappen") {
			t.Errorf("residents see the unapproved change: %q", page.h1())
		}
		search := anon.get(t, "/aanbod?q=ramen")
		if strings.Contains(resultsText(search), "Schoonmaakhulp") {
			t.Errorf("search finds the unapproved change")
		}
		if r := anon.get(t, "/aanbod?q=schoonmaakhulp"); !strings.Contains(resultsText(r), "Schoonmaakhulp") || strings.Contains(resultsText(r), "Plus") {
			t.Errorf("search does not show the approved text: %q", resultsText(r))
		}
		if p := eva.get(t, "/aanbieder"); !strings.Contains(p.text(), k.t("portal.status.published")) || !strings.Contains(p.text(), k.t("portal.change")) {
			t.Errorf("portal does not show the pending change")
		}
		show = hanna.get(t, "/beheer/aanbod/"+o.ID)
		rows := show.html().all(func(n *node) bool { return n.tag == "tr" })
		var titleRow, kindRow string
		for _, r := range rows {
			txt := r.text()
			if strings.HasPrefix(txt, k.t("portal.field.title")) {
				titleRow = txt
			}
			if strings.HasPrefix(txt, k.t("market.field.kind")) {
				kindRow = txt
			}
		}
		if !strings.Contains(titleRow, "Schoonmaakhulp") || !strings.Contains(titleRow, "Schoonmaakhulp Plus") || !strings.Contains(titleRow, k.t("approval.diff.yes")) {
			t.Errorf("title row %q: want both titles and marked changed", titleRow)
		}
		if !strings.HasSuffix(kindRow, k.t("approval.diff.no")) {
			t.Errorf("kind row %q: want marked unchanged", kindRow)
		}
		av, _ = show.html().form("/beheer/aanbod/" + o.ID + "/goedkeuren").hidden("version")
		if r := hanna.post(t, "/beheer/aanbod/"+o.ID+"/goedkeuren", url.Values{"version": {av}}); r.status != 303 {
			t.Fatalf("approve change: status %d", r.status)
		}
		if r := anon.get(t, "/aanbod/"+o.ID); r.h1() != "Schoonmaakhulp Plus" {
			t.Errorf("approved change not public: %q", r.h1())
		}
		// An old version cannot be approved again.
		if r := hanna.post(t, "/beheer/aanbod/"+o.ID+"/goedkeuren", url.Values{"version": {av}}); r.status != 422 || r.alert() == "" {
			t.Errorf("stale approve: status %d, alert %q", r.status, r.alert())
		}
	})
}

// TestMarketApproval_Consultant: a consultant reads the queue and the
// proposals, but cannot decide.
func TestMarketApproval_Consultant(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newPortalKit(t, db)
		o := k.submitThroughPortal(t, k.as(t, providerAdmin), "Maaltijdservice")
		daan := k.as(t, consultant)
		q := daan.get(t, "/beheer/aanbod")
		if q.status != 200 || !strings.Contains(q.text(), "Maaltijdservice") || !strings.Contains(q.text(), k.t("approval.read_only")) {
			t.Fatalf("queue: status %d, %q", q.status, q.text())
		}
		show := daan.get(t, "/beheer/aanbod/"+o.ID)
		if show.status != 200 || show.html().form("/beheer/aanbod/"+o.ID+"/goedkeuren") != nil {
			t.Fatalf("proposal: status %d, with decision forms", show.status)
		}
		if r := daan.post(t, "/beheer/aanbod/"+o.ID+"/goedkeuren", url.Values{"version": {"1"}}); r.status != 422 || r.alert() != k.t("error.forbidden") {
			t.Errorf("consultant approves: status %d, alert %q", r.status, r.alert())
		}
		if r := daan.post(t, "/beheer/aanbod/"+o.ID+"/afwijzen", url.Values{"version": {"1"}, "reason": {"Nee."}}); r.status != 422 || r.alert() != k.t("error.forbidden") {
			t.Errorf("consultant refuses: status %d, alert %q", r.status, r.alert())
		}
		if got := k.offeringsOf(t, k.orgs["provider1"].ID)[0]; got.Status != market.StatusPending {
			t.Errorf("a consultant decided: %s", got.Status)
		}
	})
}

// TestMarketSearch_StaffSeePending: staff find what awaits approval in
// their municipality, marked as such; residents do not.
func TestMarketSearch_StaffSeePending(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newPortalKit(t, db)
		o := k.submitThroughPortal(t, k.as(t, providerAdmin), "Ramen lappen aan huis")
		for _, c := range []struct {
			email string
			sees  bool
		}{{tenantAdmin, true}, {consultant, true}, {resident, false}, {providerAdmin, false}} {
			res := k.as(t, c.email).get(t, "/aanbod?q=ramen")
			found := strings.Contains(resultsText(res), "Ramen lappen aan huis")
			marked := strings.Contains(resultsText(res), k.t("search.pending"))
			if found != c.sees || marked != c.sees {
				t.Errorf("%s: found %v, marked %v; want %v", c.email, found, marked, c.sees)
			}
			if c.sees && res.html().first(func(n *node) bool { return n.tag == "a" && n.attr("href") == "/beheer/aanbod/"+o.ID }) == nil {
				t.Errorf("%s: no link to the proposal", c.email)
			}
		}
		if r := k.client().get(t, "/aanbod?q=ramen"); strings.Contains(resultsText(r), "Ramen") {
			t.Errorf("anonymous visitors find a pending offering")
		}
	})
}
