package web

import (
	"net/http"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

type erasePage struct {
	Done bool // the account is gone: the goodbye page
}

func (s *Server) handleEraseShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.newPage(rq, r, "erase", "rights.erase.title")
	p.Data = erasePage{}
	return s.show(w, r, p)
}

// handleErase deletes the person's account after they re-entered their
// password and ticked the confirmation. Entering the password here is the
// step-up: no earlier confirmation counts for this.
func (s *Server) handleErase(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.newPage(rq, r, "erase", "rights.erase.title")
	p.Data = erasePage{}
	f, err := readForm(r, map[string]int{"password": 4 * identity.MaxPasswordLen, "confirm": 10})
	if err != nil {
		return err
	}
	p.Form = f
	if f.Values["confirm"] != "yes" && f.Errors["confirm"] == "" {
		f.Errors["confirm"] = "rights.erase.confirm_required"
	}
	if f.Values["password"] == "" && f.Errors["password"] == "" {
		f.Errors["password"] = "field.password.required"
	}
	if !f.HasErrors() {
		err := s.rights().Erase(r.Context(), *rq.person, f.Values["password"], clientAddress(r))
		if err == nil {
			// Logged out everywhere (the sessions are gone); the browser
			// forgets everything it kept for this site.
			s.clearSession(w)
			w.Header().Set("Clear-Site-Data", `"cache", "cookies", "storage"`)
			done := s.newPage(&request{lang: rq.lang, municipality: rq.municipality, now: rq.now}, r, "erase", "rights.erase.done_title")
			done.Data = erasePage{Done: true}
			return s.show(w, r, done)
		}
		if err := formError(&p, err); err != nil {
			return err
		}
	}
	p.Form.Values["password"] = ""
	return s.show(w, r, p)
}
