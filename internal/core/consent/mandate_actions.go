package consent

import (
	"context"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Appoint records a mandate. A resident appoints their own trusted persons
// (a delegate cannot appoint further delegates). A parent or legal
// representative is recorded by a consultant or municipality admin of the
// resident's home municipality, under the legal task MandateRegistration,
// and never naming themselves as the delegate. Anyone else gets
// errs.NotFound and a record in the resident's access log. The mandate is
// recorded in the access log as a share on CategoryConsent.
func (s *Service) Appoint(ctx context.Context, actor identity.Person, in NewMandate) (Mandate, error) {
	const op = "consent.Appoint"
	if actor.ID == "" {
		return Mandate{}, errs.E(op, errs.Unauthorized, errs.Key("error.unauthorized"))
	}
	if in.ResidentID == "" {
		in.ResidentID = actor.ID
	}
	req := Request{Category: CategoryConsent, Action: audit.ActionShare}
	var d Decision
	switch {
	case in.Kind.StaffMade():
		var err error
		if d, err = s.registrar(ctx, actor, in.ResidentID); err != nil {
			return Mandate{}, errs.E(op, err)
		}
	case actor.ID == in.ResidentID:
		d = Decision{Allowed: true, Basis: BasisOwn, Role: identity.RoleCitizen, MunicipalityID: actor.HomeMunicipalityID}
	default:
		d = denied(actor, in.ResidentID)
	}
	if !d.Allowed {
		if err := s.record(ctx, "consent.mandate.appoint", actor, in.ResidentID, req, d); err != nil {
			return Mandate{}, errs.E(op, err)
		}
		return Mandate{}, notFound(op)
	}
	now := s.now()
	err := in.validate(now, s.cats)
	f := errs.Fields{}
	for k, v := range errs.FieldsOf(err) {
		f.Add(k, v)
	}
	if in.DelegateID == actor.ID {
		f.Add("delegate", "field.delegate.self")
	} else if _, ok := f["delegate"]; !ok {
		_, err := s.store.FindPersonByID(ctx, in.DelegateID)
		if errs.Is(err, errs.NotFound) {
			f.Add("delegate", "field.delegate.unknown")
		} else if err != nil {
			return Mandate{}, errs.E(op, err)
		}
	}
	if err := f.Err(op); err != nil {
		return Mandate{}, err
	}
	m := Mandate{
		ID: id.New(), ResidentID: in.ResidentID, DelegateID: in.DelegateID, Kind: in.Kind, Scope: in.Scope,
		ChildBirthYear: in.ChildBirthYear, LegalBasis: in.LegalBasis, ValidFrom: in.ValidFrom, ValidUntil: in.ValidUntil,
		CreatedAt: now, CreatedByID: actor.ID,
	}
	if m.Kind != MandateParent {
		m.ChildBirthYear = 0
	}
	if !m.Kind.StaffMade() {
		m.LegalBasis = ""
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.CreateMandate(ctx, &m); err != nil {
			return err
		}
		req.ObjectID, d.MandateID = m.ID, m.ID
		return s.record(ctx, "consent.mandate.appoint", actor, m.ResidentID, req, d)
	})
	if err != nil {
		return Mandate{}, errs.E(op, err)
	}
	return m, nil
}

// RevokeMandate ends a mandate at once. The delegate may always step down;
// the resident ends their trusted persons' mandates; staff (as for
// Appoint) end parent and legal-representative mandates, which the
// resident cannot (errs.Forbidden: a court or the law made them). Anyone
// else gets errs.NotFound and a record in the access log.
func (s *Service) RevokeMandate(ctx context.Context, actor identity.Person, mandateID string) (Mandate, error) {
	const op = "consent.RevokeMandate"
	const eventID = "consent.mandate.revoke"
	if actor.ID == "" {
		return Mandate{}, errs.E(op, errs.Unauthorized, errs.Key("error.unauthorized"))
	}
	m, err := s.store.FindMandateByID(ctx, mandateID)
	if errs.Is(err, errs.NotFound) {
		return Mandate{}, notFound(op)
	} else if err != nil {
		return Mandate{}, errs.E(op, err)
	}
	req := Request{Category: CategoryConsent, Action: audit.ActionDelete, ObjectID: m.ID}
	var d Decision
	switch {
	case actor.ID == m.DelegateID:
		d = Decision{Allowed: true, Basis: BasisMandate, MandateID: m.ID, Purpose: string(m.Kind),
			Role: identity.RoleDelegate, MunicipalityID: actor.HomeMunicipalityID, OnBehalfOfID: m.ResidentID}
	case actor.ID == m.ResidentID && m.Kind.StaffMade():
		return Mandate{}, errs.E(op, errs.Forbidden, errs.Key("error.mandate.staff_made"))
	case actor.ID == m.ResidentID:
		d = Decision{Allowed: true, Basis: BasisOwn, Role: identity.RoleCitizen, MunicipalityID: actor.HomeMunicipalityID}
	case m.Kind.StaffMade():
		if d, err = s.registrar(ctx, actor, m.ResidentID); err != nil {
			return Mandate{}, errs.E(op, err)
		}
	default:
		d = denied(actor, "")
	}
	d.MandateID = m.ID
	if !d.Allowed {
		if err := s.record(ctx, eventID, actor, m.ResidentID, req, d); err != nil {
			return Mandate{}, errs.E(op, err)
		}
		return Mandate{}, notFound(op)
	}
	if m.RevokedAt != nil {
		return Mandate{}, errs.E(op, errs.Conflict, errs.Key("error.mandate.revoked"))
	}
	now := s.now()
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.RevokeMandate(ctx, m.ID, actor.ID, now); err != nil {
			return err
		}
		return s.record(ctx, eventID, actor, m.ResidentID, req, d)
	})
	if err != nil {
		return Mandate{}, errs.E(op, err)
	}
	m.RevokedAt, m.RevokedByID = &now, actor.ID
	return m, nil
}

// MandatesOf lists every mandate a resident has given or that was recorded
// for them, revoked and expired ones included, oldest first. The resident
// may read it, and staff as for Appoint (logged); anyone else gets
// errs.NotFound and a record in the access log.
func (s *Service) MandatesOf(ctx context.Context, actor identity.Person, residentID string) ([]Mandate, error) {
	const op = "consent.MandatesOf"
	if actor.ID == "" {
		return nil, errs.E(op, errs.Unauthorized, errs.Key("error.unauthorized"))
	}
	if actor.ID != residentID {
		d, err := s.registrar(ctx, actor, residentID)
		if err != nil {
			return nil, errs.E(op, err)
		}
		if err := s.record(ctx, "consent.mandate.read", actor, residentID, Request{Category: CategoryConsent, Action: audit.ActionRead}, d); err != nil {
			return nil, errs.E(op, err)
		}
		if !d.Allowed {
			return nil, notFound(op)
		}
	}
	list, err := s.store.FindMandates(ctx, MandateFilter{ResidentID: residentID})
	if err != nil {
		return nil, errs.E(op, err)
	}
	return list, nil
}

// MandatesFor lists the mandates live now in which the actor is the
// delegate, oldest first: the residents they may act for, and in what.
func (s *Service) MandatesFor(ctx context.Context, actor identity.Person) ([]Mandate, error) {
	const op = "consent.MandatesFor"
	if actor.ID == "" {
		return nil, errs.E(op, errs.Unauthorized, errs.Key("error.unauthorized"))
	}
	list, err := s.store.FindMandates(ctx, MandateFilter{DelegateID: actor.ID, LiveAt: s.now()})
	if err != nil {
		return nil, errs.E(op, err)
	}
	return list, nil
}

// registrar decides whether the actor may record mandates for the resident
// under MandateRegistration.
func (s *Service) registrar(ctx context.Context, actor identity.Person, residentID string) (Decision, error) {
	a, ok, err := s.taskRole(ctx, MandateRegistration, actor, residentID)
	if err != nil || !ok {
		return denied(actor, ""), err
	}
	return Decision{Allowed: true, Basis: LegalTaskBasis(MandateRegistration.Name), Purpose: MandateRegistration.Name,
		Role: a.Role, OrganisationID: a.OrganisationID, MunicipalityID: a.MunicipalityID}, nil
}
