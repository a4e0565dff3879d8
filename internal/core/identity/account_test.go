package identity_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestService_Register_Invalid(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		e := newEnv(t, db)
		woerden := sqltest.Municipality(t, db, "woerden")
		valid := identity.Registration{
			Email: "nieuw@example.nl", DisplayName: "Nieuwe Inwoner", Password: newPassword,
			HomeMunicipalityID: woerden.ID, Locale: "nl",
		}
		tests := []struct {
			name   string
			change func(r *identity.Registration)
			fields map[string]string
		}{
			{"ErrEmailEmpty", func(r *identity.Registration) { r.Email = "" }, map[string]string{"email": "field.email.required"}},
			{"ErrEmailNoDomain", func(r *identity.Registration) { r.Email = "nieuw@" }, map[string]string{"email": "field.email.invalid"}},
			{"ErrEmailNoDot", func(r *identity.Registration) { r.Email = "nieuw@example" }, map[string]string{"email": "field.email.invalid"}},
			{"ErrEmailWithName", func(r *identity.Registration) { r.Email = "Nieuw <nieuw@example.nl>" }, map[string]string{"email": "field.email.invalid"}},
			{"ErrEmailTooLong", func(r *identity.Registration) { r.Email = strings.Repeat("a", 250) + "@example.nl" }, map[string]string{"email": "field.email.too_long"}},
			{"ErrEmailInvalidUTF8", func(r *identity.Registration) { r.Email = "nieuw\xff@example.nl" }, map[string]string{"email": "field.invalid_text"}},
			{"ErrNameEmpty", func(r *identity.Registration) { r.DisplayName = "   " }, map[string]string{"name": "field.name.required"}},
			{"ErrNameTooLong", func(r *identity.Registration) { r.DisplayName = strings.Repeat("é", identity.MaxNameLen+1) }, map[string]string{"name": "field.name.too_long"}},
			{"ErrNameInvalidUTF8", func(r *identity.Registration) { r.DisplayName = "Anna \xff" }, map[string]string{"name": "field.invalid_text"}},
			{"ErrNameControlCharacter", func(r *identity.Registration) { r.DisplayName = "Anna\x00" }, map[string]string{"name": "field.invalid_text"}},
			{"ErrPasswordEmpty", func(r *identity.Registration) { r.Password = "" }, map[string]string{"password": "field.password.required"}},
			{"ErrPasswordTooShort", func(r *identity.Registration) { r.Password = "Kort-1!" }, map[string]string{"password": "field.password.too_short"}},
			{"ErrPasswordTooLong", func(r *identity.Registration) { r.Password = strings.Repeat("Ab3-", 32) + "x" }, map[string]string{"password": "field.password.too_long"}},
			{"ErrPasswordCommon", func(r *identity.Registration) { r.Password = "wachtwoord" }, map[string]string{"password": "field.password.common"}},
			{"ErrPasswordCommonDecorated", func(r *identity.Registration) { r.Password = "Welkom123!" }, map[string]string{"password": "field.password.common"}},
			{"ErrPasswordIsEmail", func(r *identity.Registration) { r.Password = "Nieuw@Example.nl" }, map[string]string{"password": "field.password.common"}},
			{"ErrPasswordIsEmailAsTyped", func(r *identity.Registration) { r.Email, r.Password = " Nieuw@Example.nl ", "Nieuw-2026!" }, map[string]string{"password": "field.password.common"}},
			{"ErrPasswordOneCharacter", func(r *identity.Registration) { r.Password = "zzzzzzzzzzzz" }, map[string]string{"password": "field.password.common"}},
			{"ErrPasswordIsEmailName", func(r *identity.Registration) { r.Password = "Nieuw-2026!" }, map[string]string{"password": "field.password.common"}},
			{"ErrPasswordInvalidUTF8", func(r *identity.Registration) { r.Password = "Lange-Zomer\xff-7" }, map[string]string{"password": "field.invalid_text"}},
			{"ErrMunicipalityMissing", func(r *identity.Registration) { r.HomeMunicipalityID = "" }, map[string]string{"municipality": "field.municipality.required"}},
			{"ErrEverything", func(r *identity.Registration) { *r = identity.Registration{} }, map[string]string{
				"email": "field.email.required", "name": "field.name.required",
				"password": "field.password.required", "municipality": "field.municipality.required"}},
		}
		t.Run("Cases", func(t *testing.T) {
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					r := valid
					tc.change(&r)
					err := e.svc.Register(t.Context(), r)
					wantProblem(t, err, problem{Kind: errs.Invalid, Key: "error.invalid", Fields: tc.fields})
				})
			}
		})
		// Nothing was stored and nothing was mailed.
		list, err := db.FindPersons(t.Context(), identity.PersonFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 0 {
			t.Errorf("invalid registrations stored %d persons", len(list))
		}
		if n := e.mail.Count(); n != 0 {
			t.Errorf("invalid registrations sent %d mails", n)
		}
	})
}

func TestService_Register(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		e := newEnv(t, db)
		woerden := sqltest.Municipality(t, db, "woerden")
		reg := identity.Registration{
			Email: " Nieuw@Example.NL ", DisplayName: "  Nieuwe Inwoner ", Password: newPassword,
			HomeMunicipalityID: woerden.ID, Locale: "fr", // an unknown language falls back to Dutch
		}
		if err := e.svc.Register(ctx, reg); err != nil {
			t.Fatalf("Register: %v", err)
		}
		const email = "nieuw@example.nl"
		p, err := db.FindPersonByEmail(ctx, email)
		if err != nil {
			t.Fatalf("registered person not stored: %v", err)
		}
		got := struct {
			Name, Home, Locale string
			Verified           bool
			Roles              []identity.RoleAssignment
		}{p.DisplayName, p.HomeMunicipalityID, p.Locale, p.EmailVerifiedAt != nil, p.Roles}
		want := got
		want.Name, want.Home, want.Locale, want.Verified = "Nieuwe Inwoner", woerden.ID, "nl", false
		want.Roles = []identity.RoleAssignment{{Role: identity.RoleCitizen, MunicipalityID: woerden.ID, PersonID: p.ID}}
		if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(identity.RoleAssignment{}, "ID", "CreatedAt")); diff != "" {
			t.Errorf("stored registration (-want +got):\n%s", diff)
		}
		if !strings.HasPrefix(p.PasswordHash, "$argon2id$") || strings.Contains(p.PasswordHash, newPassword) {
			t.Errorf("password stored as %q, want an argon2id hash", p.PasswordHash)
		}

		m := e.lastMail(t, email, "verify_email")
		if m.Data["Name"] != "Nieuwe Inwoner" || m.Locale != "nl" {
			t.Errorf("verification mail data %v in %q, want the name in nl", m.Data, m.Locale)
		}
		token := linkToken(t, m, "/e-mail-bevestigen")

		t.Run("DuplicateMailsOwner", func(t *testing.T) {
			again := reg
			again.Email, again.DisplayName, again.Password = "NIEUW@example.nl", "Iemand Anders", "Ander-Lang-Wachtwoord-9"
			if err := e.svc.Register(ctx, again); err != nil {
				t.Fatalf("Register(taken address) = %v, want nil so it does not reveal the account", err)
			}
			if diff := cmp.Diff([]string{"verify_email", "register_exists"}, e.mail.Templates(email)); diff != "" {
				t.Errorf("mail to the owner (-want +got):\n%s", diff)
			}
			link := e.lastMail(t, email, "register_exists").Data["Link"]
			if link != baseURL+"/wachtwoord-vergeten" {
				t.Errorf("register_exists link = %q, want the forgotten-password page", link)
			}
			list, _ := db.FindPersons(ctx, identity.PersonFilter{})
			if len(list) != 1 || list[0].DisplayName != "Nieuwe Inwoner" {
				t.Errorf("persons after a duplicate registration: %+v, want the first one only", list)
			}
		})
		t.Run("VerifyEmailOnce", func(t *testing.T) {
			if err := e.svc.VerifyEmail(ctx, token); err != nil {
				t.Fatalf("VerifyEmail: %v", err)
			}
			if p := e.person(t, p.ID); p.EmailVerifiedAt == nil || !p.EmailVerifiedAt.Equal(e.clock.Now()) {
				t.Errorf("EmailVerifiedAt = %v, want now", p.EmailVerifiedAt)
			}
			wantProblem(t, e.svc.VerifyEmail(ctx, token), linkInvalid)
			if _, err := e.svc.Login(ctx, identity.Credentials{Email: email, Password: newPassword}, ""); err != nil {
				t.Errorf("login after verification: %v", err)
			}
		})
		t.Run("ErrUnknownLink", func(t *testing.T) {
			wantProblem(t, e.svc.VerifyEmail(ctx, "no-such-token"), linkInvalid)
		})
	})
}

func TestService_VerifyEmail_Expires(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		e := newEnv(t, db)
		woerden := sqltest.Municipality(t, db, "woerden")
		const email = "nieuw@example.nl"
		if err := e.svc.Register(ctx, identity.Registration{Email: email, DisplayName: "Nieuw", Password: newPassword, HomeMunicipalityID: woerden.ID}); err != nil {
			t.Fatalf("Register: %v", err)
		}
		token := linkToken(t, e.lastMail(t, email, "verify_email"), "/e-mail-bevestigen")

		// A password-reset link does not verify an address.
		if err := e.svc.RequestPasswordReset(ctx, email); err != nil {
			t.Fatal(err)
		}
		reset := linkToken(t, e.lastMail(t, email, "password_reset"), "/wachtwoord-herstellen")
		wantProblem(t, e.svc.VerifyEmail(ctx, reset), linkInvalid)

		e.clock.Advance(identity.VerifyTokenLifetime)
		wantProblem(t, e.svc.VerifyEmail(ctx, token), linkInvalid)
		p, err := db.FindPersonByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		if p.EmailVerifiedAt != nil {
			t.Error("an expired link verified the address")
		}
	})
}

func TestService_PasswordReset(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		woerden := sqltest.Municipality(t, db, "woerden")
		bert := sqltest.Staff(t, db, woerden, identity.RoleProfessional, "bert@example.nl")
		anna := sqltest.Citizen(t, db, woerden, "anna@example.nl")
		dirk := sqltest.Person(t, db, sqltest.PersonSpec{Email: "dirk@example.nl", Disabled: true})

		t.Run("NoMailForUnknownOrDisabled", func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, db)
			for _, email := range []string{"niemand@example.nl", dirk.Email} {
				if err := e.svc.RequestPasswordReset(t.Context(), email); err != nil {
					t.Errorf("RequestPasswordReset(%s) = %v, want nil", email, err)
				}
			}
			if n := e.mail.Count(); n != 0 {
				t.Errorf("%d mails sent, want none", n)
			}
			err := e.svc.RequestPasswordReset(t.Context(), "niemand")
			wantProblem(t, err, problem{Kind: errs.Invalid, Fields: map[string]string{"email": "field.email.invalid"}})
		})
		t.Run("Expires", func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, db)
			if err := e.svc.RequestPasswordReset(t.Context(), anna.Email); err != nil {
				t.Fatal(err)
			}
			token := linkToken(t, e.lastMail(t, anna.Email, "password_reset"), "/wachtwoord-herstellen")
			e.clock.Advance(identity.ResetTokenLifetime - time.Second)
			if err := e.svc.CheckResetToken(t.Context(), token); err != nil {
				t.Errorf("CheckResetToken just before the hour: %v", err)
			}
			e.clock.Advance(time.Second)
			wantProblem(t, e.svc.CheckResetToken(t.Context(), token), linkInvalid)
			wantProblem(t, e.svc.ResetPassword(t.Context(), token, newPassword), linkInvalid)
		})
		t.Run("StaffKeepsSecondFactor", func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			e := newEnv(t, db)
			session := e.loginActive(t, bert)
			e.clock.Advance(30 * time.Second) // a code counts once: wait for the next one
			apiToken, _, err := e.svc.IssueToken(ctx, identity.TokenRequest{Credentials: creds(bert.Email, ""), Code: e.code(t, bert.TOTPSecret)})
			if err != nil {
				t.Fatalf("IssueToken: %v", err)
			}

			if err := e.svc.RequestPasswordReset(ctx, " BERT@example.nl"); err != nil {
				t.Fatal(err)
			}
			token := linkToken(t, e.lastMail(t, bert.Email, "password_reset"), "/wachtwoord-herstellen")
			if err := e.svc.CheckResetToken(ctx, token); err != nil {
				t.Fatalf("CheckResetToken: %v", err)
			}
			// A weak password is refused and the link stays usable.
			wantProblem(t, e.svc.ResetPassword(ctx, token, "wachtwoord"),
				problem{Kind: errs.Invalid, Fields: map[string]string{"password": "field.password.common"}})
			if err := e.svc.CheckResetToken(ctx, token); err != nil {
				t.Fatalf("link spent by a refused password: %v", err)
			}

			if err := e.svc.ResetPassword(ctx, token, newPassword); err != nil {
				t.Fatalf("ResetPassword: %v", err)
			}
			e.lastMail(t, bert.Email, "password_changed")
			if e.alive(t, session) {
				t.Error("session survived the password reset")
			}
			if _, _, err := e.svc.AuthenticateToken(ctx, apiToken); !errs.Is(err, errs.Unauthorized) {
				t.Errorf("API token after the password reset: %v, want Unauthorized", err)
			}
			wantProblem(t, e.svc.ResetPassword(ctx, token, "Nog-Een-Ander-Wachtwoord-3"), linkInvalid)

			res, err := e.svc.Login(ctx, identity.Credentials{Email: bert.Email, Password: newPassword}, "")
			if err != nil {
				t.Fatalf("login with the new password: %v", err)
			}
			if res.Session.State != identity.StateSecondFactor || res.NeedsEnrolment {
				t.Errorf("after a reset: state %s, enrol %v; want the existing second factor asked for", res.Session.State, res.NeedsEnrolment)
			}
		})
	})
}

func TestService_ChangePassword(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		e := newEnv(t, db)
		woerden := sqltest.Municipality(t, db, "woerden")
		anna := sqltest.Citizen(t, db, woerden, "anna@example.nl")
		here, there := e.login(t, anna.Email), e.login(t, anna.Email)

		tests := []struct {
			name          string
			current, next string
			fields        map[string]string
		}{
			{"ErrWrongCurrent", "Verkeerd-Wachtwoord-1", newPassword, map[string]string{"current": "field.password.wrong"}},
			{"ErrEmpty", "", "", map[string]string{"current": "field.password.required", "password": "field.password.required"}},
			{"ErrWeakNew", "", "anna1234", map[string]string{"current": "field.password.required", "password": "field.password.common"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				err := e.svc.ChangePassword(ctx, anna.ID, here.Session.ID, tc.current, tc.next)
				wantProblem(t, err, problem{Kind: errs.Invalid, Key: "error.invalid", Fields: tc.fields})
			})
		}
		if !e.alive(t, there.Token) || e.person(t, anna.ID).PasswordHash != anna.PasswordHash {
			t.Fatal("a refused change ended sessions or changed the password")
		}

		if err := e.svc.ChangePassword(ctx, anna.ID, here.Session.ID, sqltest.Password, newPassword); err != nil {
			t.Fatalf("ChangePassword: %v", err)
		}
		if !e.alive(t, here.Token) {
			t.Error("the session that changed the password ended")
		}
		if e.alive(t, there.Token) {
			t.Error("another session survived the password change")
		}
		if p := e.person(t, anna.ID); !identity.CheckPassword(p.PasswordHash, newPassword) {
			t.Error("the new password does not match the stored hash")
		}
		e.lastMail(t, anna.Email, "password_changed")
	})
}
