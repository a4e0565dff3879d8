package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

const (
	providerAdmin = "aanbieder@demo.inwonercloud.nl" // Eva Smit, admin of Thuiszorg Het Groene Hart
)

// portalKit is the web kit with Woerden's category tree and a second
// provider, De Linie, with its own admin.
type portalKit struct {
	*kit
	cat        map[string]market.Category // Woerden's, by slug
	linie      tenant.Organisation
	linieAdmin identity.Person
}

func newPortalKit(t *testing.T, db *sqlstore.DB) *portalKit {
	t.Helper()
	k := &portalKit{kit: newKit(t, db), cat: map[string]market.Category{}}
	ctx := context.Background()
	w := k.muni["woerden"]
	for _, c := range []struct{ name, parent string }{
		{"Wonen en huishouden", ""}, {"Huishoudelijke hulp", "wonen-en-huishouden"}, {"Maaltijden", "wonen-en-huishouden"},
		{"Meedoen", ""}, {"Dagbesteding", "meedoen"}, {"Vervoer", ""},
	} {
		got, err := k.market.CreateCategory(ctx, nil, market.Category{MunicipalityID: w.ID, Name: c.name, ParentID: k.cat[c.parent].ID})
		if err != nil {
			t.Fatal(err)
		}
		k.cat[got.Slug] = got
	}
	k.linie = sqltest.Organisation(t, db, "Stichting De Linie", w)
	k.linieAdmin = sqltest.Person(t, db, sqltest.PersonSpec{Email: "piet@delinie.example", TOTP: true, Roles: []identity.RoleAssignment{
		{Role: identity.RoleProviderAdmin, MunicipalityID: w.ID, OrganisationID: k.linie.ID}}})
	return k
}

// offeringForm is a valid offering form for Groene Hart in Woerden, with
// one of the two location blocks filled.
func (k *portalKit) offeringForm(title, action string) url.Values {
	w := k.muni["woerden"].ID
	return url.Values{
		"provider": {k.orgs["provider1"].ID}, "locations": {"2"}, "action": {action},
		"title": {title}, "summary": {"Hulp bij het schoonmaken van je huis."},
		"description":      {"Een vaste hulp komt elke week.\nZe maakt je huis schoon."},
		"municipalities[]": {w}, "category_" + w: {k.cat["huishoudelijke-hulp"].ID},
		"target_groups": {"ouderen\nmensen met een beperking"}, "eligibility": {"Je woont in Woerden."},
		"how_to_request": {"Bel ons op 0348 123456."}, "languages[]": {"nl", "en"},
		"cost_type": {"price_per_unit"}, "price": {"24,50"}, "unit": {"uur"}, "kind": {"professional"},
		"locations.0.address": {"Rijnstraat 1"}, "locations.0.postcode": {"3441bs"}, "locations.0.city": {"Woerden"},
		"locations.0.wheelchair": {"1"}, "locations.0.hours.1": {"09:00-12:00, 13:00-17:00"}, "locations.0.hours.3": {"9.00 - 12.00"},
	}
}

// offeringsOf lists a provider's offerings straight from the store.
func (k *portalKit) offeringsOf(t *testing.T, org string) []market.Offering {
	t.Helper()
	list, err := k.db.FindOfferingsByProvider(context.Background(), org)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// TestMarketPortal_Access: only a provider's admins use its portal pages;
// anyone else finds nothing there.
func TestMarketPortal_Access(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newPortalKit(t, db)
		ctx := context.Background()
		c := market.Content{MunicipalityIDs: []string{k.muni["woerden"].ID}, CategoryIDs: []string{k.cat["vervoer"].ID},
			Title: "Vervoer van De Linie", Summary: "Wij rijden je naar de dagbesteding.", Description: "Met een busje.",
			HowToRequest: "Bel ons.", CostType: market.CostFree, Kind: market.KindVolunteer}
		draft, err := k.market.CreateOffering(ctx, &k.linieAdmin, k.linie.ID, c, false)
		if err != nil {
			t.Fatal(err)
		}
		c.Title = "Gepubliceerd vervoer van De Linie"
		pub, err := k.market.CreateOffering(ctx, &k.linieAdmin, k.linie.ID, c, true)
		if err != nil {
			t.Fatal(err)
		}
		if pub, err = k.market.Approve(ctx, nil, pub.ID, pub.Version); err != nil {
			t.Fatal(err)
		}

		anon := k.client()
		if r := anon.get(t, "/aanbieder"); r.status != 303 || !strings.HasPrefix(r.location(), "/inloggen") {
			t.Errorf("anonymous: status %d to %q, want the login page", r.status, r.location())
		}
		resident := k.as(t, resident)
		for _, path := range []string{"/aanbieder", "/aanbieder/aanbod/nieuw", "/aanbieder/aanbod/" + pub.ID, "/aanbieder/gegevens/" + k.orgs["provider1"].ID} {
			if r := resident.get(t, path); r.status != 404 {
				t.Errorf("resident GET %s: status %d, want 404", path, r.status)
			}
		}
		if r := resident.post(t, "/aanbieder/aanbod/nieuw", k.offeringForm("Van een inwoner", "submit")); r.status != 404 {
			t.Errorf("resident POST: status %d, want 404", r.status)
		}

		// Groene Hart's admin cannot open, change or check De Linie's offerings.
		eva := k.as(t, providerAdmin)
		for _, id := range []string{draft.ID, pub.ID} {
			if r := eva.get(t, "/aanbieder/aanbod/"+id); r.status != 404 {
				t.Errorf("other provider's offering %s: status %d, want 404", id, r.status)
			}
			form := k.offeringForm("Overgenomen", "submit")
			form.Set("version", "2")
			if r := eva.post(t, "/aanbieder/aanbod/"+id, form); r.status != 404 {
				t.Errorf("POST other provider's offering: status %d, want 404", r.status)
			}
			if r := eva.post(t, "/aanbieder/aanbod/"+id+"/nagekeken", url.Values{"version": {"2"}}); r.status != 404 {
				t.Errorf("check other provider's offering: status %d, want 404", r.status)
			}
		}
		if r := eva.get(t, "/aanbieder/gegevens/"+k.linie.ID); r.status != 404 {
			t.Errorf("other provider's details: status %d", r.status)
		}
		if r := eva.get(t, "/aanbieder/aanbod/nieuw?aanbieder="+k.linie.ID); r.status != 404 {
			t.Errorf("new offering for another provider: status %d", r.status)
		}
		form := k.offeringForm("Voor een ander", "draft")
		form.Set("provider", k.linie.ID)
		if r := eva.post(t, "/aanbieder/aanbod/nieuw", form); r.status != 404 {
			t.Errorf("create for another provider: status %d", r.status)
		}
		if got := k.offeringsOf(t, k.linie.ID); len(got) != 2 || got[1].Title != "Vervoer van De Linie" && got[0].Title != "Vervoer van De Linie" {
			t.Errorf("De Linie's offerings changed: %+v", got)
		}
		// Her own portal does not list them.
		if r := eva.get(t, "/aanbieder"); r.status != 200 || strings.Contains(r.text(), "De Linie") {
			t.Errorf("portal: status %d, lists another provider: %v", r.status, strings.Contains(r.text(), "De Linie"))
		}
		// Approval and category pages are not for providers or residents.
		for _, c := range []*client{eva, resident} {
			for _, path := range []string{"/beheer/aanbod", "/beheer/aanbod/" + pub.ID, "/beheer/categorieen", "/beheer/categorieen/" + k.cat["vervoer"].ID} {
				if r := c.get(t, path); r.status != 404 {
					t.Errorf("GET %s: status %d, want 404", path, r.status)
				}
			}
		}
	})
}

// TestMarketPortal_Offering: a provider writes an offering through the
// form (wrong input shown again and nothing saved; room for another
// location), saves a draft, submits it, and sees where it is.
func TestMarketPortal_Offering(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newPortalKit(t, db)
		eva := k.as(t, providerAdmin)
		org := k.orgs["provider1"].ID

		empty := eva.get(t, "/aanbieder")
		if empty.status != 200 || !strings.Contains(empty.text(), "Thuiszorg Het Groene Hart") || !strings.Contains(empty.text(), k.t("portal.offerings.none")) {
			t.Fatalf("portal: status %d, %q", empty.status, empty.text())
		}
		blank := eva.get(t, "/aanbieder/aanbod/nieuw")
		if blank.status != 200 || blank.html().input("locations.1.address") == nil || blank.html().input("locations.0.hours.1") == nil {
			t.Fatalf("new form: status %d, without two location blocks", blank.status)
		}

		t.Run("wrong input", func(t *testing.T) {
			form := k.offeringForm("", "submit")
			form.Set("price", "veel")
			form.Set("locations.0.hours.1", "negen tot vijf")
			form.Set("locations.1.city", "Harmelen") // a second block half filled
			res := eva.post(t, "/aanbieder/aanbod/nieuw", form)
			if res.status != 422 {
				t.Fatalf("status %d, want 422", res.status)
			}
			for field, key := range map[string]string{
				"title": "field.title.required", "price": "field.price.format", "locations.0.hours.1": "field.hours_day.invalid",
				"locations.1.address": "field.address.required", "locations.1.postcode": "field.postcode.invalid",
			} {
				if got := res.fieldError(field); got != k.t(key) {
					t.Errorf("%s: message %q, want %q", field, got, k.t(key))
				}
			}
			for name, want := range map[string]string{"summary": "Hulp bij het schoonmaken van je huis.", "locations.0.hours.1": "negen tot vijf",
				"locations.1.city": "Harmelen", "price": "veel"} {
				if got := res.html().input(name); got == nil || got.attr("value") != want && strings.TrimSpace(got.text()) != want {
					t.Errorf("%s not kept", name)
				}
			}
			if got := k.offeringsOf(t, org); len(got) != 0 {
				t.Errorf("saved despite errors: %d", len(got))
			}
		})

		t.Run("another location", func(t *testing.T) {
			form := k.offeringForm("Schoonmaakhulp", "add_location")
			res := eva.post(t, "/aanbieder/aanbod/nieuw", form)
			if res.status != 200 {
				t.Fatalf("status %d", res.status)
			}
			if res.html().input("locations.2.address") == nil {
				t.Errorf("no third location block")
			}
			if got := res.html().input("locations.0.address").attr("value"); got != "Rijnstraat 1" {
				t.Errorf("first location not kept: %q", got)
			}
			if got := k.offeringsOf(t, org); len(got) != 0 {
				t.Errorf("adding a block saved the offering")
			}
		})

		t.Run("draft then submit", func(t *testing.T) {
			res := eva.post(t, "/aanbieder/aanbod/nieuw", k.offeringForm("Schoonmaakhulp", "draft"))
			if res.status != 303 || res.location() != "/aanbieder" {
				t.Fatalf("status %d to %q; %s", res.status, res.location(), res.alert())
			}
			list := k.offeringsOf(t, org)
			if len(list) != 1 {
				t.Fatalf("stored %d offerings", len(list))
			}
			o := list[0]
			l := o.Locations
			if o.Status != market.StatusDraft || o.PriceCents != 2450 || o.Unit != "uur" || len(o.TargetGroups) != 2 || len(l) != 1 ||
				l[0].Postcode != "3441 BS" || !l[0].Wheelchair || len(l[0].Hours) != 3 || len(o.Languages) != 2 {
				t.Errorf("stored %+v", o)
			}
			portal := eva.get(t, "/aanbieder")
			if !strings.Contains(portal.text(), k.t("flash.portal.saved")) || !strings.Contains(portal.text(), k.t("portal.status.draft")) {
				t.Errorf("portal lacks the draft: %q", portal.text())
			}
			// Residents do not find it.
			if r := k.client().get(t, "/aanbod/"+o.ID); r.status != 404 {
				t.Errorf("a draft is public: %d", r.status)
			}
			edit := eva.get(t, "/aanbieder/aanbod/"+o.ID)
			if edit.status != 200 || edit.html().input("title").attr("value") != "Schoonmaakhulp" ||
				edit.html().input("locations.0.hours.1").attr("value") != "09:00-12:00, 13:00-17:00" || edit.html().input("price").attr("value") != "24,50" {
				t.Fatalf("edit form: status %d, not filled", edit.status)
			}
			v, _ := edit.html().hidden("version")
			form := k.offeringForm("Schoonmaakhulp thuis", "submit")
			form.Set("version", v)
			if r := eva.post(t, "/aanbieder/aanbod/"+o.ID, form); r.status != 303 {
				t.Fatalf("submit: status %d; %s", r.status, r.alert())
			}
			if got := k.offeringsOf(t, org)[0]; got.Status != market.StatusPending || got.Title != "Schoonmaakhulp thuis" {
				t.Errorf("after submit: %s %q", got.Status, got.Title)
			}
			if p := eva.get(t, "/aanbieder"); !strings.Contains(p.text(), k.t("portal.status.pending")) {
				t.Errorf("portal does not say it waits for approval")
			}
		})

		t.Run("conflict", func(t *testing.T) {
			o := k.offeringsOf(t, org)[0]
			form := k.offeringForm("Mijn versie", "submit")
			form.Set("version", "1") // the version before the submit
			res := eva.post(t, "/aanbieder/aanbod/"+o.ID, form)
			if res.status != 422 || res.alert() != k.t("portal.offering.conflict") {
				t.Fatalf("status %d, alert %q", res.status, res.alert())
			}
			if got := res.html().input("title").attr("value"); got != "Mijn versie" {
				t.Errorf("input not kept: %q", got)
			}
			if got := k.offeringsOf(t, org)[0]; got.Title != "Schoonmaakhulp thuis" {
				t.Errorf("saved over someone else's change: %q", got.Title)
			}
			// Saving again, knowingly, goes through.
			v, _ := res.html().hidden("version")
			form.Set("version", v)
			if r := eva.post(t, "/aanbieder/aanbod/"+o.ID, form); r.status != 303 {
				t.Errorf("second save: status %d", r.status)
			}
		})
	})
}

// TestMarketPortal_Provider: the provider's details form checks its
// fields and saves them.
func TestMarketPortal_Provider(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newPortalKit(t, db)
		eva := k.as(t, providerAdmin)
		org := k.orgs["provider1"].ID
		path := "/aanbieder/gegevens/" + org
		if r := eva.get(t, path); r.status != 200 || r.h1() != k.t("portal.provider.title") {
			t.Fatalf("status %d, heading %q", r.status, r.h1())
		}
		bad := eva.post(t, path, url.Values{"agb": {"123"}, "email": {"info@groenehart.example"}, "website": {"javascript:alert(1)"}})
		if bad.status != 422 || bad.fieldError("agb") != k.t("field.agb.invalid") || bad.fieldError("website") != k.t("field.website.invalid") {
			t.Fatalf("status %d, agb %q, website %q", bad.status, bad.fieldError("agb"), bad.fieldError("website"))
		}
		if got := bad.html().input("email").attr("value"); got != "info@groenehart.example" {
			t.Errorf("e-mail not kept: %q", got)
		}
		ok := eva.post(t, path, url.Values{"agb": {"01234567"}, "email": {"info@groenehart.example"}, "phone": {"0348 123456"}, "website": {"https://groenehart.example"}})
		if ok.status != 303 {
			t.Fatalf("save: status %d", ok.status)
		}
		p, err := k.market.Provider(context.Background(), org)
		if err != nil || p.AGB != "01234567" || p.Phone != "0348 123456" {
			t.Errorf("stored %+v, %v", p, err)
		}
		if r := eva.get(t, "/aanbieder"); !strings.Contains(r.text(), "01234567") || !strings.Contains(r.text(), k.t("flash.portal.provider_saved")) {
			t.Errorf("portal does not show the saved details")
		}
	})
}

// TestMarketPortal_Stale: an offering not checked for 12 months is flagged
// in the portal, "Nog steeds juist" clears the flag, and a hidden one
// comes back.
func TestMarketPortal_Stale(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newPortalKit(t, db)
		ctx := context.Background()
		eva := k.as(t, providerAdmin)
		evaP := k.person(t, providerAdmin)
		c := market.Content{MunicipalityIDs: []string{k.muni["woerden"].ID}, CategoryIDs: []string{k.cat["maaltijden"].ID},
			Title: "Warme maaltijd", Summary: "Elke dag een maaltijd.", Description: "Vers gekookt.", HowToRequest: "Bel ons.",
			CostType: market.CostFree, Kind: market.KindProfessional}
		o, err := k.market.CreateOffering(ctx, &evaP, k.orgs["provider1"].ID, c, true)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := k.market.Approve(ctx, nil, o.ID, o.Version); err != nil {
			t.Fatal(err)
		}
		if r := eva.get(t, "/aanbieder"); strings.Contains(r.text(), k.t("portal.stale.flagged")) {
			t.Fatalf("a fresh offering is flagged")
		}
		later := k.clock.Now().AddDate(1, 0, 1)
		if ids, err := k.market.Stale(ctx, later); err != nil || len(ids) != 1 {
			t.Fatalf("stale: %v %v", ids, err)
		}
		if ids, err := k.market.HideStale(ctx, later.Add(market.HideAfter)); err != nil || len(ids) != 1 {
			t.Fatalf("hide: %v %v", ids, err)
		}
		if r := k.client().get(t, "/aanbod/"+o.ID); r.status != 404 {
			t.Errorf("hidden offering is public: %d", r.status)
		}
		res := eva.get(t, "/aanbieder")
		if !strings.Contains(res.text(), k.t("portal.stale.hidden")) || !strings.Contains(res.text(), k.t("portal.status.hidden")) {
			t.Fatalf("no flag in the portal: %q", res.text())
		}
		form := res.html().form("/aanbieder/aanbod/" + o.ID + "/nagekeken")
		if form == nil {
			t.Fatal("no 'Nog steeds juist' form")
		}
		v, _ := form.hidden("version")
		if r := eva.post(t, "/aanbieder/aanbod/"+o.ID+"/nagekeken", url.Values{"version": {v}}); r.status != 303 {
			t.Fatalf("check: status %d", r.status)
		}
		after := eva.get(t, "/aanbieder")
		if strings.Contains(after.text(), k.t("portal.stale.hidden")) || !strings.Contains(after.text(), k.t("flash.portal.checked")) {
			t.Errorf("still flagged after the check")
		}
		if r := k.client().get(t, "/aanbod/"+o.ID); r.status != 200 {
			t.Errorf("checked offering not public again: %d", r.status)
		}
	})
}

// portalFixture gives the demo provider an offering awaiting approval in
// the seeded tree, for the pages that show one; it returns the offering
// and a category of Woerden.
func portalFixture(t *testing.T, k *kit) (market.Offering, market.Category) {
	t.Helper()
	ctx := context.Background()
	cats, err := k.market.Categories(ctx, k.muni["woerden"].ID)
	if err != nil || len(cats) == 0 {
		t.Fatalf("categories: %v", err)
	}
	var leaf market.Category
	for _, c := range cats {
		if c.ParentID != "" {
			leaf = c
		}
	}
	eva := k.person(t, providerAdmin)
	o, err := k.market.CreateOffering(ctx, &eva, k.orgs["provider1"].ID, market.Content{
		MunicipalityIDs: []string{k.muni["woerden"].ID}, CategoryIDs: []string{leaf.ID}, Title: "Boodschappenhulp",
		Summary: "Wij doen je boodschappen.", Description: "Een vrijwilliger gaat met je mee.", HowToRequest: "Bel ons.",
		CostType: market.CostFree, Kind: market.KindVolunteer, Locations: []market.Location{{Address: "Rijnstraat 1", Postcode: "3441 BS",
			City: "Woerden", Hours: market.Weekdays(9*60, 17*60)}},
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	return o, leaf
}
