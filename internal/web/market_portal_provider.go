package web

import (
	"net/http"
	"slices"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
)

// providerFields are the provider details form's fields and their longest
// accepted value.
var providerFields = map[string]int{"agb": 20, "email": 254, "phone": 30, "website": 300}

// providerData is what the provider details page shows.
type providerData struct {
	Provider market.Provider
}

// handlePortalProviderShow shows the provider's contact details form.
func (s *Server) handlePortalProviderShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	prov, err := s.portalOrg(r, rq)
	if err != nil {
		return err
	}
	p := s.newPage(rq, r, "market_portal_provider", "portal.provider.title")
	p.Form.Values = map[string]string{"agb": prov.AGB, "email": prov.Email, "phone": prov.Phone, "website": prov.Website}
	p.Data = providerData{Provider: prov}
	return s.show(w, r, p)
}

// handlePortalProviderSave saves the AGB code and contact details.
func (s *Server) handlePortalProviderSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	prov, err := s.portalOrg(r, rq)
	if err != nil {
		return err
	}
	p := s.newPage(rq, r, "market_portal_provider", "portal.provider.title")
	p.Data = providerData{Provider: prov}
	form, err := readForm(r, providerFields)
	if err != nil {
		return err
	}
	p.Form = form
	if !form.HasErrors() {
		_, err = s.Market.SaveProvider(r.Context(), rq.person, market.Provider{OrganisationID: prov.OrganisationID,
			AGB: form.Values["agb"], Email: form.Values["email"], Phone: form.Values["phone"], Website: form.Values["website"]})
		if err == nil {
			s.redirect(w, r, "/aanbieder", "flash.portal.provider_saved")
			return nil
		}
		if err := formError(&p, err); err != nil {
			return err
		}
	}
	return s.show(w, r, p)
}

// portalOrg reads the provider named in the path, for its admin only.
func (s *Server) portalOrg(r *http.Request, rq *request) (market.Provider, error) {
	org := r.PathValue("org")
	if !slices.Contains(providerOrgs(rq.person), org) {
		return market.Provider{}, errPortal
	}
	return s.Market.Provider(r.Context(), org)
}
