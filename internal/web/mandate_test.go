package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

const delegate = "mantelzorger@demo.inwonercloud.nl" // Bram de Vries

func TestMandate_AppointActStop(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		annaID := k.person(t, resident).ID
		anna := k.fresh(t, resident)
		bram := k.fresh(t, delegate)
		jan := k.as(t, resident2)

		// Without a mandate nobody can act for Anna.
		(scenario{name: "no mandate", method: "POST", path: "/namens", form: url.Values{"resident": {annaID}}, status: 404}).run(t, bram)
		(scenario{name: "no mandate, other resident", method: "POST", path: "/namens", form: url.Values{"resident": {annaID}}, status: 404}).run(t, jan)

		for _, sc := range []scenario{
			{name: "form", path: "/machtigingen/nieuw", status: 200, contains: []string{k.t("mandate_new.scope.story")}},
			{name: "nothing", method: "POST", path: "/machtigingen/nieuw", form: url.Values{}, status: 422, contains: []string{k.t("field.delegate.required"), k.t("field.scope.required")}},
			{name: "unknown", method: "POST", path: "/machtigingen/nieuw", form: url.Values{"delegate": {"niemand@example.nl"}, "scope[]": {"story"}}, status: 422, contains: []string{k.t("field.delegate.unknown")}},
			{name: "self", method: "POST", path: "/machtigingen/nieuw", form: url.Values{"delegate": {resident}, "scope[]": {"story"}}, status: 422, contains: []string{k.t("field.delegate.self")}},
		} {
			r := sc.run(t, anna)
			if sc.form.Get("delegate") != "" && r.html().input("delegate").attr("value") != sc.form.Get("delegate") {
				t.Errorf("%s: input not kept", sc.name)
			}
		}
		(scenario{name: "nothing stored", path: "/machtigingen", status: 200, contains: []string{k.t("mandate.none_given")}}).run(t, anna)
		(scenario{name: "appoint", method: "POST", path: "/machtigingen/nieuw", form: url.Values{"delegate": {delegate}, "scope[]": {"story", "consent"}, "valid_until": {dateIn(k, 100)}}, status: 303, location: "/machtigingen"}).run(t, anna)
		(scenario{name: "given", path: "/machtigingen", status: 200, contains: []string{"Bram de Vries", k.t("mandate.revoke")}}).run(t, anna)
		// The other apps' data can be in a scope too; an unknown one cannot.
		(scenario{name: "form offers all", path: "/machtigingen/nieuw", status: 200, contains: []string{k.t("mandate_new.scope.request"),
			k.t("mandate_new.scope.review"), k.t("mandate_new.scope.budget")}}).run(t, anna)
		(scenario{name: "unknown scope", method: "POST", path: "/machtigingen/nieuw", form: url.Values{"delegate": {delegate}, "scope[]": {"geheim"},
			"valid_until": {dateIn(k, 100)}}, status: 422}).run(t, anna)

		// Bram acts for Anna: the banner shows, her pages are his to use.
		(scenario{name: "held", path: "/machtigingen", status: 200, contains: []string{"Handel namens Anna de Vries"}}).run(t, bram)
		(scenario{name: "act", method: "POST", path: "/namens", form: url.Values{"resident": {annaID}}, status: 303, location: "/"}).run(t, bram)
		r := bram.get(t, "/")
		if !strings.Contains(r.html().text(), "Je handelt namens Anna de Vries") {
			t.Errorf("no banner while acting for Anna")
		}
		(scenario{name: "her sharing", path: "/delen", status: 200, contains: []string{k.t("consent.none")}}).run(t, bram)
		(scenario{name: "her log", path: "/wie-keek-mee", status: 200}).run(t, bram)
		// He shares for her: the grant is Anna's, and her log names both.
		(scenario{name: "share for her", method: "POST", path: "/delen/nieuw", form: url.Values{"grantee_email": {professional}, "categories[]": {"story:housing"},
			"permission": {"read"}, "purpose": {"informal_care"}}, status: 303}).run(t, bram)
		if n := k.grantsOf(t, resident); n != 1 {
			t.Fatalf("Anna has %d grants, want the 1 Bram made for her", n)
		}
		if n := k.grantsOf(t, delegate); n != 0 {
			t.Errorf("Bram has %d grants of his own, want 0", n)
		}
		(scenario{name: "his share in her log", path: "/wie-keek-mee", status: 200, contains: []string{k.t("accesslog.action.share"), "namens Anna de Vries"}}).run(t, anna)
		// Anna's log shows Bram reading it, as her trusted person.
		(scenario{name: "Bram in Anna's log", path: "/wie-keek-mee", status: 200, contains: []string{"Bram de Vries", k.t("accesslog.why.mandate")}}).run(t, anna)

		// Stop.
		(scenario{name: "stop", method: "POST", path: "/namens", form: url.Values{"resident": {""}}, status: 303, location: "/machtigingen"}).run(t, bram)
		if r := bram.get(t, "/"); strings.Contains(r.html().text(), "Je handelt namens") {
			t.Errorf("banner after stopping")
		}

		// Anna revokes; Bram can no longer act for her.
		r = anna.get(t, "/machtigingen")
		form := r.html().first(func(n *node) bool { return n.tag == "form" && strings.HasSuffix(n.attr("action"), "/intrekken") })
		if form == nil {
			t.Fatal("no revoke button")
		}
		(scenario{name: "revoke", method: "POST", path: form.attr("action"), form: url.Values{}, status: 303, location: "/machtigingen"}).run(t, anna)
		(scenario{name: "after revoking", method: "POST", path: "/namens", form: url.Values{"resident": {annaID}}, status: 404}).run(t, bram)
	})
}
