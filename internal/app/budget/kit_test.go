package budget_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
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

// world is a municipality with a provider, its staff, a consultant,
// residents and delegates, on a real database with the real consent
// service (the budget legal task enabled), access log, vault,
// marketplace and requests.
type world struct {
	db        *sqlstore.DB
	clock     *clock.Fake
	log       *audit.Log
	consent   *consent.Service
	market    *market.Service
	requests  *request.Service
	svc       *budget.Service
	mail      *mailbox
	woerden   tenant.Municipality
	oudewater tenant.Municipality
	zorg      tenant.Organisation // Thuiszorg Het Groene Hart
	linie     tenant.Organisation // Stichting De Linie
	zorgAdmin identity.Person     // provider_admin of zorg
	zorgPro   identity.Person     // professional of zorg
	linieAdm  identity.Person     // provider_admin of linie
	consult   identity.Person     // consultant of Woerden
	consultOW identity.Person     // consultant of Oudewater
	gemAdmin  identity.Person     // municipality admin of Woerden
	anna      identity.Person     // resident of Woerden
	bert      identity.Person     // another resident
	carla     identity.Person     // anna's trusted person: budget and requests
	dirk      identity.Person     // anna's trusted person: requests only
	offering  market.Offering     // zorg, payable from own budget
	category  string              // the offering's category
}

func newWorld(t *testing.T, db *sqlstore.DB) *world {
	t.Helper()
	ctx := context.Background()
	keys := sqltest.Open(t, db.Dialect())
	w := &world{db: db, clock: clock.NewFake(sqltest.Epoch), mail: &mailbox{}}
	ring, err := vault.NewKeyring()
	must(t, err)
	w.log = audit.NewLog(db, w.clock)
	w.consent, err = consent.NewService(db, w.log, w.clock, consent.Options{LegalTasks: []consent.LegalTask{budget.LegalTask}})
	must(t, err)
	w.market = market.NewService(db, w.clock, market.Options{})
	w.requests = request.NewService(db, w.consent, w.market, vault.New(keys, ring, w.clock), w.clock, request.Options{})
	w.svc = budget.NewService(db, w.consent, w.requests, w.market, w.clock,
		budget.Options{Mailer: w.mail, BaseURL: "https://example.test/"})

	w.woerden = sqltest.Municipality(t, db, "woerden")
	w.oudewater = sqltest.Municipality(t, db, "oudewater")
	w.zorg = sqltest.Organisation(t, db, "Thuiszorg Het Groene Hart", w.woerden)
	w.linie = sqltest.Organisation(t, db, "Stichting De Linie", w.woerden)
	inOrg := func(email string, role identity.Role, org tenant.Organisation) identity.Person {
		return sqltest.Person(t, db, sqltest.PersonSpec{Email: email, TOTP: true,
			Roles: []identity.RoleAssignment{{Role: role, OrganisationID: org.ID, MunicipalityID: w.woerden.ID}}})
	}
	w.zorgAdmin = inOrg("eva@groenehart.example", identity.RoleProviderAdmin, w.zorg)
	w.zorgPro = inOrg("joost@groenehart.example", identity.RoleProfessional, w.zorg)
	w.linieAdm = inOrg("piet@delinie.example", identity.RoleProviderAdmin, w.linie)
	w.consult = sqltest.Staff(t, db, w.woerden, identity.RoleConsultant, "consulent@woerden.example")
	w.consultOW = sqltest.Staff(t, db, w.oudewater, identity.RoleConsultant, "consulent@oudewater.example")
	w.gemAdmin = sqltest.Staff(t, db, w.woerden, identity.RoleTenantAdmin, "beheer@woerden.example")
	w.anna = sqltest.Citizen(t, db, w.woerden, "anna@example.nl")
	w.bert = sqltest.Citizen(t, db, w.woerden, "bert@example.nl")
	w.carla = sqltest.Citizen(t, db, w.woerden, "carla@example.nl")
	w.dirk = sqltest.Citizen(t, db, w.woerden, "dirk@example.nl")
	for _, m := range []struct {
		p     identity.Person
		scope []string
	}{{w.carla, []string{budget.Category, request.Category, consent.CategoryConsent}}, {w.dirk, []string{request.Category}}} {
		_, err := w.consent.Appoint(ctx, w.anna, consent.NewMandate{DelegateID: m.p.ID, Kind: consent.MandateTrustedPerson, Scope: m.scope})
		must(t, err)
	}
	cat, err := w.market.CreateCategory(ctx, nil, market.Category{MunicipalityID: w.woerden.ID, Name: "Begeleiding"})
	must(t, err)
	w.category = cat.ID
	o, err := w.market.CreateOffering(ctx, &w.zorgAdmin, w.zorg.ID, market.Content{
		MunicipalityIDs: []string{w.woerden.ID}, CategoryIDs: []string{cat.ID}, Title: "Begeleiding thuis",
		Summary: "Een korte samenvatting.", Description: "Een beschrijving in eenvoudige taal.",
		HowToRequest: "Vraag het aan via deze website.", CostType: market.CostOwnBudget, Kind: market.KindProfessional,
		PriceCents: 3500, Unit: "uur",
	}, true)
	must(t, err)
	w.offering, err = w.market.Approve(ctx, &w.gemAdmin, o.ID, o.Version)
	must(t, err)
	w.clock.Advance(time.Hour)
	return w
}

// key returns a fresh idempotency key.
func key() string { return "k-" + id.New() }

// day is a date in 2026.
func day(month time.Month, d int) time.Time { return time.Date(2026, month, d, 0, 0, 0, 0, time.UTC) }

// grant gives anna a budget of amount for 2026 (the consultant decides).
func (w *world) grant(t testing.TB, amount budget.Cents) budget.Budget {
	t.Helper()
	d, err := w.svc.Grant(context.Background(), &w.consult, budget.NewGrant{
		ResidentID: w.anna.ID, AmountCents: amount, PeriodStart: day(1, 1), PeriodEnd: day(12, 31),
		LegalBasis: "Wmo 2015 art. 2.3.6: u krijgt een persoonsgebonden budget voor begeleiding.",
	}, key())
	must(t, err)
	v, err := w.svc.Budget(context.Background(), &w.anna, "", d.BudgetID)
	must(t, err)
	return v.Budget
}

// request makes an accepted request of anna for the offering, paid from
// her budget.
func (w *world) request(t testing.TB) request.Request {
	t.Helper()
	ctx := context.Background()
	r, err := w.requests.Create(ctx, &w.anna, "", w.offering.ID, "Ik wil graag begeleiding thuis.", request.FundingBudget)
	must(t, err)
	r, err = w.requests.Accept(ctx, &w.zorgAdmin, r.ID, r.Version)
	must(t, err)
	return r
}

// agreement makes an active agreement on a new request, from March to
// until, reserving price × units per month × months in b.
func (w *world) agreement(t testing.TB, b budget.Budget, price budget.Cents, units int, until time.Time) budget.Agreement {
	t.Helper()
	ctx := context.Background()
	r := w.request(t)
	a, err := w.svc.ProposeAgreement(ctx, &w.zorgAdmin, budget.NewAgreement{RequestID: r.ID, What: "Begeleiding thuis",
		Frequency: "elke dinsdagochtend", UnitPriceCents: price, UnitsPerMonth: units, From: day(3, 1), Until: until}, key())
	must(t, err)
	a, err = w.svc.AcceptAgreement(ctx, &w.anna, "", a.ID, b.ID, key())
	must(t, err)
	return a
}

// claim submits the provider's claim for period under a.
func (w *world) claim(t testing.TB, a budget.Agreement, period string, amount budget.Cents) budget.Claim {
	t.Helper()
	c, err := w.svc.SubmitClaim(context.Background(), &w.zorgAdmin, budget.NewClaim{AgreementID: a.ID, Period: period,
		Description: "Vier ochtenden begeleiding.", AmountCents: amount}, key())
	must(t, err)
	return c
}

// balance is anna's view of b's balance.
func (w *world) balance(t testing.TB, b budget.Budget) budget.Balance {
	t.Helper()
	v, err := w.svc.Budget(context.Background(), &w.anna, "", b.ID)
	must(t, err)
	return v.Balance
}

// reconciled fails the test unless the ledger reconciles.
func (w *world) reconciled(t testing.TB) budget.Report {
	t.Helper()
	r, err := w.svc.Reconcile(context.Background())
	must(t, err)
	if !r.OK() {
		t.Fatalf("reconcile: %v", r.Differences)
	}
	return r
}

// accessLog is the subject's access log: "actor action category outcome
// [for x]", oldest first, without consent changes.
func (w *world) accessLog(t *testing.T, subject identity.Person) []string {
	t.Helper()
	recs, _, err := w.log.ForSubject(context.Background(), subject.ID, time.Time{}, w.clock.Now().Add(time.Hour), 500, 0)
	must(t, err)
	var out []string
	for i := len(recs) - 1; i >= 0; i-- {
		r := recs[i]
		if r.Category == consent.CategoryConsent {
			continue
		}
		line := r.ActorID + " " + string(r.Action) + " " + r.Category + " " + string(r.Outcome)
		if r.OnBehalfOfID != "" {
			line += " for " + r.OnBehalfOfID
		}
		if r.Basis != "" {
			line += " " + r.Basis
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

func wantProblem(t testing.TB, err error, want problem) {
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
	notFound     = problem{Kind: errs.NotFound, Key: "error.not_found"}
	insufficient = problem{Kind: errs.Conflict, Key: "error.budget.insufficient"}
)

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
