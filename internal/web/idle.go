package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

type idleData struct {
	Deadline time.Time
	Return   string
}

// handleIdleWarning is where a page without JavaScript goes two minutes
// before the idle deadline. Showing it does not count as activity: the
// person must press the button to stay logged in.
func (s *Server) handleIdleWarning(w http.ResponseWriter, r *http.Request, rq *request) error {
	if rq.person == nil {
		s.redirect(w, r, "/sessie/verlopen", "")
		return nil
	}
	p := s.newPage(rq, r, "idle_warning", "idle.title")
	p.Data = idleData{Deadline: rq.session.IdleDeadline(), Return: safeReturn(r.URL.Query().Get("terug"))}
	return s.show(w, r, p)
}

// handleIdleExtend keeps the session alive. A script asking for JSON gets
// the new deadline; a plain form goes back to where the person was.
func (s *Server) handleIdleExtend(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := readForm(r, map[string]int{"terug": 2000})
	if err != nil {
		return err
	}
	wantsJSON := strings.Contains(r.Header.Get("Accept"), "application/json")
	if rq.person == nil {
		if wantsJSON {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"loggedIn":false}`)) //nolint:errcheck // the client went away
			return nil
		}
		s.redirect(w, r, "/sessie/verlopen", "")
		return nil
	}
	sess, err := s.Identity.ExtendSession(r.Context(), rq.token)
	if err != nil {
		return err
	}
	if wantsJSON {
		w.Header().Set("Content-Type", "application/json")
		return json.NewEncoder(w).Encode(map[string]string{"idleDeadline": sess.IdleDeadline().UTC().Format(time.RFC3339)})
	}
	s.redirect(w, r, safeReturn(f.Values["terug"]), "flash.session_extended")
	return nil
}

// handleIdleExpired tells the person they were logged out for inactivity.
func (s *Server) handleIdleExpired(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.newPage(rq, r, "idle_expired", "idle_expired.title")
	p.Data = idleData{Return: safeReturn(r.URL.Query().Get("terug"))}
	return s.show(w, r, p)
}
