package rights_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/rights"
	"github.com/inwonercloud/inwonercloud/internal/app/story"
	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/core/vault"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// world is two residents of Woerden with stories, and a professional of
// the social team; anna shares her finances with the professional and
// appoints jan as her trusted person.
type world struct {
	db          *sqlstore.DB
	clock       *clock.Fake
	ids         *identity.Service
	log         *audit.Log
	consent     *consent.Service
	vault       *vault.Vault
	story       *story.Service
	svc         *rights.Service
	woerden     tenant.Municipality
	anna, jan   identity.Person
	pro         identity.Person
	grant       consent.Grant
	mandate     consent.Mandate
	annaSealed  story.Version
	annaBinding vault.Binding
}

func newWorld(t *testing.T, db *sqlstore.DB) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{db: db, clock: clock.NewFake(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))}
	w.ids = identity.NewService(db, w.clock, nil, "https://inwonercloud.example", slog.New(slog.DiscardHandler))
	w.log = audit.NewLog(db, w.clock)
	var err error
	if w.consent, err = consent.NewService(db, w.log, w.clock, consent.Options{}); err != nil {
		t.Fatal(err)
	}
	ring, err := vault.NewKeyring()
	if err != nil {
		t.Fatal(err)
	}
	w.vault = vault.New(sqltest.Open(t, db.Dialect()), ring, w.clock)
	w.story = story.NewService(db, w.consent, w.vault, w.clock)
	w.svc = rights.NewService(rights.Deps{Tx: db, Accounts: w.ids, Consents: w.consent, Stories: w.story, Log: w.log, Vault: w.vault, Clock: w.clock})

	woerden := sqltest.Municipality(t, db, "woerden")
	w.woerden = woerden
	w.anna = sqltest.Person(t, db, sqltest.PersonSpec{Email: "anna@example.org", Name: "Anna Canary", Home: woerden.ID,
		Roles: []identity.RoleAssignment{sqltest.Role(identity.RoleCitizen, woerden)}})
	w.jan = sqltest.Person(t, db, sqltest.PersonSpec{Email: "jan@example.org", Name: "Jan Other", Home: woerden.ID,
		Roles: []identity.RoleAssignment{sqltest.Role(identity.RoleCitizen, woerden)}})
	w.pro = sqltest.Staff(t, db, woerden, identity.RoleConsultant, "pro@example.org")

	for _, p := range []identity.Person{w.anna, w.jan} {
		c := story.Content{Narrative: p.DisplayName + " narrative", Domains: map[story.Domain]story.DomainEntry{story.Finances: {Text: p.DisplayName + " money", Rating: 2}}}
		if _, err := w.story.Save(ctx, story.Reader{Person: p}, p.ID, c); err != nil {
			t.Fatal(err)
		}
	}
	if w.grant, err = w.consent.Grant(ctx, w.anna, consent.NewGrant{GranteePersonID: w.pro.ID, Categories: []string{"story:finances"},
		Permission: consent.PermissionReadComment, Purpose: consent.PurposeSupportPlan}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.story.Get(ctx, story.Reader{Person: w.pro}, w.anna.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.story.AddComment(ctx, story.Reader{Person: w.pro}, w.anna.ID, "finances", "comment for anna"); err != nil {
		t.Fatal(err)
	}
	if w.mandate, err = w.consent.Appoint(ctx, w.anna, consent.NewMandate{DelegateID: w.jan.ID, Kind: consent.MandateTrustedPerson, Scope: []string{"story"}}); err != nil {
		t.Fatal(err)
	}
	if w.annaSealed, err = db.LatestStoryVersion(ctx, w.anna.ID); err != nil {
		t.Fatal(err)
	}
	w.annaBinding = vault.Binding{Table: "story_versions", Column: "content", RowID: fmt.Sprintf("%s/%d", w.anna.ID, w.annaSealed.Number)}
	return w
}

func TestService_Export(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		w := newWorld(t, db)
		ctx := context.Background()
		b, err := w.svc.Export(ctx, w.anna, w.anna.ID)
		if err != nil {
			t.Fatal(err)
		}
		if b.SchemaVersion != rights.SchemaVersion || b.Person.Email != w.anna.Email || len(b.Person.Roles) != 1 {
			t.Errorf("schema %q, person %+v", b.SchemaVersion, b.Person)
		}
		if len(b.Story.Versions) != 1 || b.Story.Versions[0].Narrative != "Anna Canary narrative" {
			t.Errorf("story versions %+v", b.Story.Versions)
		}
		if len(b.Story.Comments) != 1 || b.Story.Comments[0].Body != "comment for anna" {
			t.Errorf("comments %+v", b.Story.Comments)
		}
		if len(b.GrantsGiven) != 1 || b.GrantsGiven[0].ID != w.grant.ID || len(b.GrantsGiven[0].Versions) != 1 {
			t.Errorf("grants given %+v", b.GrantsGiven)
		}
		if len(b.MandatesGiven) != 1 || b.MandatesGiven[0].ID != w.mandate.ID {
			t.Errorf("mandates given %+v", b.MandatesGiven)
		}
		if len(b.AccessLog) == 0 {
			t.Error("no access log")
		}
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"Jan Other narrative", "Jan Other money", w.jan.Email, sqltest.PasswordHash()} {
			if strings.Contains(string(raw), s) {
				t.Errorf("anna's export holds %q", s)
			}
		}

		// Jan holds anna's mandate: his export says so, and holds nothing of anna's story.
		jb, err := w.svc.Export(ctx, w.jan, w.jan.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(jb.MandatesHeld) != 1 || jb.MandatesHeld[0].ResidentID != w.anna.ID {
			t.Errorf("jan's held mandates %+v", jb.MandatesHeld)
		}
		if raw, _ := json.Marshal(jb); strings.Contains(string(raw), "Anna Canary narrative") {
			t.Error("jan's export holds anna's story")
		}
		// The professional's export lists the grant received.
		pb, err := w.svc.Export(ctx, w.pro, w.pro.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(pb.GrantsHeld) != 1 || pb.GrantsHeld[0].ID != w.grant.ID {
			t.Errorf("grants received %+v", pb.GrantsHeld)
		}

		for name, actor := range map[string]identity.Person{"Delegate": w.jan, "Grantee": w.pro} {
			if _, err := w.svc.Export(ctx, actor, w.anna.ID); !errs.Is(err, errs.NotFound) {
				t.Errorf("%s exported anna's data: %v", name, err)
			}
		}
		if _, err := w.svc.Export(ctx, identity.Person{}, w.anna.ID); !errs.Is(err, errs.Unauthorized) {
			t.Errorf("nobody: %v", err)
		}
	})
}

func TestService_Erase(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		w := newWorld(t, db)
		ctx := context.Background()

		t.Run("ErrWrongPassword", func(t *testing.T) {
			err := w.svc.Erase(ctx, w.anna, "not the password", "192.0.2.1")
			if errs.FieldsOf(err)["password"] != "field.password.wrong" {
				t.Fatalf("err %v, want a password field error", err)
			}
			if _, err := db.FindPersonByID(ctx, w.anna.ID); err != nil {
				t.Errorf("anna is gone after a wrong password: %v", err)
			}
			if _, err := w.vault.Open(ctx, w.anna.ID, w.annaBinding, w.annaSealed.Sealed); err != nil {
				t.Errorf("anna's story no longer opens after a wrong password: %v", err)
			}
		})

		t.Run("ErrStaff", func(t *testing.T) {
			err := w.svc.Erase(ctx, w.pro, sqltest.Password, "192.0.2.1")
			if !errs.Is(err, errs.Forbidden) || errs.KeyOf(err) != "rights.erase.staff" {
				t.Fatalf("staff erasure = %v, want Forbidden rights.erase.staff", err)
			}
			if _, err := db.FindPersonByID(ctx, w.pro.ID); err != nil {
				t.Errorf("the staff member is gone: %v", err)
			}
		})

		if err := w.svc.Erase(ctx, w.anna, sqltest.Password, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindPersonByID(ctx, w.anna.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("anna is still stored: %v", err)
		}
		if _, err := w.ids.Login(ctx, identity.Credentials{Email: w.anna.Email, Password: sqltest.Password, Address: "192.0.2.2"}, "test"); err == nil {
			t.Error("anna can still log in")
		}
		if _, err := w.vault.Open(ctx, w.anna.ID, w.annaBinding, w.annaSealed.Sealed); err == nil {
			t.Error("a copy sealed before the erasure still opens")
		}
		if list, err := db.FindStoryVersions(ctx, w.anna.ID); err != nil || len(list) != 0 {
			t.Errorf("%d story versions left (%v)", len(list), err)
		}
		if _, err := db.FindGrantByID(ctx, w.grant.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("grant left: %v", err)
		}
		if _, err := db.FindMandateByID(ctx, w.mandate.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("mandate left: %v", err)
		}
		if left, err := w.consent.MandatesFor(ctx, w.jan); err != nil || len(left) != 0 {
			t.Errorf("jan still holds %v (%v)", left, err)
		}
		if _, err := w.story.Get(ctx, story.Reader{Person: w.jan}, w.jan.ID); err != nil {
			t.Errorf("jan's story suffered: %v", err)
		}

		rep, err := w.log.Verify(ctx)
		if err != nil || !rep.OK() {
			t.Fatalf("verify: %v %+v", err, rep)
		}
		recs, _, err := w.log.ForSubject(ctx, w.anna.ID, time.Time{}, time.Time{}, audit.MaxPage, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) == 0 || recs[0].EventID != "account.erase" || recs[0].Action != audit.ActionDelete || recs[0].Category != "account" {
			t.Errorf("newest record %+v, want the erasure", recs[0])
		}
		head, err := db.FindAuditHead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		all, err := db.FindAuditChain(ctx, 0, head.Seq, int(head.Seq)+1)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range all {
			if s := fmt.Sprintf("%+v", r); strings.Contains(s, w.anna.Email) || strings.Contains(s, w.anna.DisplayName) {
				t.Errorf("record %d names anna: %s", r.Seq, s)
			}
		}
		if err := w.svc.Erase(ctx, w.anna, sqltest.Password, "192.0.2.1"); err == nil {
			t.Error("a second erasure succeeded")
		}
	})
}
