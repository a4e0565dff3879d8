package budget

import (
	"context"
	"slices"

	"github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// side is who an allowed actor is to a budget, an agreement or a claim.
type side int

const (
	sideResident     side = iota + 1 // the resident, or a delegate acting for them
	sideMunicipality                 // a consultant of the resident's municipality (legal task)
	sideShared                       // someone the resident shared their budget with (read only)
	sideProvider                     // the provider of an agreement
)

// residentOf returns who a resident-side actor acts as.
func residentOf(actor *identity.Person, actingFor string) string {
	if actingFor != "" {
		return actingFor
	}
	return actor.ID
}

// selfOrFor normalises actingFor: "" when the actor acts for themselves.
func selfOrFor(actor *identity.Person, actingFor string) string {
	if actingFor == actor.ID {
		return ""
	}
	return actingFor
}

// readBudget lets through who may see the resident's budget data: the
// resident; a delegate under a mandate covering Category; a consultant of
// the resident's municipality (legal task); anyone the resident granted
// Category to. Every access but the resident's own is logged by
// consent.Check; anyone else gets NotFound, logged as denied.
func (s *Service) readBudget(ctx context.Context, actor *identity.Person, actingFor, residentID, objectID string) (side, error) {
	actingFor = selfOrFor(actor, actingFor)
	if actingFor == "" && actor.ID == residentID {
		return sideResident, nil
	}
	req := consent.Request{Category: Category, Action: audit.ActionRead, ObjectID: objectID}
	if err := s.policy.Check(ctx, *actor, actingFor, residentID, req); err != nil {
		return 0, err
	}
	if actingFor != "" {
		return sideResident, nil
	}
	d, err := s.policy.Decide(ctx, *actor, "", residentID, req)
	if err != nil {
		return 0, err
	}
	if d.Basis == consent.LegalTaskBasis(LegalTask.Name) {
		return sideMunicipality, nil
	}
	return sideShared, nil
}

// asResident lets through only the resident's side to act: the resident,
// or a delegate whose mandate covers Category (logged). Someone who may
// see the budget but not act for the resident gets Forbidden; anyone else
// NotFound.
func (s *Service) asResident(ctx context.Context, op string, actor *identity.Person, actingFor, residentID, objectID string) error {
	actingFor = selfOrFor(actor, actingFor)
	if actingFor == "" && actor.ID == residentID {
		return nil
	}
	if actingFor != "" {
		req := consent.Request{Category: Category, Action: audit.ActionUpdate, ObjectID: objectID}
		if err := s.policy.Check(ctx, *actor, actingFor, residentID, req); err != nil {
			return errs.E(op, err)
		}
		return nil
	}
	if _, err := s.readBudget(ctx, actor, "", residentID, objectID); err != nil {
		return errs.E(op, err)
	}
	return errs.E(op, errs.Forbidden, errs.Key("error.budget.resident_only"))
}

// asMunicipality lets through a consultant of the budget's municipality
// whose action the legal task covers (logged); a consultant elsewhere, or
// anyone else, gets NotFound (logged as denied).
func (s *Service) asMunicipality(ctx context.Context, op string, actor *identity.Person, b Budget, objectID string, action audit.Action) error {
	req := consent.Request{Category: Category, Action: action, ObjectID: objectID}
	if !actor.HasIn(identity.RoleConsultant, b.MunicipalityID) {
		// Check logs the refusal: the legal task needs the consultant
		// role in the resident's municipality.
		if err := s.policy.Check(ctx, *actor, "", b.ResidentID, req); err != nil {
			return errs.E(op, err)
		}
		// A grant from the resident let them in: they may see, not decide.
		return errs.E(op, errs.Forbidden, errs.Key("error.budget.consultant_only"))
	}
	if err := s.policy.Check(ctx, *actor, "", b.ResidentID, req); err != nil {
		return errs.E(op, err)
	}
	return nil
}

// worksFor reports whether p holds provider_admin or professional in the
// organisation.
func worksFor(p *identity.Person, orgID string) bool {
	return slices.ContainsFunc(p.Roles, func(a identity.RoleAssignment) bool {
		return a.OrganisationID == orgID && (a.Role == identity.RoleProviderAdmin || a.Role == identity.RoleProfessional)
	})
}

// asProvider lets through the provider side of an agreement: someone
// working for its organisation whose access the resident's request grant
// allows (logged); anyone else gets NotFound.
func (s *Service) asProvider(ctx context.Context, op string, actor *identity.Person, orgID, residentID, objectID string) error {
	if !worksFor(actor, orgID) {
		return errs.E(op, errs.NotFound, errNotFound)
	}
	req := consent.Request{Category: request.Category, Action: audit.ActionRead, ObjectID: objectID}
	if err := s.policy.Check(ctx, *actor, "", residentID, req); err != nil {
		return errs.E(op, err)
	}
	return nil
}

// readAgreement lets through who may see an agreement or its claims: the
// resident's side, the provider's side, or who may read the budget.
func (s *Service) readAgreement(ctx context.Context, op string, actor *identity.Person, actingFor string, orgID, residentID, objectID string) (side, error) {
	actingFor = selfOrFor(actor, actingFor)
	if actingFor == "" && actor.ID != residentID && worksFor(actor, orgID) {
		if err := s.asProvider(ctx, op, actor, orgID, residentID, objectID); err != nil {
			return 0, err
		}
		return sideProvider, nil
	}
	sd, err := s.readBudget(ctx, actor, actingFor, residentID, objectID)
	if err != nil {
		return 0, errs.E(op, err)
	}
	return sd, nil
}

// consultantMunicipalities lists the municipalities where p is a
// consultant.
func consultantMunicipalities(p *identity.Person) []string {
	var out []string
	for _, a := range p.Roles {
		if a.Role == identity.RoleConsultant && a.MunicipalityID != "" && !slices.Contains(out, a.MunicipalityID) {
			out = append(out, a.MunicipalityID)
		}
	}
	return out
}
