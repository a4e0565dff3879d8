package consent_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

const day = 24 * time.Hour

var (
	epoch = sqltest.Epoch       // when the world is made
	t0    = epoch.Add(10 * day) // when the policy table is asked
)

// recorder is a fake audit.Recorder that keeps the events it is given.
type recorder struct {
	mu     sync.Mutex
	events []audit.Event
	err    error // when set, Record fails with it
}

func (r *recorder) Record(_ context.Context, e audit.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	r.events = append(r.events, e)
	return nil
}

// take returns the events recorded so far and forgets them.
func (r *recorder) take() []audit.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	ev := r.events
	r.events = nil
	return ev
}

var errRecorder = errors.New("the access log is down")

// categories returns a registry with the categories the tests use.
func categories(tb testing.TB) *consent.Categories {
	tb.Helper()
	c := consent.NewCategories()
	for _, n := range [][2]string{{"story", ""}, {"story:finances", "story"}, {"story:housing", "story"}, {"dossier", ""}} {
		must(tb, c.Register(n[0], n[1]))
	}
	return c
}

// newService returns a consent service on db at the clock's time.
func newService(tb testing.TB, db *sqlstore.DB, clk clock.Clock, rec audit.Recorder, opts consent.Options) *consent.Service {
	tb.Helper()
	if opts.Categories == nil {
		opts.Categories = categories(tb)
	}
	s, err := consent.NewService(db, rec, clk, opts)
	must(tb, err)
	return s
}

// at returns a service whose clock stands at t, and its recorder.
func at(tb testing.TB, db *sqlstore.DB, t time.Time, opts ...consent.Options) (*consent.Service, *recorder) {
	tb.Helper()
	rec := &recorder{}
	var o consent.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	return newService(tb, db, clock.NewFake(t), rec, o), rec
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

func must1[T any](tb testing.TB) func(v T, err error) T {
	return func(v T, err error) T {
		tb.Helper()
		must(tb, err)
		return v
	}
}

// wantKind fails unless err is of kind k.
func wantKind(tb testing.TB, err error, k errs.Kind) {
	tb.Helper()
	if !errs.Is(err, k) {
		tb.Fatalf("error = %v (kind %v), want kind %v", err, errs.KindOf(err), k)
	}
}

// wantNotFound fails unless err is the NotFound a denial answers with.
func wantNotFound(tb testing.TB, err error) {
	tb.Helper()
	wantKind(tb, err, errs.NotFound)
	if k := errs.KeyOf(err); k != "error.not_found" {
		tb.Fatalf("key = %q, want error.not_found", k)
	}
}

// staff stores a person holding role in org (may be zero) and municipality m (may be zero).
func staff(tb testing.TB, db *sqlstore.DB, email string, role identity.Role, org tenant.Organisation, m tenant.Municipality) identity.Person {
	tb.Helper()
	return sqltest.Person(tb, db, sqltest.PersonSpec{Email: email, TOTP: true,
		Roles: []identity.RoleAssignment{{Role: role, OrganisationID: org.ID, MunicipalityID: m.ID}}})
}

// municipalOrg stores a municipality's own organisation.
func municipalOrg(tb testing.TB, db *sqlstore.DB, name string, m tenant.Municipality) tenant.Organisation {
	tb.Helper()
	o := tenant.Organisation{ID: id.New(), Name: name, Kind: tenant.OrgMunicipality, MunicipalityIDs: []string{m.ID}, CreatedAt: epoch}
	must(tb, db.CreateOrganisation(context.Background(), &o))
	return o
}

// world is the cast of the policy table: anna is the resident whose data
// everyone wants.
type world struct {
	db                           *sqlstore.DB
	woerden, oudewater           tenant.Municipality
	zorgA, zorgB                 tenant.Organisation // providers in Woerden
	gemWoerden, gemOudewater     tenant.Organisation // the municipalities' own organisations
	platform                     tenant.Organisation
	anna, bert                   identity.Person // residents of Woerden
	carla, dirk, eva, fenna      identity.Person // delegates of anna
	hanna                        identity.Person // delegate of anna and of bert
	profPersonal, profOrg        identity.Person
	profOther, profNoOrg         identity.Person
	profTampered, profExpiring   identity.Person
	profRevoked, profFuture      identity.Person
	profDisabled, profPlatform   identity.Person
	profBoth                     identity.Person // in Zorg A, with a grant of their own too
	consultant, consultantOudew  identity.Person
	providerAdmin, editor        identity.Person
	moderator, tenantAdmin       identity.Person
	platformAdmin, supportAdmin  identity.Person
	gPersonal, gOrg, gConsultant consent.Grant
	gExpiring, gRevoked          consent.Grant
	gFuture, gSupport, gBert     consent.Grant
	gPlatform, gBoth             consent.Grant
	mCarla, mDirk, mEva, mFenna  consent.Mandate
	mHanna, mHannaBert           consent.Mandate
}

// newWorld stores the cast and anna's grants and mandates, made at epoch.
func newWorld(t *testing.T, db *sqlstore.DB) *world {
	t.Helper()
	ctx := t.Context()
	w := &world{db: db}
	w.woerden, w.oudewater = sqltest.Municipality(t, db, "woerden"), sqltest.Municipality(t, db, "oudewater")
	w.zorgA = sqltest.Organisation(t, db, "Zorg A", w.woerden)
	w.zorgB = sqltest.Organisation(t, db, "Zorg B", w.woerden)
	w.gemWoerden = municipalOrg(t, db, "Gemeente Woerden", w.woerden)
	w.gemOudewater = municipalOrg(t, db, "Gemeente Oudewater", w.oudewater)
	w.platform = tenant.Organisation{ID: id.New(), Name: "Inwonercloud", Kind: tenant.OrgPlatform, MunicipalityIDs: []string{w.woerden.ID}, CreatedAt: epoch}
	must(t, db.CreateOrganisation(ctx, &w.platform))

	w.anna = sqltest.Citizen(t, db, w.woerden, "anna@example.nl")
	w.bert = sqltest.Citizen(t, db, w.woerden, "bert@example.nl")
	w.carla = sqltest.Person(t, db, sqltest.PersonSpec{Email: "carla@example.nl", Home: w.woerden.ID,
		Roles: []identity.RoleAssignment{sqltest.Role(identity.RoleCitizen, w.woerden), {Role: identity.RoleDelegate}}})
	w.dirk = sqltest.Citizen(t, db, w.woerden, "dirk@example.nl")
	w.eva = sqltest.Citizen(t, db, w.woerden, "eva@example.nl")
	w.fenna = sqltest.Citizen(t, db, w.woerden, "fenna@example.nl")
	w.hanna = sqltest.Citizen(t, db, w.woerden, "hanna@example.nl")

	pro := identity.RoleProfessional
	w.profPersonal = staff(t, db, "personal@zorgb.nl", pro, w.zorgB, w.woerden)
	w.profOrg = staff(t, db, "org@zorga.nl", pro, w.zorgA, w.woerden)
	w.profBoth = staff(t, db, "both@zorga.nl", pro, w.zorgA, w.woerden)
	w.profOther = staff(t, db, "other@zorgb.nl", pro, w.zorgB, w.woerden)
	w.profNoOrg = staff(t, db, "noorg@woerden.nl", pro, tenant.Organisation{}, w.woerden)
	// Zorg A does not work in Oudewater: an assignment a municipality
	// admin of Oudewater could make, which must reach nothing.
	w.profTampered = staff(t, db, "tampered@zorga.nl", pro, w.zorgA, w.oudewater)
	w.profExpiring = staff(t, db, "expiring@zorgb.nl", pro, w.zorgB, w.woerden)
	w.profRevoked = staff(t, db, "revoked@zorgb.nl", pro, w.zorgB, w.woerden)
	w.profFuture = staff(t, db, "future@zorgb.nl", pro, w.zorgB, w.woerden)
	w.profPlatform = staff(t, db, "pro@inwonercloud.nl", pro, w.platform, w.woerden)
	w.profDisabled = sqltest.Person(t, db, sqltest.PersonSpec{Email: "disabled@zorga.nl", TOTP: true, Disabled: true,
		Roles: []identity.RoleAssignment{{Role: pro, OrganisationID: w.zorgA.ID, MunicipalityID: w.woerden.ID}}})
	w.consultant = staff(t, db, "consulent@woerden.nl", identity.RoleConsultant, w.gemWoerden, w.woerden)
	w.consultantOudew = staff(t, db, "consulent@oudewater.nl", identity.RoleConsultant, w.gemOudewater, w.oudewater)
	w.providerAdmin = staff(t, db, "admin@zorga.nl", identity.RoleProviderAdmin, w.zorgA, w.woerden)
	w.editor = staff(t, db, "editor@woerden.nl", identity.RoleEditor, tenant.Organisation{}, w.woerden)
	w.moderator = staff(t, db, "moderator@woerden.nl", identity.RoleModerator, tenant.Organisation{}, w.woerden)
	w.tenantAdmin = staff(t, db, "beheer@woerden.nl", identity.RoleTenantAdmin, tenant.Organisation{}, w.woerden)
	w.platformAdmin = staff(t, db, "root@inwonercloud.nl", identity.RolePlatformAdmin, tenant.Organisation{}, tenant.Municipality{})
	w.supportAdmin = staff(t, db, "support@inwonercloud.nl", identity.RolePlatformAdmin, tenant.Organisation{}, tenant.Municipality{})

	svc, _ := at(t, db, epoch)
	grant := func(by identity.Person, in consent.NewGrant) consent.Grant {
		t.Helper()
		g, err := svc.Grant(ctx, by, in)
		must(t, err)
		return g
	}
	person := func(p identity.Person, cats ...string) consent.NewGrant {
		return consent.NewGrant{GranteePersonID: p.ID, Categories: cats, Permission: consent.PermissionRead, Purpose: consent.PurposeSupportPlan}
	}
	w.gPersonal = grant(w.anna, person(w.profPersonal, "story:finances"))
	w.gOrg = grant(w.anna, consent.NewGrant{GranteeOrgID: w.zorgA.ID, Categories: []string{"story"},
		Permission: consent.PermissionReadComment, Purpose: consent.PurposeCareDelivery})
	w.gConsultant = grant(w.anna, consent.NewGrant{GranteeOrgID: w.gemWoerden.ID, Categories: []string{"story:housing"},
		Permission: consent.PermissionRead, Purpose: consent.PurposeAssessment})
	exp := person(w.profExpiring, "story")
	exp.ValidUntil = t0
	w.gExpiring = grant(w.anna, exp)
	w.gRevoked = grant(w.anna, person(w.profRevoked, "story"))
	w.gBoth = grant(w.anna, person(w.profBoth, "story:finances"))
	fut := person(w.profFuture, "story")
	fut.ValidFrom, fut.ValidUntil = t0.Add(day), t0.Add(30*day)
	w.gFuture = grant(w.anna, fut)
	sup := person(w.supportAdmin, "story:finances")
	sup.Purpose = consent.PurposeInformalCare
	w.gSupport = grant(w.anna, sup)
	w.gBert = grant(w.bert, person(w.profOther, "story"))
	// A role in the platform's own organisation never reaches a grant; such
	// grants cannot even be made, so this one is stored directly.
	w.gPlatform = consent.Grant{ID: id.New(), Version: 1, GrantorID: w.anna.ID, GranteeOrgID: w.platform.ID,
		Categories: []string{"story"}, Permission: consent.PermissionRead, Purpose: consent.PurposeSupportPlan,
		ValidFrom: epoch, ValidUntil: epoch.Add(90 * day), CreatedAt: epoch, CreatedByID: w.anna.ID,
		Change: consent.ChangeCreate, ChangedAt: epoch, ChangedByID: w.anna.ID}
	must(t, db.CreateGrant(ctx, &w.gPlatform))

	appoint := func(p identity.Person, until time.Time, scope ...string) consent.Mandate {
		t.Helper()
		m, err := svc.Appoint(ctx, w.anna, consent.NewMandate{DelegateID: p.ID, Kind: consent.MandateTrustedPerson, Scope: scope, ValidUntil: until})
		must(t, err)
		return m
	}
	w.mCarla = appoint(w.carla, time.Time{}, "story", consent.CategoryConsent)
	w.mDirk = appoint(w.dirk, time.Time{}, "story:finances")
	w.mEva = appoint(w.eva, epoch.Add(5*day), "story")
	w.mFenna = appoint(w.fenna, time.Time{}, "story")
	w.mHanna = appoint(w.hanna, time.Time{}, "story")
	w.mHannaBert = must1[consent.Mandate](t)(svc.Appoint(ctx, w.bert, consent.NewMandate{DelegateID: w.hanna.ID,
		Kind: consent.MandateTrustedPerson, Scope: []string{"story"}}))

	later, _ := at(t, db, epoch.Add(day))
	w.gRevoked = must1[consent.Grant](t)(later.Revoke(ctx, w.anna, w.gRevoked.ID))
	w.mFenna = must1[consent.Mandate](t)(later.RevokeMandate(ctx, w.anna, w.mFenna.ID))
	return w
}
