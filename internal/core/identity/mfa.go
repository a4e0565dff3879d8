package identity

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
)

// RecoveryCodeCount is how many one-time recovery codes a person gets.
const RecoveryCodeCount = 10

const totpIssuer = "Inwonercloud"

// totpPeriod is the length of a TOTP step.
const totpPeriod = 30

// matchTOTP checks a six-digit code against secret, allowing one step of
// clock drift either way, and returns the step it matched.
func matchTOTP(secret, code string, now time.Time) (int64, bool) {
	if len(code) != 6 {
		return 0, false
	}
	step := now.Unix() / totpPeriod
	for _, off := range []int64{0, -1, 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix((step+off)*totpPeriod, 0), totp.ValidateOpts{
			Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1,
		})
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step + off, true
		}
	}
	return 0, false
}

// TOTPCode returns the current code for secret; the demo and tests use it.
func TOTPCode(secret string, now time.Time) (string, error) {
	return totp.GenerateCode(secret, now)
}

// NormalizeCode removes spaces and dashes that people type in codes.
func NormalizeCode(s string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "", "\u00a0", "").Replace(strings.TrimSpace(s)))
}

// VerifySecondFactor checks a TOTP or recovery code for a session waiting
// for it. On success the session becomes active under a new token (the
// old one stops working). Too many wrong codes lock the person's second
// factor for a while and end the session.
func (s *Service) VerifySecondFactor(ctx context.Context, token, code string) (string, Session, error) {
	const op = "identity.VerifySecondFactor"
	sess, p, err := s.pendingSession(ctx, op, token)
	if err != nil {
		return "", Session{}, err
	}
	if p.TOTPEnabledAt == nil {
		return "", Session{}, errs.E(op, errs.Forbidden, errs.Key("error.mfa_enrol_required"))
	}
	if err := s.checkCode(ctx, op, p, code, true); err != nil {
		if errs.Is(err, errs.TooMany) {
			now := s.clock.Now()
			sess.EndedAt = &now
			if uerr := s.store.UpdateSession(ctx, sess); uerr != nil {
				return "", Session{}, errs.E(op, uerr)
			}
		}
		return "", Session{}, err
	}
	return s.activate(ctx, op, sess)
}

// checkCode checks a second-factor code for a person: a TOTP code not used
// before, or (when allowed) an unused recovery code. Wrong codes count per
// person, whichever session or API call sends them, so a stolen password
// does not buy endless guesses: after MaxFailures within LockWindow the
// second factor is locked for LockDuration.
func (s *Service) checkCode(ctx context.Context, op string, p Person, code string, recovery bool) error {
	code = NormalizeCode(code)
	if code == "" {
		return errs.E(op, errs.Invalid, errs.Fields{"code": "field.code.required"})
	}
	now := s.clock.Now()
	key := id.Hash("code|" + p.ID)
	until, err := s.store.LockedUntil(ctx, key)
	if err != nil {
		return errs.E(op, err)
	}
	if now.Before(until) {
		return errs.E(op, errs.TooMany, errs.Key("error.code_locked"))
	}
	ok := false
	if step, match := matchTOTP(p.TOTPSecret, code, now); match && step > p.TOTPLastStep {
		p.TOTPLastStep = step
		if err := s.store.UpdatePerson(ctx, p); err != nil {
			return errs.E(op, err)
		}
		ok = true
	} else if recovery && len(code) == 10 {
		err := s.store.UseRecoveryCode(ctx, p.ID, id.Hash("recovery|"+code), now)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return errs.E(op, err)
		}
		ok = err == nil
	}
	if ok {
		if err := s.store.ClearLoginFailures(ctx, key); err != nil {
			return errs.E(op, err)
		}
		return nil
	}
	locked, err := s.countFailure(ctx, key, now)
	if err != nil {
		return errs.E(op, err)
	}
	if locked {
		return errs.E(op, errs.TooMany, errs.Key("error.code_locked"))
	}
	return errs.E(op, errs.Invalid, errs.Fields{"code": "field.code.wrong"})
}

func (s *Service) pendingSession(ctx context.Context, op, token string) (Session, Person, error) {
	info, err := s.Authenticate(ctx, token)
	if err != nil {
		return Session{}, Person{}, errs.E(op, err)
	}
	if info.Session.State != StateSecondFactor {
		return Session{}, Person{}, errs.E(op, errs.Conflict, errs.Key("error.already_logged_in"))
	}
	return info.Session, info.Person, nil
}

// activate replaces a pending session with an active one under a new token.
func (s *Service) activate(ctx context.Context, op string, old Session) (string, Session, error) {
	p, err := s.store.FindPersonByID(ctx, old.PersonID)
	if err != nil {
		return "", Session{}, errs.E(op, err)
	}
	var tok string
	var sess Session
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		now := s.clock.Now()
		old.EndedAt = &now
		if err := s.store.UpdateSession(ctx, old); err != nil {
			return err
		}
		var err error
		tok, sess, err = s.startSession(ctx, p, StateActive, old.UserAgent)
		if err != nil {
			return err
		}
		// The absolute lifetime counts from the password, not the code.
		sess.ExpiresAt = old.ExpiresAt
		return s.store.UpdateSession(ctx, sess)
	})
	if err != nil {
		return "", Session{}, errs.E(op, err)
	}
	return tok, sess, nil
}

// TOTPSetup is a new, not yet confirmed authenticator secret.
type TOTPSetup struct {
	Secret string // base32, for typing into an app
	URL    string // otpauth:// URL, for a QR code
}

// BeginTOTP creates a new secret for the person; it takes effect only when
// ConfirmTOTP gets a valid code for it. A person who already has a second
// factor must remove it first (or an admin resets it).
func (s *Service) BeginTOTP(ctx context.Context, personID string) (TOTPSetup, error) {
	const op = "identity.BeginTOTP"
	p, err := s.store.FindPersonByID(ctx, personID)
	if err != nil {
		return TOTPSetup{}, errs.E(op, err)
	}
	if p.TOTPEnabledAt != nil {
		return TOTPSetup{}, errs.E(op, errs.Conflict, errs.Key("error.mfa_already_on"))
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: p.Email, Rand: rand.Reader})
	if err != nil {
		return TOTPSetup{}, errs.E(op, err)
	}
	p.TOTPSecret = key.Secret()
	p.UpdatedAt = s.clock.Now()
	if err := s.store.UpdatePerson(ctx, p); err != nil {
		return TOTPSetup{}, errs.E(op, err)
	}
	return TOTPSetup{Secret: key.Secret(), URL: key.URL()}, nil
}

// PendingTOTP returns the unconfirmed setup of the person, if any.
func (s *Service) PendingTOTP(ctx context.Context, personID string) (TOTPSetup, error) {
	p, err := s.store.FindPersonByID(ctx, personID)
	if err != nil {
		return TOTPSetup{}, errs.E("identity.PendingTOTP", err)
	}
	if p.TOTPSecret == "" || p.TOTPEnabledAt != nil {
		return TOTPSetup{}, errs.E("identity.PendingTOTP", errs.NotFound)
	}
	key, err := otp.NewKeyFromURL("otpauth://totp/" + totpIssuer + ":" + p.Email + "?secret=" + p.TOTPSecret + "&issuer=" + totpIssuer)
	if err != nil {
		return TOTPSetup{}, errs.E("identity.PendingTOTP", err)
	}
	return TOTPSetup{Secret: p.TOTPSecret, URL: key.URL()}, nil
}

// ConfirmTOTP turns the second factor on when code matches the pending
// secret, and returns fresh recovery codes (shown once). When token names
// a session waiting for its second factor, that session becomes active
// under a new token, which is returned.
func (s *Service) ConfirmTOTP(ctx context.Context, personID, token, code string) ([]string, string, error) {
	const op = "identity.ConfirmTOTP"
	p, err := s.store.FindPersonByID(ctx, personID)
	if err != nil {
		return nil, "", errs.E(op, err)
	}
	if p.TOTPSecret == "" || p.TOTPEnabledAt != nil {
		return nil, "", errs.E(op, errs.Conflict, errs.Key("error.mfa_no_pending"))
	}
	code = NormalizeCode(code)
	if code == "" {
		return nil, "", errs.E(op, errs.Invalid, errs.Fields{"code": "field.code.required"})
	}
	now := s.clock.Now()
	step, ok := matchTOTP(p.TOTPSecret, code, now)
	if !ok {
		return nil, "", errs.E(op, errs.Invalid, errs.Fields{"code": "field.code.wrong"})
	}
	codes := make([]string, RecoveryCodeCount)
	hashes := make([]string, RecoveryCodeCount)
	for i := range codes {
		codes[i] = id.Token()[:10]
		hashes[i] = id.Hash("recovery|" + codes[i])
	}
	var newToken string
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		p.TOTPEnabledAt = &now
		p.TOTPLastStep = step
		p.UpdatedAt = now
		if err := s.store.UpdatePerson(ctx, p); err != nil {
			return err
		}
		if err := s.store.ReplaceRecoveryCodes(ctx, p.ID, hashes); err != nil {
			return err
		}
		if token == "" {
			return nil
		}
		sess, err := s.store.FindSessionByTokenHash(ctx, id.Hash(token))
		if err != nil {
			return err
		}
		if sess.PersonID == p.ID && sess.State == StateSecondFactor && sess.Live(now) {
			newToken, _, err = s.activate(ctx, op, sess)
		}
		return err
	})
	if err != nil {
		return nil, "", errs.E(op, err)
	}
	s.notify(ctx, p, "mfa_changed")
	return codes, newToken, nil
}

// DisableTOTP turns a resident's second factor off after checking the
// password. Staff cannot: their role requires it.
func (s *Service) DisableTOTP(ctx context.Context, personID, password string) error {
	const op = "identity.DisableTOTP"
	p, err := s.store.FindPersonByID(ctx, personID)
	if err != nil {
		return errs.E(op, err)
	}
	if p.IsStaff() {
		return errs.E(op, errs.Forbidden, errs.Key("error.mfa_required_staff"))
	}
	if !CheckPassword(p.PasswordHash, password) {
		return errs.E(op, errs.Invalid, errs.Fields{"password": "field.password.wrong"})
	}
	if err := s.resetMFA(ctx, p); err != nil {
		return errs.E(op, err)
	}
	s.notify(ctx, p, "mfa_changed")
	return nil
}

// ResetMFA removes a person's second factor (an administrator's task, for a
// lost phone); a staff member then sets a new one up at the next login. All
// sessions and API tokens of the person end.
func (s *Service) ResetMFA(ctx context.Context, email string) error {
	const op = "identity.ResetMFA"
	p, err := s.store.FindPersonByEmail(ctx, NormalizeEmail(email))
	if err != nil {
		return errs.E(op, err)
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.resetMFA(ctx, p); err != nil {
			return err
		}
		now := s.clock.Now()
		if err := s.store.EndSessions(ctx, p.ID, "", now); err != nil {
			return err
		}
		return s.store.RevokeAPITokens(ctx, p.ID, now)
	})
	if err != nil {
		return errs.E(op, err)
	}
	s.notify(ctx, p, "mfa_changed")
	return nil
}

func (s *Service) resetMFA(ctx context.Context, p Person) error {
	return s.store.InTx(ctx, func(ctx context.Context) error {
		p.TOTPSecret = ""
		p.TOTPEnabledAt = nil
		p.TOTPLastStep = 0
		p.UpdatedAt = s.clock.Now()
		if err := s.store.UpdatePerson(ctx, p); err != nil {
			return err
		}
		return s.store.ReplaceRecoveryCodes(ctx, p.ID, nil)
	})
}

// RecoveryCodesLeft counts the person's unused recovery codes.
func (s *Service) RecoveryCodesLeft(ctx context.Context, personID string) (int, error) {
	return s.store.CountRecoveryCodes(ctx, personID)
}

// notify tells the person about a change to their account; a failure to
// send is logged, not returned, as the change itself has happened.
func (s *Service) notify(ctx context.Context, p Person, template string) {
	err := s.mailer.Send(ctx, Mail{To: p.Email, Locale: p.Locale, Template: template,
		Data: map[string]string{"Name": p.DisplayName, "Link": s.link("/account")}})
	if err != nil {
		s.log.ErrorContext(ctx, "account notification not sent", "template", template, "err", err)
	}
}
