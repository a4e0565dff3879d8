package identity_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestService_IssueToken(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		e := newEnv(t, db)
		woerden := sqltest.Municipality(t, db, "woerden")
		anna := sqltest.Citizen(t, db, woerden, "anna@example.nl")
		bert := sqltest.Staff(t, db, woerden, identity.RoleProfessional, "bert@example.nl")
		newbie := sqltest.Person(t, db, sqltest.PersonSpec{Email: "nieuw@example.nl",
			Roles: []identity.RoleAssignment{sqltest.Role(identity.RoleConsultant, woerden)}})

		t.Run("Resident", func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			secret, tok, err := e.svc.IssueToken(ctx, identity.TokenRequest{Credentials: creds(anna.Email, ""), Name: "  Budget-app "})
			if err != nil {
				t.Fatalf("IssueToken: %v", err)
			}
			if tok.Name != "Budget-app" || !tok.ExpiresAt.Equal(e.clock.Now().Add(identity.CitizenTokenLifetime)) {
				t.Errorf("token %q expires %v; want Budget-app, in 30 days", tok.Name, tok.ExpiresAt)
			}
			p, used, err := e.svc.AuthenticateToken(ctx, secret)
			if err != nil || p.ID != anna.ID || used.ID != tok.ID {
				t.Fatalf("AuthenticateToken = %s, %v; want Anna", p.Email, err)
			}
			list, err := e.svc.Tokens(ctx, anna.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 || list[0].ID != tok.ID || list[0].LastUsedAt == nil || !list[0].LastUsedAt.Equal(e.clock.Now()) {
				t.Errorf("Tokens = %+v, want the one token, used now", list)
			}

			// Bert cannot revoke Anna's token; it is not his to see.
			if err := e.svc.RevokeToken(ctx, bert.ID, tok.ID); !errs.Is(err, errs.NotFound) {
				t.Errorf("RevokeToken(someone else's) = %v, want NotFound", err)
			}
			if _, _, err := e.svc.AuthenticateToken(ctx, secret); err != nil {
				t.Fatalf("token stopped working after someone else's revoke: %v", err)
			}
			if err := e.svc.RevokeToken(ctx, anna.ID, tok.ID); err != nil {
				t.Fatalf("RevokeToken: %v", err)
			}
			_, _, err = e.svc.AuthenticateToken(ctx, secret)
			wantProblem(t, err, unauthorized)
			if list, _ := e.svc.Tokens(ctx, anna.ID); len(list) != 0 {
				t.Errorf("revoked token still listed: %+v", list)
			}
		})
		t.Run("Staff", func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			req := identity.TokenRequest{Credentials: creds(bert.Email, "")}
			_, _, err := e.svc.IssueToken(ctx, req)
			wantProblem(t, err, problem{Kind: errs.Unauthorized, Key: "error.code_required", Fields: map[string]string{"code": "field.code.required"}})
			req.Code = e.wrongCode(t, bert.TOTPSecret)
			_, _, err = e.svc.IssueToken(ctx, req)
			wantProblem(t, err, problem{Kind: errs.Unauthorized, Key: "error.code_wrong", Fields: map[string]string{"code": "field.code.wrong"}})
			if list, _ := e.svc.Tokens(ctx, bert.ID); len(list) != 0 {
				t.Fatalf("tokens issued without a valid code: %+v", list)
			}

			req.Code = e.code(t, bert.TOTPSecret)
			secret, tok, err := e.svc.IssueToken(ctx, req)
			if err != nil {
				t.Fatalf("IssueToken with code: %v", err)
			}
			if tok.Name != "API" || !tok.ExpiresAt.Equal(e.clock.Now().Add(identity.StaffTokenLifetime)) {
				t.Errorf("staff token %q expires %v; want API, in 8 hours", tok.Name, tok.ExpiresAt)
			}
			list, _ := e.svc.Tokens(ctx, bert.ID)
			if diff := cmp.Diff([]identity.APIToken{tok}, list); diff != "" {
				t.Errorf("Tokens (-want +got):\n%s", diff)
			}
			if p, _, err := e.svc.AuthenticateToken(ctx, secret); err != nil || p.ID != bert.ID {
				t.Errorf("AuthenticateToken = %s, %v; want Bert", p.Email, err)
			}
		})
		t.Run("ErrStaffNotEnrolled", func(t *testing.T) {
			t.Parallel()
			_, _, err := e.svc.IssueToken(t.Context(), identity.TokenRequest{Credentials: creds(newbie.Email, ""), Code: "123456"})
			wantProblem(t, err, problem{Kind: errs.Forbidden, Key: "error.mfa_enrol_required"})
		})
		t.Run("ErrName", func(t *testing.T) {
			t.Parallel()
			for _, tc := range []struct{ name, key string }{
				{strings.Repeat("x", identity.MaxNameLen+1), "field.name.too_long"},
				{"Budget\xff", "field.invalid_text"},
			} {
				_, _, err := e.svc.IssueToken(t.Context(), identity.TokenRequest{Credentials: creds(anna.Email, ""), Name: tc.name})
				wantProblem(t, err, problem{Kind: errs.Invalid, Fields: map[string]string{"name": tc.key}})
			}
		})
		t.Run("ErrBadToken", func(t *testing.T) {
			t.Parallel()
			for _, secret := range []string{"", "no-such-token"} {
				_, _, err := e.svc.AuthenticateToken(t.Context(), secret)
				wantProblem(t, err, unauthorized)
			}
		})
	})
}

func TestService_AuthenticateToken_Expired(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		e := newEnv(t, db)
		woerden := sqltest.Municipality(t, db, "woerden")
		anna := sqltest.Citizen(t, db, woerden, "anna@example.nl")
		secret, _, err := e.svc.IssueToken(ctx, identity.TokenRequest{Credentials: creds(anna.Email, "")})
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(identity.CitizenTokenLifetime - 1)
		if _, _, err := e.svc.AuthenticateToken(ctx, secret); err != nil {
			t.Fatalf("token on its last day: %v", err)
		}
		e.clock.Advance(1)
		_, _, err = e.svc.AuthenticateToken(ctx, secret)
		wantProblem(t, err, unauthorized)
		if list, _ := e.svc.Tokens(ctx, anna.ID); len(list) != 0 {
			t.Errorf("expired token still listed: %+v", list)
		}
	})
}
