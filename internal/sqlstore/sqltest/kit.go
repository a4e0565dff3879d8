package sqltest

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
)

// Epoch is the time at which the kit's records are made. Tests that use the
// kit give their services clock.NewFake(Epoch).
var Epoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Password is the password of every person the kit makes.
const Password = "Zonnebloem-Veldweg-42"

// Cost parameters of the fixtures' password hash.
const (
	kitArgonMemory = 1024 // KiB
	kitArgonTime   = 1
	kitArgonLanes  = 1
)

// passwordHash is an argon2id hash of Password in the PHC format that
// identity.CheckPassword reads, made once per test binary with low cost
// parameters (1 MiB, one pass). Every login of a fixture still checks a
// real argon2id hash, at a few milliseconds instead of 100 ms and 64 MiB;
// the production parameters are exercised wherever the service hashes a
// password itself (registration, reset, change).
var passwordHash = sync.OnceValue(func() string {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		panic(err)
	}
	key := argon2.IDKey([]byte(Password), salt, kitArgonTime, kitArgonMemory, kitArgonLanes, 32)
	b64 := base64.RawStdEncoding.EncodeToString
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, kitArgonMemory, kitArgonTime, kitArgonLanes, b64(salt), b64(key))
})

// PasswordHash returns the argon2id hash of Password that the kit's
// persons have.
func PasswordHash() string { return passwordHash() }

// Municipality stores a municipality with this slug (its name is the slug
// with a capital) and returns it.
func Municipality(tb testing.TB, db *sqlstore.DB, slug string) tenant.Municipality {
	tb.Helper()
	m := tenant.Municipality{
		ID: id.New(), Slug: slug, Name: strings.ToUpper(slug[:1]) + slug[1:], Theme: "default", CreatedAt: Epoch,
	}
	if err := db.CreateMunicipality(context.Background(), &m); err != nil {
		tb.Fatalf("kit: create municipality %q: %v", slug, err)
	}
	return m
}

// Role returns an assignment of role r in municipality m (none for an
// empty m.ID), to pass in PersonSpec.Roles.
func Role(r identity.Role, m tenant.Municipality) identity.RoleAssignment {
	return identity.RoleAssignment{Role: r, MunicipalityID: m.ID}
}

// PersonSpec describes a person for Person. The zero value (with an Email)
// is a verified account with Password, no roles and no second factor.
type PersonSpec struct {
	Email      string
	Name       string // default: the part of Email before the @
	Home       string // home municipality id
	Roles      []identity.RoleAssignment
	Unverified bool // e-mail address not yet verified
	Disabled   bool
	TOTP       bool // a confirmed authenticator; its secret is in the returned Person.TOTPSecret
	NoPassword bool // invited, no password set yet
}

// Person stores a person as spec says, with their roles, and returns it as
// the store reads it back.
func Person(tb testing.TB, db *sqlstore.DB, spec PersonSpec) identity.Person {
	tb.Helper()
	ctx := context.Background()
	at := Epoch
	p := identity.Person{
		ID: id.New(), Email: identity.NormalizeEmail(spec.Email), DisplayName: spec.Name,
		HomeMunicipalityID: spec.Home, Locale: "nl", CreatedAt: Epoch, UpdatedAt: Epoch,
	}
	if p.DisplayName == "" {
		p.DisplayName, _, _ = strings.Cut(p.Email, "@")
	}
	if !spec.NoPassword {
		p.PasswordHash = PasswordHash()
	}
	if !spec.Unverified {
		p.EmailVerifiedAt = &at
	}
	if spec.Disabled {
		p.DisabledAt = &at
	}
	if spec.TOTP {
		p.TOTPSecret = NewTOTPSecret()
		p.TOTPEnabledAt = &at
	}
	if err := db.CreatePerson(ctx, &p); err != nil {
		tb.Fatalf("kit: create person %q: %v", spec.Email, err)
	}
	for _, r := range spec.Roles {
		r.ID, r.PersonID, r.CreatedAt = id.New(), p.ID, Epoch
		if err := db.AddRole(ctx, &r); err != nil {
			tb.Fatalf("kit: give %q role %s: %v", spec.Email, r.Role, err)
		}
	}
	got, err := db.FindPersonByID(ctx, p.ID)
	if err != nil {
		tb.Fatalf("kit: read person %q back: %v", spec.Email, err)
	}
	return got
}

// Citizen stores a verified resident of m.
func Citizen(tb testing.TB, db *sqlstore.DB, m tenant.Municipality, email string) identity.Person {
	tb.Helper()
	return Person(tb, db, PersonSpec{Email: email, Home: m.ID, Roles: []identity.RoleAssignment{Role(identity.RoleCitizen, m)}})
}

// Staff stores a verified staff member holding role in m, with a confirmed
// authenticator (see Person.TOTPSecret).
func Staff(tb testing.TB, db *sqlstore.DB, m tenant.Municipality, role identity.Role, email string) identity.Person {
	tb.Helper()
	return Person(tb, db, PersonSpec{Email: email, Roles: []identity.RoleAssignment{Role(role, m)}, TOTP: true})
}

// NewTOTPSecret returns a random authenticator secret (160 bits, base32).
func NewTOTPSecret() string {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

// Organisation stores a provider organisation working in the given
// municipalities and returns it.
func Organisation(tb testing.TB, db *sqlstore.DB, name string, in ...tenant.Municipality) tenant.Organisation {
	tb.Helper()
	o := tenant.Organisation{ID: id.New(), Name: name, Kind: tenant.OrgProvider, CreatedAt: Epoch}
	for _, m := range in {
		o.MunicipalityIDs = append(o.MunicipalityIDs, m.ID)
	}
	if err := db.CreateOrganisation(context.Background(), &o); err != nil {
		tb.Fatalf("kit: create organisation %q: %v", name, err)
	}
	return o
}
