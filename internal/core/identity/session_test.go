package identity_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestService_Session_IdleTimeout(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		e := newEnv(t, db)
		woerden := sqltest.Municipality(t, db, "woerden")
		anna := sqltest.Citizen(t, db, woerden, "anna@example.nl")
		token := e.login(t, anna.Email).Token

		// "Stay logged in" records activity even within the 10 seconds in
		// which Authenticate does not write.
		e.clock.Advance(5 * time.Second)
		sess, err := e.svc.ExtendSession(ctx, token)
		if err != nil {
			t.Fatalf("ExtendSession: %v", err)
		}
		if !sess.LastSeenAt.Equal(e.clock.Now()) {
			t.Errorf("ExtendSession: LastSeenAt %v, want now %v", sess.LastSeenAt, e.clock.Now())
		}
		if list, _ := e.svc.Sessions(ctx, anna.ID); len(list) != 1 || !list[0].LastSeenAt.Equal(e.clock.Now()) {
			t.Errorf("stored sessions after ExtendSession = %+v, want one last seen now", list)
		}

		// 14 minutes of quiet twice over: each visit moves the deadline.
		for i := range 2 {
			e.clock.Advance(14 * time.Minute)
			info, err := e.svc.Authenticate(ctx, token)
			if err != nil {
				t.Fatalf("visit %d after 14 idle minutes: %v", i+1, err)
			}
			if !info.Session.LastSeenAt.Equal(e.clock.Now()) {
				t.Errorf("visit %d: LastSeenAt %v, want now", i+1, info.Session.LastSeenAt)
			}
		}

		e.clock.Advance(16 * time.Minute)
		_, err = e.svc.Authenticate(ctx, token)
		wantProblem(t, err, problem{Kind: errs.Unauthorized, Key: "error.session_expired"})
		_, err = e.svc.ExtendSession(ctx, token)
		if !errs.Is(err, errs.Unauthorized) {
			t.Errorf("ExtendSession of an idle session = %v, want Unauthorized", err)
		}
		if list, _ := e.svc.Sessions(ctx, anna.ID); len(list) != 0 {
			t.Errorf("idle session still listed: %+v", list)
		}
	})
}

func TestService_Session_AbsoluteLifetime(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		woerden := sqltest.Municipality(t, db, "woerden")
		tests := []struct {
			name     string
			person   identity.Person
			lifetime time.Duration
		}{
			{"Resident", sqltest.Citizen(t, db, woerden, "anna@example.nl"), 8 * time.Hour},
			{"TenantAdmin", sqltest.Staff(t, db, woerden, identity.RoleTenantAdmin, "eva@example.nl"), time.Hour},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				e := newEnv(t, db)
				token := e.loginActive(t, tc.person)
				elapsed := time.Duration(0)
				for elapsed+14*time.Minute < tc.lifetime {
					e.clock.Advance(14 * time.Minute)
					elapsed += 14 * time.Minute
					if !e.alive(t, token) {
						t.Fatalf("active session ended after %v", elapsed)
					}
				}
				e.clock.Advance(tc.lifetime - elapsed - time.Second)
				if !e.alive(t, token) {
					t.Fatalf("session ended a second before its %v lifetime", tc.lifetime)
				}
				e.clock.Advance(time.Second)
				_, err := e.svc.Authenticate(t.Context(), token)
				wantProblem(t, err, problem{Kind: errs.Unauthorized, Key: "error.session_expired"})
			})
		}
	})
}

func TestService_Logout(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		e := newEnv(t, db)
		woerden := sqltest.Municipality(t, db, "woerden")
		anna := sqltest.Citizen(t, db, woerden, "anna@example.nl")
		token := e.login(t, anna.Email).Token

		if err := e.svc.Logout(ctx, token); err != nil {
			t.Fatalf("Logout: %v", err)
		}
		if e.alive(t, token) {
			t.Error("token still authenticates after Logout")
		}
		if list, _ := e.svc.Sessions(ctx, anna.ID); len(list) != 0 {
			t.Errorf("sessions after Logout: %+v", list)
		}
		for _, tok := range []string{token, "no-such-token", ""} {
			if err := e.svc.Logout(ctx, tok); err != nil {
				t.Errorf("Logout(%q) = %v, want nil", tok, err)
			}
		}
	})
}

func TestService_EndSession(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		e := newEnv(t, db)
		woerden := sqltest.Municipality(t, db, "woerden")
		anna := sqltest.Citizen(t, db, woerden, "anna@example.nl")
		bram := sqltest.Citizen(t, db, woerden, "bram@example.nl")
		laptop, phone, brams := e.login(t, anna.Email), e.login(t, anna.Email), e.login(t, bram.Email)

		list, err := e.svc.Sessions(ctx, anna.ID)
		if err != nil {
			t.Fatal(err)
		}
		ids := func(ss []identity.Session) []string {
			var out []string
			for _, s := range ss {
				out = append(out, s.ID)
			}
			slices.Sort(out)
			return out
		}
		want := []string{laptop.Session.ID, phone.Session.ID}
		slices.Sort(want)
		if diff := cmp.Diff(want, ids(list)); diff != "" {
			t.Errorf("Sessions (-want +got):\n%s", diff)
		}

		// Someone else's session, or one that does not exist, is not found.
		for _, id := range []string{brams.Session.ID, "no-such-session"} {
			if err := e.svc.EndSession(ctx, anna.ID, id); !errs.Is(err, errs.NotFound) {
				t.Errorf("EndSession(anna, %s) = %v, want NotFound", id, err)
			}
		}
		if !e.alive(t, brams.Token) {
			t.Fatal("Anna ended Bram's session")
		}

		if err := e.svc.EndOtherSessions(ctx, anna.ID, laptop.Session.ID); err != nil {
			t.Fatalf("EndOtherSessions: %v", err)
		}
		if !e.alive(t, laptop.Token) || e.alive(t, phone.Token) {
			t.Errorf("after EndOtherSessions: laptop alive %v (want true), phone alive %v (want false)",
				e.alive(t, laptop.Token), e.alive(t, phone.Token))
		}

		if err := e.svc.EndSession(ctx, anna.ID, laptop.Session.ID); err != nil {
			t.Fatalf("EndSession(own): %v", err)
		}
		if e.alive(t, laptop.Token) {
			t.Error("own session alive after EndSession")
		}
		if !e.alive(t, brams.Token) {
			t.Error("Bram's session ended along with Anna's")
		}
	})
}
