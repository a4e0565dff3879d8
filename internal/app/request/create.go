package request

import (
	"context"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Create sends a request for a published offering, for the resident the
// actor is or acts for (actingFor; a delegate's mandate must cover
// Category, and CategoryConsent to share the request with the provider).
// funding must be one of FundingsFor the offering's cost type; with only
// one, "" picks it. It shares the request with the provider organisation
// through a consent grant (see doc.go) and mails the provider.
func (s *Service) Create(ctx context.Context, actor *identity.Person, actingFor, offeringID, message string, funding Funding) (Request, error) {
	const op = "request.Create"
	if actor == nil || actor.ID == "" {
		return Request{}, unauthorized(op)
	}
	if actingFor == actor.ID {
		actingFor = ""
	}
	residentID := residentOf(actor, actingFor)
	view, err := s.offerings.Offering(ctx, nil, offeringID) // nil: only a published offering
	if err != nil {
		return Request{}, errs.E(op, err)
	}
	o := view.Offering
	message = strings.TrimSpace(message)
	f := errs.Fields{}
	if k := checkText("request_message", message, true, MaxMessageLen); k != "" {
		f.Add("message", k)
	}
	fundings := FundingsFor(o.CostType)
	if funding == FundingUnknown && len(fundings) == 1 {
		funding = fundings[0]
	}
	switch {
	case funding == FundingUnknown:
		f.Add("funding", "field.funding.required")
	case !containsFunding(fundings, funding):
		f.Add("funding", "field.funding.invalid")
	}
	// Checked before the transaction, so that a denial stays in the log.
	if err := s.asResident(ctx, actor, actingFor, residentID, "", audit.ActionCreate); err != nil {
		return Request{}, errs.E(op, err)
	}
	var out Request
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		resident := *actor
		if actingFor != "" {
			var err error
			if resident, err = s.store.FindPersonByID(ctx, residentID); err != nil {
				return err
			}
		}
		if !resident.Has(identity.RoleCitizen) {
			return errs.E(op, errs.Forbidden, errs.Key("error.request.residents_only"))
		}
		if inOrganisation(*actor, o.ProviderOrgID) || inOrganisation(resident, o.ProviderOrgID) {
			return errs.E(op, errs.Forbidden, errs.Key("error.request.own_provider"))
		}
		if err := f.Err(op); err != nil {
			return err
		}
		now := s.now()
		r := Request{
			ID: id.New(), OfferingID: o.ID, ProviderOrgID: o.ProviderOrgID, ResidentID: residentID,
			CreatedByID: actor.ID, OfferingTitle: o.Title, ProviderName: o.ProviderName, ResidentName: resident.DisplayName,
			Message: message, Status: StatusSent, Funding: funding, CreatedAt: now, UpdatedAt: now, Version: 1,
		}
		sealed, err := s.vault.Seal(ctx, residentID, messageBinding(r.ID), []byte(message))
		if err != nil {
			return err
		}
		if err := s.share(ctx, op, actor, residentID, o); err != nil {
			return err
		}
		e := Event{RequestID: r.ID, Status: StatusSent, At: now, ByID: actor.ID}
		if err := s.store.CreateRequest(ctx, Stored{Request: r, SealedMessage: sealed}, e); err != nil {
			return err
		}
		r.Events = []Event{e}
		out = r
		return nil
	})
	if err != nil {
		return Request{}, errs.E(op, err)
	}
	s.notifyProvider(ctx, out)
	return out, nil
}

func containsFunding(list []Funding, f Funding) bool {
	for _, g := range list {
		if g == f {
			return true
		}
	}
	return false
}

// share makes sure the resident shares their requests with the offering's
// provider: a live grant of Category to the organisation with at least
// ReuseGrantDays left, or a new one.
func (s *Service) share(ctx context.Context, op string, actor *identity.Person, residentID string, o market.Offering) error {
	receipts, err := s.policy.GrantsBy(ctx, *actor, residentID)
	if errs.Is(err, errs.NotFound) {
		return errs.E(op, errs.Forbidden, errs.Key("error.request.mandate_consent"))
	} else if err != nil {
		return err
	}
	now := s.now()
	for _, rc := range receipts {
		g := rc.Grant
		if g.GranteeOrgID == o.ProviderOrgID && g.Live(now) && g.ValidUntil.Sub(now) >= ReuseGrantDays*24*time.Hour &&
			covers(g.Categories, Category) {
			return nil
		}
	}
	_, err = s.policy.Grant(ctx, *actor, consent.NewGrant{
		GrantorID: residentID, GranteeOrgID: o.ProviderOrgID, Categories: []string{Category},
		Permission: consent.PermissionRead, Purpose: consent.PurposeCareDelivery,
	})
	if errs.Is(err, errs.NotFound) {
		// A delegate whose mandate does not let them share the resident's data.
		return errs.E(op, errs.Forbidden, errs.Key("error.request.mandate_consent"))
	}
	return err
}

func covers(granted []string, category string) bool {
	for _, g := range granted {
		if consent.Covers(g, category) {
			return true
		}
	}
	return false
}
