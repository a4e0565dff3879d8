package web_test

import (
	"slices"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// TestHome_MarketTiles: the start page leads each role to its own
// marketplace pages, and to no one else's.
func TestHome_MarketTiles(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		k := newKit(t, db)
		all := []string{"/aanvragen", "/beoordelingen", "/aanbieder", "/aanbieder/aanvragen", "/aanbieder/beoordelingen",
			"/beheer/aanbod", "/beheer/categorieen", "/beheer/aanbod/uitwisselen", "/beheer/beoordelingen"}
		for _, tc := range []struct {
			email string
			want  []string
		}{
			{resident, []string{"/aanvragen", "/beoordelingen"}},
			{"aanbieder@demo.inwonercloud.nl", []string{"/aanbieder", "/aanbieder/aanvragen", "/aanbieder/beoordelingen"}},
			{tenantAdmin, []string{"/beheer/aanbod", "/beheer/categorieen", "/beheer/aanbod/uitwisselen"}},
			{"consulent@demo.inwonercloud.nl", []string{"/beheer/aanbod"}},
			{"moderator@demo.inwonercloud.nl", []string{"/beheer/beoordelingen"}},
			{professional, nil},
		} {
			res := k.as(t, tc.email).get(t, "/")
			if res.status != 200 {
				t.Fatalf("%s: start page %d", tc.email, res.status)
			}
			for _, href := range all {
				has := res.html().first(func(n *node) bool { return n.tag == "a" && n.attr("href") == href }) != nil
				if want := slices.Contains(tc.want, href); has != want {
					t.Errorf("%s: link to %s shown %v, want %v", tc.email, href, has, want)
				}
				if !has {
					continue
				}
				// Each tile leads to a page this person may open.
				if page := k.as(t, tc.email).get(t, href); page.status != 200 {
					t.Errorf("%s: %s answers %d", tc.email, href, page.status)
				}
			}
		}
	})
}
