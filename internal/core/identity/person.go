package identity

import (
	"slices"
	"time"
)

// Role is what a person may do in the context of an organisation and a
// municipality (DESIGN.md §2).
type Role string

// The roles.
const (
	RoleCitizen       Role = "citizen"
	RoleDelegate      Role = "delegate"
	RoleProfessional  Role = "professional"
	RoleConsultant    Role = "consultant"
	RoleProviderAdmin Role = "provider_admin"
	RoleEditor        Role = "editor"
	RoleModerator     Role = "moderator"
	RoleTenantAdmin   Role = "tenant_admin"
	RolePlatformAdmin Role = "platform_admin"
)

// Roles lists every role in the order of DESIGN.md §2.
var Roles = []Role{
	RoleCitizen, RoleDelegate, RoleProfessional, RoleConsultant, RoleProviderAdmin,
	RoleEditor, RoleModerator, RoleTenantAdmin, RolePlatformAdmin,
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Staff reports whether r is a staff role, which needs a second factor.
func (r Role) Staff() bool { return r.Valid() && r != RoleCitizen && r != RoleDelegate }

// Admin reports whether r is an admin role, whose sessions last at most an hour.
func (r Role) Admin() bool { return r == RoleTenantAdmin || r == RolePlatformAdmin }

// ScopedToMunicipality reports whether the role is held for one municipality.
func (r Role) ScopedToMunicipality() bool {
	return r != RolePlatformAdmin && r != RoleCitizen && r != RoleDelegate
}

// RoleAssignment is a role a person holds, in the context of an
// organisation and a municipality (either may be empty where the role
// does not need it).
type RoleAssignment struct {
	ID             string
	PersonID       string
	Role           Role
	OrganisationID string
	MunicipalityID string
	CreatedAt      time.Time
}

// Person is someone with an account. Residents are platform-wide persons
// with a home municipality; staff hold roles per municipality.
type Person struct {
	ID                 string
	Email              string
	DisplayName        string
	PasswordHash       string
	HomeMunicipalityID string
	Locale             string
	EmailVerifiedAt    *time.Time
	TOTPSecret         string
	TOTPEnabledAt      *time.Time
	TOTPLastStep       int64 // the 30-second step of the last accepted code; a code is never accepted twice
	DisabledAt         *time.Time
	CreatedAt          time.Time
	UpdatedAt          time.Time
	Roles              []RoleAssignment
}

// Has reports whether the person holds role r anywhere.
func (p Person) Has(r Role) bool {
	return slices.ContainsFunc(p.Roles, func(a RoleAssignment) bool { return a.Role == r })
}

// HasIn reports whether the person holds role r in municipality m.
func (p Person) HasIn(r Role, municipalityID string) bool {
	return slices.ContainsFunc(p.Roles, func(a RoleAssignment) bool {
		return a.Role == r && a.MunicipalityID == municipalityID
	})
}

// IsStaff reports whether the person holds any staff role.
func (p Person) IsStaff() bool {
	return slices.ContainsFunc(p.Roles, func(a RoleAssignment) bool { return a.Role.Staff() })
}

// IsAdmin reports whether the person holds an admin role.
func (p Person) IsAdmin() bool {
	return slices.ContainsFunc(p.Roles, func(a RoleAssignment) bool { return a.Role.Admin() })
}

// NeedsSecondFactor reports whether logging in takes a second factor:
// always for staff, and for residents who turned it on.
func (p Person) NeedsSecondFactor() bool { return p.IsStaff() || p.TOTPEnabledAt != nil }

// SessionLifetime is the absolute lifetime of the person's sessions.
func (p Person) SessionLifetime() time.Duration {
	if p.IsAdmin() {
		return AdminSessionLifetime
	}
	return SessionLifetime
}

// Session and token lifetimes.
const (
	IdleTimeout          = 15 * time.Minute
	IdleWarning          = 2 * time.Minute
	SessionLifetime      = 8 * time.Hour
	AdminSessionLifetime = time.Hour
	ResetTokenLifetime   = time.Hour
	VerifyTokenLifetime  = 48 * time.Hour
	InviteTokenLifetime  = 72 * time.Hour
	CitizenTokenLifetime = 30 * 24 * time.Hour
	StaffTokenLifetime   = 8 * time.Hour
	LockWindow           = 15 * time.Minute
	LockDuration         = 15 * time.Minute
	MaxFailures          = 5
)

// SessionState tells how far a login has come.
type SessionState string

// The session states.
const (
	// StateSecondFactor: the password was right; the second factor (or its
	// enrolment, for staff without one) is still due.
	StateSecondFactor SessionState = "second_factor"
	// StateActive: the person is logged in.
	StateActive SessionState = "active"
)

// Session is a server-side login session; the browser holds only its token.
type Session struct {
	ID         string
	TokenHash  string
	PersonID   string
	State      SessionState
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	UserAgent  string
	EndedAt    *time.Time
	// ActingFor is the resident a delegate acts for in this session ("":
	// for themselves); the mandate is checked on every access.
	ActingFor string
	// AuthAt is when the password was last entered in this session, for
	// the step-up check before sensitive actions.
	AuthAt time.Time
}

// StepUpAge is how old the last password entry may be before a sensitive
// action (granting consent, export, erasure) asks for it again.
const StepUpAge = 5 * time.Minute

// FreshAuth reports whether the password was entered within StepUpAge.
func (s Session) FreshAuth(now time.Time) bool {
	return !s.AuthAt.IsZero() && now.Sub(s.AuthAt) <= StepUpAge
}

// IdleDeadline is when the session ends if nothing happens.
func (s Session) IdleDeadline() time.Time {
	d := s.LastSeenAt.Add(IdleTimeout)
	if s.ExpiresAt.Before(d) {
		return s.ExpiresAt
	}
	return d
}

// Live reports whether the session may still be used at now.
func (s Session) Live(now time.Time) bool {
	return s.EndedAt == nil && now.Before(s.ExpiresAt) && now.Before(s.LastSeenAt.Add(IdleTimeout))
}

// APIToken is a bearer token for the JSON API.
type APIToken struct {
	ID         string
	TokenHash  string
	PersonID   string
	Name       string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// Live reports whether the token may still be used at now.
func (t APIToken) Live(now time.Time) bool { return t.RevokedAt == nil && now.Before(t.ExpiresAt) }

// EmailPurpose says what an e-mailed link is for.
type EmailPurpose string

// The e-mail link purposes.
const (
	PurposeVerify EmailPurpose = "verify"
	PurposeReset  EmailPurpose = "reset"
	PurposeInvite EmailPurpose = "invite"
)

// EmailToken is a single-use link sent by e-mail.
type EmailToken struct {
	ID        string
	TokenHash string
	PersonID  string
	Purpose   EmailPurpose
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}
