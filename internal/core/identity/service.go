package identity

import (
	"context"
	"log/slog"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/inwonercloud/inwonercloud/internal/core/clock"
)

// Mailer sends a templated e-mail in the recipient's language. Mail never
// carries personal details beyond the person's own name.
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}

// Mail is one e-mail to send: the template names the text, Data fills it in.
type Mail struct {
	To       string
	Locale   string
	Template string
	Data     map[string]string
}

// Service is the identity service: accounts, login, second factors,
// sessions and tokens.
type Service struct {
	store   Store
	clock   clock.Clock
	mailer  Mailer
	baseURL string
	log     *slog.Logger
}

// NewService returns an identity service. baseURL prefixes the links in mail.
func NewService(store Store, clk clock.Clock, mailer Mailer, baseURL string, log *slog.Logger) *Service {
	return &Service{store: store, clock: clk, mailer: mailer, baseURL: strings.TrimSuffix(baseURL, "/"), log: log}
}

// Limits on text fields.
const (
	MaxEmailLen = 254
	MaxNameLen  = 100
)

// NormalizeEmail trims and lower-cases an address. Text that is not valid
// UTF-8 is only trimmed: lower-casing would turn the bad bytes into U+FFFD,
// which CheckEmail would then accept instead of reporting.
func NormalizeEmail(s string) string {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return s
	}
	return strings.ToLower(s)
}

// CheckEmail returns the message key of what is wrong with an address, or "".
func CheckEmail(s string) string {
	switch {
	case s == "":
		return "field.email.required"
	case !utf8.ValidString(s):
		return "field.invalid_text"
	case len(s) > MaxEmailLen:
		return "field.email.too_long"
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return "field.email.invalid"
	}
	return ""
}

// CheckName returns the message key of what is wrong with a display name, or "".
func CheckName(s string) string {
	switch {
	case strings.TrimSpace(s) == "":
		return "field.name.required"
	case !utf8.ValidString(s):
		return "field.invalid_text"
	case utf8.RuneCountInString(s) > MaxNameLen:
		return "field.name.too_long"
	case strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return "field.invalid_text"
	}
	return ""
}

// CheckLocale reports whether l is a supported language.
func CheckLocale(l string) bool { return l == "nl" || l == "en" }

func (s *Service) link(path string) string { return s.baseURL + path }
