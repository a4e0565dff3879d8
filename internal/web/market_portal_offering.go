package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// offeringPageData is what the offering form shows.
type offeringPageData struct {
	offeringForm
	Action   string // where the form posts
	Provider market.Provider
	Row      *portalRow // nil for a new offering
	Version  int64
	// Live is set when the offering is published or hidden: a change
	// waits for approval and the approved text stays visible meanwhile.
	Live bool
	// Conflict is set when someone else changed the offering meanwhile.
	Conflict bool
}

// Pending returns the change awaiting approval, or nil.
func (d offeringPageData) Pending() *market.Revision {
	if d.Row == nil {
		return nil
	}
	return d.Row.Pending()
}

// portalVersion reads a version from a hidden field.
func portalVersion(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// handlePortalOfferingNew shows an empty offering form for one of the
// person's providers (?aanbieder=id; the first one by default).
func (s *Server) handlePortalOfferingNew(w http.ResponseWriter, r *http.Request, rq *request) error {
	prov, err := s.newOfferingProvider(r, rq, r.URL.Query().Get("aanbieder"))
	if err != nil {
		return err
	}
	p := s.newPage(rq, r, "market_portal_offering", "portal.offering.new_title")
	values := map[string]string{"languages": "nl", "kind": string(market.KindProfessional), "cost_type": string(market.CostFree)}
	if len(prov.MunicipalityIDs) == 1 {
		values["municipalities"] = prov.MunicipalityIDs[0]
	}
	return s.showOfferingForm(w, r, rq, p, prov, nil, values, MinLocationBlocks)
}

// newOfferingProvider returns the provider a new offering is for.
func (s *Server) newOfferingProvider(r *http.Request, rq *request, org string) (market.Provider, error) {
	orgs := providerOrgs(rq.person)
	if len(orgs) == 0 {
		return market.Provider{}, errPortal
	}
	if org == "" {
		org = orgs[0]
	}
	if !slices.Contains(orgs, org) {
		return market.Provider{}, errPortal
	}
	return s.Market.Provider(r.Context(), org)
}

// handlePortalOfferingCreate stores a new offering as a draft or submits
// it for approval.
func (s *Server) handlePortalOfferingCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return errs.E("web.portal", errs.Invalid, errs.Key("error.bad_request"), err)
	}
	prov, err := s.newOfferingProvider(r, rq, r.PostFormValue("provider"))
	if err != nil {
		return err
	}
	p := s.newPage(rq, r, "market_portal_offering", "portal.offering.new_title")
	return s.saveOffering(w, r, rq, p, prov, nil)
}

// handlePortalOfferingEdit shows an offering's form, filled with the
// latest proposed text: the change awaiting approval or refused, else the
// offering's own.
func (s *Server) handlePortalOfferingEdit(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := s.ownOffering(r.Context(), rq, r.PathValue("id"))
	if err != nil {
		return err
	}
	prov, err := s.Market.Provider(r.Context(), v.Offering.ProviderOrgID)
	if err != nil {
		return err
	}
	p := s.newPage(rq, r, "market_portal_offering", "portal.offering.edit_title")
	row := portalRowOf(v, rq.now)
	values, n, err := s.offeringValues(r, latestContent(v))
	if err != nil {
		return err
	}
	return s.showOfferingForm(w, r, rq, p, prov, &row, values, n)
}

// latestContent is the newest text of an offering: a pending or refused
// change, else its own content.
func latestContent(v market.View) market.Content {
	if v.Revision != nil && v.Revision.Status != market.RevisionApproved {
		return v.Revision.Content
	}
	return v.Offering.Content
}

func (s *Server) offeringValues(r *http.Request, c market.Content) (map[string]string, int, error) {
	cats, err := s.Market.Categories(r.Context(), "")
	if err != nil {
		return nil, 0, err
	}
	tree := map[string]string{}
	for _, cat := range cats {
		tree[cat.ID] = cat.MunicipalityID
	}
	values, n := portalContentValues(c, tree)
	return values, n, nil
}

// handlePortalOfferingUpdate saves a change: in place for an offering
// never published, as a change awaiting approval for a published one.
func (s *Server) handlePortalOfferingUpdate(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := s.ownOffering(r.Context(), rq, r.PathValue("id"))
	if err != nil {
		return err
	}
	prov, err := s.Market.Provider(r.Context(), v.Offering.ProviderOrgID)
	if err != nil {
		return err
	}
	p := s.newPage(rq, r, "market_portal_offering", "portal.offering.edit_title")
	return s.saveOffering(w, r, rq, p, prov, &v)
}

// saveOffering reads the posted form and creates (v nil) or updates the
// offering; "add another location" shows the form again with one more
// block. Wrong input is shown again at its fields, nothing saved.
func (s *Server) saveOffering(w http.ResponseWriter, r *http.Request, rq *request, p Page, prov market.Provider, v *market.View) error {
	var base market.Content
	var row *portalRow
	if v != nil {
		base = latestContent(*v)
		rr := portalRowOf(*v, rq.now)
		row = &rr
	}
	form, c, n, err := readOffering(r, prov.MunicipalityIDs, base)
	if err != nil {
		return errs.E("web.portal", errs.Invalid, errs.Key("error.bad_request"), err)
	}
	p.Form = form
	action := form.Values["action"]
	if action == "add_location" {
		// Only more room: nothing is checked or saved yet.
		p.Form.Errors = map[string]string{}
		return s.showOfferingForm(w, r, rq, p, prov, row, form.Values, min(n+1, market.MaxLocations))
	}
	blocks := portalBlocks(r, n)
	version, _ := portalVersion(form.Values["version"])
	if form.HasErrors() {
		// Show the service's own checks too, so every wrong field shows at once.
		check := c
		check.Normalize()
		p.Form.Errors = portalMergeErrors(p.Form.Errors, portalRenumber(errs.FieldsOf(check.Validate()), blocks))
		return s.showOfferingForm(w, r, rq, p, prov, row, form.Values, n)
	}
	submit := action == "submit"
	var saved market.Offering
	if v == nil {
		saved, err = s.Market.CreateOffering(r.Context(), rq.person, prov.OrganisationID, c, submit)
	} else {
		saved, err = s.Market.UpdateOffering(r.Context(), rq.person, v.Offering.ID, version, c, submit)
	}
	switch {
	case err == nil:
		flash := "flash.portal.saved"
		switch {
		case saved.Status == market.StatusPublished || saved.Status == market.StatusHidden:
			flash = "flash.portal.change_submitted"
		case saved.Status == market.StatusPending:
			flash = "flash.portal.submitted"
		}
		s.redirect(w, r, "/aanbieder", flash)
		return nil
	case len(errs.FieldsOf(err)) > 0:
		p.Form.Errors = portalMergeErrors(p.Form.Errors, portalRenumber(errs.FieldsOf(err), blocks))
	case errs.Is(err, errs.Conflict) && errs.KeyOf(err) == "error.market.changed" && v != nil:
		// Someone else changed it: keep the input, say so, and offer to
		// save over the newer version knowingly.
		cur, rerr := s.ownOffering(r.Context(), rq, v.Offering.ID)
		if rerr != nil {
			return rerr
		}
		rr := portalRowOf(cur, rq.now)
		row = &rr
		p.Alert = "portal.offering.conflict"
		form.Values["version"] = strconv.FormatInt(cur.Offering.Version, 10)
		return s.showOfferingFormConflict(w, r, rq, p, prov, row, form.Values, n)
	default:
		if err := formError(&p, err); err != nil {
			return err
		}
	}
	return s.showOfferingForm(w, r, rq, p, prov, row, form.Values, n)
}

// portalMergeErrors adds b's errors to a, keeping a's message per field.
func portalMergeErrors(a, b map[string]string) map[string]string {
	if a == nil {
		a = map[string]string{}
	}
	for k, v := range b {
		if k == "categories" && v == "field.categories.required" {
			v = "field.offering_category.required" // the shared key speaks of sharing
		}
		if _, ok := a[k]; !ok {
			a[k] = v
		}
	}
	return a
}

func (s *Server) showOfferingForm(w http.ResponseWriter, r *http.Request, rq *request, p Page, prov market.Provider, row *portalRow, values map[string]string, n int) error {
	return s.renderOfferingForm(w, r, rq, p, prov, row, values, n, false)
}

func (s *Server) showOfferingFormConflict(w http.ResponseWriter, r *http.Request, rq *request, p Page, prov market.Provider, row *portalRow, values map[string]string, n int) error {
	return s.renderOfferingForm(w, r, rq, p, prov, row, values, n, true)
}

func (s *Server) renderOfferingForm(w http.ResponseWriter, r *http.Request, rq *request, p Page, prov market.Provider, row *portalRow,
	values map[string]string, n int, conflict bool) error {
	f, _, err := s.buildOfferingForm(r.Context(), rq.lang, prov, values, n)
	if err != nil {
		return err
	}
	p.Form.Values = values
	if p.Form.Errors == nil {
		p.Form.Errors = map[string]string{}
	}
	d := offeringPageData{offeringForm: f, Action: "/aanbieder/aanbod/nieuw", Provider: prov, Row: row, Conflict: conflict}
	if row != nil {
		o := row.Offering
		d.Action = "/aanbieder/aanbod/" + o.ID
		d.Version = o.Version
		// After a POST the version the person started from, so that a
		// field error never hides someone else's change.
		if v, ok := portalVersion(values["version"]); ok {
			d.Version = v
		}
		d.Live = o.Status == market.StatusPublished || o.Status == market.StatusHidden
	}
	p.Data = d
	return s.show(w, r, p)
}
