package identity

import (
	"context"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
)

// Registration is a resident's sign-up form.
type Registration struct {
	Email              string
	DisplayName        string
	Password           string
	HomeMunicipalityID string
	Locale             string
}

// Validate checks the form; municipalities are checked by the caller's list.
func (r Registration) Validate() error {
	f := errs.Fields{}
	if k := CheckEmail(NormalizeEmail(r.Email)); k != "" {
		f.Add("email", k)
	}
	if k := CheckName(r.DisplayName); k != "" {
		f.Add("name", k)
	}
	if k := CheckNewPassword(r.Password, NormalizeEmail(r.Email)); k != "" {
		f.Add("password", k)
	}
	if r.HomeMunicipalityID == "" {
		f.Add("municipality", "field.municipality.required")
	}
	return f.Err("identity.Registration")
}

// Register creates a resident account and mails a verification link. When
// the address is taken it behaves the same to the caller and mails the
// owner instead, so registration does not reveal who has an account.
func (s *Service) Register(ctx context.Context, r Registration) error {
	const op = "identity.Register"
	if err := r.Validate(); err != nil {
		return errs.E(op, err)
	}
	if !CheckLocale(r.Locale) {
		r.Locale = "nl"
	}
	email := NormalizeEmail(r.Email)
	existing, err := s.store.FindPersonByEmail(ctx, email)
	if err == nil {
		s.send(ctx, existing, "register_exists", map[string]string{"Link": s.link("/wachtwoord-vergeten")})
		return nil
	} else if !errs.Is(err, errs.NotFound) {
		return errs.E(op, err)
	}
	now := s.clock.Now()
	p := Person{
		ID: id.New(), Email: email, DisplayName: strings.TrimSpace(r.DisplayName), PasswordHash: HashPassword(r.Password),
		HomeMunicipalityID: r.HomeMunicipalityID, Locale: r.Locale, CreatedAt: now, UpdatedAt: now,
		Roles: []RoleAssignment{{Role: RoleCitizen, MunicipalityID: r.HomeMunicipalityID}},
	}
	var tok string
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.createPerson(ctx, &p); err != nil {
			return err
		}
		tok, err = s.newEmailToken(ctx, p.ID, PurposeVerify, VerifyTokenLifetime)
		return err
	})
	if errs.Is(err, errs.Conflict) {
		// Registered by someone else between the look-up and the insert.
		return nil
	}
	if err != nil {
		return errs.E(op, err)
	}
	s.send(ctx, p, "verify_email", map[string]string{"Link": s.link("/e-mail-bevestigen?token=" + tok)})
	return nil
}

func (s *Service) createPerson(ctx context.Context, p *Person) error {
	if err := s.store.CreatePerson(ctx, p); err != nil {
		return err
	}
	for i := range p.Roles {
		p.Roles[i].PersonID = p.ID
		p.Roles[i].ID = id.New()
		p.Roles[i].CreatedAt = p.CreatedAt
		if err := s.store.AddRole(ctx, &p.Roles[i]); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) newEmailToken(ctx context.Context, personID string, purpose EmailPurpose, life time.Duration) (string, error) {
	now := s.clock.Now()
	tok := id.Token()
	t := EmailToken{ID: id.New(), TokenHash: id.Hash(tok), PersonID: personID, Purpose: purpose, CreatedAt: now}
	t.ExpiresAt = now.Add(life)
	if err := s.store.CreateEmailToken(ctx, &t); err != nil {
		return "", err
	}
	return tok, nil
}

// useEmailToken checks and spends a single-use e-mail token.
func (s *Service) useEmailToken(ctx context.Context, op, token string, purposes ...EmailPurpose) (EmailToken, error) {
	t, err := s.store.FindEmailTokenByHash(ctx, id.Hash(strings.TrimSpace(token)))
	if errs.Is(err, errs.NotFound) {
		return EmailToken{}, errs.E(op, errs.NotFound, errs.Key("error.link_invalid"))
	} else if err != nil {
		return EmailToken{}, errs.E(op, err)
	}
	now := s.clock.Now()
	ok := false
	for _, p := range purposes {
		ok = ok || t.Purpose == p
	}
	if !ok || t.UsedAt != nil || !now.Before(t.ExpiresAt) {
		return EmailToken{}, errs.E(op, errs.NotFound, errs.Key("error.link_invalid"))
	}
	if err := s.store.UseEmailToken(ctx, t.ID, now); err != nil {
		// Another request spent it first.
		return EmailToken{}, errs.E(op, errs.NotFound, errs.Key("error.link_invalid"), err)
	}
	return t, nil
}

// VerifyEmail marks the address of the token's person as verified.
func (s *Service) VerifyEmail(ctx context.Context, token string) error {
	const op = "identity.VerifyEmail"
	return s.store.InTx(ctx, func(ctx context.Context) error {
		t, err := s.useEmailToken(ctx, op, token, PurposeVerify)
		if err != nil {
			return err
		}
		p, err := s.store.FindPersonByID(ctx, t.PersonID)
		if err != nil {
			return errs.E(op, err)
		}
		now := s.clock.Now()
		p.EmailVerifiedAt = &now
		p.UpdatedAt = now
		return s.store.UpdatePerson(ctx, p)
	})
}

// RequestPasswordReset mails a reset link when the address has an account,
// and does nothing visible otherwise.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	const op = "identity.RequestPasswordReset"
	email = NormalizeEmail(email)
	if k := CheckEmail(email); k != "" {
		return errs.E(op, errs.Invalid, errs.Fields{"email": k})
	}
	p, err := s.store.FindPersonByEmail(ctx, email)
	if errs.Is(err, errs.NotFound) {
		return nil
	} else if err != nil {
		return errs.E(op, err)
	}
	if p.DisabledAt != nil {
		return nil
	}
	tok, err := s.newEmailToken(ctx, p.ID, PurposeReset, ResetTokenLifetime)
	if err != nil {
		return errs.E(op, err)
	}
	s.send(ctx, p, "password_reset", map[string]string{"Link": s.link("/wachtwoord-herstellen?token=" + tok)})
	return nil
}

// CheckResetToken reports whether a reset or invite link can still be used,
// without spending it, so the form is shown only for a good link.
func (s *Service) CheckResetToken(ctx context.Context, token string) error {
	t, err := s.store.FindEmailTokenByHash(ctx, id.Hash(strings.TrimSpace(token)))
	if err != nil || t.UsedAt != nil || !s.clock.Now().Before(t.ExpiresAt) || (t.Purpose != PurposeReset && t.Purpose != PurposeInvite) {
		return errs.E("identity.CheckResetToken", errs.NotFound, errs.Key("error.link_invalid"))
	}
	return nil
}

// ResetPassword sets a new password through a reset or invite link. It ends
// every session and API token of the person; the second factor stays, so a
// reset never bypasses it. An invite also verifies the address.
func (s *Service) ResetPassword(ctx context.Context, token, password string) error {
	const op = "identity.ResetPassword"
	var p Person
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		t, err := s.useEmailToken(ctx, op, token, PurposeReset, PurposeInvite)
		if err != nil {
			return err
		}
		p, err = s.store.FindPersonByID(ctx, t.PersonID)
		if err != nil {
			return errs.E(op, err)
		}
		if k := CheckNewPassword(password, p.Email); k != "" {
			return errs.E(op, errs.Invalid, errs.Fields{"password": k})
		}
		now := s.clock.Now()
		p.PasswordHash = HashPassword(password)
		if p.EmailVerifiedAt == nil {
			p.EmailVerifiedAt = &now
		}
		p.UpdatedAt = now
		if err := s.store.UpdatePerson(ctx, p); err != nil {
			return errs.E(op, err)
		}
		if err := s.store.EndSessions(ctx, p.ID, "", now); err != nil {
			return errs.E(op, err)
		}
		return s.store.RevokeAPITokens(ctx, p.ID, now)
	})
	if err != nil {
		return err
	}
	s.notify(ctx, p, "password_changed")
	return nil
}

// ChangePassword sets a new password after checking the current one, and
// ends the person's other sessions.
func (s *Service) ChangePassword(ctx context.Context, personID, sessionID, current, next string) error {
	const op = "identity.ChangePassword"
	p, err := s.store.FindPersonByID(ctx, personID)
	if err != nil {
		return errs.E(op, err)
	}
	f := errs.Fields{}
	if current == "" {
		f.Add("current", "field.password.required")
	} else if !CheckPassword(p.PasswordHash, current) {
		f.Add("current", "field.password.wrong")
	}
	if k := CheckNewPassword(next, p.Email); k != "" {
		f.Add("password", k)
	}
	if err := f.Err(op); err != nil {
		return err
	}
	now := s.clock.Now()
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		p.PasswordHash = HashPassword(next)
		p.UpdatedAt = now
		if err := s.store.UpdatePerson(ctx, p); err != nil {
			return err
		}
		return s.store.EndSessions(ctx, p.ID, sessionID, now)
	})
	if err != nil {
		return errs.E(op, err)
	}
	s.notify(ctx, p, "password_changed")
	return nil
}

// Profile is what a person may change about themselves.
type Profile struct {
	DisplayName string
	Locale      string
}

// UpdateProfile changes the person's own name and language.
func (s *Service) UpdateProfile(ctx context.Context, personID string, pr Profile) (Person, error) {
	const op = "identity.UpdateProfile"
	f := errs.Fields{}
	if k := CheckName(pr.DisplayName); k != "" {
		f.Add("name", k)
	}
	if !CheckLocale(pr.Locale) {
		f.Add("locale", "field.locale.invalid")
	}
	if err := f.Err(op); err != nil {
		return Person{}, err
	}
	p, err := s.store.FindPersonByID(ctx, personID)
	if err != nil {
		return Person{}, errs.E(op, err)
	}
	p.DisplayName = strings.TrimSpace(pr.DisplayName)
	p.Locale = pr.Locale
	p.UpdatedAt = s.clock.Now()
	if err := s.store.UpdatePerson(ctx, p); err != nil {
		return Person{}, errs.E(op, err)
	}
	return p, nil
}

// Person returns a person by id, for the person themselves or the layers
// that already checked access.
func (s *Service) Person(ctx context.Context, id string) (Person, error) {
	p, err := s.store.FindPersonByID(ctx, id)
	if err != nil {
		return Person{}, errs.E("identity.Person", err)
	}
	return p, nil
}

func (s *Service) send(ctx context.Context, p Person, template string, data map[string]string) {
	if data == nil {
		data = map[string]string{}
	}
	data["Name"] = p.DisplayName
	if err := s.mailer.Send(ctx, Mail{To: p.Email, Locale: p.Locale, Template: template, Data: data}); err != nil {
		s.log.ErrorContext(ctx, "mail not sent", "template", template, "err", err)
	}
}
