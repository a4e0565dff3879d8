package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

const sessionCols = `id, token_hash, person_id, state, created_at, last_seen_at, expires_at, user_agent, ended_at, acting_for, auth_at`

func scanSession(sc interface{ Scan(...any) error }) (identity.Session, error) {
	var s identity.Session
	var created, seen, expires int64
	var ended sql.NullInt64
	var authAt int64
	err := sc.Scan(&s.ID, &s.TokenHash, &s.PersonID, &s.State, &created, &seen, &expires, &s.UserAgent, &ended, &s.ActingFor, &authAt)
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.EndedAt = fromMS(created), fromMS(seen), fromMS(expires), fromNullMS(ended)
	if authAt > 0 {
		s.AuthAt = fromMS(authAt)
	}
	return s, err
}

// CreateSession inserts a session.
func (db *DB) CreateSession(ctx context.Context, s *identity.Session) error {
	return db.exec(ctx, "sqlstore.CreateSession", false, `INSERT INTO sessions (`+sessionCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		s.ID, s.TokenHash, s.PersonID, string(s.State), ms(s.CreatedAt), ms(s.LastSeenAt), ms(s.ExpiresAt), s.UserAgent, nullMS(s.EndedAt),
		s.ActingFor, msOrZero(s.AuthAt))
}

// FindSessionByTokenHash returns the session with this token hash.
func (db *DB) FindSessionByTokenHash(ctx context.Context, hash string) (identity.Session, error) {
	s, err := scanSession(db.r(ctx).QueryRowContext(ctx, `SELECT `+sessionCols+` FROM sessions WHERE token_hash = $1`, hash))
	return s, db.wrap("sqlstore.FindSessionByTokenHash", err)
}

// FindSessions lists a person's sessions that are live at now, newest first.
func (db *DB) FindSessions(ctx context.Context, personID string, now time.Time) ([]identity.Session, error) {
	const op = "sqlstore.FindSessions"
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT `+sessionCols+` FROM sessions
		WHERE person_id = $1 AND ended_at IS NULL AND expires_at > $2 AND last_seen_at > $3
		ORDER BY last_seen_at DESC, id`, personID, ms(now), ms(now.Add(-identity.IdleTimeout)))
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []identity.Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, db.wrap(op, err)
		}
		list = append(list, s)
	}
	return list, db.wrap(op, rows.Err())
}

// UpdateSession writes a session's state and times.
func (db *DB) UpdateSession(ctx context.Context, s identity.Session) error {
	return db.exec(ctx, "sqlstore.UpdateSession", true, `UPDATE sessions SET state = $2, last_seen_at = $3,
		expires_at = $4, ended_at = $5, acting_for = $6, auth_at = $7 WHERE id = $1`,
		s.ID, string(s.State), ms(s.LastSeenAt), ms(s.ExpiresAt), nullMS(s.EndedAt), s.ActingFor, msOrZero(s.AuthAt))
}

// EndSessions ends all open sessions of a person except exceptID.
func (db *DB) EndSessions(ctx context.Context, personID, exceptID string, at time.Time) error {
	return db.exec(ctx, "sqlstore.EndSessions", false, `UPDATE sessions SET ended_at = $3
		WHERE person_id = $1 AND id <> $2 AND ended_at IS NULL`, personID, exceptID, ms(at))
}

const tokenCols = `id, token_hash, person_id, name, created_at, expires_at, last_used_at, revoked_at`

func scanToken(sc interface{ Scan(...any) error }) (identity.APIToken, error) {
	var t identity.APIToken
	var created, expires int64
	var used, revoked sql.NullInt64
	err := sc.Scan(&t.ID, &t.TokenHash, &t.PersonID, &t.Name, &created, &expires, &used, &revoked)
	t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt = fromMS(created), fromMS(expires), fromNullMS(used), fromNullMS(revoked)
	return t, err
}

// CreateAPIToken inserts a token.
func (db *DB) CreateAPIToken(ctx context.Context, t *identity.APIToken) error {
	return db.exec(ctx, "sqlstore.CreateAPIToken", false, `INSERT INTO api_tokens (`+tokenCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		t.ID, t.TokenHash, t.PersonID, t.Name, ms(t.CreatedAt), ms(t.ExpiresAt), nullMS(t.LastUsedAt), nullMS(t.RevokedAt))
}

// FindAPITokenByHash returns the token with this hash.
func (db *DB) FindAPITokenByHash(ctx context.Context, hash string) (identity.APIToken, error) {
	t, err := scanToken(db.r(ctx).QueryRowContext(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE token_hash = $1`, hash))
	return t, db.wrap("sqlstore.FindAPITokenByHash", err)
}

// FindAPITokens lists a person's live tokens, newest first.
func (db *DB) FindAPITokens(ctx context.Context, personID string, now time.Time) ([]identity.APIToken, error) {
	const op = "sqlstore.FindAPITokens"
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT `+tokenCols+` FROM api_tokens
		WHERE person_id = $1 AND revoked_at IS NULL AND expires_at > $2 ORDER BY created_at DESC, id`, personID, ms(now))
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []identity.APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, db.wrap(op, err)
		}
		list = append(list, t)
	}
	return list, db.wrap(op, rows.Err())
}

// TouchAPIToken records the token's last use.
func (db *DB) TouchAPIToken(ctx context.Context, id string, at time.Time) error {
	return db.exec(ctx, "sqlstore.TouchAPIToken", true, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, id, ms(at))
}

// RevokeAPIToken revokes one live token of a person.
func (db *DB) RevokeAPIToken(ctx context.Context, personID, id string, at time.Time) error {
	return db.exec(ctx, "sqlstore.RevokeAPIToken", true, `UPDATE api_tokens SET revoked_at = $3
		WHERE id = $1 AND person_id = $2 AND revoked_at IS NULL`, id, personID, ms(at))
}

// RevokeAPITokens revokes all live tokens of a person.
func (db *DB) RevokeAPITokens(ctx context.Context, personID string, at time.Time) error {
	return db.exec(ctx, "sqlstore.RevokeAPITokens", false, `UPDATE api_tokens SET revoked_at = $2
		WHERE person_id = $1 AND revoked_at IS NULL`, personID, ms(at))
}

// CreateEmailToken inserts a single-use e-mail token.
func (db *DB) CreateEmailToken(ctx context.Context, t *identity.EmailToken) error {
	return db.exec(ctx, "sqlstore.CreateEmailToken", false, `INSERT INTO email_tokens
		(id, token_hash, person_id, purpose, created_at, expires_at, used_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		t.ID, t.TokenHash, t.PersonID, string(t.Purpose), ms(t.CreatedAt), ms(t.ExpiresAt), nullMS(t.UsedAt))
}

// FindEmailTokenByHash returns the e-mail token with this hash.
func (db *DB) FindEmailTokenByHash(ctx context.Context, hash string) (identity.EmailToken, error) {
	var t identity.EmailToken
	var created, expires int64
	var used sql.NullInt64
	err := db.r(ctx).QueryRowContext(ctx, `SELECT id, token_hash, person_id, purpose, created_at, expires_at, used_at
		FROM email_tokens WHERE token_hash = $1`, hash).Scan(&t.ID, &t.TokenHash, &t.PersonID, &t.Purpose, &created, &expires, &used)
	t.CreatedAt, t.ExpiresAt, t.UsedAt = fromMS(created), fromMS(expires), fromNullMS(used)
	return t, db.wrap("sqlstore.FindEmailTokenByHash", err)
}

// UseEmailToken marks a token used; NotFound when it was already used.
func (db *DB) UseEmailToken(ctx context.Context, id string, at time.Time) error {
	return db.exec(ctx, "sqlstore.UseEmailToken", true, `UPDATE email_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL`, id, ms(at))
}

// ReplaceRecoveryCodes replaces a person's recovery codes by new hashes.
func (db *DB) ReplaceRecoveryCodes(ctx context.Context, personID string, hashes []string) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		if err := db.exec(ctx, "sqlstore.ReplaceRecoveryCodes", false, `DELETE FROM recovery_codes WHERE person_id = $1`, personID); err != nil {
			return err
		}
		for _, h := range hashes {
			if err := db.exec(ctx, "sqlstore.ReplaceRecoveryCodes", false,
				`INSERT INTO recovery_codes (id, person_id, code_hash) VALUES ($1, $2, $3)`, id.New(), personID, h); err != nil {
				return err
			}
		}
		return nil
	})
}

// UseRecoveryCode spends an unused recovery code; NotFound when there is none.
func (db *DB) UseRecoveryCode(ctx context.Context, personID, hash string, at time.Time) error {
	return db.exec(ctx, "sqlstore.UseRecoveryCode", true, `UPDATE recovery_codes SET used_at = $3
		WHERE id = (SELECT id FROM recovery_codes WHERE person_id = $1 AND code_hash = $2 AND used_at IS NULL LIMIT 1)`,
		personID, hash, ms(at))
}

// CountRecoveryCodes counts a person's unused recovery codes.
func (db *DB) CountRecoveryCodes(ctx context.Context, personID string) (int, error) {
	var n int
	err := db.r(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE person_id = $1 AND used_at IS NULL`, personID).Scan(&n)
	return n, db.wrap("sqlstore.CountRecoveryCodes", err)
}

// CountLoginFailures counts failures for a key since a time.
func (db *DB) CountLoginFailures(ctx context.Context, keyHash string, since time.Time) (int, error) {
	var n int
	err := db.r(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM login_failures WHERE key_hash = $1 AND at > $2`, keyHash, ms(since)).Scan(&n)
	return n, db.wrap("sqlstore.CountLoginFailures", err)
}

// AddLoginFailure records a failure for a key.
func (db *DB) AddLoginFailure(ctx context.Context, keyHash string, at time.Time) error {
	return db.exec(ctx, "sqlstore.AddLoginFailure", false, `INSERT INTO login_failures (id, key_hash, at) VALUES ($1, $2, $3)`,
		id.New(), keyHash, ms(at))
}

// ClearLoginFailures forgets the failures of a key after a success.
func (db *DB) ClearLoginFailures(ctx context.Context, keyHash string) error {
	return db.exec(ctx, "sqlstore.ClearLoginFailures", false, `DELETE FROM login_failures WHERE key_hash = $1`, keyHash)
}

// LockedUntil returns until when a key is locked; the zero time if it is not.
func (db *DB) LockedUntil(ctx context.Context, keyHash string) (time.Time, error) {
	var until int64
	err := db.r(ctx).QueryRowContext(ctx, `SELECT locked_until FROM login_locks WHERE key_hash = $1`, keyHash).Scan(&until)
	if err == sql.ErrNoRows {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, db.wrap("sqlstore.LockedUntil", err)
	}
	return fromMS(until), nil
}

// Lock locks a key until a time.
func (db *DB) Lock(ctx context.Context, keyHash string, until time.Time) error {
	return db.exec(ctx, "sqlstore.Lock", false, `INSERT INTO login_locks (key_hash, locked_until) VALUES ($1, $2)
		ON CONFLICT (key_hash) DO UPDATE SET locked_until = excluded.locked_until`, keyHash, ms(until))
}

var _ identity.Store = (*DB)(nil)
