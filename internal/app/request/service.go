package request

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/vault"
)

func init() {
	consent.RegisterCategory(Category, "")
	// A provider's admins answer the requests sent to their organisation,
	// so grants of this category reach them as well as its professionals.
	consent.RegisterGranteeRole(Category, identity.RoleProviderAdmin)
}

// ReuseGrantDays is how long a live grant to the provider must still last
// for a new request to reuse it instead of making a new one.
const ReuseGrantDays = 30

// Stored is a request as stored: the message and the reason sealed with
// the resident's data key.
type Stored struct {
	Request
	SealedMessage []byte
	SealedReason  []byte // nil when there is no reason
}

// Store is the storage the request service needs.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	FindPersonByID(ctx context.Context, id string) (identity.Person, error)

	// CreateRequest stores a new request (Version 1) with its first event.
	CreateRequest(ctx context.Context, r Stored, e Event) error
	// UpdateRequest stores the changed fields of r (status, proposed time,
	// reason, delivered at, updated at) as Version prev+1, and adds e;
	// Conflict when the stored version is not prev.
	UpdateRequest(ctx context.Context, r Stored, prev int64, e Event) error
	FindRequestByID(ctx context.Context, id string) (Stored, error)
	// FindRequestsByResident lists a resident's requests, newest first.
	FindRequestsByResident(ctx context.Context, residentID string) ([]Stored, error)
	// FindRequestsByProvider lists an organisation's requests, newest
	// first, in one of statuses (all when empty).
	FindRequestsByProvider(ctx context.Context, orgID string, statuses []Status) ([]Stored, error)
	FindRequestEvents(ctx context.Context, requestID string) ([]Event, error)
	// FindProviderAdmins lists the persons holding provider_admin in an
	// organisation, to tell them of new requests.
	FindProviderAdmins(ctx context.Context, orgID string) ([]identity.Person, error)
	// DeleteRequestsByResident deletes a resident's requests and their
	// timelines (erasure).
	DeleteRequestsByResident(ctx context.Context, residentID string) error
}

// Policy is what the service needs of the consent service.
type Policy interface {
	Check(ctx context.Context, actor identity.Person, actingFor, subjectID string, req consent.Request) error
	Decide(ctx context.Context, actor identity.Person, actingFor, subjectID string, req consent.Request) (consent.Decision, error)
	Grant(ctx context.Context, actor identity.Person, in consent.NewGrant) (consent.Grant, error)
	GrantsBy(ctx context.Context, actor identity.Person, residentID string) ([]consent.Receipt, error)
}

// Offerings is what the service needs of the marketplace.
type Offerings interface {
	Offering(ctx context.Context, actor *identity.Person, offeringID string) (market.View, error)
}

// Sealer encrypts and decrypts with the resident's data key.
type Sealer interface {
	Seal(ctx context.Context, subjectID string, b vault.Binding, plaintext []byte) ([]byte, error)
	Open(ctx context.Context, subjectID string, b vault.Binding, ciphertext []byte) ([]byte, error)
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

// Service is the request service. Every policy check is made here, so
// the pages, the API and jobs cannot skip one.
type Service struct {
	store     Store
	policy    Policy
	offerings Offerings
	vault     Sealer
	clock     clock.Clock
	mailer    Mailer
	baseURL   string
	log       *slog.Logger
}

// NewService returns the request service.
func NewService(store Store, policy Policy, offerings Offerings, v Sealer, clk clock.Clock, opt Options) *Service {
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	return &Service{store: store, policy: policy, offerings: offerings, vault: v, clock: clk,
		mailer: opt.Mailer, baseURL: strings.TrimRight(opt.BaseURL, "/"), log: opt.Log}
}

var errNotFound = errs.Key("error.not_found")

func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Millisecond) }

// residentOf returns who a resident-side actor acts as: the resident they
// act for, or themselves.
func residentOf(actor *identity.Person, actingFor string) string {
	if actingFor != "" {
		return actingFor
	}
	return actor.ID
}

// asResident lets the resident through, and a delegate whose live mandate
// covers Category (Check logs that access); anyone else gets NotFound.
func (s *Service) asResident(ctx context.Context, actor *identity.Person, actingFor, residentID, objectID string, action audit.Action) error {
	if actingFor == actor.ID {
		actingFor = ""
	}
	if actingFor == "" && actor.ID == residentID {
		return nil
	}
	return s.policy.Check(ctx, *actor, actingFor, residentID, consent.Request{Category: Category, Action: action, ObjectID: objectID})
}

// worksFor reports whether p holds provider_admin or professional in the
// organisation: the provider side of its requests.
func worksFor(p *identity.Person, orgID string) bool {
	return slices.ContainsFunc(p.Roles, func(a identity.RoleAssignment) bool {
		return a.OrganisationID == orgID && (a.Role == identity.RoleProviderAdmin || a.Role == identity.RoleProfessional)
	})
}

// inOrganisation reports whether p holds any role in the organisation.
func inOrganisation(p identity.Person, orgID string) bool {
	return slices.ContainsFunc(p.Roles, func(a identity.RoleAssignment) bool { return a.OrganisationID == orgID })
}

// asProvider lets the provider side of r through: someone working for its
// organisation whose read consent.Check allows (and logs). Anyone else
// gets NotFound.
func (s *Service) asProvider(ctx context.Context, op string, actor *identity.Person, r Request) error {
	if !worksFor(actor, r.ProviderOrgID) {
		return errs.E(op, errs.NotFound, errNotFound)
	}
	if err := s.policy.Check(ctx, *actor, "", r.ResidentID, consent.Request{Category: Category, Action: audit.ActionRead, ObjectID: r.ID}); err != nil {
		return errs.E(op, err)
	}
	return nil
}

func unauthorized(op string) error {
	return errs.E(op, errs.Unauthorized, errs.Key("error.unauthorized"))
}

// Get returns one request with its timeline, as actor may see it: the
// resident's side (the resident, or a delegate acting for them under a
// mandate) or the provider's side (logged in the resident's access log).
// Anyone else gets NotFound.
func (s *Service) Get(ctx context.Context, actor *identity.Person, actingFor, id string) (Request, error) {
	const op = "request.Get"
	if actor == nil || actor.ID == "" {
		return Request{}, unauthorized(op)
	}
	// No transaction: a denial must stay in the access log.
	st, err := s.store.FindRequestByID(ctx, id)
	if errs.Is(err, errs.NotFound) {
		return Request{}, errs.E(op, errs.NotFound, errNotFound)
	} else if err != nil {
		return Request{}, errs.E(op, err)
	}
	if err := s.authorize(ctx, op, actor, actingFor, st.Request, audit.ActionRead); err != nil {
		return Request{}, errs.E(op, err)
	}
	out, err := s.open(ctx, st)
	if err != nil {
		return Request{}, errs.E(op, err)
	}
	if out.Events, err = s.store.FindRequestEvents(ctx, id); err != nil {
		return Request{}, errs.E(op, err)
	}
	return out, nil
}

// authorize lets through the resident's side (with actingFor, only that
// side) or the provider's side of r.
func (s *Service) authorize(ctx context.Context, op string, actor *identity.Person, actingFor string, r Request, action audit.Action) error {
	if actingFor != "" && actingFor != actor.ID {
		if actingFor != r.ResidentID {
			return errs.E(op, errs.NotFound, errNotFound)
		}
		return s.asResident(ctx, actor, actingFor, r.ResidentID, r.ID, action)
	}
	if actor.ID == r.ResidentID {
		return nil
	}
	return s.asProvider(ctx, op, actor, r)
}

// open unseals the message and the reason.
func (s *Service) open(ctx context.Context, st Stored) (Request, error) {
	r := st.Request
	msg, err := s.vault.Open(ctx, r.ResidentID, messageBinding(r.ID), st.SealedMessage)
	if err != nil {
		return Request{}, err
	}
	r.Message = string(msg)
	if st.SealedReason != nil {
		reason, err := s.vault.Open(ctx, r.ResidentID, reasonBinding(r.ID), st.SealedReason)
		if err != nil {
			return Request{}, err
		}
		r.Reason = string(reason)
	}
	return r, nil
}

func messageBinding(id string) vault.Binding {
	return vault.Binding{Table: "requests", Column: "message", RowID: id}
}

func reasonBinding(id string) vault.Binding {
	return vault.Binding{Table: "requests", Column: "reason", RowID: id}
}

// ForResident lists the requests of the resident the actor is or acts
// for, newest first. A delegate needs a mandate covering Category.
func (s *Service) ForResident(ctx context.Context, actor *identity.Person, actingFor string) ([]Request, error) {
	const op = "request.ForResident"
	if actor == nil || actor.ID == "" {
		return nil, unauthorized(op)
	}
	residentID := residentOf(actor, actingFor)
	if err := s.asResident(ctx, actor, actingFor, residentID, "", audit.ActionRead); err != nil {
		return nil, errs.E(op, err)
	}
	list, err := s.store.FindRequestsByResident(ctx, residentID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	out, err := s.openAll(ctx, list)
	if err != nil {
		return nil, errs.E(op, err)
	}
	return out, nil
}

func (s *Service) openAll(ctx context.Context, list []Stored) ([]Request, error) {
	out := make([]Request, 0, len(list))
	for _, st := range list {
		r, err := s.open(ctx, st)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// ForProvider lists the requests sent to an organisation, newest first,
// with one of the statuses (all when none is given). actor must work for
// the organisation (provider_admin or professional), else Forbidden: the
// organisation's existence is no secret. Only requests whose resident's
// grant still lets the actor in are listed, and each listed one is logged
// as read in its resident's access log.
func (s *Service) ForProvider(ctx context.Context, actor *identity.Person, orgID string, statuses ...Status) ([]Request, error) {
	const op = "request.ForProvider"
	if actor == nil || actor.ID == "" {
		return nil, unauthorized(op)
	}
	if !worksFor(actor, orgID) {
		return nil, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
	}
	for _, st := range statuses {
		if !st.Valid() {
			return nil, errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"status": "field.request_status.invalid"})
		}
	}
	var out []Request
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		list, err := s.store.FindRequestsByProvider(ctx, orgID, statuses)
		if err != nil {
			return err
		}
		var shown []Stored
		for _, st := range list {
			req := consent.Request{Category: Category, Action: audit.ActionRead, ObjectID: st.ID}
			// Decide first: a request whose grant is gone is simply not
			// listed (nothing of it is read); Check then logs each read.
			d, err := s.policy.Decide(ctx, *actor, "", st.ResidentID, req)
			if err != nil {
				return err
			}
			if !d.Allowed {
				continue
			}
			if err := s.policy.Check(ctx, *actor, "", st.ResidentID, req); err != nil {
				return err
			}
			shown = append(shown, st)
		}
		out, err = s.openAll(ctx, shown)
		return err
	})
	if err != nil {
		return nil, errs.E(op, err)
	}
	return out, nil
}

// Delivered returns the request when it exists and was delivered, else
// NotFound — for other services (reviews, budget) to check a fact. It
// takes no actor and writes no access log: the caller applies its own
// policy. The message and reason are left out.
func (s *Service) Delivered(ctx context.Context, requestID string) (Request, error) {
	const op = "request.Delivered"
	st, err := s.store.FindRequestByID(ctx, requestID)
	if errs.Is(err, errs.NotFound) || (err == nil && st.Status != StatusDelivered) {
		return Request{}, errs.E(op, errs.NotFound, errNotFound)
	} else if err != nil {
		return Request{}, errs.E(op, err)
	}
	return st.Request, nil
}
