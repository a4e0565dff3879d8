package identity

import (
	"context"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
)

// Credentials is what a person types to log in.
type Credentials struct {
	Email    string
	Password string
	Address  string // the client's network address, for throttling
}

// Validate checks the form, not the account.
func (c Credentials) Validate() error {
	f := errs.Fields{}
	if c.Email == "" {
		f.Add("email", "field.email.required")
	} else if k := CheckEmail(NormalizeEmail(c.Email)); k != "" {
		f.Add("email", k)
	}
	if c.Password == "" {
		f.Add("password", "field.password.required")
	} else if len(c.Password) > 4*MaxPasswordLen {
		f.Add("password", "field.password.too_long")
	}
	return f.Err("identity.Credentials")
}

func throttleKey(email, address string) string {
	return id.Hash("login|" + NormalizeEmail(email) + "|" + address)
}

// checkPassword verifies credentials with throttling; it returns the person
// or an error whose message does not reveal whether the account exists.
func (s *Service) checkPassword(ctx context.Context, op string, c Credentials) (Person, error) {
	if err := c.Validate(); err != nil {
		return Person{}, errs.E(op, err)
	}
	now := s.clock.Now()
	key := throttleKey(c.Email, c.Address)
	until, err := s.store.LockedUntil(ctx, key)
	if err != nil {
		return Person{}, errs.E(op, err)
	}
	if now.Before(until) {
		return Person{}, errs.E(op, errs.TooMany, errs.Key("error.login_locked"))
	}
	p, err := s.store.FindPersonByEmail(ctx, NormalizeEmail(c.Email))
	switch {
	case errs.Is(err, errs.NotFound) || err == nil && p.PasswordHash == "":
		// No account, or one still waiting for its invitation to be used:
		// take as long as a real check, so timing does not tell.
		CheckPassword(dummyHash(), c.Password)
	case err != nil:
		return Person{}, errs.E(op, err)
	}
	if err == nil && p.PasswordHash != "" && CheckPassword(p.PasswordHash, c.Password) && p.DisabledAt == nil {
		if err := s.store.ClearLoginFailures(ctx, key); err != nil {
			return Person{}, errs.E(op, err)
		}
		return p, nil
	}
	locked, err := s.countFailure(ctx, key, now)
	if err != nil {
		return Person{}, errs.E(op, err)
	}
	if locked {
		s.log.WarnContext(ctx, "login locked after repeated failures", "key", key[:12])
		return Person{}, errs.E(op, errs.TooMany, errs.Key("error.login_locked"))
	}
	return Person{}, errs.E(op, errs.Unauthorized, errs.Key("error.login_failed"))
}

// LoginResult is the outcome of a correct password.
type LoginResult struct {
	Token   string // the new session's secret, for the cookie
	Session Session
	Person  Person
	// NeedsEnrolment: a staff member without a second factor must set one
	// up before the session becomes active.
	NeedsEnrolment bool
}

// Login checks e-mail and password and starts a session. When the person
// needs a second factor the session is in StateSecondFactor until
// VerifySecondFactor or ConfirmTOTP succeeds.
func (s *Service) Login(ctx context.Context, c Credentials, userAgent string) (LoginResult, error) {
	const op = "identity.Login"
	p, err := s.checkPassword(ctx, op, c)
	if err != nil {
		return LoginResult{}, err
	}
	if p.EmailVerifiedAt == nil {
		return LoginResult{}, errs.E(op, errs.Forbidden, errs.Key("error.email_unverified"))
	}
	state := StateActive
	if p.NeedsSecondFactor() {
		state = StateSecondFactor
	}
	tok, sess, err := s.startSession(ctx, p, state, userAgent)
	if err != nil {
		return LoginResult{}, errs.E(op, err)
	}
	return LoginResult{Token: tok, Session: sess, Person: p, NeedsEnrolment: state == StateSecondFactor && p.TOTPEnabledAt == nil}, nil
}

func (s *Service) startSession(ctx context.Context, p Person, state SessionState, userAgent string) (string, Session, error) {
	now := s.clock.Now()
	tok := id.Token()
	if len(userAgent) > 200 {
		userAgent = userAgent[:200]
	}
	sess := Session{
		ID: id.New(), TokenHash: id.Hash(tok), PersonID: p.ID, State: state,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(p.SessionLifetime()), UserAgent: userAgent, AuthAt: now,
	}
	if err := s.store.CreateSession(ctx, &sess); err != nil {
		return "", Session{}, err
	}
	return tok, sess, nil
}

// SessionInfo is a live session with its person.
type SessionInfo struct {
	Session Session
	Person  Person
}

// Authenticate returns the live session for a cookie token, whatever its
// state, and records the activity (which moves the idle deadline).
func (s *Service) Authenticate(ctx context.Context, token string) (SessionInfo, error) {
	return s.authenticate(ctx, "identity.Authenticate", token, true)
}

// Peek is Authenticate without recording activity, for pages a browser
// opens by itself (the idle warning), which must not keep a session alive.
func (s *Service) Peek(ctx context.Context, token string) (SessionInfo, error) {
	return s.authenticate(ctx, "identity.Peek", token, false)
}

func (s *Service) authenticate(ctx context.Context, op, token string, touch bool) (SessionInfo, error) {
	if token == "" {
		return SessionInfo{}, errs.E(op, errs.Unauthorized)
	}
	sess, err := s.store.FindSessionByTokenHash(ctx, id.Hash(token))
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			return SessionInfo{}, errs.E(op, errs.Unauthorized)
		}
		return SessionInfo{}, errs.E(op, err)
	}
	now := s.clock.Now()
	if !sess.Live(now) {
		return SessionInfo{}, errs.E(op, errs.Unauthorized, errs.Key("error.session_expired"))
	}
	p, err := s.store.FindPersonByID(ctx, sess.PersonID)
	if err != nil {
		return SessionInfo{}, errs.E(op, err)
	}
	if p.DisabledAt != nil {
		return SessionInfo{}, errs.E(op, errs.Unauthorized)
	}
	// Write the activity at most every 10 seconds: the idle deadline needs
	// no finer grain, and the writer is spared a write per request.
	if touch && now.Sub(sess.LastSeenAt) >= 10*time.Second {
		sess.LastSeenAt = now
		if err := s.store.UpdateSession(ctx, sess); err != nil {
			return SessionInfo{}, errs.E(op, err)
		}
	}
	return SessionInfo{Session: sess, Person: p}, nil
}

// Logout ends the session of token; an unknown token is no error.
func (s *Service) Logout(ctx context.Context, token string) error {
	sess, err := s.store.FindSessionByTokenHash(ctx, id.Hash(token))
	if errs.Is(err, errs.NotFound) {
		return nil
	} else if err != nil {
		return errs.E("identity.Logout", err)
	}
	now := s.clock.Now()
	sess.EndedAt = &now
	return s.store.UpdateSession(ctx, sess)
}

// Sessions lists the person's live sessions, newest first.
func (s *Service) Sessions(ctx context.Context, personID string) ([]Session, error) {
	list, err := s.store.FindSessions(ctx, personID, s.clock.Now())
	if err != nil {
		return nil, errs.E("identity.Sessions", err)
	}
	return list, nil
}

// EndSession ends one of the person's own sessions.
func (s *Service) EndSession(ctx context.Context, personID, sessionID string) error {
	const op = "identity.EndSession"
	list, err := s.store.FindSessions(ctx, personID, s.clock.Now())
	if err != nil {
		return errs.E(op, err)
	}
	for _, sess := range list {
		if sess.ID == sessionID {
			now := s.clock.Now()
			sess.EndedAt = &now
			return s.store.UpdateSession(ctx, sess)
		}
	}
	return errs.E(op, errs.NotFound)
}

// EndOtherSessions ends all of the person's sessions but keepID.
func (s *Service) EndOtherSessions(ctx context.Context, personID, keepID string) error {
	return s.store.EndSessions(ctx, personID, keepID, s.clock.Now())
}

// ExtendSession records activity on a live, active session, for the
// "stay logged in" button of the idle warning.
func (s *Service) ExtendSession(ctx context.Context, token string) (Session, error) {
	info, err := s.Authenticate(ctx, token)
	if err != nil {
		return Session{}, err
	}
	info.Session.LastSeenAt = s.clock.Now()
	if err := s.store.UpdateSession(ctx, info.Session); err != nil {
		return Session{}, errs.E("identity.ExtendSession", err)
	}
	return info.Session, nil
}

// countFailure records a failure for a throttling key and locks the key
// for LockDuration once it has MaxFailures within LockWindow. It reports
// whether the key is now locked.
func (s *Service) countFailure(ctx context.Context, key string, now time.Time) (bool, error) {
	var locked bool
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.AddLoginFailure(ctx, key, now); err != nil {
			return err
		}
		n, err := s.store.CountLoginFailures(ctx, key, now.Add(-LockWindow))
		if err != nil {
			return err
		}
		if n >= MaxFailures {
			locked = true
			return s.store.Lock(ctx, key, now.Add(LockDuration))
		}
		return nil
	})
	return locked, err
}

// Reauthenticate checks the person's password again within a session, for
// a sensitive action; the session remembers when. Wrong passwords count
// towards the same lock as logins.
func (s *Service) Reauthenticate(ctx context.Context, token, password, address string) (Session, error) {
	const op = "identity.Reauthenticate"
	info, err := s.Authenticate(ctx, token)
	if err != nil {
		return Session{}, errs.E(op, err)
	}
	if info.Session.State != StateActive {
		return Session{}, errs.E(op, errs.Unauthorized)
	}
	if password == "" {
		return Session{}, errs.E(op, errs.Invalid, errs.Fields{"password": "field.password.required"})
	}
	if _, err := s.checkPassword(ctx, op, Credentials{Email: info.Person.Email, Password: password, Address: address}); err != nil {
		if errs.Is(err, errs.Unauthorized) {
			return Session{}, errs.E(op, errs.Invalid, errs.Fields{"password": "field.password.wrong"})
		}
		return Session{}, err
	}
	info.Session.AuthAt = s.clock.Now()
	if err := s.store.UpdateSession(ctx, info.Session); err != nil {
		return Session{}, errs.E(op, err)
	}
	return info.Session, nil
}

// ActFor switches a session to acting for a resident ("" to act for
// oneself again). Whether a live mandate allows it is checked by the
// consent service on every access, not here; the web layer offers only
// the residents whose mandates the person holds.
func (s *Service) ActFor(ctx context.Context, token, residentID string) (Session, error) {
	const op = "identity.ActFor"
	info, err := s.Authenticate(ctx, token)
	if err != nil {
		return Session{}, errs.E(op, err)
	}
	if info.Session.State != StateActive {
		return Session{}, errs.E(op, errs.Unauthorized)
	}
	if residentID == info.Person.ID {
		residentID = ""
	}
	info.Session.ActingFor = residentID
	if err := s.store.UpdateSession(ctx, info.Session); err != nil {
		return Session{}, errs.E(op, err)
	}
	return info.Session, nil
}
