package review_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/app/review"
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

// world is the marketplace with the real requests app and reviews:
// Woerden and Oudewater, two providers, their admins, a moderator per
// municipality, and residents.
type world struct {
	db         *sqlstore.DB
	clock      *clock.Fake
	log        *audit.Log
	consent    *consent.Service
	market     *market.Service
	requests   *request.Service
	svc        *review.Service
	woerden    tenant.Municipality
	oudewater  tenant.Municipality
	zorg       tenant.Organisation
	linie      tenant.Organisation
	zorgAdmin  identity.Person // provider_admin of zorg
	linieAdmin identity.Person
	gemAdmin   identity.Person // municipality admin of Woerden
	mod        identity.Person // moderator in Woerden
	oudeMod    identity.Person // moderator in Oudewater only
	anna       identity.Person // resident
	bert       identity.Person // resident
	carla      identity.Person // anna's trusted person for requests and reviews
	free       market.Offering // zorg, in Woerden
	lin        market.Offering // linie, in Woerden
}

func newWorld(t *testing.T, db *sqlstore.DB) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{db: db, clock: clock.NewFake(sqltest.Epoch)}
	ring, err := vault.NewKeyring()
	must(t, err)
	w.log = audit.NewLog(db, w.clock)
	w.consent, err = consent.NewService(db, w.log, w.clock, consent.Options{})
	must(t, err)
	w.svc = review.NewService(db, w.consent, review.FromRequests(func() review.Requests { return w.requests }), w.clock,
		review.Options{RatingsChanged: func() { w.market.RatingsChanged() }})
	w.market = market.NewService(db, w.clock, market.Options{Ratings: w.svc})
	w.requests = request.NewService(db, w.consent, w.market, vault.New(sqltest.Open(t, db.Dialect()), ring, w.clock), w.clock, request.Options{})

	w.woerden = sqltest.Municipality(t, db, "woerden")
	w.oudewater = sqltest.Municipality(t, db, "oudewater")
	w.zorg = sqltest.Organisation(t, db, "Thuiszorg Het Groene Hart", w.woerden)
	w.linie = sqltest.Organisation(t, db, "Stichting De Linie", w.woerden)
	admin := func(email string, org tenant.Organisation) identity.Person {
		return sqltest.Person(t, db, sqltest.PersonSpec{Email: email, TOTP: true,
			Roles: []identity.RoleAssignment{{Role: identity.RoleProviderAdmin, OrganisationID: org.ID, MunicipalityID: w.woerden.ID}}})
	}
	w.zorgAdmin = admin("eva@groenehart.example", w.zorg)
	w.linieAdmin = admin("piet@delinie.example", w.linie)
	w.gemAdmin = sqltest.Staff(t, db, w.woerden, identity.RoleTenantAdmin, "beheer@woerden.example")
	w.mod = sqltest.Staff(t, db, w.woerden, identity.RoleModerator, "moderator@woerden.example")
	w.oudeMod = sqltest.Staff(t, db, w.oudewater, identity.RoleModerator, "moderator@oudewater.example")
	w.anna = sqltest.Person(t, db, sqltest.PersonSpec{Email: "anna@example.nl", Name: "Anna de Vries", Home: w.woerden.ID,
		Roles: []identity.RoleAssignment{sqltest.Role(identity.RoleCitizen, w.woerden)}})
	w.bert = sqltest.Citizen(t, db, w.woerden, "bert@example.nl")
	w.carla = sqltest.Citizen(t, db, w.woerden, "carla@example.nl")
	_, err = w.consent.Appoint(ctx, w.anna, consent.NewMandate{DelegateID: w.carla.ID, Kind: consent.MandateTrustedPerson,
		Scope: []string{request.Category, review.Category, consent.CategoryConsent}})
	must(t, err)

	cat, err := w.market.CreateCategory(ctx, nil, market.Category{MunicipalityID: w.woerden.ID, Name: "Huishoudelijke hulp"})
	must(t, err)
	w.free = w.publish(t, w.zorgAdmin, w.zorg, "Hulp in de huishouding", cat.ID)
	w.lin = w.publish(t, w.linieAdmin, w.linie, "Maatjesproject", cat.ID)
	w.clock.Advance(time.Hour)
	return w
}

func (w *world) publish(t *testing.T, admin identity.Person, org tenant.Organisation, title, catID string) market.Offering {
	t.Helper()
	ctx := context.Background()
	o, err := w.market.CreateOffering(ctx, &admin, org.ID, market.Content{
		MunicipalityIDs: []string{w.woerden.ID}, CategoryIDs: []string{catID}, Title: title,
		Summary: "Een korte samenvatting.", Description: "Een beschrijving in eenvoudige taal.",
		HowToRequest: "Vraag het aan via deze website.", CostType: market.CostFree, Kind: market.KindProfessional,
	}, true)
	must(t, err)
	o, err = w.market.Approve(ctx, &w.gemAdmin, o.ID, o.Version)
	must(t, err)
	return o
}

// delivered has resident (or a delegate acting for them) request o, and
// o's provider accept and deliver it.
func (w *world) delivered(t *testing.T, actor identity.Person, actingFor string, o market.Offering) request.Request {
	t.Helper()
	ctx := context.Background()
	r, err := w.requests.Create(ctx, &actor, actingFor, o.ID, "Ik heb hulp nodig bij het schoonmaken.", "")
	must(t, err)
	admin := w.zorgAdmin
	if o.ProviderOrgID == w.linie.ID {
		admin = w.linieAdmin
	}
	r, err = w.requests.Accept(ctx, &admin, r.ID, r.Version)
	must(t, err)
	r, err = w.requests.Deliver(ctx, &admin, r.ID, r.Version)
	must(t, err)
	return r
}

// content is valid content with the given overall score.
func content(overall int) review.Content {
	return review.Content{Overall: overall, Information: 4, Treatment: 5, Result: 3, Recommend: true,
		Text: "De hulp kwam op tijd en was vriendelijk.", Display: review.DisplayPseudonym, Pseudonym: "Zonnebloem"}
}

// own is the resident acting for themselves.
func own(p identity.Person) review.Actor { return review.Actor{Person: p} }

// pending returns the moderator's queue item for a review, failing without one.
func (w *world) pending(t *testing.T, reviewID string) review.QueueItem {
	t.Helper()
	q, err := w.svc.Queue(context.Background(), w.mod)
	must(t, err)
	for _, it := range q {
		if it.Submission.ReviewID == reviewID {
			return it
		}
	}
	t.Fatalf("review %s is not in the queue", reviewID)
	return review.QueueItem{}
}

// publishReview writes a review of a fresh delivery and has it approved.
func (w *world) publishReview(t *testing.T, author identity.Person, o market.Offering, c review.Content) review.Review {
	t.Helper()
	ctx := context.Background()
	req := w.delivered(t, author, "", o)
	r, err := w.svc.Create(ctx, own(author), req.ID, c)
	must(t, err)
	must(t, w.svc.Approve(ctx, w.mod, w.pending(t, r.ID).Submission.ID))
	return r
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

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// addRole gives p a role in org, as if they were hired there.
func (w *world) addRole(t *testing.T, p identity.Person, role identity.Role, org tenant.Organisation) identity.Person {
	t.Helper()
	ra := identity.RoleAssignment{ID: id.New(), PersonID: p.ID, Role: role, OrganisationID: org.ID, MunicipalityID: w.woerden.ID, CreatedAt: w.clock.Now()}
	must(t, w.db.AddRole(context.Background(), &ra))
	p.Roles = append(p.Roles, ra)
	return p
}

// setClock moves the fake clock to at (forward or back).
func (w *world) setClock(at time.Time) { w.clock.Advance(at.Sub(w.clock.Now())) }
