package review

import (
	"context"
	"slices"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Category is the data category of a resident's reviews, for mandates: a
// delegate whose mandate covers it writes, edits and withdraws reviews
// for the resident.
const Category = "review"

func init() { consent.RegisterCategory(Category, "") }

// Policy is the consent service's decision point as reviews need it.
type Policy interface {
	Check(ctx context.Context, actor identity.Person, actingFor, subjectID string, req consent.Request) error
}

// Delivery is a delivered request, as the requests app reports it.
type Delivery struct {
	RequestID     string
	OfferingID    string
	ProviderOrgID string
	ResidentID    string
	DeliveredAt   time.Time
}

// Deliveries finds delivered requests. Delivered answers NotFound when
// the request does not exist or was not delivered.
type Deliveries interface {
	Delivered(ctx context.Context, requestID string) (Delivery, error)
}

// DeliveriesFunc is a function that is a Deliveries.
type DeliveriesFunc func(ctx context.Context, requestID string) (Delivery, error)

// Delivered calls f.
func (f DeliveriesFunc) Delivered(ctx context.Context, requestID string) (Delivery, error) {
	return f(ctx, requestID)
}

// Actor is who acts on a resident's reviews: the person, and the resident
// they act for under a mandate ("" for themselves).
type Actor struct {
	Person    identity.Person
	ActingFor string
}

// ResidentID is the resident whose reviews these are.
func (a Actor) ResidentID() string {
	if a.ActingFor != "" {
		return a.ActingFor
	}
	return a.Person.ID
}

func (a Actor) own() bool { return a.ActingFor == "" || a.ActingFor == a.Person.ID }

// Options tune a Service; the zero value is fine.
type Options struct {
	// Freshness is how often Run (and a page asking for an aggregate)
	// checks whether another node changed the reviews (default 1s).
	Freshness time.Duration
	// RatingsChanged is called when the ratings RatingOf gives have
	// changed: a review was published, edited, withdrawn or erased (seen
	// at once after a write through this Service, within Freshness for
	// another node's), or one stopped counting after CountYears. The
	// marketplace's result cache listens (market.Service.RatingsChanged).
	// It is called outside the summary's locks and must not block; nil
	// tells nobody.
	RatingsChanged func()
}

// Service is Waarderen. Every policy check is made here.
type Service struct {
	store      Store
	policy     Policy
	deliveries Deliveries
	clock      clock.Clock
	sum        *summary
}

// NewService returns the review service. deliveries may be a
// DeliveriesFunc that reaches a service built later.
func NewService(store Store, policy Policy, deliveries Deliveries, clk clock.Clock, opt Options) *Service {
	if opt.Freshness <= 0 {
		opt.Freshness = time.Second
	}
	return &Service{store: store, policy: policy, deliveries: deliveries, clock: clk, sum: newSummary(store, clk, opt.Freshness, opt.RatingsChanged)}
}

// now is the clock's time cut to the stored milliseconds.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Millisecond) }

// asAuthor lets the resident through, and a delegate whose mandate covers
// Category (Check logs it); anyone else gets NotFound, logged.
func (s *Service) asAuthor(ctx context.Context, a Actor, action audit.Action) error {
	if a.Person.ID == "" {
		return errs.E("review.asAuthor", errs.Unauthorized, errs.Key("error.unauthorized"))
	}
	if a.own() {
		return nil
	}
	return s.policy.Check(ctx, a.Person, a.ActingFor, a.ActingFor, consent.Request{Category: Category, Action: action})
}

// write runs fn in a transaction that first takes the next change number
// — which also makes review writes wait for each other (SQLite's write
// lock, PostgreSQL's row lock on the sequence), so fn may check a state it
// reads and rely on it — and brings this node's summary up to date after
// the commit.
func (s *Service) write(ctx context.Context, fn func(ctx context.Context) error) error {
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.store.NextReviewSeq(ctx); err != nil {
			return err
		}
		return fn(ctx)
	})
	if err != nil {
		return err
	}
	s.sum.changed()
	// A failed refresh leaves the summary marked: the next one retries.
	_ = s.sum.refresh(ctx, true) //nolint:errcheck // see above
	return nil
}

// moderatorIn returns the municipalities where p moderates.
func moderatorIn(p identity.Person) []string {
	var out []string
	for _, r := range p.Roles {
		if r.Role == identity.RoleModerator && r.MunicipalityID != "" && !slices.Contains(out, r.MunicipalityID) {
			out = append(out, r.MunicipalityID)
		}
	}
	return out
}

// providerOrgs returns the organisations p administers as a provider.
func providerOrgs(p identity.Person) []string {
	var out []string
	for _, r := range p.Roles {
		if r.Role == identity.RoleProviderAdmin && r.OrganisationID != "" && !slices.Contains(out, r.OrganisationID) {
			out = append(out, r.OrganisationID)
		}
	}
	return out
}
