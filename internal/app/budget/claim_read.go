package budget

import (
	"context"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Claim returns one claim, for who may see its agreement (see Agreement).
func (s *Service) Claim(ctx context.Context, actor *identity.Person, actingFor, claimID string) (Claim, error) {
	const op = "budget.Claim"
	if actor == nil || actor.ID == "" {
		return Claim{}, unauthorized(op)
	}
	c, err := s.findClaim(ctx, op, claimID)
	if err != nil {
		return Claim{}, err
	}
	if _, err := s.readAgreement(ctx, op, actor, actingFor, c.ProviderOrgID, c.ResidentID, c.ID); err != nil {
		return Claim{}, err
	}
	return c, nil
}

// ClaimsOf lists an agreement's claims by month, for who may see the
// agreement.
func (s *Service) ClaimsOf(ctx context.Context, actor *identity.Person, actingFor, agreementID string) ([]Claim, error) {
	const op = "budget.ClaimsOf"
	if actor == nil || actor.ID == "" {
		return nil, unauthorized(op)
	}
	a, err := s.openAgreement(ctx, op, agreementID)
	if err != nil {
		return nil, err
	}
	if _, err := s.readAgreement(ctx, op, actor, actingFor, a.ProviderOrgID, a.ResidentID, a.ID); err != nil {
		return nil, err
	}
	list, err := s.store.FindClaimsByAgreement(ctx, a.ID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	return list, nil
}

// ClaimsForBudget lists the claims under a budget's agreements, newest
// first, for who may see the budget.
func (s *Service) ClaimsForBudget(ctx context.Context, actor *identity.Person, actingFor, budgetID string) ([]Claim, error) {
	const op = "budget.ClaimsForBudget"
	b, err := s.visibleBudget(ctx, op, actor, actingFor, budgetID)
	if err != nil {
		return nil, err
	}
	list, err := s.store.FindClaimsByBudget(ctx, b.ID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	return list, nil
}

// ClaimsForProvider lists an organisation's claims, newest first. actor
// must work for it (else Forbidden); only claims whose resident's request
// grant still lets the actor in are listed, each logged as read.
func (s *Service) ClaimsForProvider(ctx context.Context, actor *identity.Person, orgID string) ([]Claim, error) {
	const op = "budget.ClaimsForProvider"
	if actor == nil || actor.ID == "" {
		return nil, unauthorized(op)
	}
	if !worksFor(actor, orgID) {
		return nil, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
	}
	list, err := s.store.FindClaimsByProvider(ctx, orgID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	var shown []Claim
	for _, c := range list {
		ok, err := s.providerMay(ctx, actor, c.ResidentID, c.ID)
		if err != nil {
			return nil, errs.E(op, err)
		}
		if ok {
			shown = append(shown, c)
		}
	}
	return shown, nil
}

// PaymentsForProvider lists the payment instructions to an organisation
// (and their reversals), in the order written, for someone working for it
// (else Forbidden). They are the organisation's own financial record: an
// entry names only opaque ids and an amount, never the resident, so they
// stay listed after a grant ends.
func (s *Service) PaymentsForProvider(ctx context.Context, actor *identity.Person, orgID string) ([]Entry, error) {
	const op = "budget.PaymentsForProvider"
	if actor == nil || actor.ID == "" {
		return nil, unauthorized(op)
	}
	if !worksFor(actor, orgID) {
		return nil, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
	}
	list, err := s.store.FindPaymentsToProvider(ctx, orgID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	return list, nil
}
