package request

import (
	"context"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Export returns every request for the actor themselves — never one of
// a resident they act for — with its timeline, the message and the reason
// opened, for their own data export (rights.Export).
func (s *Service) Export(ctx context.Context, actor identity.Person) ([]Request, error) {
	const op = "request.Export"
	if s == nil {
		return nil, nil // no request service wired: nothing was ever stored
	}
	if actor.ID == "" {
		return nil, unauthorized(op)
	}
	list, err := s.store.FindRequestsByResident(ctx, actor.ID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	out, err := s.openAll(ctx, list)
	if err != nil {
		return nil, errs.E(op, err)
	}
	for i := range out {
		if out[i].Events, err = s.store.FindRequestEvents(ctx, out[i].ID); err != nil {
			return nil, errs.E(op, err)
		}
	}
	return out, nil
}

// Erase deletes every request of a resident with its timeline, for the
// erasure of their account (rights.Erase); it runs in the caller's
// transaction when there is one. The sealed message and reason were
// already unreadable once the resident's key was destroyed; this removes
// the rows, so the provider's lists no longer show them either. Requests
// the person made as a delegate for someone else stay: they are that
// resident's.
func (s *Service) Erase(ctx context.Context, residentID string) error {
	if s == nil {
		return nil
	}
	if err := s.store.DeleteRequestsByResident(ctx, residentID); err != nil {
		return errs.E("request.Erase", err)
	}
	return nil
}
