// Package mail sends Inwonercloud's e-mail: over SMTP when configured, and
// into the demo outbox (a page lists it) in demo mode. Texts come from the
// i18n catalogue in the recipient's language; mail never carries personal
// details, only a link to log in and see.
package mail

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/inwonercloud/inwonercloud/internal/config"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/i18n"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
)

// Message is a rendered e-mail.
type Message struct {
	To      string
	Subject string
	Body    string
}

// Transport delivers a rendered message.
type Transport interface {
	Deliver(ctx context.Context, m Message) error
}

// Sender renders templated mail and hands it to its transports.
type Sender struct {
	catalog    *i18n.Catalog
	transports []Transport
}

// NewSender returns a sender that delivers through every transport.
func NewSender(c *i18n.Catalog, transports ...Transport) *Sender {
	return &Sender{catalog: c, transports: transports}
}

// Render turns a templated mail into a message.
func (s *Sender) Render(m identity.Mail) Message {
	return Message{
		To:      m.To,
		Subject: s.catalog.T(m.Locale, "mail."+m.Template+".subject", m.Data),
		Body:    s.catalog.T(m.Locale, "mail."+m.Template+".body", m.Data) + "\n\n-- \nInwonercloud",
	}
}

// Send renders m and delivers it through every transport.
func (s *Sender) Send(ctx context.Context, m identity.Mail) error {
	msg := s.Render(m)
	if len(s.transports) == 0 {
		return fmt.Errorf("mail: no SMTP server configured (INWONERCLOUD_SMTP_HOST)")
	}
	for _, t := range s.transports {
		if err := t.Deliver(ctx, msg); err != nil {
			return err
		}
	}
	return nil
}

// Outbox keeps mail in the database, for the demo's outbox page.
type Outbox struct {
	DB    *sqlstore.DB
	Clock clock.Clock
}

// Deliver stores the message.
func (o Outbox) Deliver(ctx context.Context, m Message) error {
	return o.DB.AddOutboxMail(ctx, sqlstore.OutboxMail{ID: id.New(), To: m.To, Subject: m.Subject, Body: m.Body, CreatedAt: o.Clock.Now()})
}

// SMTP delivers over an SMTP server.
type SMTP struct {
	cfg config.SMTP
	log *slog.Logger
}

// NewSMTP returns an SMTP transport.
func NewSMTP(cfg config.SMTP, log *slog.Logger) *SMTP { return &SMTP{cfg: cfg, log: log} }

// Deliver sends the message.
func (s *SMTP) Deliver(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.cfg.From); err != nil {
		return fmt.Errorf("mail: from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("mail: to: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(15 * time.Second)}
	switch s.cfg.TLS {
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	c, err := gomail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return fmt.Errorf("mail: client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: send: %w", err)
	}
	return nil
}
