package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

// The approval queue: what providers proposed for a municipality, for its
// admins to approve or refuse and its consultants to read.

// approvalMunicipalities returns the municipalities whose queue p may
// read: where p is an admin or a consultant, in the order of p's roles.
func approvalMunicipalities(p *identity.Person) []string {
	var out []string
	if p == nil {
		return nil
	}
	for _, a := range p.Roles {
		if (a.Role == identity.RoleTenantAdmin || a.Role == identity.RoleConsultant) && a.MunicipalityID != "" && !slices.Contains(out, a.MunicipalityID) {
			out = append(out, a.MunicipalityID)
		}
	}
	return out
}

// errApproval is the answer to anyone without a queue: it does not exist.
var errApproval = errs.E("web.approval", errs.NotFound, errs.Key("error.not_found"))

// approvalQueueData is what the queue page shows.
type approvalQueueData struct {
	Queues []approvalQueue
}

// approvalQueue is one municipality's queue.
type approvalQueue struct {
	Municipality tenant.Municipality
	CanDecide    bool
	Items        []approvalItem
}

// approvalItem is one proposal in the queue.
type approvalItem struct {
	ID, Title, ProviderName string
	IsChange                bool // a change to a published offering, not a new one
	ProposedAt              time.Time
}

// handleApprovalQueue lists what awaits approval in the person's
// municipalities, oldest first.
func (s *Server) handleApprovalQueue(w http.ResponseWriter, r *http.Request, rq *request) error {
	munis := approvalMunicipalities(rq.person)
	if len(munis) == 0 {
		return errApproval
	}
	p := s.newPage(rq, r, "market_approval", "approval.title")
	var d approvalQueueData
	for _, mid := range munis {
		m, err := s.Tenants.Municipality(r.Context(), mid)
		if err != nil {
			return err
		}
		views, err := s.Market.Queue(r.Context(), rq.person, mid)
		if err != nil {
			return err
		}
		q := approvalQueue{Municipality: m, CanDecide: rq.person.HasIn(identity.RoleTenantAdmin, mid)}
		for _, v := range views {
			it := approvalItem{ID: v.Offering.ID, Title: v.Offering.Title, ProviderName: v.Offering.ProviderName, ProposedAt: v.Offering.UpdatedAt}
			if rev := v.Pending(); rev != nil {
				it.Title, it.IsChange, it.ProposedAt = rev.Content.Title, true, rev.ProposedAt
			}
			q.Items = append(q.Items, it)
		}
		d.Queues = append(d.Queues, q)
	}
	p.Data = d
	return s.show(w, r, p)
}

// approvalShowData is what the page of one proposal shows.
type approvalShowData struct {
	Offering  market.Offering
	Proposal  *market.Revision // the pending change; nil for a new offering
	Waiting   bool             // something awaits a decision
	IsNew     bool             // a new offering, never published
	CanDecide bool             // the person may approve or refuse it
	Rows      []diffRow
	Version   int64
}

// handleApprovalShow shows a proposal next to the published content.
func (s *Server) handleApprovalShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.newPage(rq, r, "market_approval_show", "approval.show.title")
	return s.showApproval(w, r, rq, p, r.PathValue("id"))
}

func (s *Server) showApproval(w http.ResponseWriter, r *http.Request, rq *request, p Page, id string) error {
	munis := approvalMunicipalities(rq.person)
	if len(munis) == 0 {
		return errApproval
	}
	v, err := s.Market.Offering(r.Context(), rq.person, id)
	if err != nil {
		return err
	}
	o := v.Offering
	proposed := o.Content
	rev := v.Pending()
	if rev != nil {
		proposed = rev.Content
	}
	// Only staff of a municipality it serves or would serve see it here.
	mine := func(ids []string) bool {
		return slices.ContainsFunc(ids, func(m string) bool { return slices.Contains(munis, m) })
	}
	if !mine(o.MunicipalityIDs) && !mine(proposed.MunicipalityIDs) {
		return errApproval
	}
	d := approvalShowData{Offering: o, Proposal: rev, Version: o.Version, IsNew: o.Status == market.StatusPending && rev == nil}
	d.Waiting = rev != nil || d.IsNew
	d.CanDecide = d.Waiting && slices.ContainsFunc(proposed.MunicipalityIDs, func(m string) bool { return rq.person.HasIn(identity.RoleTenantAdmin, m) })
	if v, ok := portalVersion(p.Form.Values["version"]); ok {
		d.Version = v // keep the version the admin saw when a refusal is shown again
	}
	names, err := s.diffNames(r)
	if err != nil {
		return err
	}
	var current *market.Content
	if !d.IsNew {
		current = &o.Content
	}
	d.Rows = diffContent(p, names, current, proposed)
	p.Data = d
	return s.show(w, r, p)
}

// handleApprovalApprove publishes what was proposed.
func (s *Server) handleApprovalApprove(w http.ResponseWriter, r *http.Request, rq *request) error {
	if len(approvalMunicipalities(rq.person)) == 0 {
		return errApproval
	}
	form, err := readForm(r, map[string]int{"version": 20})
	if err != nil {
		return err
	}
	version, _ := portalVersion(form.Values["version"])
	id := r.PathValue("id")
	if _, err := s.Market.Approve(r.Context(), rq.person, id, version); err != nil {
		p := s.newPage(rq, r, "market_approval_show", "approval.show.title")
		if err := formError(&p, err); err != nil {
			return err
		}
		if errs.Is(err, errs.Conflict) {
			p.Alert = "approval.conflict"
		}
		return s.showApproval(w, r, rq, p, id)
	}
	s.redirect(w, r, "/beheer/aanbod", "flash.approval.approved")
	return nil
}

// handleApprovalRefuse turns the proposal down with a reason the provider
// reads; without a reason the page shows again with a message.
func (s *Server) handleApprovalRefuse(w http.ResponseWriter, r *http.Request, rq *request) error {
	if len(approvalMunicipalities(rq.person)) == 0 {
		return errApproval
	}
	form, err := readForm(r, map[string]int{"version": 20, "reason": market.MaxReasonLen})
	if err != nil {
		return err
	}
	version, _ := portalVersion(form.Values["version"])
	id := r.PathValue("id")
	p := s.newPage(rq, r, "market_approval_show", "approval.show.title")
	p.Form = form
	if !form.HasErrors() {
		_, err = s.Market.Refuse(r.Context(), rq.person, id, version, form.Values["reason"])
		if err == nil {
			s.redirect(w, r, "/beheer/aanbod", "flash.approval.refused")
			return nil
		}
		if err := formError(&p, err); err != nil {
			return err
		}
		if errs.Is(err, errs.Conflict) {
			p.Alert = "approval.conflict"
			delete(p.Form.Values, "version") // show the new version; the reason stays
		}
	}
	return s.showApproval(w, r, rq, p, id)
}
