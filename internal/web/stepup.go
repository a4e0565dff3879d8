package web

import (
	"net/http"
	"net/url"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Step-up re-authentication (SECURITY.md §4): a sensitive action — granting
// or extending consent, appointing a trusted person, and later export and
// erasure — needs a password entered in the last five minutes
// (identity.StepUpAge).
//
// Use requireFreshAuth at the top of the handler of the sensitive action,
// GET and POST alike:
//
//	if !s.requireFreshAuth(w, r, rq) {
//		return nil // the person was sent to the password page
//	}
//
// When the last password entry is older, it redirects to
// GET /bevestig-wachtwoord?terug=<path> and returns false; the handler must
// then do nothing else. A POST is never carried out without fresh
// authentication: the person confirms their password and comes back to the
// form (the page behind terug, for a POST the Referer-free path of the form
// itself), and submits it again. This keeps the step simple and needs no
// stored form data.

// stepUpPath is the password confirmation page.
const stepUpPath = "/bevestig-wachtwoord"

// requireFreshAuth reports whether the session's password entry is recent
// enough for a sensitive action; when it is not, it redirects to the
// step-up page with a way back and returns false. The way back is returnTo
// when given (for a POST: the form's own page), else the request's path.
func (s *Server) requireFreshAuth(w http.ResponseWriter, r *http.Request, rq *request, returnTo ...string) bool {
	if rq.session != nil && rq.session.FreshAuth(rq.now) {
		return true
	}
	back := r.URL.RequestURI()
	if len(returnTo) > 0 && returnTo[0] != "" {
		back = returnTo[0]
	}
	s.redirect(w, r, stepUpPath+"?terug="+url.QueryEscape(safeReturn(back)), "")
	return false
}

func (s *Server) handleStepUpShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.newPage(rq, r, "stepup", "stepup.title")
	p.Form.Values["terug"] = safeReturn(r.URL.Query().Get("terug"))
	return s.show(w, r, p)
}

func (s *Server) handleStepUp(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.newPage(rq, r, "stepup", "stepup.title")
	f, err := readForm(r, map[string]int{"password": 4 * identity.MaxPasswordLen, "terug": 2000})
	if err != nil {
		return err
	}
	p.Form = f
	f.Values["terug"] = safeReturn(f.Values["terug"])
	if !f.HasErrors() {
		_, err := s.Identity.Reauthenticate(r.Context(), rq.token, f.Values["password"], clientAddress(r))
		if err == nil {
			s.redirect(w, r, f.Values["terug"], "flash.stepup_done")
			return nil
		}
		if err := formError(&p, err); err != nil {
			return err
		}
	}
	f.Values["password"] = ""
	return s.show(w, r, p)
}
