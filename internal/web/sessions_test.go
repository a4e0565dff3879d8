package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/seed"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

var sessionAction = regexp.MustCompile(`^/account/sessies/([^/]+)/beeindigen$`)

// sessions reads the sessions page: the ids listed, and the current one.
func (c *client) sessions(t *testing.T) (ids []string, current string) {
	t.Helper()
	res := c.get(t, "/account/sessies")
	if res.status != http.StatusOK {
		t.Fatalf("sessions page: %d", res.status)
	}
	this := c.k.t("sessions.this")
	for _, row := range res.html().all(func(n *node) bool { return n.tag == "tr" }) {
		f := row.first(func(n *node) bool { return n.tag == "form" })
		if f == nil {
			continue
		}
		m := sessionAction.FindStringSubmatch(f.attr("action"))
		if m == nil {
			t.Fatalf("unexpected form action %q", f.attr("action"))
		}
		ids = append(ids, m[1])
		if strings.Contains(row.text(), this) {
			if current != "" {
				t.Errorf("two sessions marked %q", this)
			}
			current = m[1]
		}
	}
	return ids, current
}

func TestSessions(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel() // the databases side by side
		k := newKit(t, db)
		a, b := k.login(t, resident), k.login(t, resident)
		ids, current := a.sessions(t)
		if len(ids) != 2 || current == "" {
			t.Fatalf("sessions page lists %d sessions (current %q), want 2 and one marked", len(ids), current)
		}
		otherID := ids[0]
		if otherID == current {
			otherID = ids[1]
		}

		t.Run("AnotherPersonsSession", func(t *testing.T) {
			jan := k.as(t, resident2)
			_, janID := jan.sessions(t)
			res := a.post(t, "/account/sessies/"+janID+"/beeindigen", nil)
			if res.status != http.StatusNotFound || res.h1() != "Pagina niet gevonden" {
				t.Errorf("ending another person's session: %d %q, want the 404 page", res.status, res.h1())
			}
			if res := jan.get(t, "/account"); res.status != http.StatusOK {
				t.Errorf("the other person was logged out: %d", res.status)
			}
		})
		t.Run("EndOther", func(t *testing.T) {
			res := a.post(t, "/account/sessies/"+otherID+"/beeindigen", nil)
			if res.status != http.StatusSeeOther || res.location() != "/account/sessies" {
				t.Fatalf("end: %d to %q", res.status, res.location())
			}
			if res := a.get(t, "/account/sessies"); res.flash() != k.t("flash.session_ended") {
				t.Errorf("flash %q", res.flash())
			}
			if res := b.get(t, "/account"); res.status != http.StatusSeeOther {
				t.Errorf("the ended session still works: %d", res.status)
			}
			if ids, _ := a.sessions(t); len(ids) != 1 {
				t.Errorf("%d sessions listed after ending one, want 1", len(ids))
			}
		})
		t.Run("EndAllOthers", func(t *testing.T) {
			c, d := k.as(t, resident), k.as(t, resident)
			res := a.post(t, "/account/sessies/andere-beeindigen", nil)
			if res.status != http.StatusSeeOther {
				t.Fatalf("end others: %d", res.status)
			}
			for _, x := range []*client{c, d} {
				if res := x.get(t, "/account"); res.status != http.StatusSeeOther {
					t.Errorf("another session still works: %d", res.status)
				}
			}
			if res := a.get(t, "/account"); res.status != http.StatusOK {
				t.Errorf("this session ended too: %d", res.status)
			}
		})
		t.Run("EndThis", func(t *testing.T) {
			res := a.post(t, "/account/sessies/"+current+"/beeindigen", nil)
			if res.status != http.StatusSeeOther || res.location() != "/" || a.session() != "" {
				t.Errorf("ending this session: %d to %q, cookie %q", res.status, res.location(), a.session())
			}
		})
	})
}

func TestTokens(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel() // the databases side by side
		k := newKit(t, db)
		ctx := context.Background()
		issue := func(email, name string) identity.APIToken {
			_, tok, err := k.identity.IssueToken(ctx, identity.TokenRequest{
				Credentials: identity.Credentials{Email: email, Password: seed.Password, Address: "192.0.2.1"}, Name: name,
			})
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		mine := issue(resident, "Budget-app")
		theirs := issue(resident2, "Agenda-app")
		c := k.as(t, resident)

		res := c.get(t, "/account/tokens")
		if !strings.Contains(res.text(), "Budget-app") || strings.Contains(res.text(), "Agenda-app") {
			t.Errorf("tokens page: %s", res.text())
		}
		res = c.post(t, "/account/tokens/"+theirs.ID+"/intrekken", nil)
		if res.status != http.StatusNotFound {
			t.Errorf("revoking another person's token: %d, want 404", res.status)
		}
		res = c.post(t, "/account/tokens/"+mine.ID+"/intrekken", nil)
		if res.status != http.StatusSeeOther || res.location() != "/account/tokens" {
			t.Fatalf("revoke: %d to %q", res.status, res.location())
		}
		res = c.get(t, "/account/tokens")
		if res.flash() != k.t("flash.token_revoked") || !strings.Contains(res.text(), k.t("tokens.none")) {
			t.Errorf("after revoking: flash %q, text %s", res.flash(), res.text())
		}
		list, err := k.identity.Tokens(ctx, k.person(t, resident2).ID)
		if err != nil || len(list) != 1 {
			t.Errorf("the other person's token: %v %d", err, len(list))
		}
	})
}
