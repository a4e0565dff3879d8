package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// TestOffering_RequestButton: the offering page asks a visitor to log in
// to request it and gives a resident the button; someone who works for
// the offering's provider cannot request it (package request), so they
// get a note instead of a button that would only lead to an error.
func TestOffering_RequestButton(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		k.seedMarket(t)
		o := k.requestOffering(t, "Hulp bij de tuin", market.CostFree)
		path := "/aanbod/" + o.ID
		request := func(n *node) bool { return n.tag == "a" && n.attr("href") == path+"/aanvragen" }
		login := func(n *node) bool {
			return n.tag == "a" && strings.HasPrefix(n.attr("href"), "/inloggen?terug="+path+"/aanvragen")
		}
		note := k.t("request.cta.own_provider")
		for _, tc := range []struct {
			name            string
			c               *client
			button, loginTo bool
			note            bool
		}{
			{"visitor", k.client(), false, true, false},
			{"resident", k.as(t, resident), true, false, false},
			{"own provider", k.as(t, requestProvider), false, false, true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := tc.c.get(t, path)
				if r.status != http.StatusOK {
					t.Fatalf("GET %s: %d", path, r.status)
				}
				main := r.html()
				if got := main.first(request) != nil; got != tc.button {
					t.Errorf("request button shown: %v, want %v", got, tc.button)
				}
				if got := main.first(login) != nil; got != tc.loginTo {
					t.Errorf("log-in link shown: %v, want %v", got, tc.loginTo)
				}
				if got := strings.Contains(r.text(), note); got != tc.note {
					t.Errorf("own-provider note shown: %v, want %v", got, tc.note)
				}
			})
		}
		// The note is right: the request form refuses the provider.
		form := url.Values{"message": {"Ik wil graag hulp in de tuin."}}
		if r := k.as(t, requestProvider).post(t, path+"/aanvragen", form); r.status == http.StatusSeeOther {
			t.Errorf("the provider requested its own offering: %d to %s", r.status, r.location())
		}
	})
}
