package request

import (
	"context"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// side is who may make a change: the resident's side or the provider's.
type side int

const (
	residentSide side = iota
	providerSide
)

// MaxProposeAhead is how far ahead a provider may propose a time.
const MaxProposeAhead = 2 * 365 * 24 * time.Hour

// Accept is the provider's yes to a sent request. version is the
// Request.Version the provider saw.
func (s *Service) Accept(ctx context.Context, actor *identity.Person, id string, version int64) (Request, error) {
	return s.change(ctx, "request.Accept", actor, "", providerSide, id, version, StatusAccepted, func(r *Stored, _ time.Time) error {
		return nil
	})
}

// ProposeTime is the provider's answer "not then, but at": the resident
// accepts the time, or cancels. at must lie in the future.
func (s *Service) ProposeTime(ctx context.Context, actor *identity.Person, id string, version int64, at time.Time) (Request, error) {
	const op = "request.ProposeTime"
	return s.change(ctx, op, actor, "", providerSide, id, version, StatusTimeProposed, func(r *Stored, now time.Time) error {
		at = at.UTC().Truncate(time.Minute)
		switch {
		case at.IsZero():
			return fieldErr(op, "proposed_time", "field.proposed_time.required")
		case !at.After(now):
			return fieldErr(op, "proposed_time", "field.proposed_time.past")
		case at.After(now.Add(MaxProposeAhead)):
			return fieldErr(op, "proposed_time", "field.proposed_time.too_late")
		}
		r.ProposedTime = &at
		return nil
	})
}

// Decline is the provider's no, with a reason the resident reads.
func (s *Service) Decline(ctx context.Context, actor *identity.Person, id string, version int64, reason string) (Request, error) {
	const op = "request.Decline"
	reason = strings.TrimSpace(reason)
	if k := checkText("decline_reason", reason, true, MaxReasonLen); k != "" {
		return Request{}, fieldErr(op, "reason", k)
	}
	return s.change(ctx, op, actor, "", providerSide, id, version, StatusDeclined, func(r *Stored, _ time.Time) error {
		sealed, err := s.vault.Seal(ctx, r.ResidentID, reasonBinding(r.ID), []byte(reason))
		if err != nil {
			return err
		}
		r.Reason, r.SealedReason = reason, sealed
		return nil
	})
}

// Deliver marks an accepted request as delivered: from then on the
// resident may review the offering.
func (s *Service) Deliver(ctx context.Context, actor *identity.Person, id string, version int64) (Request, error) {
	return s.change(ctx, "request.Deliver", actor, "", providerSide, id, version, StatusDelivered, func(r *Stored, now time.Time) error {
		r.DeliveredAt = &now
		return nil
	})
}

// Cancel is the resident's withdrawal of a request that is not final.
func (s *Service) Cancel(ctx context.Context, actor *identity.Person, actingFor, id string, version int64) (Request, error) {
	return s.change(ctx, "request.Cancel", actor, actingFor, residentSide, id, version, StatusCancelled, func(r *Stored, _ time.Time) error {
		return nil
	})
}

// AcceptProposedTime is the resident's yes to the provider's proposed
// time: the request is accepted, ProposedTime is the agreed time.
func (s *Service) AcceptProposedTime(ctx context.Context, actor *identity.Person, actingFor, id string, version int64) (Request, error) {
	const op = "request.AcceptProposedTime"
	return s.change(ctx, op, actor, actingFor, residentSide, id, version, StatusAccepted, func(r *Stored, _ time.Time) error {
		if r.Status != StatusTimeProposed {
			return errs.E(op, errs.Conflict, errs.Key("error.request.transition"))
		}
		return nil
	})
}

// change loads a request for a change by one side, checks the version and
// the step, applies fn, stores the next version with its event, and mails
// the other side.
func (s *Service) change(ctx context.Context, op string, actor *identity.Person, actingFor string, who side, id string, version int64,
	to Status, fn func(r *Stored, now time.Time) error) (Request, error) {
	if actor == nil || actor.ID == "" {
		return Request{}, unauthorized(op)
	}
	// Who may is decided (and logged) before the transaction, so that a
	// denial stays in the access log; the version check inside it catches
	// any change made meanwhile.
	first, err := s.store.FindRequestByID(ctx, id)
	if errs.Is(err, errs.NotFound) {
		return Request{}, errs.E(op, errs.NotFound, errNotFound)
	} else if err != nil {
		return Request{}, errs.E(op, err)
	}
	if err := s.mayChange(ctx, op, actor, actingFor, who, first.Request); err != nil {
		return Request{}, errs.E(op, err)
	}
	var out Request
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		st, err := s.store.FindRequestByID(ctx, id)
		if err != nil {
			return err
		}
		if st.Version != version {
			return errs.E(op, errs.Conflict, errs.Key("error.request.changed"))
		}
		// A step the state machine has no arrow for; accepting the
		// provider's time is the resident's, so "accepted" from
		// time_proposed is only for them.
		if !st.Status.CanGo(to) || (who == providerSide && to == StatusAccepted && st.Status != StatusSent) {
			return errs.E(op, errs.Conflict, errs.Key("error.request.transition"))
		}
		now := s.now()
		prev := st.Version
		if err := fn(&st, now); err != nil {
			return err
		}
		st.Status, st.UpdatedAt, st.Version = to, now, prev+1
		e := Event{RequestID: st.ID, Status: to, At: now, ByID: actor.ID}
		if to == StatusTimeProposed || to == StatusAccepted {
			e.ProposedTime = st.ProposedTime
		}
		if err := s.store.UpdateRequest(ctx, st, prev, e); err != nil {
			return err
		}
		if out, err = s.open(ctx, st); err != nil {
			return err
		}
		out.Events, err = s.store.FindRequestEvents(ctx, st.ID)
		return err
	})
	if err != nil {
		return Request{}, errs.E(op, err)
	}
	if who == providerSide {
		s.notifyResident(ctx, out)
	} else {
		s.notifyProvider(ctx, out)
	}
	return out, nil
}

// mayChange lets through the side that makes a change: the resident (or
// their delegate, logged) or someone working for the provider (logged).
func (s *Service) mayChange(ctx context.Context, op string, actor *identity.Person, actingFor string, who side, r Request) error {
	if actingFor == actor.ID {
		actingFor = ""
	}
	if who == providerSide {
		return s.asProvider(ctx, op, actor, r)
	}
	if (actingFor == "" && actor.ID != r.ResidentID) || (actingFor != "" && actingFor != r.ResidentID) {
		return errs.E(op, errs.NotFound, errNotFound)
	}
	return s.asResident(ctx, actor, actingFor, r.ResidentID, r.ID, audit.ActionUpdate)
}
