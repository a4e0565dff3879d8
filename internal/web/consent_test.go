package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/story"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestConsent_Validation(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		anna := k.fresh(t, resident)
		notPro := k.t("field.grantee.not_professional")
		for _, sc := range []scenario{
			{name: "nothing", method: "POST", path: "/delen/nieuw", form: url.Values{}, status: 422,
				contains: []string{k.t("field.grantee.required"), k.t("field.categories.required"), k.t("field.permission.required"), k.t("field.purpose.required")}},
			{name: "unknown address", method: "POST", path: "/delen/nieuw", form: url.Values{"grantee_email": {"niemand@example.nl"}, "categories[]": {"story"}}, status: 422, contains: []string{notPro}},
			{name: "a resident, not a professional", method: "POST", path: "/delen/nieuw", form: url.Values{"grantee_email": {resident2}, "categories[]": {"story"}, "permission": {"read"}, "purpose": {"assessment"}}, status: 422, contains: []string{notPro}, excludes: []string{"Jan Hoekstra"}},
			{name: "both", method: "POST", path: "/delen/nieuw", form: url.Values{"grantee_email": {professional}, "organisation": {k.orgs["team"].ID}, "categories[]": {"story"}, "permission": {"read"}, "purpose": {"assessment"}}, status: 422, contains: []string{k.t("field.grantee.ambiguous")}},
			{name: "bad date", method: "POST", path: "/delen/nieuw", form: url.Values{"grantee_email": {professional}, "categories[]": {"story"}, "permission": {"read"}, "purpose": {"assessment"}, "valid_until": {"morgen"}}, status: 422, contains: []string{k.t("field.date.invalid")}},
			{name: "too late", method: "POST", path: "/delen/nieuw", form: url.Values{"grantee_email": {professional}, "categories[]": {"story"}, "permission": {"read"}, "purpose": {"assessment"}, "valid_until": {"2099-01-01"}}, status: 422, contains: []string{k.t("field.valid_until.too_late")}},
		} {
			r := sc.run(t, anna)
			if v := r.html().input("grantee_email"); sc.form.Get("grantee_email") != "" && (v == nil || v.attr("value") != sc.form.Get("grantee_email")) {
				t.Errorf("%s: the address typed was not kept", sc.name)
			}
			if sc.form.Get("categories[]") != "" && !strings.Contains(r.body, `value="story" checked`) {
				t.Errorf("%s: the chosen section was not kept", sc.name)
			}
		}
		if n := k.grantsOf(t, resident); n != 0 {
			t.Fatalf("invalid forms stored %d grants", n)
		}
	})
}

func TestConsent_ShareReadRevoke(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		ctx := context.Background()
		annaP, carlaP := k.person(t, resident), k.person(t, professional)
		if _, err := k.story.Save(ctx, story.Reader{Person: annaP}, annaP.ID, story.Content{
			Narrative: "Mijn verhaal.", Domains: map[story.Domain]story.DomainEntry{story.Finances: {Text: "Schulden."}, story.Housing: {Text: "Te klein."}, story.Health: {Text: "Rug."}},
		}); err != nil {
			t.Fatal(err)
		}
		anna := k.fresh(t, resident)
		r := anna.post(t, "/delen/nieuw", url.Values{"grantee_email": {"Hulpverlener@demo.inwonercloud.nl"}, "categories[]": {"story:finances", "story:housing"},
			"permission": {"read"}, "purpose": {"support_plan"}, "valid_until": {dateIn(k, 30)}})
		if r.status != 303 || !strings.HasPrefix(r.location(), "/delen/") {
			t.Fatalf("share: %d %q; %s", r.status, r.location(), r.fieldError("grantee"))
		}
		receipt := r.location()
		for _, sc := range []scenario{
			{name: "receipt", path: receipt, status: 200, contains: []string{"Carla Bakker", k.t("consent.section.finances"), k.t("consent.section.housing"), k.t("consent.purpose.support_plan"), k.t("consent.status.live"), "Versie 1"}, excludes: []string{k.t("consent.section.health")}},
			{name: "list", path: "/delen", status: 200, contains: []string{"Carla Bakker", k.t("consent.status.live"), k.t("consent.history")}},
		} {
			sc.run(t, anna)
		}
		// The professional reads exactly the two sections.
		rd, err := k.story.Get(ctx, story.Reader{Person: carlaP}, annaP.ID)
		if err != nil {
			t.Fatalf("professional reads: %v", err)
		}
		if got := strings.Join(rd.Visible, ","); got != "finances,housing" && got != "housing,finances" {
			t.Errorf("the professional sees %q, want finances and housing", got)
		}
		if rd.Content.Narrative != "" || rd.Content.Entry(story.Health).Text != "" {
			t.Errorf("the professional sees sections that were not shared")
		}
		// The resident sees that read in plain words.
		(scenario{name: "access log", path: "/wie-keek-mee", status: 200, contains: []string{
			"Carla Bakker", k.t("role.professional"), "Sociaal Team Woerden", k.t("accesslog.action.read"),
			k.catalog.T("nl", "accesslog.why.consent", map[string]any{"Purpose": k.t("consent.purpose.support_plan")}), k.t("accesslog.allowed"),
		}}).run(t, anna)
		(scenario{name: "a period without reads", path: "/wie-keek-mee?van=2020-01-01&tot=2020-01-31", status: 200, contains: []string{k.t("accesslog.none")}}).run(t, anna)
		(scenario{name: "a wrong period", path: "/wie-keek-mee?van=2020-02-01&tot=2020-01-01", status: 422, contains: []string{k.t("field.date.before_from")}}).run(t, anna)

		// Extend, with a wrong and a right date.
		(scenario{name: "extend wrong", method: "POST", path: receipt + "/verlengen", form: url.Values{"valid_until": {"gisteren"}}, status: 422, contains: []string{k.t("field.date.invalid")}}).run(t, anna)
		(scenario{name: "extend", method: "POST", path: receipt + "/verlengen", form: url.Values{"valid_until": {dateIn(k, 60)}}, status: 303, location: receipt}).run(t, anna)
		(scenario{name: "receipt v2", path: receipt, status: 200, contains: []string{"Versie 2", k.t("flash.consent_extended")}}).run(t, anna)

		// Someone else cannot see or revoke it.
		jan := k.fresh(t, resident2)
		(scenario{name: "other resident's receipt", path: receipt, status: 404}).run(t, jan)
		(scenario{name: "other resident revokes", method: "POST", path: receipt + "/intrekken", form: url.Values{}, status: 404}).run(t, jan)

		// Revoke: the very next read is refused.
		(scenario{name: "revoke", method: "POST", path: receipt + "/intrekken", form: url.Values{}, status: 303, location: receipt}).run(t, anna)
		(scenario{name: "receipt revoked", path: receipt, status: 200, contains: []string{k.t("consent.status.revoked"), "Versie 3"}, excludes: []string{k.t("consent_show.revoke_submit")}}).run(t, anna)
		if _, err := k.story.Get(ctx, story.Reader{Person: carlaP}, annaP.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("after revoking: err %v, want NotFound", err)
		}
		(scenario{name: "refusal in the log", path: "/wie-keek-mee", status: 200, contains: []string{k.t("accesslog.denied")}}).run(t, anna)
	})
}

// dateIn is the date n days from the kit's now, as a date input holds it.
func dateIn(k *kit, n int) string {
	return k.clock.Now().AddDate(0, 0, n).Format("2006-01-02")
}

func TestAccessLog_Pages(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		ctx := context.Background()
		annaP, carlaP := k.person(t, resident), k.person(t, professional)
		if _, err := k.story.Save(ctx, story.Reader{Person: annaP}, annaP.ID, story.Content{Narrative: "Mijn verhaal."}); err != nil {
			t.Fatal(err)
		}
		anna := k.fresh(t, resident)
		if r := anna.post(t, "/delen/nieuw", url.Values{"grantee_email": {professional}, "categories[]": {"story"}, "permission": {"read"}, "purpose": {"assessment"}}); r.status != 303 {
			t.Fatalf("share: %d", r.status)
		}
		// Every section read is one record: a few reads fill more than a page.
		for range 3 {
			if _, err := k.story.Get(ctx, story.Reader{Person: carlaP}, annaP.ID); err != nil {
				t.Fatal(err)
			}
		}
		r := (scenario{name: "page 1", path: "/wie-keek-mee", status: 200, contains: []string{k.t("accesslog.next")}, excludes: []string{k.t("accesslog.prev")}}).run(t, anna)
		next := r.html().first(func(n *node) bool { return n.tag == "a" && n.attr("rel") == "next" })
		if next == nil {
			t.Fatal("no link to the next page")
		}
		(scenario{name: "page 2", path: next.attr("href"), status: 200, contains: []string{k.t("accesslog.prev"), "Carla Bakker"}}).run(t, anna)
		// Someone else's log is never shown: the page is always one's own.
		(scenario{name: "Carla's own log", path: "/wie-keek-mee", status: 200, excludes: []string{"Anna de Vries"}}).run(t, k.as(t, professional))
	})
}
