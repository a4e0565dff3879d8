package budget

import (
	"context"

	"github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Agreement returns one agreement with what is reserved for and spent
// under it: for the resident's side, the provider's side (through the
// resident's request grant) or who may see the budget; each access but
// the resident's own is logged. Anyone else gets NotFound.
func (s *Service) Agreement(ctx context.Context, actor *identity.Person, actingFor, agreementID string) (Agreement, error) {
	const op = "budget.Agreement"
	if actor == nil || actor.ID == "" {
		return Agreement{}, unauthorized(op)
	}
	a, err := s.openAgreement(ctx, op, agreementID)
	if err != nil {
		return Agreement{}, err
	}
	if _, err := s.readAgreement(ctx, op, actor, actingFor, a.ProviderOrgID, a.ResidentID, a.ID); err != nil {
		return Agreement{}, err
	}
	return s.findAgreement(ctx, op, a.ID)
}

// AgreementsOf lists the agreements of the resident actor is or acts for
// (a delegate's mandate must cover Category), newest first.
func (s *Service) AgreementsOf(ctx context.Context, actor *identity.Person, actingFor string) ([]Agreement, error) {
	const op = "budget.AgreementsOf"
	if actor == nil || actor.ID == "" {
		return nil, unauthorized(op)
	}
	residentID := residentOf(actor, selfOrFor(actor, actingFor))
	if _, err := s.readBudget(ctx, actor, actingFor, residentID, ""); err != nil {
		return nil, errs.E(op, err)
	}
	list, err := s.store.FindAgreementsByResident(ctx, residentID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if list, err = s.withSums(ctx, list); err != nil {
		return nil, errs.E(op, err)
	}
	return list, nil
}

// AgreementsOfBudget lists the agreements paid from a budget, newest
// first, for who may see the budget.
func (s *Service) AgreementsOfBudget(ctx context.Context, actor *identity.Person, actingFor, budgetID string) ([]Agreement, error) {
	const op = "budget.AgreementsOfBudget"
	b, err := s.visibleBudget(ctx, op, actor, actingFor, budgetID)
	if err != nil {
		return nil, err
	}
	list, err := s.store.FindAgreementsByBudget(ctx, b.ID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if list, err = s.withSums(ctx, list); err != nil {
		return nil, errs.E(op, err)
	}
	return list, nil
}

// AgreementsForProvider lists an organisation's agreements, newest first.
// actor must work for it (else Forbidden: the organisation is no
// secret). Only agreements whose resident's request grant still lets the
// actor in are listed, each logged as read.
func (s *Service) AgreementsForProvider(ctx context.Context, actor *identity.Person, orgID string) ([]Agreement, error) {
	const op = "budget.AgreementsForProvider"
	if actor == nil || actor.ID == "" {
		return nil, unauthorized(op)
	}
	if !worksFor(actor, orgID) {
		return nil, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
	}
	list, err := s.store.FindAgreementsByProvider(ctx, orgID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	var shown []Agreement
	for _, a := range list {
		ok, err := s.providerMay(ctx, actor, a.ResidentID, a.ID)
		if err != nil {
			return nil, errs.E(op, err)
		}
		if ok {
			shown = append(shown, a)
		}
	}
	if shown, err = s.withSums(ctx, shown); err != nil {
		return nil, errs.E(op, err)
	}
	return shown, nil
}

// providerMay decides whether the provider's grant lets actor see an
// object of the resident, and logs the read when it does; an object whose
// grant is gone is simply not listed.
func (s *Service) providerMay(ctx context.Context, actor *identity.Person, residentID, objectID string) (bool, error) {
	req := consent.Request{Category: request.Category, Action: audit.ActionRead, ObjectID: objectID}
	d, err := s.policy.Decide(ctx, *actor, "", residentID, req)
	if err != nil || !d.Allowed {
		return false, err
	}
	if err := s.policy.Check(ctx, *actor, "", residentID, req); err != nil {
		return false, err
	}
	return true, nil
}

// AgreementsAwaitingMunicipality lists the agreements awaiting approval
// in the municipalities where actor is a consultant, newest first; each
// listed one is logged as read under the legal task. Forbidden for anyone
// who is no consultant.
func (s *Service) AgreementsAwaitingMunicipality(ctx context.Context, actor *identity.Person) ([]Agreement, error) {
	const op = "budget.AgreementsAwaitingMunicipality"
	if actor == nil || actor.ID == "" {
		return nil, unauthorized(op)
	}
	munis := consultantMunicipalities(actor)
	if len(munis) == 0 {
		return nil, errs.E(op, errs.Forbidden, errs.Key("error.budget.consultant_only"))
	}
	list, err := s.store.FindAgreementsAwaiting(ctx, munis)
	if err != nil {
		return nil, errs.E(op, err)
	}
	var shown []Agreement
	for _, a := range list {
		if _, err := s.readBudget(ctx, actor, "", a.ResidentID, a.ID); errs.Is(err, errs.NotFound) {
			continue
		} else if err != nil {
			return nil, errs.E(op, err)
		}
		shown = append(shown, a)
	}
	if shown, err = s.withSums(ctx, shown); err != nil {
		return nil, errs.E(op, err)
	}
	return shown, nil
}
