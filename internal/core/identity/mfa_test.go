package identity_test

import (
	"strings"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestService_StaffEnrolment(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		e := newEnv(t, db)
		woerden := sqltest.Municipality(t, db, "woerden")
		bert := sqltest.Person(t, db, sqltest.PersonSpec{Email: "bert@example.nl",
			Roles: []identity.RoleAssignment{sqltest.Role(identity.RoleProfessional, woerden)}})

		res := e.login(t, bert.Email)
		if res.Session.State != identity.StateSecondFactor || !res.NeedsEnrolment {
			t.Fatalf("staff login without a second factor: state %s, enrol %v; want second_factor, enrol", res.Session.State, res.NeedsEnrolment)
		}
		// The pending session is known, for the enrolment pages, but not active.
		if info, err := e.svc.Authenticate(ctx, res.Token); err != nil || info.Session.State != identity.StateSecondFactor {
			t.Fatalf("Authenticate(pending) = %s, %v; want second_factor", info.Session.State, err)
		}
		_, _, err := e.svc.VerifySecondFactor(ctx, res.Token, "123456")
		wantProblem(t, err, problem{Kind: errs.Forbidden, Key: "error.mfa_enrol_required"})
		_, _, err = e.svc.ConfirmTOTP(ctx, bert.ID, res.Token, "123456")
		wantProblem(t, err, problem{Kind: errs.Conflict, Key: "error.mfa_no_pending"})

		// Setting up the app takes a while; the session's lifetime still
		// counts from the password.
		e.clock.Advance(2 * time.Minute)
		setup, err := e.svc.BeginTOTP(ctx, bert.ID)
		if err != nil {
			t.Fatalf("BeginTOTP: %v", err)
		}
		if setup.Secret == "" || !strings.HasPrefix(setup.URL, "otpauth://totp/") || !strings.Contains(setup.URL, "secret="+setup.Secret) {
			t.Errorf("BeginTOTP = %+v, want a secret and its otpauth URL", setup)
		}
		if pending, err := e.svc.PendingTOTP(ctx, bert.ID); err != nil || pending.Secret != setup.Secret {
			t.Errorf("PendingTOTP = %+v, %v; want the secret just made", pending, err)
		}

		_, _, err = e.svc.ConfirmTOTP(ctx, bert.ID, res.Token, e.wrongCode(t, setup.Secret))
		wantProblem(t, err, codeWrong)
		if p := e.person(t, bert.ID); p.TOTPEnabledAt != nil {
			t.Fatal("a wrong code turned the second factor on")
		}

		codes, token, err := e.svc.ConfirmTOTP(ctx, bert.ID, res.Token, e.code(t, setup.Secret))
		if err != nil {
			t.Fatalf("ConfirmTOTP: %v", err)
		}
		if len(codes) != 10 {
			t.Errorf("got %d recovery codes, want 10", len(codes))
		}
		seen := map[string]bool{}
		for _, c := range codes {
			if len(c) != 10 || seen[c] {
				t.Errorf("recovery code %q is not a fresh 10-character code (codes %v)", c, codes)
			}
			seen[c] = true
		}
		if token == "" || token == res.Token {
			t.Fatalf("ConfirmTOTP returned token %q, want a new one", token)
		}
		if e.alive(t, res.Token) {
			t.Error("the pre-enrolment token still authenticates")
		}
		info, err := e.svc.Authenticate(ctx, token)
		if err != nil || info.Session.State != identity.StateActive {
			t.Fatalf("Authenticate(new token) = %s, %v; want active", info.Session.State, err)
		}
		// The absolute lifetime still counts from the password.
		if !info.Session.ExpiresAt.Equal(res.Session.ExpiresAt) {
			t.Errorf("active session expires at %v, want %v", info.Session.ExpiresAt, res.Session.ExpiresAt)
		}
		if n, err := e.svc.RecoveryCodesLeft(ctx, bert.ID); err != nil || n != 10 {
			t.Errorf("RecoveryCodesLeft = %d, %v; want 10", n, err)
		}
		e.lastMail(t, bert.Email, "mfa_changed")
		_, err = e.svc.BeginTOTP(ctx, bert.ID)
		wantProblem(t, err, problem{Kind: errs.Conflict, Key: "error.mfa_already_on"})

		t.Run("RecoveryCodeOnce", func(t *testing.T) {
			// Typed the way people type: upper case, a dash, spaces.
			typed := " " + strings.ToUpper(codes[0][:5]) + "-" + codes[0][5:] + " "
			second := e.login(t, bert.Email)
			if second.NeedsEnrolment {
				t.Fatal("enrolled staff member asked to enrol again")
			}
			if _, _, err := e.svc.VerifySecondFactor(ctx, second.Token, typed); err != nil {
				t.Fatalf("VerifySecondFactor(recovery code): %v", err)
			}
			if n, _ := e.svc.RecoveryCodesLeft(ctx, bert.ID); n != 9 {
				t.Errorf("RecoveryCodesLeft after one use = %d, want 9", n)
			}
			third := e.login(t, bert.Email)
			_, _, err := e.svc.VerifySecondFactor(ctx, third.Token, codes[0])
			wantProblem(t, err, codeWrong)
			if _, _, err := e.svc.VerifySecondFactor(ctx, third.Token, codes[1]); err != nil {
				t.Fatalf("VerifySecondFactor(another recovery code): %v", err)
			}
		})
	})
}

func TestService_VerifySecondFactor(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		e := newEnv(t, db)
		woerden := sqltest.Municipality(t, db, "woerden")

		t.Run("OK", func(t *testing.T) {
			t.Parallel()
			// Wrong codes count per person: each case has its own.
			bert := sqltest.Staff(t, db, woerden, identity.RoleProfessional, "ok@example.nl")
			res := e.login(t, bert.Email)
			if res.Session.State != identity.StateSecondFactor || res.NeedsEnrolment {
				t.Fatalf("login: state %s, enrol %v; want second_factor without enrolment", res.Session.State, res.NeedsEnrolment)
			}
			token, sess, err := e.svc.VerifySecondFactor(t.Context(), res.Token, e.code(t, bert.TOTPSecret))
			if err != nil {
				t.Fatalf("VerifySecondFactor: %v", err)
			}
			if token == res.Token || sess.State != identity.StateActive || sess.ID == res.Session.ID {
				t.Errorf("VerifySecondFactor gave session %+v under token change %v; want a new active session under a new token", sess, token != res.Token)
			}
			if e.alive(t, res.Token) {
				t.Error("the token from before the second factor still authenticates")
			}
			if !e.alive(t, token) {
				t.Error("the new token does not authenticate")
			}
			_, _, err = e.svc.VerifySecondFactor(t.Context(), token, e.code(t, bert.TOTPSecret))
			wantProblem(t, err, problem{Kind: errs.Conflict, Key: "error.already_logged_in"})
		})
		t.Run("ErrWrongCode", func(t *testing.T) {
			t.Parallel()
			// Wrong codes count per person: each case has its own.
			bert := sqltest.Staff(t, db, woerden, identity.RoleProfessional, "errwrongcode@example.nl")
			res := e.login(t, bert.Email)
			_, _, err := e.svc.VerifySecondFactor(t.Context(), res.Token, e.wrongCode(t, bert.TOTPSecret))
			wantProblem(t, err, codeWrong)
			_, _, err = e.svc.VerifySecondFactor(t.Context(), res.Token, "  ")
			wantProblem(t, err, problem{Kind: errs.Invalid, Fields: map[string]string{"code": "field.code.required"}})
			// A typo is not fatal: the session still waits for the code.
			if _, _, err := e.svc.VerifySecondFactor(t.Context(), res.Token, e.code(t, bert.TOTPSecret)); err != nil {
				t.Fatalf("VerifySecondFactor after a typo: %v", err)
			}
		})
		t.Run("ErrTooManyWrongCodes", func(t *testing.T) {
			t.Parallel()
			// Wrong codes count per person: each case has its own.
			bert := sqltest.Staff(t, db, woerden, identity.RoleProfessional, "errtoomanywrongcodes@example.nl")
			res := e.login(t, bert.Email)
			wrong := e.wrongCode(t, bert.TOTPSecret)
			for i := 1; i < identity.MaxFailures; i++ {
				_, _, err := e.svc.VerifySecondFactor(t.Context(), res.Token, wrong)
				wantProblem(t, err, codeWrong)
			}
			_, _, err := e.svc.VerifySecondFactor(t.Context(), res.Token, wrong)
			wantProblem(t, err, problem{Kind: errs.TooMany, Key: "error.code_locked"})
			// The session has ended: even the right code does not help now.
			_, _, err = e.svc.VerifySecondFactor(t.Context(), res.Token, e.code(t, bert.TOTPSecret))
			if !errs.Is(err, errs.Unauthorized) {
				t.Errorf("right code after the lock-out: %v, want Unauthorized", err)
			}
			if e.alive(t, res.Token) {
				t.Error("session still alive after too many wrong codes")
			}
		})
		t.Run("ErrCodeReused", func(t *testing.T) {
			t.Parallel()
			bert := sqltest.Staff(t, db, woerden, identity.RoleProfessional, "reuse@example.nl")
			code := e.code(t, bert.TOTPSecret)
			first := e.login(t, bert.Email)
			if _, _, err := e.svc.VerifySecondFactor(t.Context(), first.Token, code); err != nil {
				t.Fatalf("first use of the code: %v", err)
			}
			// Someone who saw the code (over a shoulder, in a phishing page)
			// cannot use it again, not even within its 30 seconds.
			second := e.login(t, bert.Email)
			_, _, err := e.svc.VerifySecondFactor(t.Context(), second.Token, code)
			wantProblem(t, err, codeWrong)
			_, _, err = e.svc.IssueToken(t.Context(), identity.TokenRequest{
				Credentials: identity.Credentials{Email: bert.Email, Password: sqltest.Password, Address: "192.0.2.7"}, Code: code})
			if !errs.Is(err, errs.Unauthorized) {
				t.Errorf("IssueToken with a used code = %v, want Unauthorized", err)
			}
		})
		t.Run("ErrLockedAcrossSessionsAndAPI", func(t *testing.T) {
			t.Parallel()
			bert := sqltest.Staff(t, db, woerden, identity.RoleProfessional, "lock@example.nl")
			wrong := e.wrongCode(t, bert.TOTPSecret)
			// Wrong codes spread over new sessions and API calls still add up.
			for i := 1; i < identity.MaxFailures; i++ {
				if i%2 == 0 {
					_, _, err := e.svc.IssueToken(t.Context(), identity.TokenRequest{
						Credentials: identity.Credentials{Email: bert.Email, Password: sqltest.Password, Address: "192.0.2.8"}, Code: wrong})
					if !errs.Is(err, errs.Unauthorized) {
						t.Fatalf("attempt %d via the API = %v, want Unauthorized", i, err)
					}
					continue
				}
				res := e.login(t, bert.Email)
				_, _, err := e.svc.VerifySecondFactor(t.Context(), res.Token, wrong)
				wantProblem(t, err, codeWrong)
			}
			res := e.login(t, bert.Email)
			_, _, err := e.svc.VerifySecondFactor(t.Context(), res.Token, wrong)
			wantProblem(t, err, problem{Kind: errs.TooMany, Key: "error.code_locked"})
			// Locked: a new session with the right code is refused too.
			res = e.login(t, bert.Email)
			_, _, err = e.svc.VerifySecondFactor(t.Context(), res.Token, e.code(t, bert.TOTPSecret))
			wantProblem(t, err, problem{Kind: errs.TooMany, Key: "error.code_locked"})
		})
	})
}

func TestService_ResetMFA(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		e := newEnv(t, db)
		woerden := sqltest.Municipality(t, db, "woerden")
		bert := sqltest.Staff(t, db, woerden, identity.RoleProfessional, "bert@example.nl")
		token := e.loginActive(t, bert)

		if err := e.svc.ResetMFA(ctx, " Bert@Example.nl"); err != nil {
			t.Fatalf("ResetMFA: %v", err)
		}
		if p := e.person(t, bert.ID); p.TOTPSecret != "" || p.TOTPEnabledAt != nil {
			t.Errorf("after ResetMFA the second factor is still there: secret %q, enabled %v", p.TOTPSecret, p.TOTPEnabledAt)
		}
		if e.alive(t, token) {
			t.Error("session survived ResetMFA")
		}
		e.lastMail(t, bert.Email, "mfa_changed")
		// At the next login the staff member must set up a new factor.
		if res := e.login(t, bert.Email); !res.NeedsEnrolment {
			t.Error("after ResetMFA the login does not ask for enrolment")
		}

		t.Run("ErrUnknownEmail", func(t *testing.T) {
			err := e.svc.ResetMFA(ctx, "niemand@example.nl")
			if !errs.Is(err, errs.NotFound) {
				t.Errorf("ResetMFA(unknown) = %v, want NotFound", err)
			}
		})
		t.Run("ErrStaffCannotDisable", func(t *testing.T) {
			err := e.svc.DisableTOTP(ctx, bert.ID, sqltest.Password)
			wantProblem(t, err, problem{Kind: errs.Forbidden, Key: "error.mfa_required_staff"})
		})
	})
}
