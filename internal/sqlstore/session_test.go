package sqlstore_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// session returns a session of p that started at start and was last used
// at seen.
func session(p identity.Person, start, seen time.Time) identity.Session {
	return identity.Session{
		ID: id.New(), TokenHash: id.Hash(id.Token()), PersonID: p.ID, State: identity.StateActive,
		CreatedAt: start, LastSeenAt: seen, ExpiresAt: start.Add(identity.SessionLifetime), UserAgent: "Firefox",
	}
}

func TestStore_Session(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		anna := sqltest.Person(t, db, sqltest.PersonSpec{Email: "anna@example.nl"})
		s := session(anna, at(0), at(0))
		s.State = identity.StateSecondFactor
		must(t, db.CreateSession(ctx, &s))

		got, err := db.FindSessionByTokenHash(ctx, s.TokenHash)
		must(t, err)
		if diff := cmp.Diff(s, got); diff != "" {
			t.Errorf("FindSessionByTokenHash (-want +got):\n%s", diff)
		}

		s.State = identity.StateActive
		s.LastSeenAt = at(5 * time.Minute)
		s.ExpiresAt = at(time.Hour)
		s.EndedAt = ptr(at(6 * time.Minute))
		must(t, db.UpdateSession(ctx, s))
		got, err = db.FindSessionByTokenHash(ctx, s.TokenHash)
		must(t, err)
		if diff := cmp.Diff(s, got); diff != "" {
			t.Errorf("after UpdateSession (-want +got):\n%s", diff)
		}

		t.Run("ErrUnknownToken", func(t *testing.T) {
			_, err := db.FindSessionByTokenHash(ctx, id.Hash(id.Token()))
			wantKind(t, err, errs.NotFound)
		})
		t.Run("ErrUpdateUnknown", func(t *testing.T) {
			wantKind(t, db.UpdateSession(ctx, session(anna, at(0), at(0))), errs.NotFound)
		})
		t.Run("ErrDuplicateTokenHash", func(t *testing.T) {
			dup := session(anna, at(0), at(0))
			dup.TokenHash = s.TokenHash
			wantKind(t, db.CreateSession(ctx, &dup), errs.Conflict)
		})
		t.Run("ErrUnknownPerson", func(t *testing.T) {
			ghost := session(identity.Person{ID: id.New()}, at(0), at(0))
			err := db.CreateSession(ctx, &ghost)
			wantKind(t, err, errs.Invalid)
			if got := errs.KeyOf(err); got != "error.reference" {
				t.Errorf("key = %q, want error.reference", got)
			}
		})
	})
}

func TestStore_FindSessions(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		anna := sqltest.Person(t, db, sqltest.PersonSpec{Email: "anna@example.nl"})
		bram := sqltest.Person(t, db, sqltest.PersonSpec{Email: "bram@example.nl"})
		now := at(10 * time.Hour)

		fresh := session(anna, now.Add(-time.Hour), now.Add(-time.Minute))
		older := session(anna, now.Add(-2*time.Hour), now.Add(-10*time.Minute))
		almostIdle := session(anna, now.Add(-time.Hour), now.Add(-identity.IdleTimeout+time.Millisecond))
		idle := session(anna, now.Add(-time.Hour), now.Add(-identity.IdleTimeout))
		expired := session(anna, now.Add(-identity.SessionLifetime), now.Add(-time.Minute))
		ended := session(anna, now.Add(-time.Hour), now.Add(-time.Minute))
		ended.EndedAt = ptr(now.Add(-30 * time.Second))
		pending := session(anna, now.Add(-time.Minute), now.Add(-2*time.Minute))
		pending.State = identity.StateSecondFactor
		others := session(bram, now.Add(-time.Hour), now)
		all := []identity.Session{fresh, older, almostIdle, idle, expired, ended, pending, others}
		for i := range all {
			must(t, db.CreateSession(ctx, &all[i]))
		}

		got, err := db.FindSessions(ctx, anna.ID, now)
		must(t, err)
		// Newest activity first; a session waiting for its second factor is live too.
		want := []identity.Session{fresh, pending, older, almostIdle}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("FindSessions (-want +got):\n%s", diff)
		}
		// The store and Session.Live must agree on what is live.
		listed := map[string]bool{}
		for _, s := range got {
			listed[s.ID] = true
		}
		for _, s := range all[:7] {
			if s.Live(now) != listed[s.ID] {
				t.Errorf("session last seen %v, expiring %v, ended %v: Live = %v but listed = %v",
					s.LastSeenAt, s.ExpiresAt, s.EndedAt, s.Live(now), listed[s.ID])
			}
		}

		t.Run("NoneForStranger", func(t *testing.T) {
			got, err := db.FindSessions(ctx, id.New(), now)
			must(t, err)
			if len(got) != 0 {
				t.Errorf("FindSessions of an unknown person = %v, want none", got)
			}
		})
	})
}

func TestStore_EndSessions(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		anna := sqltest.Person(t, db, sqltest.PersonSpec{Email: "anna@example.nl"})
		bram := sqltest.Person(t, db, sqltest.PersonSpec{Email: "bram@example.nl"})
		keep := session(anna, at(0), at(0))
		first := session(anna, at(0), at(0))
		second := session(anna, at(0), at(0))
		earlier := session(anna, at(0), at(0))
		earlier.EndedAt = ptr(at(time.Second))
		others := session(bram, at(0), at(0))
		for _, s := range []*identity.Session{&keep, &first, &second, &earlier, &others} {
			must(t, db.CreateSession(ctx, s))
		}

		end := at(time.Minute)
		must(t, db.EndSessions(ctx, anna.ID, keep.ID, end))

		tests := []struct {
			name  string
			s     identity.Session
			ended *time.Time
		}{
			{"KeptOne", keep, nil},
			{"First", first, &end},
			{"Second", second, &end},
			{"AlreadyEndedKeepsItsTime", earlier, earlier.EndedAt},
			{"OtherPerson", others, nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := db.FindSessionByTokenHash(ctx, tc.s.TokenHash)
				must(t, err)
				if diff := cmp.Diff(tc.ended, got.EndedAt); diff != "" {
					t.Errorf("EndedAt (-want +got):\n%s", diff)
				}
			})
		}
		t.Run("AllWithEmptyExcept", func(t *testing.T) {
			must(t, db.EndSessions(ctx, anna.ID, "", at(time.Hour)))
			got, err := db.FindSessions(ctx, anna.ID, at(2*time.Minute))
			must(t, err)
			if len(got) != 0 {
				t.Errorf("sessions left after ending all: %+v", got)
			}
		})
	})
}

// apiToken returns a token of p made at made, living for life.
func apiToken(p identity.Person, name string, made time.Time, life time.Duration) identity.APIToken {
	return identity.APIToken{ID: id.New(), TokenHash: id.Hash(id.Token()), PersonID: p.ID, Name: name, CreatedAt: made, ExpiresAt: made.Add(life)}
}

func TestStore_APIToken(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		anna := sqltest.Person(t, db, sqltest.PersonSpec{Email: "anna@example.nl"})
		bram := sqltest.Person(t, db, sqltest.PersonSpec{Email: "bram@example.nl"})
		now := at(24 * time.Hour)

		budget := apiToken(anna, "Budget-app", now.Add(-time.Hour), identity.CitizenTokenLifetime)
		agenda := apiToken(anna, "Agenda", now.Add(-2*time.Hour), identity.CitizenTokenLifetime)
		expired := apiToken(anna, "Oud", now.Add(-9*time.Hour), 8*time.Hour)
		revoked := apiToken(anna, "Ingetrokken", now.Add(-3*time.Hour), identity.CitizenTokenLifetime)
		revoked.RevokedAt = ptr(now.Add(-time.Minute))
		brams := apiToken(bram, "Bram", now.Add(-time.Hour), identity.CitizenTokenLifetime)
		for _, tk := range []*identity.APIToken{&budget, &agenda, &expired, &revoked, &brams} {
			must(t, db.CreateAPIToken(ctx, tk))
		}

		t.Run("FindByHash", func(t *testing.T) {
			got, err := db.FindAPITokenByHash(ctx, revoked.TokenHash)
			must(t, err)
			if diff := cmp.Diff(revoked, got); diff != "" {
				t.Errorf("FindAPITokenByHash (-want +got):\n%s", diff)
			}
			_, err = db.FindAPITokenByHash(ctx, id.Hash(id.Token()))
			wantKind(t, err, errs.NotFound)
		})
		t.Run("FindLiveNewestFirst", func(t *testing.T) {
			got, err := db.FindAPITokens(ctx, anna.ID, now)
			must(t, err)
			if diff := cmp.Diff([]identity.APIToken{budget, agenda}, got); diff != "" {
				t.Errorf("FindAPITokens (-want +got):\n%s", diff)
			}
		})
		t.Run("ErrDuplicateHash", func(t *testing.T) {
			dup := apiToken(bram, "Dup", now, time.Hour)
			dup.TokenHash = budget.TokenHash
			wantKind(t, db.CreateAPIToken(ctx, &dup), errs.Conflict)
		})
	})
}

func TestStore_APIToken_Changes(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		anna := sqltest.Person(t, db, sqltest.PersonSpec{Email: "anna@example.nl"})
		bram := sqltest.Person(t, db, sqltest.PersonSpec{Email: "bram@example.nl"})
		now := at(time.Hour)
		one := apiToken(anna, "Een", at(0), identity.CitizenTokenLifetime)
		two := apiToken(anna, "Twee", at(time.Second), identity.CitizenTokenLifetime)
		three := apiToken(anna, "Drie", at(2*time.Second), identity.CitizenTokenLifetime)
		brams := apiToken(bram, "Bram", at(0), identity.CitizenTokenLifetime)
		for _, tk := range []*identity.APIToken{&one, &two, &three, &brams} {
			must(t, db.CreateAPIToken(ctx, tk))
		}
		stored := func(tk identity.APIToken) identity.APIToken {
			t.Helper()
			got, err := db.FindAPITokenByHash(ctx, tk.TokenHash)
			must(t, err)
			return got
		}

		// Touch.
		must(t, db.TouchAPIToken(ctx, one.ID, now))
		if got := stored(one).LastUsedAt; got == nil || !got.Equal(now) {
			t.Errorf("LastUsedAt after touch = %v, want %v", got, now)
		}
		wantKind(t, db.TouchAPIToken(ctx, id.New(), now), errs.NotFound)

		// Revoke one: not someone else's, not twice.
		wantKind(t, db.RevokeAPIToken(ctx, bram.ID, one.ID, now), errs.NotFound)
		if got := stored(one).RevokedAt; got != nil {
			t.Fatalf("another person revoked Anna's token (at %v)", got)
		}
		must(t, db.RevokeAPIToken(ctx, anna.ID, one.ID, now))
		if got := stored(one).RevokedAt; got == nil || !got.Equal(now) {
			t.Errorf("RevokedAt = %v, want %v", got, now)
		}
		wantKind(t, db.RevokeAPIToken(ctx, anna.ID, one.ID, now.Add(time.Minute)), errs.NotFound)
		if got := stored(one).RevokedAt; !got.Equal(now) {
			t.Errorf("second revoke moved RevokedAt to %v", got)
		}

		// Revoke all of Anna's; the first revocation time stays.
		later := now.Add(time.Hour)
		must(t, db.RevokeAPITokens(ctx, anna.ID, later))
		live, err := db.FindAPITokens(ctx, anna.ID, later)
		must(t, err)
		if len(live) != 0 {
			t.Errorf("live tokens after RevokeAPITokens: %+v", live)
		}
		if got := stored(one).RevokedAt; !got.Equal(now) {
			t.Errorf("RevokeAPITokens moved an earlier revocation to %v", got)
		}
		if got := stored(three).RevokedAt; got == nil || !got.Equal(later) {
			t.Errorf("RevokedAt of a live token = %v, want %v", got, later)
		}
		live, err = db.FindAPITokens(ctx, bram.ID, later)
		must(t, err)
		if diff := cmp.Diff([]identity.APIToken{brams}, live); diff != "" {
			t.Errorf("Bram's tokens after Anna's were revoked (-want +got):\n%s", diff)
		}
	})
}
