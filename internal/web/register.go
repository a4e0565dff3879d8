package web

import (
	"net/http"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

type registerData struct {
	Municipalities []tenant.Municipality
	Done           bool
}

func (s *Server) registerPage(rq *request, r *http.Request) (Page, error) {
	list, err := s.Tenants.Municipalities(r.Context())
	if err != nil {
		return Page{}, err
	}
	p := s.newPage(rq, r, "register", "register.title")
	p.Data = registerData{Municipalities: list}
	return p, nil
}

func (s *Server) handleRegisterShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	if rq.person != nil {
		s.redirect(w, r, "/", "")
		return nil
	}
	p, err := s.registerPage(rq, r)
	if err != nil {
		return err
	}
	p.Form.Values["municipality"] = rq.municipality.ID
	return s.show(w, r, p)
}

func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.registerPage(rq, r)
	if err != nil {
		return err
	}
	f, err := readForm(r, map[string]int{"name": identity.MaxNameLen, "email": identity.MaxEmailLen,
		"password": identity.MaxPasswordLen, "municipality": 40})
	if err != nil {
		return err
	}
	p.Form = f
	known := false
	for _, m := range p.Data.(registerData).Municipalities {
		known = known || m.ID == f.Values["municipality"]
	}
	if !known {
		f.Errors["municipality"] = "field.municipality.required"
	}
	reg := identity.Registration{Email: f.Values["email"], DisplayName: f.Values["name"], Password: f.Values["password"],
		HomeMunicipalityID: f.Values["municipality"], Locale: rq.lang}
	// Validate everything at once so every wrong field gets its message.
	f.merge(reg.Validate())
	if !f.HasErrors() {
		if err := s.Identity.Register(r.Context(), reg); err != nil {
			if err := formError(&p, err); err != nil {
				return err
			}
		} else {
			p.Data = registerData{Done: true}
			p.Form = Form{Values: map[string]string{"email": f.Values["email"]}, Errors: map[string]string{}}
			return s.show(w, r, p)
		}
	}
	p.Form.Values["password"] = ""
	return s.show(w, r, p)
}

// handleVerifyEmailShow shows a button to confirm the address: a GET from a
// mail link must not change anything (mail scanners follow links).
func (s *Server) handleVerifyEmailShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.newPage(rq, r, "verify_email", "verify.title")
	p.Form.Values["token"] = r.URL.Query().Get("token")
	return s.show(w, r, p)
}

func (s *Server) handleVerifyEmail(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := readForm(r, map[string]int{"token": 100})
	if err != nil {
		return err
	}
	p := s.newPage(rq, r, "verify_email", "verify.title")
	p.Form = f
	if err := s.Identity.VerifyEmail(r.Context(), f.Values["token"]); err != nil {
		if err := formError(&p, err); err != nil {
			return err
		}
		return s.show(w, r, p)
	}
	s.redirect(w, r, "/inloggen", "flash.email_verified")
	return nil
}

func (s *Server) handleForgotShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.show(w, r, s.newPage(rq, r, "forgot", "forgot.title"))
}

func (s *Server) handleForgot(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.newPage(rq, r, "forgot", "forgot.title")
	f, err := readForm(r, map[string]int{"email": identity.MaxEmailLen})
	if err != nil {
		return err
	}
	p.Form = f
	if !f.HasErrors() {
		if err := s.Identity.RequestPasswordReset(r.Context(), f.Values["email"]); err != nil {
			if err := formError(&p, err); err != nil {
				return err
			}
		} else {
			p.Data = true // sent (or not: the page says the same either way)
		}
	}
	return s.show(w, r, p)
}

func (s *Server) handleResetShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.newPage(rq, r, "reset", "reset.title")
	tok := r.URL.Query().Get("token")
	p.Form.Values["token"] = tok
	if err := s.Identity.CheckResetToken(r.Context(), tok); err != nil {
		p.Alert = "error.link_invalid"
		p.Data = "invalid"
	}
	return s.show(w, r, p)
}

func (s *Server) handleReset(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.newPage(rq, r, "reset", "reset.title")
	f, err := readForm(r, map[string]int{"token": 100, "password": identity.MaxPasswordLen, "password2": identity.MaxPasswordLen})
	if err != nil {
		return err
	}
	p.Form = f
	if f.Values["password"] != f.Values["password2"] && f.Errors["password2"] == "" {
		f.Errors["password2"] = "field.password.mismatch"
	}
	if !f.HasErrors() {
		err := s.Identity.ResetPassword(r.Context(), f.Values["token"], f.Values["password"])
		if err == nil {
			if rq.token != "" {
				s.clearSession(w)
			}
			s.redirect(w, r, "/inloggen", "flash.password_reset")
			return nil
		}
		if err := formError(&p, err); err != nil {
			return err
		}
		if p.Alert == "error.link_invalid" {
			p.Data = "invalid"
		}
	}
	p.Form.Values["password"], p.Form.Values["password2"] = "", ""
	return s.show(w, r, p)
}
