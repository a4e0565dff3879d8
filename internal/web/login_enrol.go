package web

import (
	"net/http"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// enrolData is the set-up page of an authenticator app.
type enrolData struct {
	Setup         identity.TOTPSetup
	RecoveryCodes []string
	Action        string
	Continue      string
}

// handleLoginEnrolShow lets a staff member without a second factor set one
// up before their session becomes active.
func (s *Server) handleLoginEnrolShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	setup, err := s.Identity.PendingTOTP(r.Context(), rq.session.PersonID)
	if errs.Is(err, errs.NotFound) {
		setup, err = s.Identity.BeginTOTP(r.Context(), rq.session.PersonID)
	}
	if errs.Is(err, errs.Conflict) {
		// A factor is already on: this is an ordinary code login.
		s.redirect(w, r, "/inloggen/code", "")
		return nil
	}
	if err != nil {
		return err
	}
	p := s.newPage(rq, r, "mfa_enrol", "mfa_enrol.title")
	p.Data = enrolData{Setup: setup, Action: "/inloggen/instellen"}
	return s.show(w, r, p)
}

func (s *Server) handleLoginEnrol(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := readForm(r, map[string]int{"code": 40})
	if err != nil {
		return err
	}
	p := s.newPage(rq, r, "mfa_enrol", "mfa_enrol.title")
	p.Form = f
	setup, err := s.Identity.PendingTOTP(r.Context(), rq.session.PersonID)
	if err != nil {
		return err
	}
	p.Data = enrolData{Setup: setup, Action: "/inloggen/instellen"}
	if !f.HasErrors() {
		codes, tok, err := s.Identity.ConfirmTOTP(r.Context(), rq.session.PersonID, rq.token, f.Values["code"])
		if err == nil {
			info, err := s.Identity.Authenticate(r.Context(), tok)
			if err != nil {
				return err
			}
			s.setSession(w, tok, info.Session.ExpiresAt)
			rq.session, rq.person = &info.Session, &info.Person
			p = s.newPage(rq, r, "mfa_codes", "mfa_codes.title")
			p.Data = enrolData{RecoveryCodes: codes, Continue: "/"}
			return s.show(w, r, p)
		}
		if err := formError(&p, err); err != nil {
			return err
		}
	}
	p.Form.Values["code"] = ""
	return s.show(w, r, p)
}
