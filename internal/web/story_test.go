package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/story"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// storyForm is a whole story form as the browser posts it: the narrative
// and two life domains, the rest empty.
func storyForm(narrative, finances, housing string) url.Values {
	return url.Values{
		"narrative": {narrative}, "what_matters": {"Mijn kinderen"}, "can_do_myself": {""}, "who_helps": {""}, "what_i_need": {""},
		"finances_text": {finances}, "finances_rating": {"2"}, "finances_talk": {"1"},
		"housing_text": {housing}, "housing_rating": {"4"},
	}
}

// versionCount is how many versions of the resident's story are stored.
func (k *kit) versionCount(tb testing.TB, p identity.Person) int {
	tb.Helper()
	list, err := k.story.Versions(context.Background(), story.Reader{Person: p}, p.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return len(list)
}

// TestStory_Resident: the resident writes, reads, corrects and prints
// their story; wrong input is shown again at the fields and nothing is
// saved.
func TestStory_Resident(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		anna := k.as(t, resident)
		annaP := k.person(t, resident)

		for _, sc := range []scenario{
			{name: "tile", path: "/", status: 200, contains: []string{"Mijn verhaal"}, excludes: []string{"Gedeeld met mij"}},
			{name: "empty story", path: "/verhaal", status: 200, contains: []string{k.t("story.empty"), k.t("story.start")}},
			{name: "empty form", path: "/verhaal/bewerken", status: 200, contains: []string{k.t("story.edit.title"), k.t("story.section.law")}},
			{name: "no versions", path: "/verhaal/versies", status: 200, contains: []string{k.t("story.versions.none")}},
			{name: "no such version", path: "/verhaal/versies/1", status: 404},
		} {
			sc.run(t, anna)
		}

		res := anna.post(t, "/verhaal/bewerken", storyForm("Ik ben mijn werk kwijt.\nNu is het stil thuis.", "Ik heb schulden.", "Mijn huis is te klein."))
		if res.status != http.StatusSeeOther || res.location() != "/verhaal" {
			t.Fatalf("save: status %d to %q, want 303 to /verhaal; %s", res.status, res.location(), res.text())
		}
		if n := k.versionCount(t, annaP); n != 1 {
			t.Fatalf("%d versions after saving, want 1", n)
		}
		res = (scenario{name: "saved story", path: "/verhaal", status: 200, contains: []string{
			k.t("flash.story_saved"), "Ik ben mijn werk kwijt.", "Nu is het stil thuis.", "Mijn kinderen",
			"Ik heb schulden.", k.t("story.rating.2"), k.t("story.talk.yes"),
			"Mijn huis is te klein.", k.t("story.rating.4"), "Anna de Vries",
		}}).run(t, anna)
		for _, href := range []string{"/verhaal/bewerken", "/verhaal/versies", "/verhaal/afdrukken"} {
			if res.html().first(func(n *node) bool { return n.tag == "a" && n.attr("href") == href }) == nil {
				t.Errorf("the story page has no link to %s", href)
			}
		}
		// The form shows what was saved.
		form := anna.get(t, "/verhaal/bewerken").html()
		if got := form.input("finances_text").text(); got != "Ik heb schulden." {
			t.Errorf("finances text in the form = %q", got)
		}
		if in := form.byID("f-finances_rating-2"); in == nil || in.attr("checked") == "" && !hasAttr(in, "checked") {
			t.Errorf("rating 2 of finances is not checked in the form")
		}

		t.Run("bad input is kept and nothing is saved", func(t *testing.T) {
			long := strings.Repeat("a", story.MaxNarrative+1)
			f := storyForm(long, "Ik heb schulden.", "Nog steeds klein.")
			f.Set("housing_rating", "9")
			body := f.Encode() + "&work_text=" + badUTF8
			res := anna.postRaw(t, "/verhaal/bewerken", body)
			if res.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.status)
			}
			for field, key := range map[string]string{"narrative": "field.story.too_long", "housing_rating": "field.story.rating", "work_text": "field.invalid_text"} {
				if got := res.fieldError(field); got != k.t(key) {
					t.Errorf("%s: message %q, want %q", field, got, k.t(key))
				}
			}
			if got := res.html().input("narrative").text(); got != long {
				t.Errorf("the narrative was not kept (%d characters)", len(got))
			}
			if got := res.html().input("housing_text").text(); got != "Nog steeds klein." {
				t.Errorf("housing text kept as %q", got)
			}
			if got := res.html().input("work_text").text(); got != replaced {
				t.Errorf("work text kept as %q", got)
			}
			if n := k.versionCount(t, annaP); n != 1 {
				t.Errorf("%d versions after wrong input, want still 1", n)
			}
		})

		t.Run("versions", func(t *testing.T) {
			res := anna.post(t, "/verhaal/bewerken", storyForm("Ik ben mijn werk kwijt.\nNu is het stil thuis.", "Ik heb schulden.", "We gaan verhuizen."))
			if res.status != http.StatusSeeOther {
				t.Fatalf("second save: status %d", res.status)
			}
			res = (scenario{name: "list", path: "/verhaal/versies", status: 200, contains: []string{
				"Versie 2 bekijken", "Versie 1 bekijken", "Anna de Vries", k.t("story.section.housing"),
			}}).run(t, anna)
			rows := res.html().all(func(n *node) bool { return n.tag == "tr" })
			if len(rows) != 3 || !strings.Contains(rows[1].text(), "Versie 2") {
				t.Errorf("the list is not newest first: %v", res.text())
			}
			// Version 2 changed only housing.
			if cells := rows[1].all(func(n *node) bool { return n.tag == "td" }); len(cells) != 4 || cells[3].text() != k.t("story.section.housing") {
				t.Errorf("version 2 changed: %q", rows[1].text())
			}
			for _, sc := range []scenario{
				{name: "old version", path: "/verhaal/versies/1", status: 200, contains: []string{"Mijn huis is te klein.", k.t("story.version.read_only")}, excludes: []string{"We gaan verhuizen."}},
				{name: "new version", path: "/verhaal/versies/2", status: 200, contains: []string{"We gaan verhuizen."}},
				{name: "beyond", path: "/verhaal/versies/3", status: 404},
				{name: "not a number", path: "/verhaal/versies/een", status: 404},
			} {
				sc.run(t, anna)
			}
		})

		t.Run("print and download", func(t *testing.T) {
			res := (scenario{name: "print", path: "/verhaal/afdrukken", status: 200, contains: []string{"We gaan verhuizen.", k.t("story.print.download")},
				excludes: []string{k.t("story.section.law")}}).run(t, anna)
			btn := res.html().first(func(n *node) bool { return n.tag == "button" && hasAttr(n, "data-print") })
			if btn == nil || !hasAttr(btn, "hidden") || btn.attr("type") != "button" {
				t.Errorf("no hidden print button")
			}
			res = anna.get(t, "/verhaal/download")
			if res.status != 200 {
				t.Fatalf("download: status %d", res.status)
			}
			if got := res.header.Get("Content-Disposition"); got != `attachment; filename="mijn-verhaal.html"` {
				t.Errorf("Content-Disposition = %q", got)
			}
			if csp := res.header.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") {
				t.Errorf("download CSP %q has no sandbox", csp)
			}
			for _, bad := range []string{"<script", "<style", "style=", "<link"} {
				if strings.Contains(res.body, bad) {
					t.Errorf("the download holds %s", bad)
				}
			}
			for _, want := range []string{"Ik ben mijn werk kwijt.", "We gaan verhuizen.", k.t("story.rating.2")} {
				if !strings.Contains(res.html().text(), want) {
					t.Errorf("the download lacks %q", want)
				}
			}
		})

		t.Run("anonymous", func(t *testing.T) {
			(scenario{name: "login first", path: "/verhaal", status: 303, location: "/inloggen?terug=%2Fverhaal"}).run(t, k.client())
		})
	})
}

// hasAttr reports whether an element has an attribute, with or without a value.
func hasAttr(n *node, name string) bool {
	_, ok := n.attrs[name]
	return ok
}

// TestStory_Shared: a professional sees exactly the sections shared with
// them, comments only with read-and-comment access, and the resident sees
// the comment; without a grant the story does not exist.
func TestStory_Shared(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		ctx := context.Background()
		anna, annaP := k.as(t, resident), k.person(t, resident)
		carla, carlaP := k.as(t, professional), k.person(t, professional)
		if res := anna.post(t, "/verhaal/bewerken", storyForm("Mijn geheime verhaal.", "Ik heb schulden.", "Mijn huis is te klein.")); res.status != 303 {
			t.Fatalf("save: %d", res.status)
		}
		storyPath := "/gedeeld/" + annaP.ID + "/verhaal"
		commentPath := storyPath + "/finances/reactie"

		for _, sc := range []scenario{
			{name: "tile", path: "/", status: 200, contains: []string{"Gedeeld met mij"}},
			{name: "nothing shared", path: "/gedeeld", status: 200, contains: []string{k.t("shared.none")}, excludes: []string{"Anna de Vries"}},
			{name: "no grant", path: storyPath, status: 404, excludes: []string{"Ik heb schulden."}},
			{name: "no grant, comment", method: "POST", path: commentPath, form: url.Values{"body": {"Hallo"}}, status: 404},
			{name: "unknown resident", path: "/gedeeld/bestaat-niet/verhaal", status: 404},
		} {
			sc.run(t, carla)
		}

		grant := func(p consent.Permission) consent.Grant {
			g, err := k.consent.Grant(ctx, annaP, consent.NewGrant{GranteePersonID: carlaP.ID,
				Categories: []string{story.SectionCategory("finances"), story.SectionCategory("housing")},
				Permission: p, Purpose: consent.PurposeSupportPlan})
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		g := grant(consent.PermissionRead)
		res := (scenario{name: "list", path: "/gedeeld", status: 200, contains: []string{
			"Anna de Vries", k.t("story.section.finances"), k.t("story.section.housing"), k.t("shared.permission.read"),
		}}).run(t, carla)
		if res.html().first(func(n *node) bool { return n.tag == "a" && n.attr("href") == storyPath }) == nil {
			t.Errorf("the list does not link to the shared story")
		}
		res = (scenario{name: "read two sections", path: storyPath, status: 200,
			contains: []string{"Anna de Vries", "Ik heb schulden.", "Mijn huis is te klein.", k.t("shared.story.first_visit")},
			excludes: []string{"Mijn geheime verhaal.", "Mijn kinderen", k.t("story.section.work"), k.t("story.section.narrative")},
		}).run(t, carla)
		if res.html().form(commentPath) != nil {
			t.Errorf("a comment form is offered with read access only")
		}
		(scenario{name: "read only, comment", method: "POST", path: commentPath, form: url.Values{"body": {"Hallo"}}, status: 404}).run(t, carla)

		if _, err := k.consent.Revoke(ctx, annaP, g.ID); err != nil {
			t.Fatal(err)
		}
		(scenario{name: "revoked", path: storyPath, status: 404}).run(t, carla)
		grant(consent.PermissionReadComment)

		res = (scenario{name: "comment form", path: storyPath, status: 200, excludes: []string{k.t("shared.story.changed")}}).run(t, carla)
		if res.html().form(commentPath) == nil {
			t.Fatalf("no comment form with read-and-comment access")
		}
		res = carla.post(t, commentPath, url.Values{"body": {"  "}})
		if res.status != 422 || res.html().byID("f-comment-finances-error") == nil {
			t.Errorf("empty comment: status %d, no message at the field", res.status)
		}
		(scenario{name: "other section", method: "POST", path: storyPath + "/narrative/reactie", form: url.Values{"body": {"Hallo"}}, status: 404}).run(t, carla)
		(scenario{name: "no such section", method: "POST", path: storyPath + "/iets/reactie", form: url.Values{"body": {"Hallo"}}, status: 404}).run(t, carla)
		(scenario{name: "comment", method: "POST", path: commentPath, form: url.Values{"body": {"Zullen we een afspraak maken over je schulden?"}},
			status: 303, location: storyPath + "#sectie-finances"}).run(t, carla)
		(scenario{name: "comment shown", path: storyPath, status: 200, contains: []string{k.t("flash.comment_added"), "Zullen we een afspraak maken"}}).run(t, carla)

		// The resident sees the comment under its section.
		res = (scenario{name: "resident sees comment", path: "/verhaal", status: 200, contains: []string{"Zullen we een afspraak maken", "Carla Bakker"}}).run(t, anna)
		if sec := res.html().byID("sectie-finances"); sec == nil || !strings.Contains(sec.text(), "Zullen we een afspraak maken") {
			t.Errorf("the comment is not in the finances section")
		}

		// A change after the professional's visit is marked.
		if res := anna.post(t, "/verhaal/bewerken", storyForm("Mijn geheime verhaal.", "Ik heb een betalingsregeling.", "Mijn huis is te klein.")); res.status != 303 {
			t.Fatalf("save: %d", res.status)
		}
		res = (scenario{name: "changed since", path: storyPath, status: 200, contains: []string{"Ik heb een betalingsregeling."}}).run(t, carla)
		fin, hou := res.html().byID("sectie-finances"), res.html().byID("sectie-housing")
		if fin == nil || !strings.Contains(fin.text(), k.t("shared.story.changed")) {
			t.Errorf("finances is not marked as changed")
		}
		if hou == nil || strings.Contains(hou.text(), k.t("shared.story.changed")) {
			t.Errorf("housing is marked as changed")
		}

		// The filled pages in English: checkPage finds any untranslated key.
		for c, paths := range map[*client][]string{
			anna:  {"/verhaal", "/verhaal/bewerken", "/verhaal/versies", "/verhaal/versies/1", "/verhaal/afdrukken", "/verhaal/download"},
			carla: {"/gedeeld", storyPath},
		} {
			c.header.Set("Cookie", "ic_lang=en")
			for _, p := range paths {
				if res := c.get(t, p); res.status != 200 || res.html().first(func(n *node) bool { return n.tag == "html" }).attr("lang") != "en" {
					t.Errorf("%s in English: status %d", p, res.status)
				}
			}
			c.header.Del("Cookie")
		}

		// Another professional, without a grant, still gets nothing.
		(scenario{name: "consultant", path: storyPath, status: 404}).run(t, k.as(t, "consulent@demo.inwonercloud.nl"))
	})
}

// TestStory_Delegate: a trusted person acting for the resident reads and
// edits the resident's story, and the versions name who saved.
func TestStory_Delegate(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		ctx := context.Background()
		const delegate = "mantelzorger@demo.inwonercloud.nl"
		anna, annaP := k.as(t, resident), k.person(t, resident)
		bram, bramP := k.as(t, delegate), k.person(t, delegate)
		if res := anna.post(t, "/verhaal/bewerken", storyForm("Het verhaal van Anna.", "", "")); res.status != 303 {
			t.Fatalf("save: %d", res.status)
		}
		// Not acting for anyone: Bram's own, empty story.
		(scenario{name: "own", path: "/verhaal", status: 200, contains: []string{k.t("story.empty")}, excludes: []string{"Het verhaal van Anna."}}).run(t, bram)

		if _, err := k.consent.Appoint(ctx, annaP, consent.NewMandate{DelegateID: bramP.ID, Kind: consent.MandateTrustedPerson, Scope: []string{story.Category}}); err != nil {
			t.Fatal(err)
		}
		if _, err := k.identity.ActFor(ctx, bram.session(), annaP.ID); err != nil {
			t.Fatal(err)
		}
		(scenario{name: "tile", path: "/", status: 200, contains: []string{"Mijn verhaal"}}).run(t, bram)
		(scenario{name: "acting for", path: "/verhaal", status: 200, contains: []string{"Het verhaal van Anna.", "Je werkt nu voor Anna de Vries"}}).run(t, bram)
		if res := bram.post(t, "/verhaal/bewerken", storyForm("Het verhaal van Anna, aangevuld door Bram.", "", "")); res.status != 303 {
			t.Fatalf("delegate save: status %d", res.status)
		}
		if n := k.versionCount(t, annaP); n != 2 {
			t.Errorf("%d versions, want 2", n)
		}
		(scenario{name: "versions", path: "/verhaal/versies", status: 200, contains: []string{"Bram de Vries", "Anna de Vries"}}).run(t, bram)
		(scenario{name: "resident sees", path: "/verhaal", status: 200, contains: []string{"aangevuld door Bram", "Bram de Vries"}}).run(t, anna)

		// Without the mandate, acting for Anna shows nothing of hers.
		ms, err := k.consent.MandatesOf(ctx, annaP, annaP.ID)
		if err != nil || len(ms) != 1 {
			t.Fatalf("mandates: %v %d", err, len(ms))
		}
		if _, err := k.consent.RevokeMandate(ctx, annaP, ms[0].ID); err != nil {
			t.Fatal(err)
		}
		(scenario{name: "mandate ended", path: "/verhaal", status: 404, excludes: []string{"aangevuld door Bram"}}).run(t, bram)
	})
}
