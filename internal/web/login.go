package web

import (
	"net/http"
	"net/url"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

type loginData struct {
	Return string
	Demo   *DemoInfo
}

func (s *Server) loginPage(rq *request, r *http.Request) Page {
	p := s.newPage(rq, r, "login", "login.title")
	p.Data = loginData{Return: safeReturn(r.URL.Query().Get("terug")), Demo: s.Demo}
	return p
}

func (s *Server) handleLoginShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	if rq.person != nil {
		s.redirect(w, r, "/", "")
		return nil
	}
	return s.show(w, r, s.loginPage(rq, r))
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.loginPage(rq, r)
	f, err := readForm(r, map[string]int{"email": identity.MaxEmailLen, "password": 4 * identity.MaxPasswordLen, "terug": 2000})
	if err != nil {
		return err
	}
	p.Form = f
	ret := safeReturn(f.Values["terug"])
	p.Data = loginData{Return: ret, Demo: s.Demo}
	if !f.HasErrors() {
		res, err := s.Identity.Login(r.Context(), identity.Credentials{
			Email: f.Values["email"], Password: f.Values["password"], Address: clientAddress(r),
		}, r.UserAgent())
		if err == nil {
			if rq.token != "" {
				s.Identity.Logout(r.Context(), rq.token) //nolint:errcheck // the old session is replaced either way
			}
			s.setSession(w, res.Token, res.Session.ExpiresAt)
			switch {
			case res.NeedsEnrolment:
				s.redirect(w, r, "/inloggen/instellen", "")
			case res.Session.State == identity.StateSecondFactor:
				s.redirect(w, r, "/inloggen/code?terug="+url.QueryEscape(ret), "")
			default:
				s.redirect(w, r, ret, "")
			}
			return nil
		}
		if err := formError(&p, err); err != nil {
			return err
		}
	}
	p.Form.Values["password"] = ""
	return s.show(w, r, p)
}

func (s *Server) handleLoginCodeShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.newPage(rq, r, "login_code", "login_code.title")
	p.Data = loginData{Return: safeReturn(r.URL.Query().Get("terug"))}
	return s.show(w, r, p)
}

func (s *Server) handleLoginCode(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.newPage(rq, r, "login_code", "login_code.title")
	f, err := readForm(r, map[string]int{"code": 40, "terug": 2000})
	if err != nil {
		return err
	}
	p.Form = f
	ret := safeReturn(f.Values["terug"])
	p.Data = loginData{Return: ret}
	if !f.HasErrors() {
		tok, sess, err := s.Identity.VerifySecondFactor(r.Context(), rq.token, f.Values["code"])
		if err == nil {
			s.setSession(w, tok, sess.ExpiresAt)
			s.redirect(w, r, ret, "")
			return nil
		}
		if err := formError(&p, err); err != nil {
			return err
		}
		if p.Alert == "error.code_locked" {
			s.clearSession(w)
			s.redirect(w, r, "/inloggen", "flash.code_locked")
			return nil
		}
	}
	p.Form.Values["code"] = ""
	return s.show(w, r, p)
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, rq *request) error {
	if rq.token != "" {
		if err := s.Identity.Logout(r.Context(), rq.token); err != nil {
			return err
		}
	}
	s.clearSession(w)
	w.Header().Set("Clear-Site-Data", `"cache", "storage"`)
	s.redirect(w, r, "/", "flash.logged_out")
	return nil
}
