package web

import (
	"net/http"
	"slices"

	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// residentOf is the resident whose data a request works on: the one a
// delegate switched to ("acting for"), else the logged-in person. The
// consent service decides on every access whether a live mandate allows it.
func residentOf(rq *request) string {
	if rq.session != nil && rq.session.ActingFor != "" {
		return rq.session.ActingFor
	}
	return rq.person.ID
}

// actingForName is the display name of the resident the session acts for,
// for the banner in the header ("" when not acting for anyone).
func (s *Server) actingForName(r *http.Request, rq *request) string {
	if rq.session == nil || rq.person == nil || rq.session.ActingFor == "" {
		return ""
	}
	p, err := s.Identity.Person(r.Context(), rq.session.ActingFor)
	if err != nil {
		return s.Catalog.T(rq.lang, "accesslog.deleted_account", nil)
	}
	return p.DisplayName
}

// handleActFor switches the session to acting for a resident whose live
// mandate the person holds, or back to themselves when the id is empty. A
// resident the person holds no live mandate of does not exist for them.
func (s *Server) handleActFor(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := readForm(r, map[string]int{"resident": 64})
	if err != nil {
		return err
	}
	resident := f.Values["resident"]
	if f.HasErrors() {
		return errs.E("web.handleActFor", errs.NotFound, errs.Key("error.not_found"))
	}
	if resident == "" {
		if _, err := s.Identity.ActFor(r.Context(), rq.token, ""); err != nil {
			return err
		}
		s.redirect(w, r, "/machtigingen", "flash.acting_stopped")
		return nil
	}
	held, err := s.Consent.MandatesFor(r.Context(), *rq.person)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(held, func(m consent.Mandate) bool { return m.ResidentID == resident && m.Live(rq.now) }) {
		return errs.E("web.handleActFor", errs.NotFound, errs.Key("error.not_found"))
	}
	if _, err := s.Identity.ActFor(r.Context(), rq.token, resident); err != nil {
		return err
	}
	s.redirect(w, r, "/", "flash.acting_started")
	return nil
}
