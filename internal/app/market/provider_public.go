package market

import (
	"context"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// PublishedOfferings lists a provider's published offerings with their
// approved content, as anyone may see them; nothing awaiting approval,
// refused, hidden or draft is in it.
func (s *Service) PublishedOfferings(ctx context.Context, organisationID string) ([]Offering, error) {
	const op = "market.PublishedOfferings"
	if _, err := s.store.FindProvider(ctx, organisationID); err != nil {
		return nil, errs.E(op, err)
	}
	list, err := s.store.FindOfferingsByProvider(ctx, organisationID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	out := list[:0]
	for _, o := range list {
		if o.Status == StatusPublished {
			out = append(out, o)
		}
	}
	return out, nil
}

// ProvidersOf counts the given offerings per provider organisation: the
// job that flags stale offerings tells each provider how many of theirs
// need a check. It reads no content and takes no actor (jobs only).
func (s *Service) ProvidersOf(ctx context.Context, offeringIDs []string) (map[string]int, error) {
	out := map[string]int{}
	for _, id := range offeringIDs {
		o, err := s.store.FindOfferingByID(ctx, id)
		if errs.Is(err, errs.NotFound) {
			continue // removed meanwhile
		} else if err != nil {
			return nil, errs.E("market.ProvidersOf", err)
		}
		out[o.ProviderOrgID]++
	}
	return out, nil
}
