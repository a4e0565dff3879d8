package budget

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

func init() {
	consent.RegisterCategory(Category, "")
}

// LegalTask lets a consultant of the resident's home municipality decide
// on and follow the resident's personal budget: the grant decisions, the
// approval of agreements that need it and corrections. The consent
// service must be given it (consent.Options.LegalTasks) for consultants to
// reach budgets; every access under it is logged.
var LegalTask = consent.LegalTask{
	Name: "budget_decision",
	Law: "Wmo 2015 art. 2.3.6 (persoonsgebonden budget) en art. 2.3.5 " +
		"(beslissing op de aanvraag); Jeugdwet art. 8.1.1",
	Roles:      []identity.Role{identity.RoleConsultant},
	Categories: []string{Category},
	Actions:    []audit.Action{audit.ActionCreate, audit.ActionRead, audit.ActionUpdate, audit.ActionExport},
}

// Policy is what the service needs of the consent service.
type Policy interface {
	Check(ctx context.Context, actor identity.Person, actingFor, subjectID string, req consent.Request) error
	Decide(ctx context.Context, actor identity.Person, actingFor, subjectID string, req consent.Request) (consent.Decision, error)
}

// Requests is what the service needs of the requests app: a request as
// the actor may see it (the provider's read is logged there).
type Requests interface {
	Get(ctx context.Context, actor *identity.Person, actingFor, id string) (request.Request, error)
}

// Offerings is what the service needs of the marketplace.
type Offerings interface {
	Offering(ctx context.Context, actor *identity.Person, offeringID string) (market.View, error)
}

// Mailer sends a templated mail; *mail.Sender is one.
type Mailer interface {
	Send(ctx context.Context, m identity.Mail) error
}

// Options are the optional parts of a Service.
type Options struct {
	Mailer  Mailer       // nil: no mail
	BaseURL string       // prefixes the links in mail
	Log     *slog.Logger // for failed mail (no personal data); nil: slog.Default
}

// Service is the budget service. Every policy check is made here, so the
// pages, the API and the command line cannot skip one.
type Service struct {
	store     Store
	policy    Policy
	requests  Requests
	offerings Offerings
	clock     clock.Clock
	mailer    Mailer
	baseURL   string
	log       *slog.Logger

	// failAfterEntries, when set (tests only), makes the ledger fail after
	// writing that many entries of a movement: the failure injection of
	// the "whole or absent" test.
	failAfterEntries int
}

// NewService returns the budget service.
func NewService(store Store, policy Policy, requests Requests, offerings Offerings, clk clock.Clock, opt Options) *Service {
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	return &Service{store: store, policy: policy, requests: requests, offerings: offerings, clock: clk,
		mailer: opt.Mailer, baseURL: strings.TrimRight(opt.BaseURL, "/"), log: opt.Log}
}

func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Millisecond) }

var errNotFound = errs.Key("error.not_found")

func unauthorized(op string) error {
	return errs.E(op, errs.Unauthorized, errs.Key("error.unauthorized"))
}

// NewGrant is a consultant's grant decision for a new budget.
type NewGrant struct {
	ResidentID  string
	AmountCents Cents
	PeriodStart time.Time
	PeriodEnd   time.Time // inclusive
	CategoryIDs []string  // eligible categories; with OfferingIDs empty: any offering payable from a budget
	OfferingIDs []string
	LegalBasis  string // the law and the reasons, in words the resident understands
}

// GrantChange is a decision that changes a budget: the new amount (what is
// granted in total), period end and eligibility.
type GrantChange struct {
	AmountCents Cents
	PeriodEnd   time.Time
	CategoryIDs []string
	OfferingIDs []string
	LegalBasis  string
}

// NewAgreement is a provider's proposal for a care agreement on a request.
type NewAgreement struct {
	RequestID      string
	What           string
	Frequency      string
	UnitPriceCents Cents
	UnitsPerMonth  int
	From           time.Time // any day of the first month
	Until          time.Time // any day of the last month
}

// NewClaim is a provider's claim for one month under an agreement.
type NewClaim struct {
	AgreementID string
	Period      string // "2026-11"
	Description string
	AmountCents Cents
}
