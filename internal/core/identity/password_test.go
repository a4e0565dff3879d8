package identity_test

import (
	"strings"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestCheckNewPassword(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, pw, want string
	}{
		{"OK", newPassword, ""},
		{"OKShortest", "Vlinder7", ""},
		{"OKLongest", strings.Repeat("Ab3-", 32), ""},
		{"OKCountsCharactersNotBytes", "ëëëë-ïï7", ""},
		{"ErrEmpty", "", "field.password.required"},
		{"ErrTooShort", "Vlinde7", "field.password.too_short"},
		{"ErrTooShortInBytesLong", "ëëëëëëë", "field.password.too_short"},
		{"ErrTooLong", strings.Repeat("Ab3-", 32) + "x", "field.password.too_long"},
		{"ErrCommon", "wachtwoord", "field.password.common"},
		{"ErrCommonAnyCase", "WachtWoord", "field.password.common"},
		{"ErrCommonDecorated", "Welkom123!", "field.password.common"},
		{"ErrCommonYear", "Wachtwoord2024!", "field.password.common"},
		{"ErrOneCharacter", "xxxxxxxxxx", "field.password.common"},
		{"ErrEmail", "annabel@example.nl", "field.password.common"},
		{"ErrEmailName", "Annabel2026!", "field.password.common"},
		{"OKEmailNameInsideMore", "2026-Annabel-Zomer", ""},
		{"ErrInvalidUTF8", "Vlinder7\xff", "field.invalid_text"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := identity.CheckNewPassword(tc.pw, "annabel@example.nl"); got != tc.want {
				t.Errorf("CheckNewPassword(%q) = %q, want %q", tc.pw, got, tc.want)
			}
		})
	}
}

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	// A hash with the production parameters (64 MiB, 3 passes), and the
	// cheap one the fixtures use: CheckPassword reads the parameters from
	// the hash.
	hash := identity.HashPassword(newPassword)
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("HashPassword = %q, want argon2id with 64 MiB, 3 passes, 2 lanes", hash)
	}
	if other := identity.HashPassword(newPassword); other == hash {
		t.Error("two hashes of one password are equal: no fresh salt")
	}
	kit := sqltest.PasswordHash()
	tests := []struct {
		name, hash, pw string
		want           bool
	}{
		{"OK", hash, newPassword, true},
		{"ErrWrong", hash, newPassword + "x", false},
		{"OKFixture", kit, sqltest.Password, true},
		{"ErrWrongFixture", kit, sqltest.Password + "x", false},
		{"ErrEmptyHash", "", sqltest.Password, false},
		{"ErrNotArgon2id", strings.Replace(hash, "argon2id", "argon2i", 1), newPassword, false},
		{"ErrGarbled", hash[:len(hash)-10], newPassword, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := identity.CheckPassword(tc.hash, tc.pw); got != tc.want {
				t.Errorf("CheckPassword = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSession_Live(t *testing.T) {
	t.Parallel()
	start := sqltest.Epoch
	s := identity.Session{LastSeenAt: start.Add(time.Hour), ExpiresAt: start.Add(identity.SessionLifetime)}
	ended := s
	ended.EndedAt = &start
	tests := []struct {
		name string
		s    identity.Session
		now  time.Time
		want bool
	}{
		{"Fresh", s, s.LastSeenAt, true},
		{"AlmostIdle", s, s.LastSeenAt.Add(identity.IdleTimeout - time.Millisecond), true},
		{"Idle", s, s.LastSeenAt.Add(identity.IdleTimeout), false},
		{"Expired", identity.Session{LastSeenAt: s.ExpiresAt.Add(-time.Minute), ExpiresAt: s.ExpiresAt}, s.ExpiresAt, false},
		{"Ended", ended, s.LastSeenAt, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.s.Live(tc.now); got != tc.want {
				t.Errorf("Live = %v, want %v", got, tc.want)
			}
		})
	}
	// The idle deadline never lies beyond the absolute end.
	late := identity.Session{LastSeenAt: s.ExpiresAt.Add(-time.Minute), ExpiresAt: s.ExpiresAt}
	if got := late.IdleDeadline(); !got.Equal(s.ExpiresAt) {
		t.Errorf("IdleDeadline near the end = %v, want %v", got, s.ExpiresAt)
	}
	if got := s.IdleDeadline(); !got.Equal(s.LastSeenAt.Add(identity.IdleTimeout)) {
		t.Errorf("IdleDeadline = %v, want 15 minutes after the last activity", got)
	}
}

func TestRole(t *testing.T) {
	t.Parallel()
	tests := []struct {
		role                identity.Role
		valid, staff, admin bool
	}{
		{identity.RoleCitizen, true, false, false},
		{identity.RoleDelegate, true, false, false},
		{identity.RoleProfessional, true, true, false},
		{identity.RoleConsultant, true, true, false},
		{identity.RoleProviderAdmin, true, true, false},
		{identity.RoleEditor, true, true, false},
		{identity.RoleModerator, true, true, false},
		{identity.RoleTenantAdmin, true, true, true},
		{identity.RolePlatformAdmin, true, true, true},
		{"boss", false, false, false},
	}
	for _, tc := range tests {
		t.Run(string(tc.role), func(t *testing.T) {
			if tc.role.Valid() != tc.valid || tc.role.Staff() != tc.staff || tc.role.Admin() != tc.admin {
				t.Errorf("%s: valid %v staff %v admin %v; want %v %v %v", tc.role,
					tc.role.Valid(), tc.role.Staff(), tc.role.Admin(), tc.valid, tc.staff, tc.admin)
			}
		})
	}
}
