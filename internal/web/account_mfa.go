package web

import (
	"net/http"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

type mfaData struct {
	On            bool
	Staff         bool
	CodesLeft     int
	Setup         *identity.TOTPSetup
	RecoveryCodes []string
	Action        string
}

func (s *Server) mfaPage(rq *request, r *http.Request) (Page, error) {
	p := s.newPage(rq, r, "mfa", "mfa.title")
	d := mfaData{On: rq.person.TOTPEnabledAt != nil, Staff: rq.person.IsStaff(), Action: "/account/tweestapsverificatie/bevestigen"}
	if d.On {
		n, err := s.Identity.RecoveryCodesLeft(r.Context(), rq.person.ID)
		if err != nil {
			return p, err
		}
		d.CodesLeft = n
	} else if setup, err := s.Identity.PendingTOTP(r.Context(), rq.person.ID); err == nil {
		d.Setup = &setup
	} else if !errs.Is(err, errs.NotFound) {
		return p, err
	}
	p.Data = d
	return p, nil
}

func (s *Server) handleMFAShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.mfaPage(rq, r)
	if err != nil {
		return err
	}
	return s.show(w, r, p)
}

func (s *Server) handleMFABegin(w http.ResponseWriter, r *http.Request, rq *request) error {
	if _, err := s.Identity.BeginTOTP(r.Context(), rq.person.ID); err != nil {
		return err
	}
	s.redirect(w, r, "/account/tweestapsverificatie", "")
	return nil
}

func (s *Server) handleMFAConfirm(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := readForm(r, map[string]int{"code": 40})
	if err != nil {
		return err
	}
	p, err := s.mfaPage(rq, r)
	if err != nil {
		return err
	}
	p.Form = f
	if !f.HasErrors() {
		codes, _, err := s.Identity.ConfirmTOTP(r.Context(), rq.person.ID, "", f.Values["code"])
		if err == nil {
			p = s.newPage(rq, r, "mfa_codes", "mfa_codes.title")
			p.Data = enrolData{RecoveryCodes: codes, Continue: "/account/tweestapsverificatie"}
			return s.show(w, r, p)
		}
		if err := formError(&p, err); err != nil {
			return err
		}
	}
	p.Form.Values["code"] = ""
	return s.show(w, r, p)
}

func (s *Server) handleMFADisable(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := readForm(r, map[string]int{"password": 4 * identity.MaxPasswordLen})
	if err != nil {
		return err
	}
	p, err := s.mfaPage(rq, r)
	if err != nil {
		return err
	}
	p.Form = f
	if !f.HasErrors() {
		err := s.Identity.DisableTOTP(r.Context(), rq.person.ID, f.Values["password"])
		if err == nil {
			s.redirect(w, r, "/account/tweestapsverificatie", "flash.mfa_off")
			return nil
		}
		if err := formError(&p, err); err != nil {
			return err
		}
	}
	p.Form.Values["password"] = ""
	return s.show(w, r, p)
}
