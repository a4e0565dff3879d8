package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/rights"
	"github.com/inwonercloud/inwonercloud/internal/app/story"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// rightsWorld is anna's data and jan's: anna wrote a story and shared its
// finances with carla, who read it; jan wrote a story of his own.
type rightsWorld struct {
	anna, jan, carla  identity.Person
	annaText, janText string
	grant             consent.Grant
}

func newRightsWorld(t *testing.T, k *kit) rightsWorld {
	t.Helper()
	ctx := context.Background()
	w := rightsWorld{anna: k.person(t, resident), jan: k.person(t, resident2), carla: k.person(t, professional),
		annaText: "Anna-canary mijn huur is te hoog", janText: "Jan-canary ik zoek werk"}
	save := func(p identity.Person, text string) {
		c := story.Content{Narrative: text, Domains: map[story.Domain]story.DomainEntry{story.Finances: {Text: text + " (geld)", Rating: 2}}}
		if _, err := k.story.Save(ctx, story.Reader{Person: p}, p.ID, c); err != nil {
			t.Fatal(err)
		}
	}
	save(w.anna, w.annaText)
	save(w.jan, w.janText)
	g, err := k.consent.Grant(ctx, w.anna, consent.NewGrant{GranteePersonID: w.carla.ID, Categories: []string{story.SectionCategory("finances")},
		Permission: consent.PermissionRead, Purpose: consent.PurposeSupportPlan})
	if err != nil {
		t.Fatal(err)
	}
	w.grant = g
	if _, err := k.story.Get(ctx, story.Reader{Person: w.carla}, w.anna.ID); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestExport(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		w := newRightsWorld(t, k)

		t.Run("AnonymousGoesToLogin", func(t *testing.T) {
			r := k.client().get(t, "/account/gegevens/export.json")
			if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/inloggen") {
				t.Errorf("status %d to %q, want 303 to /inloggen", r.status, r.location())
			}
		})
		t.Run("StaleLoginAsksPassword", func(t *testing.T) {
			c := k.as(t, resident) // a session without a recent password
			if r := c.get(t, "/account/gegevens"); r.status != http.StatusOK || r.h1() != k.t("rights.export.title") {
				t.Errorf("page: status %d, h1 %q", r.status, r.h1())
			}
			for _, path := range []string{"/account/gegevens/export.json", "/account/gegevens/export.html"} {
				r := c.get(t, path)
				if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/bevestig-wachtwoord") {
					t.Errorf("%s: status %d to %q, want 303 to the password page", path, r.status, r.location())
				}
			}
		})

		c := k.login(t, resident)
		t.Run("JSON", func(t *testing.T) {
			r := c.get(t, "/account/gegevens/export.json")
			if r.status != http.StatusOK {
				t.Fatalf("status %d", r.status)
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
				t.Errorf("Content-Disposition %q", cd)
			}
			var b rights.Bundle
			if err := json.Unmarshal([]byte(r.body), &b); err != nil {
				t.Fatalf("export.json does not parse: %v", err)
			}
			var raw map[string]any
			if err := json.Unmarshal([]byte(r.body), &raw); err != nil || raw["schemaVersion"] != rights.SchemaVersion {
				t.Errorf("schemaVersion %v, want %q", raw["schemaVersion"], rights.SchemaVersion)
			}
			if b.Person.ID != w.anna.ID || b.Person.Email != resident || b.Person.DisplayName != w.anna.DisplayName {
				t.Errorf("person %+v", b.Person)
			}
			if len(b.Sessions) == 0 {
				t.Error("no sessions")
			}
			if len(b.Story.Versions) != 1 || b.Story.Versions[0].Narrative != w.annaText {
				t.Errorf("story versions %+v", b.Story.Versions)
			}
			if len(b.GrantsGiven) != 1 || b.GrantsGiven[0].ID != w.grant.ID || len(b.GrantsGiven[0].Versions) != 1 {
				t.Errorf("grants given %+v", b.GrantsGiven)
			}
			read := false
			for _, a := range b.AccessLog {
				if a.ActorID == w.carla.ID && a.Action == "read" && a.Outcome == "allowed" {
					read = true
				}
			}
			if !read {
				t.Errorf("carla's read is not in the access log %+v", b.AccessLog)
			}
			for _, other := range []string{w.janText, resident2, w.jan.ID, w.jan.DisplayName} {
				if strings.Contains(r.body, other) {
					t.Errorf("the export holds %q of another resident", other)
				}
			}
			if strings.Contains(r.body, "$argon2") || strings.Contains(r.body, "PasswordHash") {
				t.Error("the export holds a password hash")
			}
		})
		t.Run("HTML", func(t *testing.T) {
			// A download, not a page of the site: stricter than a page (no
			// script at all), so fetched past the page checker.
			r := c.download(t, "/account/gegevens/export.html")
			if r.status != http.StatusOK {
				t.Fatalf("status %d; log:\n%s", r.status, k.log.String())
			}
			if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
				t.Errorf("Content-Disposition %q", cd)
			}
			if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "sandbox") {
				t.Errorf("CSP %q", csp)
			}
			if !strings.Contains(r.body, w.annaText) || !strings.Contains(r.body, resident) {
				t.Error("the readable export lacks anna's story or address")
			}
			if strings.Contains(r.body, "<script") || strings.Contains(r.body, "style=") {
				t.Error("the readable export has script or inline style")
			}
			if strings.Contains(r.body, w.janText) {
				t.Error("the readable export holds jan's story")
			}
		})
		t.Run("OnlyOwn", func(t *testing.T) {
			svc := rightsService(k)
			if _, err := svc.Export(context.Background(), w.carla, w.anna.ID); err == nil {
				t.Error("carla exported anna's data")
			}
		})
	})
}

// download fetches a file without checking it as a page of the site.
func (c *client) download(tb testing.TB, path string) *response {
	tb.Helper()
	res, err := c.hc.Get(c.k.base + path)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return &response{tb: tb, status: res.StatusCode, header: res.Header, body: string(b)}
}

// rightsService is the service the pages use, on the kit's services.
func rightsService(k *kit) *rights.Service {
	return rights.NewService(rights.Deps{Tx: k.db, Accounts: k.identity, Consents: k.consent, Stories: k.story,
		Log: k.audit, Vault: k.vault, Clock: k.clock})
}
