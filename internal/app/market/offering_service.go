package market

import (
	"time"

	"context"
	"slices"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// View is an offering as one person may see it: the approved content
// and, for its provider's admins and the staff of the municipalities it
// serves, the latest proposed change.
type View struct {
	Offering Offering
	Revision *Revision // latest revision (pending, refused or approved); nil for residents
}

// Pending returns the change awaiting approval, or nil.
func (v View) Pending() *Revision {
	if v.Revision != nil && v.Revision.Status == RevisionPending {
		return v.Revision
	}
	return nil
}

var errNotFound = errs.Key("error.not_found")

// CreateOffering adds an offering of a provider. actor must be an admin of
// that provider (nil: the command line). With submit the offering goes to
// the municipality for approval at once; without, it stays a draft.
func (s *Service) CreateOffering(ctx context.Context, actor *identity.Person, providerOrgID string, c Content, submit bool) (Offering, error) {
	const op = "market.CreateOffering"
	if actor != nil && !isProviderAdmin(actor, providerOrgID) {
		return Offering{}, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
	}
	prov, err := s.store.FindProvider(ctx, providerOrgID)
	if err != nil {
		return Offering{}, errs.E(op, err)
	}
	if err := s.checkContent(ctx, op, prov, &c); err != nil {
		return Offering{}, err
	}
	now := s.clock.Now()
	o := Offering{
		ID: id.New(), ProviderOrgID: prov.OrganisationID, ProviderName: prov.Name, Content: c,
		Status: StatusDraft, LastCheckedAt: now, LastCheckedByID: actorID(actor), CreatedAt: now, UpdatedAt: now,
	}
	if submit {
		o.Status = StatusPending
	}
	if err := s.store.CreateOffering(ctx, &o); err != nil {
		return Offering{}, errs.E(op, err)
	}
	s.index.changed()
	return o, nil
}

func (s *Service) checkContent(ctx context.Context, op string, prov Provider, c *Content) error {
	c.Normalize()
	f := checkContent(*c)
	if err := s.checkFit(ctx, f, prov, *c); err != nil {
		return errs.E(op, err)
	}
	return f.Err(op)
}

func actorID(p *identity.Person) string {
	if p == nil {
		return ""
	}
	return p.ID
}

// UpdateOffering changes an offering's content; version is the
// Offering.Version the provider edited (Conflict when it changed since).
// actor must be an admin of the offering's provider. An offering that was
// never published is changed in place (with submit, a draft or refused
// one goes to approval); a published or hidden one keeps its approved
// content visible and the change waits as a pending revision, replacing
// an earlier pending one. Editing counts as checking the offering.
func (s *Service) UpdateOffering(ctx context.Context, actor *identity.Person, offeringID string, version int64, c Content, submit bool) (Offering, error) {
	const op = "market.UpdateOffering"
	return s.change(ctx, op, func(ctx context.Context, now time.Time) (Offering, error) {
		o, rev, err := s.loadForProvider(ctx, actor, offeringID, version)
		if err != nil {
			return Offering{}, err
		}
		prov, err := s.store.FindProvider(ctx, o.ProviderOrgID)
		if err != nil {
			return Offering{}, err
		}
		if err := s.checkContent(ctx, op, prov, &c); err != nil {
			return Offering{}, err
		}
		switch o.Status {
		case StatusDraft, StatusPending, StatusRefused:
			o.Content = c
			if submit && o.Status != StatusPending {
				o.Status, o.RefusalReason = StatusPending, ""
			}
		default: // published, hidden
			if rev != nil && rev.Status == RevisionPending {
				rev.Content, rev.ProposedByID, rev.ProposedAt = c, actorID(actor), now
				err = s.store.UpdateRevision(ctx, rev)
			} else {
				err = s.store.CreateRevision(ctx, &Revision{
					ID: id.New(), OfferingID: o.ID, Content: c, Status: RevisionPending, ProposedByID: actorID(actor), ProposedAt: now,
				})
			}
			if err != nil {
				return Offering{}, err
			}
		}
		o.LastCheckedAt, o.LastCheckedByID = now, actorID(actor)
		if o.Status != StatusHidden {
			o.StaleSince = nil // a hidden stale offering waits for approval of its new content
		}
		return o, nil
	})
}

// Submit sends a draft or refused offering to the municipality for approval.
func (s *Service) Submit(ctx context.Context, actor *identity.Person, offeringID string, version int64) (Offering, error) {
	const op = "market.Submit"
	return s.change(ctx, op, func(ctx context.Context, now time.Time) (Offering, error) {
		o, _, err := s.loadForProvider(ctx, actor, offeringID, version)
		if err != nil {
			return Offering{}, err
		}
		if o.Status != StatusDraft && o.Status != StatusRefused {
			return Offering{}, errs.E(op, errs.Conflict, errs.Key("error.market.not_submittable"))
		}
		o.Status, o.RefusalReason = StatusPending, ""
		return o, nil
	})
}

// change runs fn in a transaction, stores the offering it returns stamped
// with the time of the change, and tells the search index: every change
// of an offering goes this way.
func (s *Service) change(ctx context.Context, op string, fn func(ctx context.Context, now time.Time) (Offering, error)) (Offering, error) {
	var out Offering
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		now := s.clock.Now()
		o, err := fn(ctx, now)
		if err != nil {
			return err
		}
		o.UpdatedAt = now
		if err := s.store.UpdateOffering(ctx, &o); err != nil {
			return err
		}
		out = o
		return nil
	})
	if err != nil {
		return Offering{}, errs.E(op, err)
	}
	s.index.changed()
	return out, nil
}

// loadForProvider reads an offering and its latest revision for a change
// by actor, an admin of its provider (nil: the command line).
func (s *Service) loadForProvider(ctx context.Context, actor *identity.Person, offeringID string, version int64) (Offering, *Revision, error) {
	o, rev, err := s.load(ctx, offeringID)
	if err != nil {
		return o, nil, err
	}
	if actor != nil && !isProviderAdmin(actor, o.ProviderOrgID) {
		if o.Status == StatusPublished {
			return o, nil, errs.E("market.loadForProvider", errs.Forbidden, errs.Key("error.forbidden"))
		}
		return o, nil, errs.E("market.loadForProvider", errs.NotFound, errNotFound)
	}
	if o.Version != version {
		return o, nil, errs.E("market.loadForProvider", errs.Conflict, errs.Key("error.market.changed"))
	}
	return o, rev, nil
}

func (s *Service) load(ctx context.Context, offeringID string) (Offering, *Revision, error) {
	o, err := s.store.FindOfferingByID(ctx, offeringID)
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			return o, nil, errs.E("market.load", errs.NotFound, errNotFound, err)
		}
		return o, nil, err
	}
	rev, err := s.store.FindLatestRevision(ctx, offeringID)
	if errs.Is(err, errs.NotFound) {
		return o, nil, nil
	} else if err != nil {
		return o, nil, err
	}
	return o, &rev, nil
}

// Offering returns one offering as actor may see it (nil: anonymous).
// Everyone sees a published offering's approved content; the provider's
// admins and the staff of a municipality it serves also see its other
// states and the latest revision. Anything else is NotFound, so that an
// unpublished offering's existence does not leak.
func (s *Service) Offering(ctx context.Context, actor *identity.Person, offeringID string) (View, error) {
	const op = "market.Offering"
	o, rev, err := s.load(ctx, offeringID)
	if err != nil {
		return View{}, errs.E(op, err)
	}
	if seesProposals(actor, o, rev) {
		return View{Offering: o, Revision: rev}, nil
	}
	if o.Status == StatusPublished {
		return View{Offering: o}, nil
	}
	return View{}, errs.E(op, errs.NotFound, errNotFound)
}

// ProviderOfferings lists all offerings of a provider, in every state,
// for its admins (and municipality admins where it works).
func (s *Service) ProviderOfferings(ctx context.Context, actor *identity.Person, organisationID string) ([]View, error) {
	const op = "market.ProviderOfferings"
	prov, err := s.store.FindProvider(ctx, organisationID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if !isProviderAdmin(actor, organisationID) && !approverIn(actor, prov.MunicipalityIDs) {
		return nil, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
	}
	list, err := s.store.FindOfferingsByProvider(ctx, organisationID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	views := make([]View, 0, len(list))
	for _, o := range list {
		rev, err := s.store.FindLatestRevision(ctx, o.ID)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return nil, errs.E(op, err)
		}
		v := View{Offering: o}
		if err == nil {
			v.Revision = &rev
		}
		if isProviderAdmin(actor, organisationID) || seesProposals(actor, o, v.Revision) {
			views = append(views, v)
		}
	}
	return views, nil
}

// Approve publishes what is waiting for approval: a new offering, or the
// pending revision of a published one, whose content then replaces the
// approved content. version is the Offering.Version the admin saw
// (Conflict when the provider changed it since). actor must be a
// municipality admin of a municipality the approved content serves (nil:
// the command line).
func (s *Service) Approve(ctx context.Context, actor *identity.Person, offeringID string, version int64) (Offering, error) {
	return s.decide(ctx, "market.Approve", actor, offeringID, version, "")
}

// Refuse turns down what is waiting for approval with a reason the
// provider reads. A refused new offering becomes refused; a refused
// revision leaves the published content as it was.
func (s *Service) Refuse(ctx context.Context, actor *identity.Person, offeringID string, version int64, reason string) (Offering, error) {
	const op = "market.Refuse"
	reason = strings.TrimSpace(reason)
	f := fieldErrors{}
	f.text("reason", reason, true, MaxReasonLen, true)
	if err := f.Err(op); err != nil {
		return Offering{}, err
	}
	return s.decide(ctx, op, actor, offeringID, version, reason)
}

// decide approves (reason "") or refuses.
func (s *Service) decide(ctx context.Context, op string, actor *identity.Person, offeringID string, version int64, reason string) (Offering, error) {
	return s.change(ctx, op, func(ctx context.Context, now time.Time) (Offering, error) {
		o, rev, err := s.load(ctx, offeringID)
		if err != nil {
			return Offering{}, err
		}
		pending := rev != nil && rev.Status == RevisionPending
		proposed := o.Content
		if pending {
			proposed = rev.Content
		}
		if actor != nil && !seesProposals(actor, o, rev) {
			if o.Status == StatusPublished {
				return Offering{}, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
			}
			return Offering{}, errs.E(op, errs.NotFound, errNotFound)
		}
		if actor != nil && !approverIn(actor, proposed.MunicipalityIDs) {
			return Offering{}, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
		}
		if o.Version != version {
			return Offering{}, errs.E(op, errs.Conflict, errs.Key("error.market.changed"))
		}
		switch {
		case pending:
			rev.Status, rev.DecidedByID, rev.DecidedAt = RevisionApproved, actorID(actor), &now
			if reason != "" {
				rev.Status, rev.RefusalReason = RevisionRefused, reason
			} else {
				o.Content = rev.Content
				// The provider checked the content when proposing it.
				o.LastCheckedAt, o.LastCheckedByID, o.StaleSince = rev.ProposedAt, rev.ProposedByID, nil
				if o.Status == StatusHidden {
					o.Status = StatusPublished
				}
			}
			if err := s.store.UpdateRevision(ctx, rev); err != nil {
				return Offering{}, err
			}
		case o.Status == StatusPending:
			o.Status, o.RefusalReason = StatusPublished, ""
			if reason != "" {
				o.Status, o.RefusalReason = StatusRefused, reason
			}
		default:
			return Offering{}, errs.E(op, errs.Conflict, errs.Key("error.market.nothing_pending"))
		}
		return o, nil
	})
}

// MarkChecked records that actor confirmed the offering is still right:
// an admin of its provider, or a municipality admin where it is served.
// It clears the stale flag and shows again an offering hidden for being
// stale.
func (s *Service) MarkChecked(ctx context.Context, actor *identity.Person, offeringID string, version int64) (Offering, error) {
	const op = "market.MarkChecked"
	return s.change(ctx, op, func(ctx context.Context, now time.Time) (Offering, error) {
		o, rev, err := s.load(ctx, offeringID)
		if err != nil {
			return Offering{}, err
		}
		if actor != nil && !isProviderAdmin(actor, o.ProviderOrgID) && !approverIn(actor, o.MunicipalityIDs) {
			if o.Status == StatusPublished || seesProposals(actor, o, rev) {
				return Offering{}, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
			}
			return Offering{}, errs.E(op, errs.NotFound, errNotFound)
		}
		if o.Version != version {
			return Offering{}, errs.E(op, errs.Conflict, errs.Key("error.market.changed"))
		}
		if o.Status == StatusHidden && o.StaleSince != nil {
			o.Status = StatusPublished
		}
		o.LastCheckedAt, o.LastCheckedByID, o.StaleSince = now, actorID(actor), nil
		return o, nil
	})
}

// Queue lists what waits for approval in a municipality, oldest first:
// new offerings and pending revisions whose proposed content serves it.
// actor must be that municipality's admin, or its consultant, who may
// look but not decide (see Approve).
func (s *Service) Queue(ctx context.Context, actor *identity.Person, municipalityID string) ([]View, error) {
	const op = "market.Queue"
	if actor == nil || !slices.Contains(staffMunicipalities(actor), municipalityID) {
		return nil, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
	}
	// The index holds every proposal; read it fresh, not within Freshness.
	if err := s.index.refresh(ctx, true); err != nil {
		return nil, errs.E(op, err)
	}
	views := s.index.proposals(municipalityID)
	slices.SortFunc(views, func(a, b View) int {
		return proposedAt(a).Compare(proposedAt(b))
	})
	return views, nil
}
