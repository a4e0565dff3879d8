package consent

import (
	"context"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Check is Decide plus the access log, for the services of the apps: it
// returns nil when the access is allowed and an errs.NotFound when it is
// not, so a denial looks like data that does not exist. Every access by
// someone other than the resident — allowed or denied — is recorded as one
// audit.Event before Check returns; when that fails, Check fails and the
// access does not happen. The resident's own accesses are not recorded:
// the access log is the resident's view of who else touched their data,
// and their own reading would drown it (changes to consent are recorded
// by the service that makes them, whoever makes them).
//
// An actor without an id (nobody logged in) gets errs.Unauthorized and no
// record: there is nobody to name in it, and the request touched nothing.
//
// Call Check inside the transaction that reads or changes the data where
// there is one, so the record commits with it.
func (s *Service) Check(ctx context.Context, actor identity.Person, actingFor, subjectID string, req Request) error {
	const op = "consent.Check"
	if actor.ID == "" {
		return errs.E(op, errs.Unauthorized, errs.Key("error.unauthorized"))
	}
	d, err := s.Decide(ctx, actor, actingFor, subjectID, req)
	if err != nil {
		return errs.E(op, err)
	}
	if d.Basis == BasisOwn {
		return nil
	}
	if err := s.record(ctx, req.Category+"."+string(req.Action), actor, subjectID, req, d); err != nil {
		return errs.E(op, err)
	}
	if !d.Allowed {
		return notFound(op)
	}
	return nil
}

// CheckSome is Check for a reader who may see some of several parts (the
// sections of a story): it decides each request once, records every
// allowed one, and reports which are allowed. When none is, it records the
// refusal of whole and answers NotFound, as Check does; parts that are
// merely not shared are not logged one by one.
func (s *Service) CheckSome(ctx context.Context, actor identity.Person, actingFor, subjectID string, reqs []Request, whole Request) ([]bool, error) {
	const op = "consent.CheckSome"
	if actor.ID == "" {
		return nil, errs.E(op, errs.Unauthorized, errs.Key("error.unauthorized"))
	}
	allowed := make([]bool, len(reqs))
	some := false
	for i, req := range reqs {
		d, err := s.Decide(ctx, actor, actingFor, subjectID, req)
		if err != nil {
			return nil, errs.E(op, err)
		}
		if !d.Allowed {
			continue
		}
		allowed[i], some = true, true
		if d.Basis == BasisOwn {
			continue
		}
		if err := s.record(ctx, req.Category+"."+string(req.Action), actor, subjectID, req, d); err != nil {
			return nil, errs.E(op, err)
		}
	}
	if !some {
		if err := s.Check(ctx, actor, actingFor, subjectID, whole); err != nil {
			return nil, errs.E(op, err)
		}
	}
	return allowed, nil
}

// record appends the event of a decision to the access log, with every
// NEN 7513 field the service knows. The recorder adds the time; the
// network address, instance and trace ids are not known here.
//
// The event names persons only by their opaque ids, never by name
// (ActorName and OnBehalfOfName stay empty): audit records outlive an
// erased account (they are kept by law), and once the person is gone the
// id identifies nobody — a name in the record would defeat that
// pseudonymisation. The access-log page resolves names at display time.
func (s *Service) record(ctx context.Context, eventID string, actor identity.Person, subjectID string, req Request, d Decision) error {
	e := audit.Event{
		EventID:        eventID,
		Action:         req.Action,
		Outcome:        audit.Denied,
		ActorID:        actor.ID,
		ActorRole:      string(d.Role),
		ActorOrgID:     d.OrganisationID,
		OnBehalfOfID:   d.OnBehalfOfID,
		PurposeOfUse:   d.Purpose,
		MunicipalityID: d.MunicipalityID,
		SubjectID:      subjectID,
		Category:       req.Category,
		ObjectID:       req.ObjectID,
		Basis:          string(d.Basis),
	}
	if d.Allowed {
		e.Outcome = audit.Allowed
	}
	switch {
	case d.GrantID != "":
		e.ConsentID, e.ConsentVersion = d.GrantID, d.GrantVersion
	case d.MandateID != "":
		e.ConsentID = d.MandateID
	}
	if e.ActorOrgID != "" {
		o, err := s.store.FindOrganisationByID(ctx, e.ActorOrgID)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
		e.ActorOrgName = o.Name
	}
	return s.rec.Record(ctx, e)
}
