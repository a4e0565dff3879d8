package web

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
)

// outboxMail is a demo mail with the links it holds, made clickable.
type outboxMail struct {
	sqlstore.OutboxMail
	Links []string
}

var linkRE = regexp.MustCompile(`https?://[^\s]+`)

// handleOutbox lists the mail the demo would have sent, so a demo user can
// follow verification and reset links without a mail server.
func (s *Server) handleOutbox(w http.ResponseWriter, r *http.Request, rq *request) error {
	list, err := s.DB.FindOutboxMails(r.Context(), 50)
	if err != nil {
		return err
	}
	base := s.Config.BaseURL.String()
	mails := make([]outboxMail, len(list))
	for i, m := range list {
		mails[i].OutboxMail = m
		for _, l := range linkRE.FindAllString(m.Body, -1) {
			// Only our own links become clickable.
			if strings.HasPrefix(l, base+"/") {
				mails[i].Links = append(mails[i].Links, strings.TrimPrefix(l, base))
			}
		}
	}
	p := s.newPage(rq, r, "outbox", "outbox.title")
	p.Data = mails
	return s.show(w, r, p)
}
