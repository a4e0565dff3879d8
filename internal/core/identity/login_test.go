package identity_test

import (
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestService_Login(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		e := newEnv(t, db)
		woerden := sqltest.Municipality(t, db, "woerden")
		citizen := []identity.RoleAssignment{sqltest.Role(identity.RoleCitizen, woerden)}
		anna := sqltest.Citizen(t, db, woerden, "anna@example.nl")
		dirk := sqltest.Person(t, db, sqltest.PersonSpec{Email: "dirk@example.nl", Disabled: true, Roles: citizen})
		una := sqltest.Person(t, db, sqltest.PersonSpec{Email: "una@example.nl", Unverified: true, Roles: citizen})

		t.Run("Cases", func(t *testing.T) {
			t.Run("OK", func(t *testing.T) {
				t.Parallel()
				// The address is matched as typed by people: any case, spaces around.
				res, err := e.svc.Login(t.Context(), creds("  Anna@Example.NL ", "192.0.2.1"), "Firefox")
				if err != nil {
					t.Fatalf("Login: %v", err)
				}
				if res.Person.ID != anna.ID || res.Session.State != identity.StateActive || res.NeedsEnrolment {
					t.Errorf("Login = person %s, state %s, enrol %v; want %s, active, no enrolment",
						res.Person.Email, res.Session.State, res.NeedsEnrolment, anna.Email)
				}
				if want := e.clock.Now().Add(identity.SessionLifetime); !res.Session.ExpiresAt.Equal(want) {
					t.Errorf("session expires at %v, want %v (8 hours)", res.Session.ExpiresAt, want)
				}
				info, err := e.svc.Authenticate(t.Context(), res.Token)
				if err != nil || info.Person.ID != anna.ID || info.Session.ID != res.Session.ID {
					t.Errorf("Authenticate(new token) = %+v, %v; want Anna's session", info.Session, err)
				}
			})
			tests := []struct {
				name string
				c    identity.Credentials
				want problem
			}{
				{"ErrWrongPassword", identity.Credentials{Email: "anna@example.nl", Password: "Verkeerd-Wachtwoord-1"}, loginFailed},
				// Unknown address and disabled account look the same as a
				// wrong password, so login does not reveal who has an account.
				{"ErrUnknownEmail", creds("niemand@example.nl", ""), loginFailed},
				{"ErrDisabled", creds(dirk.Email, ""), loginFailed},
				{"ErrUnverified", creds(una.Email, ""), problem{Kind: errs.Forbidden, Key: "error.email_unverified"}},
				{"ErrEmpty", identity.Credentials{}, problem{Kind: errs.Invalid, Key: "error.invalid", Fields: map[string]string{
					"email": "field.email.required", "password": "field.password.required"}}},
				{"ErrNotAnEmail", identity.Credentials{Email: "anna", Password: "x"}, problem{Kind: errs.Invalid, Key: "error.invalid", Fields: map[string]string{
					"email": "field.email.invalid"}}},
			}
			for i, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					tc.c.Address = "198.51.100." + string(rune('1'+i))
					res, err := e.svc.Login(t.Context(), tc.c, "Firefox")
					wantProblem(t, err, tc.want)
					if res.Token != "" {
						t.Errorf("a failed login returned a session token")
					}
				})
			}
		})

		// Only the good login made a session.
		for _, p := range []identity.Person{anna, dirk, una} {
			list, err := e.svc.Sessions(t.Context(), p.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			if p.ID == anna.ID {
				want = 1
			}
			if len(list) != want {
				t.Errorf("%s has %d sessions, want %d", p.Email, len(list), want)
			}
		}
	})
}

func TestService_Login_Lockout(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		woerden := sqltest.Municipality(t, db, "woerden")
		anna := sqltest.Citizen(t, db, woerden, "anna@example.nl")
		const address, otherAddress = "192.0.2.1", "198.51.100.7"

		// fail makes MaxFailures-1 failed attempts that are told "login
		// failed", then the one that locks.
		fail := func(t *testing.T, e *env, c identity.Credentials) {
			t.Helper()
			for i := 1; i < identity.MaxFailures; i++ {
				_, err := e.svc.Login(t.Context(), c, "")
				wantProblem(t, err, loginFailed)
			}
			_, err := e.svc.Login(t.Context(), c, "")
			wantProblem(t, err, loginLocked)
		}

		t.Run("KnownEmail", func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, db)
			wrong := identity.Credentials{Email: anna.Email, Password: "Verkeerd-Wachtwoord-1", Address: address}
			fail(t, e, wrong)

			// Locked even with the right password.
			_, err := e.svc.Login(t.Context(), creds(anna.Email, address), "")
			wantProblem(t, err, loginLocked)
			// The lock is per address: Anna elsewhere can still log in.
			if _, err := e.svc.Login(t.Context(), creds(anna.Email, otherAddress), ""); err != nil {
				t.Fatalf("login from another address: %v", err)
			}
			// A success elsewhere does not lift the lock here.
			e.clock.Advance(identity.LockDuration - time.Second)
			_, err = e.svc.Login(t.Context(), creds(anna.Email, address), "")
			wantProblem(t, err, loginLocked)
			// After 15 minutes the lock lifts.
			e.clock.Advance(time.Second)
			if _, err := e.svc.Login(t.Context(), creds(anna.Email, address), ""); err != nil {
				t.Fatalf("login after the lock lifted: %v", err)
			}
		})
		t.Run("UnknownEmail", func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, db)
			// An unknown address is locked in the same way, so the lock
			// does not reveal that the account does not exist.
			fail(t, e, creds("niemand@example.nl", address))
			_, err := e.svc.Login(t.Context(), creds("niemand@example.nl", address), "")
			wantProblem(t, err, loginLocked)
		})
	})
}
