package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestIdle(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel() // the databases side by side
		k := newKit(t, db)
		loggedIn := func(c *client) bool {
			t.Helper()
			res := c.get(t, "/account")
			if res.status == http.StatusSeeOther && (strings.HasPrefix(res.location(), "/inloggen") || strings.HasPrefix(res.location(), "/sessie/verlopen")) {
				return false
			}
			if res.status != http.StatusOK {
				t.Fatalf("GET /account: %d", res.status)
			}
			return true
		}

		t.Run("PagesAnnounceTheDeadline", func(t *testing.T) {
			c := k.as(t, resident)
			deadline := k.clock.Now().Add(identity.IdleTimeout)
			res := c.get(t, "/account")
			body := res.html().first(func(n *node) bool { return n.tag == "body" })
			if got := body.attr("data-idle-deadline"); got != deadline.UTC().Format(time.RFC3339) {
				t.Errorf("data-idle-deadline = %q, want %q", got, deadline.UTC().Format(time.RFC3339))
			}
			// Without JavaScript the page tells the deadline in advance and
			// offers the button; it never refreshes by itself (WCAG 2.2.1).
			amsterdam, _ := time.LoadLocation("Europe/Amsterdam")
			if note := k.catalog.T("nl", "idle.note", map[string]string{"Time": deadline.In(amsterdam).Format("15:04")}); !strings.Contains(res.text(), note) {
				t.Errorf("page does not announce the deadline: want %q", note)
			}
			if v, ok := res.html().form("/sessie/verlengen").hidden("terug"); !ok || v != "/account" {
				t.Errorf("stay button on the page returns to %q (present %v), want /account", v, ok)
			}
			if refresh := res.html().first(func(n *node) bool { return n.tag == "meta" && n.attr("http-equiv") == "refresh" }); refresh != nil {
				t.Errorf("page refreshes by itself: %v", refresh)
			}
		})

		t.Run("WarningDoesNotExtend", func(t *testing.T) {
			c := k.as(t, resident)
			k.clock.Advance(14 * time.Minute)
			res := c.get(t, "/sessie/verloopt?terug=/account")
			if res.status != http.StatusOK || res.h1() != k.t("idle.title") {
				t.Fatalf("warning page: %d %q", res.status, res.h1())
			}
			if v, _ := res.html().form("/sessie/verlengen").hidden("terug"); v != "/account" {
				t.Errorf("stay button returns to %q, want /account", v)
			}
			k.clock.Advance(2 * time.Minute)
			if loggedIn(c) {
				t.Errorf("still logged in 16 minutes after the last action: the warning page counted as activity")
			}
			res = c.get(t, "/sessie/verloopt")
			if res.location() != "/sessie/verlopen" {
				t.Errorf("warning after expiry: to %q, want /sessie/verlopen", res.location())
			}
			if res := c.get(t, "/sessie/verlopen"); res.h1() != k.t("idle_expired.title") || !strings.Contains(res.text(), k.t("idle_expired.text")) {
				t.Errorf("expired page: %q", res.h1())
			}
		})

		t.Run("IdleLogsOut", func(t *testing.T) {
			c := k.as(t, resident)
			k.clock.Advance(16 * time.Minute)
			res := c.get(t, "/account/sessies")
			if res.status != http.StatusSeeOther || res.location() != "/sessie/verlopen?terug=%2Faccount%2Fsessies" {
				t.Errorf("after 16 idle minutes: %d to %q, want 303 to the page that says why", res.status, res.location())
			}
			if c.session() != "" {
				t.Errorf("the expired session cookie was not cleared")
			}
		})

		t.Run("ActivityKeepsAlive", func(t *testing.T) {
			c := k.as(t, resident)
			for range 4 {
				k.clock.Advance(14 * time.Minute)
				if !loggedIn(c) {
					t.Fatal("logged out despite activity every 14 minutes")
				}
			}
		})

		t.Run("StayButton", func(t *testing.T) {
			c := k.as(t, resident)
			k.clock.Advance(14 * time.Minute)
			res := c.post(t, "/sessie/verlengen", url.Values{"terug": {"/account"}})
			if res.status != http.StatusSeeOther || res.location() != "/account" {
				t.Fatalf("stay: %d to %q", res.status, res.location())
			}
			k.clock.Advance(14 * time.Minute)
			res = c.get(t, "/account")
			if res.status != http.StatusOK || res.flash() != k.t("flash.session_extended") {
				t.Errorf("28 minutes after login, 14 after staying: %d, flash %q", res.status, res.flash())
			}
		})

		t.Run("StayFromScript", func(t *testing.T) {
			c := k.as(t, resident)
			k.clock.Advance(13 * time.Minute)
			req, _ := http.NewRequest(http.MethodPost, k.base+"/sessie/verlengen", nil)
			req.Header.Set("Accept", "application/json")
			res := c.do(t, req)
			if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") {
				t.Fatalf("JSON stay: %d %q", res.status, res.header.Get("Content-Type"))
			}
			var got struct{ IdleDeadline string }
			if err := json.Unmarshal([]byte(res.body), &got); err != nil {
				t.Fatalf("%v: %s", err, res.body)
			}
			if want := k.clock.Now().Add(identity.IdleTimeout).UTC().Format(time.RFC3339); got.IdleDeadline != want {
				t.Errorf("idleDeadline %q, want %q", got.IdleDeadline, want)
			}
			k.clock.Advance(14 * time.Minute)
			if !loggedIn(c) {
				t.Errorf("the JSON stay did not extend the session")
			}

			// Once logged out, the script is told so.
			k.clock.Advance(16 * time.Minute)
			req, _ = http.NewRequest(http.MethodPost, k.base+"/sessie/verlengen", nil)
			req.Header.Set("Accept", "application/json")
			if res := c.do(t, req); res.status != http.StatusUnauthorized || !strings.Contains(res.body, `"loggedIn":false`) {
				t.Errorf("JSON stay after expiry: %d %s", res.status, res.body)
			}
		})

		t.Run("AdminSessionLastsAnHour", func(t *testing.T) {
			c := k.login(t, tenantAdmin)
			for i := 1; i < 6; i++ {
				k.clock.Advance(10 * time.Minute)
				if !loggedIn(c) {
					t.Fatalf("admin logged out after %d minutes with activity every 10", i*10)
				}
			}
			k.clock.Advance(10 * time.Minute)
			if loggedIn(c) {
				t.Errorf("admin session still works after an hour")
			}
		})

		t.Run("ResidentSessionLastsEightHours", func(t *testing.T) {
			c := k.login(t, resident)
			for i := 1; i <= int(identity.SessionLifetime/(10*time.Minute)); i++ {
				k.clock.Advance(10 * time.Minute)
				want := time.Duration(i)*10*time.Minute < identity.SessionLifetime
				if got := loggedIn(c); got != want {
					t.Fatalf("after %d minutes of activity: logged in %v, want %v", i*10, got, want)
				}
			}
		})
	})
}
