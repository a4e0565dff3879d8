package web

import (
	"net/http"
)

// handleHealthz answers while the process runs; it says nothing else.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok\n")) //nolint:errcheck // the client went away
}

// handleReadyz answers 200 when the database answers, 503 otherwise.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.ready(r.Context()); err != nil {
		s.Log.WarnContext(r.Context(), "not ready", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("unavailable\n")) //nolint:errcheck // the client went away
		return
	}
	w.Write([]byte("ok\n")) //nolint:errcheck // the client went away
}

// handleSecurityTxt publishes how to report a vulnerability (RFC 9116).
func (s *Server) handleSecurityTxt(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	base := s.Config.BaseURL.String()
	w.Write([]byte("Contact: mailto:security@inwonercloud.nl\n" + //nolint:errcheck // the client went away
		"Expires: 2027-12-31T23:00:00.000Z\n" +
		"Preferred-Languages: nl, en\n" +
		"Policy: " + base + "/beveiliging\n" +
		"Canonical: " + base + "/.well-known/security.txt\n"))
}
