package request_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/app/request"
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

// mailbox is a fake mailer that keeps what it is given.
type mailbox struct {
	mu   sync.Mutex
	mail []identity.Mail
}

func (m *mailbox) Send(_ context.Context, mail identity.Mail) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.mail = append(m.mail, mail)
	return nil
}

// take returns "to template link" of each mail so far and forgets them.
func (m *mailbox) take() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, x := range m.mail {
		out = append(out, x.To+" "+x.Template+" "+x.Data["Link"])
	}
	m.mail = nil
	return out
}

// world is a marketplace with two providers, their staff, residents and
// delegates, on a real database with the real consent service, access
// log, vault and marketplace.
type world struct {
	db        *sqlstore.DB
	clock     *clock.Fake
	log       *audit.Log
	consent   *consent.Service
	market    *market.Service
	svc       *request.Service
	mail      *mailbox
	woerden   tenant.Municipality
	zorg      tenant.Organisation // Thuiszorg Het Groene Hart
	linie     tenant.Organisation // Stichting De Linie
	zorgAdmin identity.Person     // provider_admin of zorg
	zorgPro   identity.Person     // professional of zorg
	linieAdm  identity.Person     // provider_admin of linie
	gemAdmin  identity.Person     // municipality admin of Woerden
	anna      identity.Person     // resident
	bert      identity.Person     // another resident
	carla     identity.Person     // anna's trusted person: requests and consent
	dirk      identity.Person     // anna's trusted person: requests only
	sanne     identity.Person     // resident who is also provider_admin of zorg
	free      market.Offering     // zorg, free
	budget    market.Offering     // zorg, payable from own budget
	lin       market.Offering     // linie, free
	draft     market.Offering     // zorg, never submitted
}

func newWorld(t *testing.T, db *sqlstore.DB) *world {
	t.Helper()
	ctx := context.Background()
	keys := sqltest.Open(t, dialectOf(db))
	w := &world{db: db, clock: clock.NewFake(sqltest.Epoch), mail: &mailbox{}}
	ring, err := vault.NewKeyring()
	must(t, err)
	w.log = audit.NewLog(db, w.clock)
	w.consent, err = consent.NewService(db, w.log, w.clock, consent.Options{})
	must(t, err)
	w.market = market.NewService(db, w.clock, market.Options{})
	w.svc = request.NewService(db, w.consent, w.market, vault.New(keys, ring, w.clock), w.clock,
		request.Options{Mailer: w.mail, BaseURL: "https://example.test/"})

	w.woerden = sqltest.Municipality(t, db, "woerden")
	w.zorg = sqltest.Organisation(t, db, "Thuiszorg Het Groene Hart", w.woerden)
	w.linie = sqltest.Organisation(t, db, "Stichting De Linie", w.woerden)
	inOrg := func(email string, role identity.Role, org tenant.Organisation, citizen bool) identity.Person {
		spec := sqltest.PersonSpec{Email: email, TOTP: true,
			Roles: []identity.RoleAssignment{{Role: role, OrganisationID: org.ID, MunicipalityID: w.woerden.ID}}}
		if citizen {
			spec.Home = w.woerden.ID
			spec.Roles = append(spec.Roles, sqltest.Role(identity.RoleCitizen, w.woerden))
		}
		return sqltest.Person(t, db, spec)
	}
	w.zorgAdmin = inOrg("eva@groenehart.example", identity.RoleProviderAdmin, w.zorg, false)
	w.zorgPro = inOrg("joost@groenehart.example", identity.RoleProfessional, w.zorg, false)
	w.linieAdm = inOrg("piet@delinie.example", identity.RoleProviderAdmin, w.linie, false)
	w.sanne = inOrg("sanne@groenehart.example", identity.RoleProviderAdmin, w.zorg, true)
	w.gemAdmin = sqltest.Staff(t, db, w.woerden, identity.RoleTenantAdmin, "beheer@woerden.example")
	w.anna = sqltest.Citizen(t, db, w.woerden, "anna@example.nl")
	w.bert = sqltest.Citizen(t, db, w.woerden, "bert@example.nl")
	w.carla = sqltest.Citizen(t, db, w.woerden, "carla@example.nl")
	w.dirk = sqltest.Citizen(t, db, w.woerden, "dirk@example.nl")
	for _, m := range []struct {
		p     identity.Person
		scope []string
	}{{w.carla, []string{request.Category, consent.CategoryConsent}}, {w.dirk, []string{request.Category}}} {
		_, err := w.consent.Appoint(ctx, w.anna, consent.NewMandate{DelegateID: m.p.ID, Kind: consent.MandateTrustedPerson, Scope: m.scope})
		must(t, err)
	}

	cat, err := w.market.CreateCategory(ctx, nil, market.Category{MunicipalityID: w.woerden.ID, Name: "Huishoudelijke hulp"})
	must(t, err)
	content := func(title string, cost market.CostType) market.Content {
		c := market.Content{
			MunicipalityIDs: []string{w.woerden.ID}, CategoryIDs: []string{cat.ID}, Title: title,
			Summary: "Een korte samenvatting.", Description: "Een beschrijving in eenvoudige taal.",
			HowToRequest: "Vraag het aan via deze website.", CostType: cost, Kind: market.KindProfessional,
		}
		if cost == market.CostOwnBudget {
			c.PriceCents, c.Unit = 3500, "uur"
		}
		return c
	}
	publish := func(admin identity.Person, org tenant.Organisation, c market.Content) market.Offering {
		o, err := w.market.CreateOffering(ctx, &admin, org.ID, c, true)
		must(t, err)
		o, err = w.market.Approve(ctx, &w.gemAdmin, o.ID, o.Version)
		must(t, err)
		return o
	}
	w.free = publish(w.zorgAdmin, w.zorg, content("Hulp in de huishouding", market.CostFree))
	w.budget = publish(w.zorgAdmin, w.zorg, content("Begeleiding thuis", market.CostOwnBudget))
	w.lin = publish(w.linieAdm, w.linie, content("Maatjesproject", market.CostFree))
	w.draft, err = w.market.CreateOffering(ctx, &w.zorgAdmin, w.zorg.ID, content("Nog niet klaar", market.CostFree), false)
	must(t, err)
	w.clock.Advance(time.Hour)
	return w
}

func dialectOf(db *sqlstore.DB) string {
	if db.Dialect() == "postgres" {
		return "postgres"
	}
	return "sqlite"
}

// ask sends a request for o as actor (acting for actingFor) and fails
// the test on an error.
func (w *world) ask(t *testing.T, actor identity.Person, actingFor string, o market.Offering) request.Request {
	t.Helper()
	r, err := w.svc.Create(context.Background(), &actor, actingFor, o.ID, "Ik heb hulp nodig bij het schoonmaken.", "")
	must(t, err)
	return r
}

// accessLog is anna's log: "actor action category outcome [for x]", oldest first.
func (w *world) accessLog(t *testing.T, subject identity.Person) []string {
	t.Helper()
	recs, _, err := w.log.ForSubject(context.Background(), subject.ID, time.Time{}, w.clock.Now().Add(time.Hour), 100, 0)
	must(t, err)
	var out []string
	for i := len(recs) - 1; i >= 0; i-- {
		r := recs[i]
		if r.Category == consent.CategoryConsent {
			continue // grants and mandates made
		}
		line := r.ActorID + " " + string(r.Action) + " " + r.Category + " " + string(r.Outcome)
		if r.OnBehalfOfID != "" {
			line += " for " + r.OnBehalfOfID
		}
		out = append(out, line)
	}
	return out
}

// problem is what a person notices of an error.
type problem struct {
	Kind   errs.Kind
	Key    string
	Fields map[string]string
}

func wantProblem(t *testing.T, err error, want problem) {
	t.Helper()
	if err == nil {
		t.Fatalf("error = nil, want %+v", want)
	}
	got := problem{Kind: errs.KindOf(err), Key: errs.KeyOf(err), Fields: errs.FieldsOf(err)}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("error %v (-want +got):\n%s", err, diff)
	}
}

func invalid(fields map[string]string) problem {
	return problem{Kind: errs.Invalid, Key: "error.invalid", Fields: fields}
}

var (
	notFound   = problem{Kind: errs.NotFound, Key: "error.not_found"}
	changed    = problem{Kind: errs.Conflict, Key: "error.request.changed"}
	transition = problem{Kind: errs.Conflict, Key: "error.request.transition"}
)

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
