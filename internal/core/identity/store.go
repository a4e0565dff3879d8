package identity

import (
	"context"
	"time"
)

// Store is the storage the identity service needs.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error

	CreatePerson(ctx context.Context, p *Person) error
	FindPersonByID(ctx context.Context, id string) (Person, error)
	FindPersonByEmail(ctx context.Context, email string) (Person, error)
	UpdatePerson(ctx context.Context, p Person) error
	FindPersons(ctx context.Context, f PersonFilter) ([]Person, error)
	AddRole(ctx context.Context, a *RoleAssignment) error
	DeleteRole(ctx context.Context, id string) error

	ReplaceRecoveryCodes(ctx context.Context, personID string, hashes []string) error
	UseRecoveryCode(ctx context.Context, personID, hash string, at time.Time) error
	CountRecoveryCodes(ctx context.Context, personID string) (int, error)

	CreateSession(ctx context.Context, s *Session) error
	FindSessionByTokenHash(ctx context.Context, hash string) (Session, error)
	FindSessions(ctx context.Context, personID string, now time.Time) ([]Session, error)
	UpdateSession(ctx context.Context, s Session) error
	EndSessions(ctx context.Context, personID, exceptID string, at time.Time) error

	CreateAPIToken(ctx context.Context, t *APIToken) error
	FindAPITokenByHash(ctx context.Context, hash string) (APIToken, error)
	FindAPITokens(ctx context.Context, personID string, now time.Time) ([]APIToken, error)
	TouchAPIToken(ctx context.Context, id string, at time.Time) error
	RevokeAPIToken(ctx context.Context, personID, id string, at time.Time) error
	RevokeAPITokens(ctx context.Context, personID string, at time.Time) error

	CreateEmailToken(ctx context.Context, t *EmailToken) error
	FindEmailTokenByHash(ctx context.Context, hash string) (EmailToken, error)
	UseEmailToken(ctx context.Context, id string, at time.Time) error

	CountLoginFailures(ctx context.Context, keyHash string, since time.Time) (int, error)
	AddLoginFailure(ctx context.Context, keyHash string, at time.Time) error
	ClearLoginFailures(ctx context.Context, keyHash string) error
	LockedUntil(ctx context.Context, keyHash string) (time.Time, error)
	Lock(ctx context.Context, keyHash string, until time.Time) error
}

// PersonFilter selects persons.
type PersonFilter struct {
	MunicipalityID string // persons holding a role in this municipality
	StaffOnly      bool   // only persons holding a staff role
	Limit          int
}
