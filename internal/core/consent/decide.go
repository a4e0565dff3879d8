package consent

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

// Request is what an actor wants to do with a resident's data.
type Request struct {
	// Category is a registered category, or the comment category of one
	// ("story:finances:comment").
	Category string
	Action   audit.Action
	// ObjectID is the record touched, if one; it only goes into the log.
	ObjectID string
}

// Basis is why an access is allowed (NEN 7513 autorisatieProtocol).
type Basis string

// The bases; a legal task's basis is LegalTaskBasis(name).
const (
	BasisNone    Basis = "" // denied
	BasisOwn     Basis = "own"
	BasisConsent Basis = "consent"
	BasisMandate Basis = "mandate"
)

// LegalTaskBasis is the basis of an access under the named legal task.
func LegalTaskBasis(name string) Basis { return Basis("legal_task:" + name) }

// Decision is the answer of the policy decision point, with what the
// access log needs to know about it.
type Decision struct {
	Allowed      bool
	Basis        Basis
	GrantID      string // BasisConsent: the grant ...
	GrantVersion int    // ... and its version
	MandateID    string // BasisMandate: the mandate
	Purpose      string // the grant's purpose, the mandate's kind or the legal task's name
	// The role the actor used, and the organisation and municipality it is
	// held in; for a denial, the actor's first staff role.
	Role           identity.Role
	OrganisationID string
	MunicipalityID string
	OnBehalfOfID   string // the resident a delegate acted for
}

// GranteeRoles are the roles through which a person uses a grant to an
// organisation: they hold one of them in that organisation.
var GranteeRoles = []identity.Role{identity.RoleProfessional, identity.RoleConsultant}

// Decide answers whether actor may do req with the data of the resident
// subjectID, acting for actingFor ("" or the actor's own id when acting for
// themselves). It denies by default; doc.go has the whole table. It does
// not log: services call Check, which does. A request naming an unknown
// category or action is a defect and returns an error.
func (s *Service) Decide(ctx context.Context, actor identity.Person, actingFor, subjectID string, req Request) (Decision, error) {
	const op = "consent.Decide"
	if subjectID == "" || !req.Action.Valid() || !s.cats.requestable(req.Category) {
		return Decision{}, errs.E(op, fmt.Errorf("bad request: %q on category %q of %q", req.Action, req.Category, subjectID))
	}
	if actingFor == actor.ID {
		actingFor = ""
	}
	now := s.now()
	var d Decision
	var err error
	switch {
	case actor.ID == "" || actor.DisabledAt != nil:
		d = denied(actor, actingFor)
	case actingFor != "":
		d, err = s.decideMandate(ctx, actor, actingFor, subjectID, req, now)
	case actor.ID == subjectID:
		d = Decision{Allowed: true, Basis: BasisOwn, Role: identity.RoleCitizen, MunicipalityID: actor.HomeMunicipalityID}
	default:
		d, err = s.decideGrant(ctx, actor, subjectID, req, now)
		if err == nil && !d.Allowed {
			d, err = s.decideLegalTask(ctx, actor, subjectID, req)
		}
	}
	if err != nil {
		return Decision{}, errs.E(op, err)
	}
	return d, nil
}

// decideMandate allows a delegate acting for the subject through a live
// mandate whose scope covers the category, for any action.
func (s *Service) decideMandate(ctx context.Context, actor identity.Person, actingFor, subjectID string, req Request, now time.Time) (Decision, error) {
	d := denied(actor, actingFor)
	if actingFor != subjectID {
		return d, nil
	}
	list, err := s.store.FindMandates(ctx, MandateFilter{ResidentID: subjectID, DelegateID: actor.ID, LiveAt: now})
	if err != nil {
		return d, err
	}
	for _, m := range list {
		if m.Live(now) && coversAny(m.Scope, req.Category) {
			d.Allowed, d.Basis, d.MandateID, d.Purpose = true, BasisMandate, m.ID, string(m.Kind)
			return d, nil
		}
	}
	return d, nil
}

// decideGrant allows a live grant of the subject that permits the request,
// to the actor or to an organisation in which the actor holds a grantee
// role. Grants to the person come first, then the oldest.
func (s *Service) decideGrant(ctx context.Context, actor identity.Person, subjectID string, req Request, now time.Time) (Decision, error) {
	d := denied(actor, "")
	roles, err := s.granteeRoles(ctx, actor, req.Category)
	if err != nil {
		return d, err
	}
	f := GrantFilter{GrantorID: subjectID, GranteePersonID: actor.ID, LiveAt: now}
	for org := range roles {
		f.GranteeOrgIDs = append(f.GranteeOrgIDs, org)
	}
	slices.Sort(f.GranteeOrgIDs)
	grants, err := s.store.FindGrants(ctx, f)
	if err != nil {
		return d, err
	}
	slices.SortStableFunc(grants, func(a, b Grant) int {
		return cmp.Compare(len(a.GranteeOrgID), len(b.GranteeOrgID)) // "" first: grants to the person first
	})
	for _, g := range grants {
		if !g.Live(now) || !g.permits(req) {
			continue
		}
		if g.GranteeOrgID != "" {
			a, ok := roles[g.GranteeOrgID]
			if !ok {
				continue
			}
			d.Role, d.OrganisationID, d.MunicipalityID = a.Role, a.OrganisationID, a.MunicipalityID
		} else if g.GranteePersonID != actor.ID {
			continue
		}
		d.Allowed, d.Basis, d.GrantID, d.GrantVersion, d.Purpose = true, BasisConsent, g.ID, g.Version, string(g.Purpose)
		return d, nil
	}
	return d, nil
}

// granteeRoles returns, per organisation, the first role assignment of the
// actor through which grants to that organisation reach them for the
// category: a grantee role (GranteeRoles, or one registered for the
// category with AddGranteeRole) held in the organisation, for a
// municipality the organisation works in. An assignment naming an organisation that does not work in the
// assignment's municipality (which a municipality admin could make) gives
// nothing, nor does one without an organisation or in the platform's own.
func (s *Service) granteeRoles(ctx context.Context, actor identity.Person, category string) (map[string]identity.RoleAssignment, error) {
	out := map[string]identity.RoleAssignment{}
	orgs := map[string]tenant.Organisation{}
	for _, a := range actor.Roles {
		if a.OrganisationID == "" || !s.cats.granteeRole(a.Role, category) {
			continue
		}
		if _, ok := out[a.OrganisationID]; ok {
			continue
		}
		o, ok := orgs[a.OrganisationID]
		if !ok {
			var err error
			o, err = s.store.FindOrganisationByID(ctx, a.OrganisationID)
			if errs.Is(err, errs.NotFound) {
				continue
			} else if err != nil {
				return nil, err
			}
			orgs[o.ID] = o
		}
		if o.Kind != tenant.OrgPlatform && slices.Contains(o.MunicipalityIDs, a.MunicipalityID) {
			out[a.OrganisationID] = a
		}
	}
	return out, nil
}

// decideLegalTask allows an access that an enabled legal task covers.
func (s *Service) decideLegalTask(ctx context.Context, actor identity.Person, subjectID string, req Request) (Decision, error) {
	for _, t := range s.tasks {
		if !t.covers(req) {
			continue
		}
		a, ok, err := s.taskRole(ctx, t, actor, subjectID)
		if err != nil {
			return denied(actor, ""), err
		}
		if ok {
			return Decision{Allowed: true, Basis: LegalTaskBasis(t.Name), Purpose: t.Name,
				Role: a.Role, OrganisationID: a.OrganisationID, MunicipalityID: a.MunicipalityID}, nil
		}
	}
	return denied(actor, ""), nil
}

// denied is a denial, with the role the log names: a delegate when acting
// for someone, else the actor's first staff role, else citizen.
func denied(actor identity.Person, actingFor string) Decision {
	d := Decision{OnBehalfOfID: actingFor}
	if actingFor != "" {
		d.Role, d.MunicipalityID = identity.RoleDelegate, actor.HomeMunicipalityID
		return d
	}
	a := primaryRole(actor)
	d.Role, d.OrganisationID, d.MunicipalityID = a.Role, a.OrganisationID, a.MunicipalityID
	return d
}

// primaryRole is the role assignment the log names for an actor who used
// no particular one: the first staff role, in the order of identity.Roles,
// else citizen (of the home municipality).
func primaryRole(actor identity.Person) identity.RoleAssignment {
	for _, r := range identity.Roles {
		if !r.Staff() {
			continue
		}
		for _, a := range actor.Roles {
			if a.Role == r {
				return a
			}
		}
	}
	if actor.ID == "" {
		return identity.RoleAssignment{}
	}
	return identity.RoleAssignment{Role: identity.RoleCitizen, MunicipalityID: actor.HomeMunicipalityID}
}
