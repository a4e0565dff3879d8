package web

import (
	"net/http"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/i18n"
)

func (s *Server) handleAccountShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.newPage(rq, r, "account", "account.title")
	p.Form.Values["name"] = rq.person.DisplayName
	p.Form.Values["locale"] = rq.person.Locale
	return s.show(w, r, p)
}

func (s *Server) handleAccountUpdate(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.newPage(rq, r, "account", "account.title")
	f, err := readForm(r, map[string]int{"name": identity.MaxNameLen, "locale": 5})
	if err != nil {
		return err
	}
	p.Form = f
	if !f.HasErrors() {
		_, err := s.Identity.UpdateProfile(r.Context(), rq.person.ID, identity.Profile{DisplayName: f.Values["name"], Locale: f.Values["locale"]})
		if err == nil {
			http.SetCookie(w, &http.Cookie{Name: i18n.CookieName, Value: f.Values["locale"], Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
				HttpOnly: true, Secure: s.Config.Secure(), SameSite: http.SameSiteLaxMode})
			s.redirect(w, r, "/account", "flash.saved")
			return nil
		}
		if err := formError(&p, err); err != nil {
			return err
		}
	}
	return s.show(w, r, p)
}

func (s *Server) handlePasswordShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.show(w, r, s.newPage(rq, r, "password", "password.title"))
}

func (s *Server) handlePasswordChange(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.newPage(rq, r, "password", "password.title")
	f, err := readForm(r, map[string]int{"current": 4 * identity.MaxPasswordLen, "password": identity.MaxPasswordLen, "password2": identity.MaxPasswordLen})
	if err != nil {
		return err
	}
	p.Form = f
	if f.Values["password"] != f.Values["password2"] && f.Errors["password2"] == "" {
		f.Errors["password2"] = "field.password.mismatch"
	}
	if !f.HasErrors() {
		err := s.Identity.ChangePassword(r.Context(), rq.person.ID, rq.session.ID, f.Values["current"], f.Values["password"])
		if err == nil {
			s.redirect(w, r, "/account", "flash.password_changed")
			return nil
		}
		if err := formError(&p, err); err != nil {
			return err
		}
	}
	p.Form.Values["current"], p.Form.Values["password"], p.Form.Values["password2"] = "", "", ""
	return s.show(w, r, p)
}

type sessionsData struct {
	Sessions []identity.Session
	Current  string
}

func (s *Server) handleSessionsShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	list, err := s.Identity.Sessions(r.Context(), rq.person.ID)
	if err != nil {
		return err
	}
	p := s.newPage(rq, r, "sessions", "sessions.title")
	p.Data = sessionsData{Sessions: list, Current: rq.session.ID}
	return s.show(w, r, p)
}

func (s *Server) handleSessionEnd(w http.ResponseWriter, r *http.Request, rq *request) error {
	id := r.PathValue("id")
	if err := s.Identity.EndSession(r.Context(), rq.person.ID, id); err != nil {
		return err
	}
	if id == rq.session.ID {
		s.clearSession(w)
		s.redirect(w, r, "/", "flash.logged_out")
		return nil
	}
	s.redirect(w, r, "/account/sessies", "flash.session_ended")
	return nil
}

func (s *Server) handleSessionEndOthers(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.Identity.EndOtherSessions(r.Context(), rq.person.ID, rq.session.ID); err != nil {
		return err
	}
	s.redirect(w, r, "/account/sessies", "flash.sessions_ended")
	return nil
}

type tokensData struct {
	Tokens []identity.APIToken
}

func (s *Server) handleTokensShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	list, err := s.Identity.Tokens(r.Context(), rq.person.ID)
	if err != nil {
		return err
	}
	p := s.newPage(rq, r, "tokens", "tokens.title")
	p.Data = tokensData{Tokens: list}
	return s.show(w, r, p)
}

func (s *Server) handleTokenRevoke(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.Identity.RevokeToken(r.Context(), rq.person.ID, r.PathValue("id")); err != nil {
		return err
	}
	s.redirect(w, r, "/account/tokens", "flash.token_revoked")
	return nil
}
