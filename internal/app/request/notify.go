package request

import (
	"context"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// The mail templates (mail.<template>.subject and .body). They say only
// that something is new and where to log in: no offering, no names, no
// message.
const (
	MailProviderTemplate = "request_provider"
	MailResidentTemplate = "request_resident"
)

// notifyProvider mails the provider organisation's admins that one of
// their requests is new or changed. A failed mail does not undo the
// change; it is logged without personal data.
func (s *Service) notifyProvider(ctx context.Context, r Request) {
	if s.mailer == nil {
		return
	}
	admins, err := s.store.FindProviderAdmins(ctx, r.ProviderOrgID)
	if err != nil {
		s.log.ErrorContext(ctx, "request mail: provider admins", "err", err)
		return
	}
	for _, p := range admins {
		s.send(ctx, p, MailProviderTemplate, "/aanbieder/aanvragen/"+r.ID)
	}
}

// notifyResident mails the resident that the provider answered.
func (s *Service) notifyResident(ctx context.Context, r Request) {
	if s.mailer == nil {
		return
	}
	p, err := s.store.FindPersonByID(ctx, r.ResidentID)
	if err != nil {
		s.log.ErrorContext(ctx, "request mail: resident", "err", err)
		return
	}
	s.send(ctx, p, MailResidentTemplate, "/aanvragen/"+r.ID)
}

func (s *Service) send(ctx context.Context, p identity.Person, template, path string) {
	if p.Email == "" || p.DisabledAt != nil {
		return
	}
	m := identity.Mail{To: p.Email, Locale: p.Locale, Template: template, Data: map[string]string{"Link": s.baseURL + path}}
	if err := s.mailer.Send(ctx, m); err != nil {
		s.log.ErrorContext(ctx, "request mail failed", "template", template, "err", err)
	}
}
