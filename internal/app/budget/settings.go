package budget

import (
	"context"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Settings returns a municipality's budget settings; a municipality that
// never set them requires no approval of agreements.
func (s *Service) Settings(ctx context.Context, municipalityID string) (Settings, error) {
	const op = "budget.Settings"
	st, err := s.settings(ctx, municipalityID)
	if err != nil {
		return Settings{}, errs.E(op, err)
	}
	return st, nil
}

func (s *Service) settings(ctx context.Context, municipalityID string) (Settings, error) {
	st, err := s.store.FindSettings(ctx, municipalityID)
	if errs.Is(err, errs.NotFound) {
		return Settings{MunicipalityID: municipalityID}, nil
	}
	return st, err
}

// SetSettings changes a municipality's budget settings: whether, and
// above which total, agreements need a consultant's approval. Only a
// municipality admin (tenant_admin) of that municipality may; the
// threshold is 0 to MaxAmount. Agreements accepted before keep their
// status. The web pages use the same threshold for step-up
// re-authentication (SECURITY.md §4): accepting an agreement or approving
// a claim above it needs a password entered in the last five minutes
// (internal/web/budget_stepup.go); without a threshold nothing is asked.
func (s *Service) SetSettings(ctx context.Context, actor *identity.Person, in Settings) (Settings, error) {
	const op = "budget.SetSettings"
	if actor == nil || actor.ID == "" {
		return Settings{}, unauthorized(op)
	}
	if in.MunicipalityID == "" || !actor.HasIn(identity.RoleTenantAdmin, in.MunicipalityID) {
		return Settings{}, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
	}
	if in.ApprovalAboveCents < 0 || in.ApprovalAboveCents > MaxAmount {
		return Settings{}, errs.E(op, errs.Invalid, errs.Key("error.invalid"),
			errs.Fields{"approval_above": "field.budget_approval_above.range"})
	}
	if !in.ApprovalRequired {
		in.ApprovalAboveCents = 0
	}
	in.UpdatedByID, in.UpdatedAt = actor.ID, s.now()
	if err := s.store.SaveSettings(ctx, in); err != nil {
		return Settings{}, errs.E(op, err)
	}
	return in, nil
}
