package web

import "net/http"

// handleOutbox lists the mail the demo would have sent, so a demo user can
// follow verification and reset links without a mail server.
func (s *Server) handleOutbox(w http.ResponseWriter, r *http.Request, rq *request) error {
	list, err := s.DB.FindOutboxMails(r.Context(), 50)
	if err != nil {
		return err
	}
	p := s.newPage(rq, r, "outbox", "outbox.title")
	p.Data = list
	w.Header().Set("Cache-Control", "no-store")
	return s.show(w, r, p)
}
