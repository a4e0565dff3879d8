package web_test

import (
	"net/http"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// TestPortal_DefaultButton: Enter in a field of the offering form presses
// the form's first submit button (HTML's implicit submission), so that
// button must save (action "submit"), not add a location block; the
// "add a location" button is still there, and every button has an action.
func TestPortal_DefaultButton(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		k.seedMarket(t)
		live := k.requestOffering(t, "Hulp bij de boodschappen", market.CostFree)
		eva := k.as(t, requestProvider)
		for _, path := range []string{"/aanbieder/aanbod/nieuw", "/aanbieder/aanbod/" + live.ID} {
			r := eva.get(t, path)
			if r.status != http.StatusOK {
				t.Fatalf("GET %s: %d", path, r.status)
			}
			form := r.html().form(path)
			if form == nil {
				t.Fatalf("GET %s: no form posting to itself", path)
			}
			buttons := form.all(func(n *node) bool {
				return (n.tag == "button" && n.attr("type") != "button" && n.attr("type") != "reset") || (n.tag == "input" && n.attr("type") == "submit")
			})
			if len(buttons) == 0 || buttons[0].attr("name") != "action" || buttons[0].attr("value") != "submit" {
				t.Fatalf("GET %s: the first submit button is %+v, want action=submit", path, buttons)
			}
			adds := 0
			for _, b := range buttons {
				if b.attr("value") == "add_location" {
					adds++
				}
				if b.attr("name") != "action" || b.attr("value") == "" {
					t.Errorf("GET %s: a submit button without an action: %+v", path, b.attrs)
				}
			}
			if adds != 1 {
				t.Errorf("GET %s: %d buttons add a location, want 1", path, adds)
			}
		}
	})
}
