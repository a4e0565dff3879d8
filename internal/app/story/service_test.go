package story_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/app/story"
	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/vault"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// world is a resident, a professional, another professional and a
// mantelzorger, on a real database with the real consent service, access
// log and vault.
type world struct {
	db       *sqlstore.DB
	clock    *clock.Fake
	log      *audit.Log
	consent  *consent.Service
	vault    *vault.Vault
	svc      *story.Service
	anna     identity.Person // the resident
	carla    identity.Person // a professional
	piet     identity.Person // another professional
	bram     identity.Person // Anna's mantelzorger
	moderate identity.Person // a moderator
}

func newWorld(t *testing.T, dialect string) *world {
	t.Helper()
	db := sqltest.Open(t, dialect)
	keys := sqltest.Open(t, dialect) // the key store lives apart from the data
	clk := clock.NewFake(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	ring, err := vault.NewKeyring()
	if err != nil {
		t.Fatal(err)
	}
	w := &world{db: db, clock: clk, log: audit.NewLog(db, clk), vault: vault.New(keys, ring, clk)}
	w.consent, err = consent.NewService(db, w.log, clk, consent.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w.svc = story.NewService(db, w.consent, w.vault, clk)
	woerden := sqltest.Municipality(t, db, "woerden")
	w.anna = sqltest.Citizen(t, db, woerden, "anna@example.nl")
	w.bram = sqltest.Citizen(t, db, woerden, "bram@example.nl")
	w.carla = sqltest.Staff(t, db, woerden, identity.RoleProfessional, "carla@example.nl")
	w.piet = sqltest.Staff(t, db, woerden, identity.RoleProfessional, "piet@example.nl")
	w.moderate = sqltest.Staff(t, db, woerden, identity.RoleModerator, "mod@example.nl")
	return w
}

func (w *world) me(p identity.Person) story.Reader { return story.Reader{Person: p} }

var annaStory = story.Content{
	Narrative:   "Sinds mijn val in maart KANARIE-VERHAAL kan ik de trap niet meer op.",
	WhatMatters: "Thuis blijven wonen met mijn kat.",
	WhatINeed:   "Hulp bij het huishouden.",
	Domains: map[story.Domain]story.DomainEntry{
		story.Finances: {Text: "Ik heb schulden bij de energie.", Rating: 2, WantToTalk: true},
		story.Housing:  {Text: "De trap is een probleem.", Rating: 2},
		story.Health:   {Text: "Mijn heup doet pijn.", Rating: 3},
	},
}

// accessLog is Anna's log as she reads it: event, actor, category, outcome.
func (w *world) accessLog(t *testing.T) []string {
	t.Helper()
	recs, _, err := w.log.ForSubject(context.Background(), w.anna.ID, time.Time{}, w.clock.Now().Add(time.Hour), 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(recs) - 1; i >= 0; i-- {
		r := recs[i]
		line := r.ActorID + " " + string(r.Action) + " " + r.Category + " " + string(r.Outcome)
		if r.OnBehalfOfID != "" {
			line += " for " + r.OnBehalfOfID
		}
		out = append(out, line)
	}
	return out
}

func TestService_Sharing(t *testing.T) {
	t.Parallel()
	for _, dialect := range sqltest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			w := newWorld(t, dialect)
			if _, err := w.svc.Save(ctx, w.me(w.anna), w.anna.ID, annaStory); err != nil {
				t.Fatalf("Save: %v", err)
			}

			// Without a grant the story does not exist for Carla, and the
			// refusal is in Anna's log.
			_, err := w.svc.Get(ctx, w.me(w.carla), w.anna.ID)
			if !errs.Is(err, errs.NotFound) {
				t.Fatalf("Get without grant = %v, want NotFound", err)
			}
			if diff := cmp.Diff([]string{w.carla.ID + " read story denied"}, w.accessLog(t)); diff != "" {
				t.Fatalf("log after the refusal (-want +got):\n%s", diff)
			}

			// Anna shares two sections with Carla.
			g, err := w.consent.Grant(ctx, w.anna, consent.NewGrant{
				GranteePersonID: w.carla.ID, Categories: []string{story.SectionCategory("finances"), story.SectionCategory("about")},
				Permission: consent.PermissionReadComment, Purpose: consent.PurposeSupportPlan,
				ValidUntil: w.clock.Now().Add(30 * 24 * time.Hour),
			})
			if err != nil {
				t.Fatalf("Grant: %v", err)
			}
			got, err := w.svc.Get(ctx, w.me(w.carla), w.anna.ID)
			if err != nil {
				t.Fatalf("Get with grant: %v", err)
			}
			if diff := cmp.Diff([]string{"about", "finances"}, got.Visible); diff != "" {
				t.Errorf("visible sections (-want +got):\n%s", diff)
			}
			if got.Content.Narrative != "" || got.Content.Domains[story.Housing].Text != "" || got.Content.Domains[story.Health].Text != "" {
				t.Errorf("Carla sees sections that were not shared: %+v", got.Content)
			}
			if got.Content.Domains[story.Finances].Text != annaStory.Domains[story.Finances].Text || got.Content.WhatMatters != annaStory.WhatMatters {
				t.Errorf("Carla does not see the shared sections: %+v", got.Content)
			}
			log := w.accessLog(t)
			wantTail := []string{w.carla.ID + " read story:about allowed", w.carla.ID + " read story:finances allowed"}
			if len(log) < 2 || !slices.Equal(log[len(log)-2:], wantTail) {
				t.Errorf("log after reading ends with %v, want %v", log, wantTail)
			}

			// Piet still sees nothing; a moderator neither.
			for _, p := range []identity.Person{w.piet, w.moderate} {
				if _, err := w.svc.Get(ctx, w.me(p), w.anna.ID); !errs.Is(err, errs.NotFound) {
					t.Errorf("Get by %s = %v, want NotFound", p.Email, err)
				}
			}

			// Carla comments on a shared section, not on another.
			if _, err := w.svc.AddComment(ctx, w.me(w.carla), w.anna.ID, "finances", "Zullen we samen naar de schuldhulp gaan?"); err != nil {
				t.Fatalf("AddComment: %v", err)
			}
			if _, err := w.svc.AddComment(ctx, w.me(w.carla), w.anna.ID, "housing", "Traplift?"); !errs.Is(err, errs.NotFound) {
				t.Errorf("comment on an unshared section = %v, want NotFound", err)
			}
			comments, err := w.svc.Comments(ctx, w.me(w.anna), w.anna.ID)
			if err != nil || len(comments) != 1 || comments[0].Body != "Zullen we samen naar de schuldhulp gaan?" || comments[0].AuthorID != w.carla.ID {
				t.Fatalf("Anna's comments = %+v, %v", comments, err)
			}

			// Anna changes her story: Carla sees what changed since her visit.
			next := annaStory
			next.Domains = map[story.Domain]story.DomainEntry{
				story.Finances: {Text: "De schulden zijn geregeld.", Rating: 4},
				story.Housing:  annaStory.Domains[story.Housing],
				story.Health:   {Text: "Nieuwe heup!", Rating: 4},
			}
			w.clock.Advance(time.Hour)
			if _, err := w.svc.Save(ctx, w.me(w.anna), w.anna.ID, next); err != nil {
				t.Fatal(err)
			}
			got, err = w.svc.Get(ctx, w.me(w.carla), w.anna.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{"finances"}, got.ChangedSince); diff != "" {
				t.Errorf("changed since Carla's last visit (-want +got):\n%s", diff)
			}
			if !got.Content.Domains[story.Finances].ChangedAt.Equal(w.clock.Now()) {
				t.Errorf("finances changed at %v, want %v", got.Content.Domains[story.Finances].ChangedAt, w.clock.Now())
			}

			// Revocation: the very next request is refused.
			if _, err := w.consent.Revoke(ctx, w.anna, g.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := w.svc.Get(ctx, w.me(w.carla), w.anna.ID); !errs.Is(err, errs.NotFound) {
				t.Errorf("Get after revocation = %v, want NotFound", err)
			}

			// Expiry: allowed one millisecond before, refused at the time.
			g2, err := w.consent.Grant(ctx, w.anna, consent.NewGrant{
				GranteePersonID: w.piet.ID, Categories: []string{story.Category}, Permission: consent.PermissionRead,
				Purpose: consent.PurposeSupportPlan, ValidUntil: w.clock.Now().Add(24 * time.Hour),
			})
			if err != nil {
				t.Fatal(err)
			}
			w.clock.Advance(24*time.Hour - time.Millisecond)
			if got, err := w.svc.Get(ctx, w.me(w.piet), w.anna.ID); err != nil || len(got.Visible) != len(story.Sections()) {
				t.Fatalf("Get 1 ms before expiry: %v visible %v", err, got.Visible)
			}
			w.clock.Advance(time.Millisecond)
			if _, err := w.svc.Get(ctx, w.me(w.piet), w.anna.ID); !errs.Is(err, errs.NotFound) {
				t.Errorf("Get at expiry (%s) = %v, want NotFound", g2.ValidUntil, err)
			}
		})
	}
}

func TestService_Delegate(t *testing.T) {
	t.Parallel()
	for _, dialect := range sqltest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			w := newWorld(t, dialect)
			// Without a mandate Bram cannot act for Anna.
			asBram := story.Reader{Person: w.bram, ActingFor: w.anna.ID}
			if _, err := w.svc.Save(ctx, asBram, w.anna.ID, annaStory); !errs.Is(err, errs.NotFound) {
				t.Fatalf("Save without mandate = %v, want NotFound", err)
			}
			if _, err := w.consent.Appoint(ctx, w.anna, consent.NewMandate{DelegateID: w.bram.ID, Kind: consent.MandateTrustedPerson, Scope: []string{story.Category}}); err != nil {
				t.Fatalf("Appoint: %v", err)
			}
			saved, err := w.svc.Save(ctx, asBram, w.anna.ID, annaStory)
			if err != nil {
				t.Fatalf("Save with mandate: %v", err)
			}
			if saved.SavedByID != w.bram.ID {
				t.Errorf("saved by %q, want Bram", saved.SavedByID)
			}
			log := w.accessLog(t)
			if want := w.bram.ID + " update story allowed for " + w.anna.ID; !slices.Contains(log, want) {
				t.Errorf("log %v lacks %q: both persons must be recorded", log, want)
			}
			// Anna sees who saved the version.
			versions, err := w.svc.Versions(ctx, w.me(w.anna), w.anna.ID)
			if err != nil || len(versions) != 1 || versions[0].SavedByID != w.bram.ID {
				t.Errorf("versions = %+v, %v", versions, err)
			}
		})
	}
}

func TestService_Versions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t, "sqlite")
	r := w.me(w.anna)
	if _, err := w.svc.Save(ctx, r, w.anna.ID, annaStory); err != nil {
		t.Fatal(err)
	}
	// Saving the same again makes no version.
	if st, err := w.svc.Save(ctx, r, w.anna.ID, annaStory); err != nil || st.Version != 1 {
		t.Fatalf("second identical save: version %d, %v", st.Version, err)
	}
	changed := annaStory
	changed.Narrative = "Anders verteld."
	w.clock.Advance(time.Minute)
	if st, err := w.svc.Save(ctx, r, w.anna.ID, changed); err != nil || st.Version != 2 {
		t.Fatalf("changed save: version %d, %v", st.Version, err)
	}
	list, err := w.svc.Versions(ctx, r, w.anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Number != 2 || !slices.Equal(list[0].Changed, []string{"narrative"}) {
		t.Errorf("versions = %+v", list)
	}
	v1, err := w.svc.Version(ctx, r, w.anna.ID, 1)
	if err != nil || v1.Content.Narrative != annaStory.Narrative {
		t.Errorf("version 1 = %q, %v", v1.Content.Narrative, err)
	}
	if _, err := w.svc.Versions(ctx, w.me(w.carla), w.anna.ID); !errs.Is(err, errs.NotFound) {
		t.Errorf("Versions by a professional = %v, want NotFound", err)
	}
	bad := annaStory
	bad.Domains = map[story.Domain]story.DomainEntry{story.Law: {Rating: 9}}
	if _, err := w.svc.Save(ctx, r, w.anna.ID, bad); !errs.Is(err, errs.Invalid) {
		t.Errorf("Save with a bad rating = %v, want Invalid", err)
	}
	if list, _ := w.svc.Versions(ctx, r, w.anna.ID); len(list) != 2 {
		t.Errorf("a refused save stored something: %d versions", len(list))
	}
}

// TestService_Canary writes a story through the service and looks for its
// text in the raw SQLite files: it must not be there, only ciphertext.
func TestService_Canary(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "data.db")
	db, err := sqlstore.Open(ctx, "", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	keys := sqltest.Open(t, "sqlite")
	clk := clock.NewFake(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	ring, _ := vault.NewKeyring()
	log := audit.NewLog(db, clk)
	cs, err := consent.NewService(db, log, clk, consent.Options{})
	if err != nil {
		t.Fatal(err)
	}
	svc := story.NewService(db, cs, vault.New(keys, ring, clk), clk)
	woerden := sqltest.Municipality(t, db, "woerden")
	anna := sqltest.Citizen(t, db, woerden, "anna@example.nl")
	if _, err := svc.Save(ctx, story.Reader{Person: anna}, anna.ID, annaStory); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil { // checkpoints the WAL into the file
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	read := 0
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		read += len(b)
		for _, canary := range []string{"KANARIE-VERHAAL", "schulden bij de energie", "Thuis blijven wonen"} {
			if bytes.Contains(b, []byte(canary)) {
				t.Errorf("%s holds %q in plain text", e.Name(), canary)
			}
		}
	}
	if read == 0 {
		t.Fatal("no database file was read")
	}
}
