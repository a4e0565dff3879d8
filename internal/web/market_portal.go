package web

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// marketPortalRoutes registers the provider portal (/aanbieder), the
// municipality's approval queue (/beheer/aanbod) and its category tree
// (/beheer/categorieen). Every page needs a login; who may see what is
// decided by the market service, and a page answers 404 to anyone else.
func (s *Server) marketPortalRoutes(mux *http.ServeMux) {
	mux.Handle("GET /aanbieder", s.page(loggedIn, s.handlePortalShow))
	mux.Handle("GET /aanbieder/gegevens/{org}", s.page(loggedIn, s.handlePortalProviderShow))
	mux.Handle("POST /aanbieder/gegevens/{org}", s.page(loggedIn, s.handlePortalProviderSave))
	mux.Handle("GET /aanbieder/aanbod/nieuw", s.page(loggedIn, s.handlePortalOfferingNew))
	mux.Handle("POST /aanbieder/aanbod/nieuw", s.page(loggedIn, s.handlePortalOfferingCreate))
	mux.Handle("GET /aanbieder/aanbod/{id}", s.page(loggedIn, s.handlePortalOfferingEdit))
	mux.Handle("POST /aanbieder/aanbod/{id}", s.page(loggedIn, s.handlePortalOfferingUpdate))
	mux.Handle("POST /aanbieder/aanbod/{id}/nagekeken", s.page(loggedIn, s.handlePortalOfferingCheck))

	mux.Handle("GET /beheer/aanbod", s.page(loggedIn, s.handleApprovalQueue))
	mux.Handle("GET /beheer/aanbod/{id}", s.page(loggedIn, s.handleApprovalShow))
	mux.Handle("POST /beheer/aanbod/{id}/goedkeuren", s.page(loggedIn, s.handleApprovalApprove))
	mux.Handle("POST /beheer/aanbod/{id}/afwijzen", s.page(loggedIn, s.handleApprovalRefuse))

	mux.Handle("GET /beheer/categorieen", s.page(loggedIn, s.handleCategoryTree))
	mux.Handle("POST /beheer/categorieen", s.page(loggedIn, s.handleCategoryCreate))
	mux.Handle("GET /beheer/categorieen/{id}", s.page(loggedIn, s.handleCategoryShow))
	mux.Handle("POST /beheer/categorieen/{id}", s.page(loggedIn, s.handleCategoryUpdate))
	mux.Handle("POST /beheer/categorieen/{id}/verwijderen", s.page(loggedIn, s.handleCategoryDelete))
}

// providerOrgs returns the provider organisations p manages, in the order
// of p's roles.
func providerOrgs(p *identity.Person) []string {
	var out []string
	if p == nil {
		return nil
	}
	for _, a := range p.Roles {
		if a.Role == identity.RoleProviderAdmin && a.OrganisationID != "" && !slices.Contains(out, a.OrganisationID) {
			out = append(out, a.OrganisationID)
		}
	}
	return out
}

// errPortal is the answer to anyone who is no provider admin, or asks for
// another provider's page: the page does not exist for them.
var errPortal = errs.E("web.portal", errs.NotFound, errs.Key("error.not_found"))

// portalData is what the portal's start page shows.
type portalData struct {
	Providers []portalProvider
}

// portalProvider is one organisation the person manages, with its offerings.
type portalProvider struct {
	Provider  market.Provider
	Offerings []portalRow
}

// portalRow is one offering in the provider's list.
type portalRow struct {
	market.View
	StatusKey  string // portal.status.*
	NeedsCheck bool   // not checked for StaleAfterMonths: flagged or due
	Hidden     bool   // hidden because nobody checked it
}

// handlePortalShow lists the provider's organisations and their offerings
// in every state, with what needs doing.
func (s *Server) handlePortalShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	orgs := providerOrgs(rq.person)
	if len(orgs) == 0 {
		return errPortal
	}
	p := s.newPage(rq, r, "market_portal", "portal.title")
	var d portalData
	for _, org := range orgs {
		pp, err := s.portalProvider(r.Context(), rq, org)
		if err != nil {
			return err
		}
		d.Providers = append(d.Providers, pp)
	}
	p.Data = d
	return s.show(w, r, p)
}

func (s *Server) portalProvider(ctx context.Context, rq *request, org string) (portalProvider, error) {
	prov, err := s.Market.Provider(ctx, org)
	if err != nil {
		return portalProvider{}, err
	}
	views, err := s.Market.ProviderOfferings(ctx, rq.person, org)
	if err != nil {
		return portalProvider{}, err
	}
	pp := portalProvider{Provider: prov}
	for _, v := range views {
		pp.Offerings = append(pp.Offerings, portalRowOf(v, rq.now))
	}
	return pp, nil
}

// portalRowOf says where an offering is, in the provider's words.
func portalRowOf(v market.View, now time.Time) portalRow {
	o := v.Offering
	row := portalRow{View: v, StatusKey: "portal.status." + string(o.Status)}
	live := o.Status == market.StatusPublished || o.Status == market.StatusHidden
	row.NeedsCheck = live && (o.StaleSince != nil || o.LastCheckedAt.Before(now.AddDate(0, -market.StaleAfterMonths, 0)))
	row.Hidden = o.Status == market.StatusHidden
	return row
}

// RefusedChange returns the latest change when the municipality refused
// it, for its reason.
func (r portalRow) RefusedChange() *market.Revision {
	if r.Revision != nil && r.Revision.Status == market.RevisionRefused {
		return r.Revision
	}
	return nil
}

// ownOffering reads an offering for its provider's admin; for anyone
// else it does not exist.
func (s *Server) ownOffering(ctx context.Context, rq *request, id string) (market.View, error) {
	v, err := s.Market.Offering(ctx, rq.person, id)
	if err != nil {
		return v, err
	}
	if !slices.Contains(providerOrgs(rq.person), v.Offering.ProviderOrgID) {
		return v, errPortal
	}
	return v, nil
}

// handlePortalOfferingCheck records that the offering is still right
// ("Nog steeds juist").
func (s *Server) handlePortalOfferingCheck(w http.ResponseWriter, r *http.Request, rq *request) error {
	if len(providerOrgs(rq.person)) == 0 {
		return errPortal
	}
	form, err := readForm(r, map[string]int{"version": 20})
	if err != nil {
		return err
	}
	v, err := s.ownOffering(r.Context(), rq, r.PathValue("id"))
	if err != nil {
		return err
	}
	version, _ := portalVersion(form.Values["version"])
	if _, err := s.Market.MarkChecked(r.Context(), rq.person, v.Offering.ID, version); err != nil {
		if errs.Is(err, errs.Conflict) {
			s.redirect(w, r, "/aanbieder", "flash.portal.check_changed")
			return nil
		}
		return err
	}
	s.redirect(w, r, "/aanbieder", "flash.portal.checked")
	return nil
}
