package budget

import (
	"context"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// The mail templates (mail.<template>.subject and .body). They say only
// that something is new and where to log in: no amounts, no names.
const (
	MailDecisionTemplate = "budget_decision" // to the resident: a decision on their budget
	MailResidentTemplate = "budget_resident" // to the resident: an agreement or claim waits for them
	MailProviderTemplate = "budget_provider" // to the provider's admins: an agreement or claim was decided
)

// notifyResident mails the resident. A failed mail does not undo the
// change; it is logged without personal data.
func (s *Service) notifyResident(ctx context.Context, residentID, path, template string) {
	if s.mailer == nil {
		return
	}
	p, err := s.store.FindPersonByID(ctx, residentID)
	if err != nil {
		s.log.ErrorContext(ctx, "budget mail: resident", "err", err)
		return
	}
	s.send(ctx, p, template, path)
}

// notifyProvider mails the admins of a provider organisation.
func (s *Service) notifyProvider(ctx context.Context, orgID, path string) {
	if s.mailer == nil {
		return
	}
	admins, err := s.store.FindProviderAdmins(ctx, orgID)
	if err != nil {
		s.log.ErrorContext(ctx, "budget mail: provider admins", "err", err)
		return
	}
	for _, p := range admins {
		s.send(ctx, p, MailProviderTemplate, path)
	}
}

func (s *Service) send(ctx context.Context, p identity.Person, template, path string) {
	if p.Email == "" || p.DisabledAt != nil {
		return
	}
	m := identity.Mail{To: p.Email, Locale: p.Locale, Template: template, Data: map[string]string{"Link": s.baseURL + path}}
	if err := s.mailer.Send(ctx, m); err != nil {
		s.log.ErrorContext(ctx, "budget mail failed", "template", template, "err", err)
	}
}
