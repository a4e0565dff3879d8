package consent

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

// Grant shares data: it stores a new grant (version 1) from in.GrantorID —
// the actor, or a resident the actor holds a live mandate for whose scope
// includes CategoryConsent. Anyone else gets errs.NotFound (and a record in
// the resident's access log). The new grant is recorded in the access log
// as a share on CategoryConsent.
func (s *Service) Grant(ctx context.Context, actor identity.Person, in NewGrant) (Grant, error) {
	const op = "consent.Grant"
	if in.GrantorID == "" {
		in.GrantorID = actor.ID
	}
	req := Request{Category: CategoryConsent, Action: audit.ActionShare}
	d, err := s.authorizeChange(ctx, op, "consent.grant", actor, in.GrantorID, req)
	if err != nil {
		return Grant{}, err
	}
	pol, err := s.policyOf(ctx, in.GrantorID)
	if err != nil {
		return Grant{}, errs.E(op, err)
	}
	now := s.now()
	g, err := s.checkNewGrant(ctx, in, pol, now)
	if err != nil {
		return Grant{}, errs.E(op, err)
	}
	g.ID, g.Version, g.CreatedAt, g.CreatedByID = id.New(), 1, now, actor.ID
	g.Change, g.ChangedAt, g.ChangedByID = ChangeCreate, now, actor.ID
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.CreateGrant(ctx, &g); err != nil {
			return err
		}
		return s.recordGrantChange(ctx, "consent.grant", actor, g, req, d)
	})
	if err != nil {
		return Grant{}, errs.E(op, err)
	}
	return g, nil
}

// checkNewGrant validates the form and returns the grant it describes.
func (s *Service) checkNewGrant(ctx context.Context, in NewGrant, pol Policy, now time.Time) (Grant, error) {
	f := errs.Fields{}
	g := Grant{
		GrantorID: in.GrantorID, GranteePersonID: strings.TrimSpace(in.GranteePersonID),
		GranteeOrgID: strings.TrimSpace(in.GranteeOrgID), Categories: normalizeCategories(in.Categories),
		Permission: in.Permission, Purpose: in.Purpose,
		ValidFrom: in.ValidFrom.UTC().Truncate(time.Millisecond), ValidUntil: in.ValidUntil.UTC().Truncate(time.Millisecond),
	}
	switch {
	case g.GranteePersonID == "" && g.GranteeOrgID == "":
		f.Add("grantee", "field.grantee.required")
	case g.GranteePersonID != "" && g.GranteeOrgID != "":
		f.Add("grantee", "field.grantee.ambiguous")
	case g.GranteePersonID == g.GrantorID:
		f.Add("grantee", "field.grantee.self")
	case g.GranteePersonID != "":
		_, err := s.store.FindPersonByID(ctx, g.GranteePersonID)
		if errs.Is(err, errs.NotFound) {
			f.Add("grantee", "field.grantee.unknown")
		} else if err != nil {
			return Grant{}, err
		}
	default:
		o, err := s.store.FindOrganisationByID(ctx, g.GranteeOrgID)
		switch {
		case errs.Is(err, errs.NotFound):
			f.Add("grantee", "field.grantee.unknown")
		case err != nil:
			return Grant{}, err
		case o.Kind == tenant.OrgPlatform:
			// The platform's own organisation never receives residents' data.
			f.Add("grantee", "field.grantee.invalid")
		}
	}
	if len(g.Categories) == 0 {
		f.Add("categories", "field.categories.required")
	}
	for _, c := range g.Categories {
		if !s.cats.Grantable(c) {
			f.Add("categories", "field.categories.unknown")
		}
	}
	switch {
	case g.Permission == "":
		f.Add("permission", "field.permission.required")
	case !g.Permission.Valid():
		f.Add("permission", "field.permission.invalid")
	}
	switch {
	case g.Purpose == "":
		f.Add("purpose", "field.purpose.required")
	case !g.Purpose.Valid():
		f.Add("purpose", "field.purpose.invalid")
	}
	if g.ValidFrom.Before(now) {
		g.ValidFrom = now
	}
	if g.ValidUntil.IsZero() {
		g.ValidUntil = g.ValidFrom.Add(days(pol.DefaultDays))
	}
	checkPeriod(f, g.ValidFrom, g.ValidUntil, now, pol)
	return g, f.Err("consent.NewGrant")
}

// Extend sets a new end of a grant that is not revoked (also after it
// expired): a new version, at most the policy's MaxDays from now. The
// reminder is due again before the new end. Who may: as for Grant.
func (s *Service) Extend(ctx context.Context, actor identity.Person, grantID string, validUntil time.Time) (Grant, error) {
	const op = "consent.Extend"
	return s.changeGrant(ctx, op, "consent.extend", audit.ActionUpdate, actor, grantID, func(g *Grant, pol Policy, now time.Time) error {
		until := validUntil.UTC().Truncate(time.Millisecond)
		f := errs.Fields{}
		if until.IsZero() {
			f.Add("valid_until", "field.valid_until.required")
		} else {
			checkPeriod(f, g.ValidFrom, until, now, pol)
		}
		if err := f.Err(op); err != nil {
			return err
		}
		g.ValidUntil, g.RemindedAt, g.Change = until, nil, ChangeExtend
		return nil
	})
}

// Revoke ends a grant at once: the very next Decide denies. It makes a new
// version. Who may: as for Grant.
func (s *Service) Revoke(ctx context.Context, actor identity.Person, grantID string) (Grant, error) {
	return s.changeGrant(ctx, "consent.Revoke", "consent.revoke", audit.ActionDelete, actor, grantID, func(g *Grant, _ Policy, now time.Time) error {
		g.RevokedAt, g.Change = &now, ChangeRevoke
		return nil
	})
}

// changeGrant authorises a change to a grant, applies fn and stores the
// result as the next version, with its record in the access log.
func (s *Service) changeGrant(ctx context.Context, op, eventID string, action audit.Action, actor identity.Person, grantID string,
	fn func(g *Grant, pol Policy, now time.Time) error) (Grant, error) {
	g, err := s.store.FindGrantByID(ctx, grantID)
	if errs.Is(err, errs.NotFound) {
		return Grant{}, notFound(op)
	} else if err != nil {
		return Grant{}, errs.E(op, err)
	}
	req := Request{Category: CategoryConsent, Action: action, ObjectID: g.ID}
	d, err := s.authorizeChange(ctx, op, eventID, actor, g.GrantorID, req)
	if err != nil {
		return Grant{}, err
	}
	if g.RevokedAt != nil {
		return Grant{}, errs.E(op, errs.Conflict, errs.Key("error.consent.revoked"))
	}
	pol, err := s.policyOf(ctx, g.GrantorID)
	if err != nil {
		return Grant{}, errs.E(op, err)
	}
	now := s.now()
	if err := fn(&g, pol, now); err != nil {
		return Grant{}, errs.E(op, err)
	}
	g.Version++
	g.ChangedAt, g.ChangedByID = now, actor.ID
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.UpdateGrant(ctx, g); err != nil {
			return err
		}
		return s.recordGrantChange(ctx, eventID, actor, g, req, d)
	})
	if err != nil {
		return Grant{}, errs.E(op, err)
	}
	return g, nil
}

// GrantsBy lists a resident's grants, newest first, each with all its
// versions: the resident's consent history. The resident may read it, and
// a delegate whose mandate covers CategoryConsent (logged).
func (s *Service) GrantsBy(ctx context.Context, actor identity.Person, residentID string) ([]Receipt, error) {
	const op = "consent.GrantsBy"
	if err := s.Check(ctx, actor, residentID, residentID, Request{Category: CategoryConsent, Action: audit.ActionRead}); err != nil {
		return nil, errs.E(op, err)
	}
	grants, err := s.store.FindGrants(ctx, GrantFilter{GrantorID: residentID})
	if err != nil {
		return nil, errs.E(op, err)
	}
	versions, err := s.store.FindGrantVersions(ctx, "", residentID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	byGrant := map[string][]Grant{}
	for _, v := range versions {
		byGrant[v.ID] = append(byGrant[v.ID], v)
	}
	out := make([]Receipt, 0, len(grants))
	for _, g := range grants {
		out = append(out, Receipt{Grant: g, Versions: byGrant[g.ID]})
	}
	slices.SortStableFunc(out, func(a, b Receipt) int {
		return cmp.Or(b.Grant.CreatedAt.Compare(a.Grant.CreatedAt), cmp.Compare(b.Grant.ID, a.Grant.ID))
	})
	return out, nil
}

// Receipt returns one grant with all its versions, oldest first, for the
// resident's consent receipt. Who may: as for GrantsBy.
func (s *Service) Receipt(ctx context.Context, actor identity.Person, grantID string) (Receipt, error) {
	const op = "consent.Receipt"
	g, err := s.store.FindGrantByID(ctx, grantID)
	if errs.Is(err, errs.NotFound) {
		return Receipt{}, notFound(op)
	} else if err != nil {
		return Receipt{}, errs.E(op, err)
	}
	req := Request{Category: CategoryConsent, Action: audit.ActionRead, ObjectID: g.ID}
	if err := s.Check(ctx, actor, g.GrantorID, g.GrantorID, req); err != nil {
		return Receipt{}, errs.E(op, err)
	}
	versions, err := s.store.FindGrantVersions(ctx, g.ID, "")
	if err != nil {
		return Receipt{}, errs.E(op, err)
	}
	return Receipt{Grant: g, Versions: versions}, nil
}

// GrantsTo lists the grants live now that reach the actor: to them
// personally, or to an organisation in which they hold a grantee role (as
// Decide counts it), oldest first. It is the grantee's own overview and is
// not logged; using the data is, through Check.
func (s *Service) GrantsTo(ctx context.Context, actor identity.Person) ([]Grant, error) {
	const op = "consent.GrantsTo"
	if actor.ID == "" {
		return nil, errs.E(op, errs.Unauthorized, errs.Key("error.unauthorized"))
	}
	// Through GranteeRoles only: a role registered for one category
	// (AddGranteeRole) reaches its grants in the app that registered it.
	roles, err := s.granteeRoles(ctx, actor, "")
	if err != nil {
		return nil, errs.E(op, err)
	}
	now := s.now()
	f := GrantFilter{GranteePersonID: actor.ID, LiveAt: now}
	for org := range roles {
		f.GranteeOrgIDs = append(f.GranteeOrgIDs, org)
	}
	slices.Sort(f.GranteeOrgIDs)
	list, err := s.store.FindGrants(ctx, f)
	if err != nil {
		return nil, errs.E(op, err)
	}
	return slices.DeleteFunc(list, func(g Grant) bool { return !g.Live(now) }), nil
}

// DueForReminder lists the grants that are live at now and end within the
// window, of which the resident has not been reminded yet: the work of
// the reminder job, which calls MarkReminded after sending each reminder.
func (s *Service) DueForReminder(ctx context.Context, now time.Time, within time.Duration) ([]Grant, error) {
	now = now.UTC().Truncate(time.Millisecond)
	list, err := s.store.FindGrantsDue(ctx, now, now.Add(within))
	if err != nil {
		return nil, errs.E("consent.DueForReminder", err)
	}
	return list, nil
}

// MarkReminded records that the resident was reminded of the grant's
// coming end. It is no change of the consent, so it makes no version.
func (s *Service) MarkReminded(ctx context.Context, grantID string) error {
	if err := s.store.MarkGrantReminded(ctx, grantID, s.now()); err != nil {
		return errs.E("consent.MarkReminded", err)
	}
	return nil
}

// authorizeChange decides whether the actor may make a change to the
// consent records of residentID, acting for themselves or for that
// resident. A denial is recorded and answered with errs.NotFound; the
// allowed change is recorded by the caller, with what it changed.
func (s *Service) authorizeChange(ctx context.Context, op, eventID string, actor identity.Person, residentID string, req Request) (Decision, error) {
	if actor.ID == "" {
		return Decision{}, errs.E(op, errs.Unauthorized, errs.Key("error.unauthorized"))
	}
	d, err := s.Decide(ctx, actor, residentID, residentID, req)
	if err != nil {
		return d, errs.E(op, err)
	}
	if !d.Allowed {
		if err := s.record(ctx, eventID, actor, residentID, req, d); err != nil {
			return d, errs.E(op, err)
		}
		return d, notFound(op)
	}
	return d, nil
}

// recordGrantChange records a change to a grant, naming the grant and the
// version it made; a delegate's change carries basis "mandate" and the
// resident they acted for.
func (s *Service) recordGrantChange(ctx context.Context, eventID string, actor identity.Person, g Grant, req Request, d Decision) error {
	req.ObjectID = g.ID
	d.GrantID, d.GrantVersion = g.ID, g.Version
	return s.record(ctx, eventID, actor, g.GrantorID, req, d)
}

// policyOf returns the policy of a resident's home municipality.
func (s *Service) policyOf(ctx context.Context, residentID string) (Policy, error) {
	p, err := s.store.FindPersonByID(ctx, residentID)
	if err != nil {
		return Policy{}, err
	}
	return s.policyFor(ctx, p)
}
