package identity

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
)

// TokenRequest asks for an API token with the person's credentials.
type TokenRequest struct {
	Credentials
	Code string // the TOTP code, required when the person needs a second factor
	Name string // a label the person recognises, e.g. "Budget-app"
}

// IssueToken checks credentials (and the second factor) and returns a new
// bearer token. The secret is returned once; only its hash is kept.
func (s *Service) IssueToken(ctx context.Context, r TokenRequest) (string, APIToken, error) {
	const op = "identity.IssueToken"
	if !utf8.ValidString(r.Name) {
		return "", APIToken{}, errs.E(op, errs.Invalid, errs.Fields{"name": "field.invalid_text"})
	}
	if utf8.RuneCountInString(r.Name) > MaxNameLen {
		return "", APIToken{}, errs.E(op, errs.Invalid, errs.Fields{"name": "field.name.too_long"})
	}
	p, err := s.checkPassword(ctx, op, r.Credentials)
	if err != nil {
		return "", APIToken{}, err
	}
	if p.EmailVerifiedAt == nil {
		return "", APIToken{}, errs.E(op, errs.Forbidden, errs.Key("error.email_unverified"))
	}
	if p.NeedsSecondFactor() {
		if p.TOTPEnabledAt == nil {
			return "", APIToken{}, errs.E(op, errs.Forbidden, errs.Key("error.mfa_enrol_required"))
		}
		// Recovery codes are for a lost phone at the login page, not for API clients.
		if err := s.checkCode(ctx, op, p, r.Code, false); err != nil {
			if errs.Is(err, errs.Invalid) {
				key := "error.code_wrong"
				if NormalizeCode(r.Code) == "" {
					key = "error.code_required"
				}
				return "", APIToken{}, errs.E(op, errs.Unauthorized, errs.Key(key), err)
			}
			return "", APIToken{}, err
		}
	}
	now := s.clock.Now()
	name := strings.TrimSpace(r.Name)
	if name == "" {
		name = "API"
	}
	life := CitizenTokenLifetime
	if p.IsStaff() {
		life = StaffTokenLifetime
	}
	tok := id.Token()
	t := APIToken{ID: id.New(), TokenHash: id.Hash(tok), PersonID: p.ID, Name: name, CreatedAt: now, ExpiresAt: now.Add(life)}
	if err := s.store.CreateAPIToken(ctx, &t); err != nil {
		return "", APIToken{}, errs.E(op, err)
	}
	return tok, t, nil
}

// AuthenticateToken returns the person behind a live bearer token.
func (s *Service) AuthenticateToken(ctx context.Context, token string) (Person, APIToken, error) {
	const op = "identity.AuthenticateToken"
	if token == "" {
		return Person{}, APIToken{}, errs.E(op, errs.Unauthorized)
	}
	t, err := s.store.FindAPITokenByHash(ctx, id.Hash(token))
	if errs.Is(err, errs.NotFound) {
		return Person{}, APIToken{}, errs.E(op, errs.Unauthorized)
	} else if err != nil {
		return Person{}, APIToken{}, errs.E(op, err)
	}
	now := s.clock.Now()
	if !t.Live(now) {
		return Person{}, APIToken{}, errs.E(op, errs.Unauthorized)
	}
	p, err := s.store.FindPersonByID(ctx, t.PersonID)
	if err != nil {
		return Person{}, APIToken{}, errs.E(op, err)
	}
	if p.DisabledAt != nil {
		return Person{}, APIToken{}, errs.E(op, errs.Unauthorized)
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > LockWindow/15 {
		if err := s.store.TouchAPIToken(ctx, t.ID, now); err != nil {
			return Person{}, APIToken{}, errs.E(op, err)
		}
	}
	return p, t, nil
}

// Tokens lists the person's live API tokens.
func (s *Service) Tokens(ctx context.Context, personID string) ([]APIToken, error) {
	list, err := s.store.FindAPITokens(ctx, personID, s.clock.Now())
	if err != nil {
		return nil, errs.E("identity.Tokens", err)
	}
	return list, nil
}

// RevokeToken revokes one of the person's own tokens.
func (s *Service) RevokeToken(ctx context.Context, personID, tokenID string) error {
	if err := s.store.RevokeAPIToken(ctx, personID, tokenID, s.clock.Now()); err != nil {
		return errs.E("identity.RevokeToken", err)
	}
	return nil
}
