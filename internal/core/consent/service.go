package consent

import (
	"context"
	"fmt"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

// Store is the storage the consent service needs.
type Store interface {
	// InTx runs fn in a transaction, or in the one already in ctx.
	InTx(ctx context.Context, fn func(ctx context.Context) error) error

	FindPersonByID(ctx context.Context, id string) (identity.Person, error)
	FindOrganisationByID(ctx context.Context, id string) (tenant.Organisation, error)

	// CreateGrant stores a new grant (version 1) and its first version.
	CreateGrant(ctx context.Context, g *Grant) error
	// UpdateGrant stores g as the next version of a grant: it replaces
	// version g.Version-1 (Conflict when the stored version is another)
	// and adds g to the versions.
	UpdateGrant(ctx context.Context, g Grant) error
	FindGrantByID(ctx context.Context, id string) (Grant, error)
	// FindGrants lists grants by filter, oldest first.
	FindGrants(ctx context.Context, f GrantFilter) ([]Grant, error)
	// FindGrantVersions lists every version of one grant (grantID) or of
	// all of a resident's grants (grantorID), by grant, oldest first.
	FindGrantVersions(ctx context.Context, grantID, grantorID string) ([]Grant, error)
	// FindGrantsDue lists the grants, oldest first, that are live at now,
	// end at or before until, and have not been reminded of.
	FindGrantsDue(ctx context.Context, now, until time.Time) ([]Grant, error)
	MarkGrantReminded(ctx context.Context, id string, at time.Time) error

	CreateMandate(ctx context.Context, m *Mandate) error
	FindMandateByID(ctx context.Context, id string) (Mandate, error)
	// FindMandates lists mandates by filter, oldest first.
	FindMandates(ctx context.Context, f MandateFilter) ([]Mandate, error)
	// RevokeMandate marks a mandate revoked; Conflict when it already is.
	RevokeMandate(ctx context.Context, id, byID string, at time.Time) error
}

// GrantFilter selects grants. Empty fields do not filter.
type GrantFilter struct {
	GrantorID string
	// Grants to this person or to one of these organisations; with both
	// empty, grants to anyone.
	GranteePersonID string
	GranteeOrgIDs   []string
	// LiveAt selects grants live at this time; zero selects all.
	LiveAt time.Time
}

// MandateFilter selects mandates. Empty fields do not filter.
type MandateFilter struct {
	ResidentID string
	DelegateID string
	LiveAt     time.Time // zero selects all
}

// Options are the optional parts of a Service.
type Options struct {
	// Categories is the registry grants are checked against; nil means
	// DefaultCategories.
	Categories *Categories
	// Policies looks up a municipality's policy; nil means DefaultPolicy
	// everywhere.
	Policies PolicySource
	// LegalTasks are the legal tasks that Decide applies. None are enabled
	// by default (see LegalTask).
	LegalTasks []LegalTask
}

// Service keeps grants and mandates, and is the one policy decision point
// of the platform: Decide and Check.
type Service struct {
	store    Store
	rec      audit.Recorder
	clock    clock.Clock
	cats     *Categories
	policies PolicySource
	tasks    []LegalTask
}

// NewService returns a consent service that records accesses and changes
// through rec. It fails when a legal task is not valid.
func NewService(store Store, rec audit.Recorder, clk clock.Clock, opts Options) (*Service, error) {
	s := &Service{store: store, rec: rec, clock: clk, cats: opts.Categories, policies: opts.Policies}
	if s.cats == nil {
		s.cats = DefaultCategories
	}
	for _, t := range opts.LegalTasks {
		if err := t.validate(s.cats); err != nil {
			return nil, errs.E("consent.NewService", err)
		}
		s.tasks = append(s.tasks, t)
	}
	return s, nil
}

// now is the clock's time at the stored precision (milliseconds), so that
// a decision and the database compare alike.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Millisecond) }

// policyFor returns the policy of the resident's home municipality.
func (s *Service) policyFor(ctx context.Context, resident identity.Person) (Policy, error) {
	if s.policies == nil || resident.HomeMunicipalityID == "" {
		return DefaultPolicy, nil
	}
	p, err := s.policies.ConsentPolicy(ctx, resident.HomeMunicipalityID)
	switch {
	case errs.Is(err, errs.NotFound):
		return DefaultPolicy, nil
	case err != nil:
		return Policy{}, err
	}
	if p.Validate() != nil {
		// A defect in the settings, not in the resident's form.
		return Policy{}, errs.E("consent.policyFor", fmt.Errorf("municipality %s has a bad consent policy %+v", resident.HomeMunicipalityID, p))
	}
	return p, nil
}

// notFound is the answer to anything the actor may not see: the same as for
// something that does not exist.
func notFound(op string) error { return errs.E(op, errs.NotFound, errs.Key("error.not_found")) }
