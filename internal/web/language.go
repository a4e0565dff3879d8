package web

import (
	"net/http"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/i18n"
)

// handleLanguage switches the language, remembers it in a cookie and, for a
// logged-in person, in their profile, and returns to the page.
func (s *Server) handleLanguage(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := readForm(r, map[string]int{"lang": 5, "terug": 2000})
	if err != nil {
		return err
	}
	lang := f.Values["lang"]
	if !i18n.Supported(lang) {
		lang = "nl"
	}
	http.SetCookie(w, &http.Cookie{Name: i18n.CookieName, Value: lang, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, Secure: s.Config.Secure(), SameSite: http.SameSiteLaxMode})
	if rq.person != nil && rq.person.Locale != lang {
		if _, err := s.Identity.UpdateProfile(r.Context(), rq.person.ID, identity.Profile{DisplayName: rq.person.DisplayName, Locale: lang}); err != nil {
			return err
		}
	}
	s.redirect(w, r, safeReturn(f.Values["terug"]), "")
	return nil
}

// handleMunicipalityChoose remembers which municipality a visitor chose.
func (s *Server) handleMunicipalityChoose(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := readForm(r, map[string]int{"gemeente": 40, "terug": 2000})
	if err != nil {
		return err
	}
	m, err := s.Tenants.MunicipalityBySlug(r.Context(), f.Values["gemeente"])
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: municipalityCookie, Value: m.Slug, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, Secure: s.Config.Secure(), SameSite: http.SameSiteLaxMode})
	s.redirect(w, r, safeReturn(f.Values["terug"]), "")
	return nil
}
