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

func TestStore_EmailToken(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		anna := sqltest.Person(t, db, sqltest.PersonSpec{Email: "anna@example.nl"})
		tok := identity.EmailToken{
			ID: id.New(), TokenHash: id.Hash(id.Token()), PersonID: anna.ID, Purpose: identity.PurposeReset,
			CreatedAt: at(0), ExpiresAt: at(identity.ResetTokenLifetime),
		}
		must(t, db.CreateEmailToken(ctx, &tok))

		got, err := db.FindEmailTokenByHash(ctx, tok.TokenHash)
		must(t, err)
		if diff := cmp.Diff(tok, got); diff != "" {
			t.Errorf("FindEmailTokenByHash (-want +got):\n%s", diff)
		}

		must(t, db.UseEmailToken(ctx, tok.ID, at(time.Minute)))
		// A link is single-use: the second use finds nothing to spend.
		wantKind(t, db.UseEmailToken(ctx, tok.ID, at(2*time.Minute)), errs.NotFound)
		got, err = db.FindEmailTokenByHash(ctx, tok.TokenHash)
		must(t, err)
		if got.UsedAt == nil || !got.UsedAt.Equal(at(time.Minute)) {
			t.Errorf("UsedAt = %v, want the first use %v", got.UsedAt, at(time.Minute))
		}

		t.Run("ErrUnknownHash", func(t *testing.T) {
			_, err := db.FindEmailTokenByHash(ctx, id.Hash(id.Token()))
			wantKind(t, err, errs.NotFound)
		})
		t.Run("ErrUseUnknown", func(t *testing.T) {
			wantKind(t, db.UseEmailToken(ctx, id.New(), at(0)), errs.NotFound)
		})
		t.Run("ErrUnknownPerson", func(t *testing.T) {
			ghost := tok
			ghost.ID, ghost.TokenHash, ghost.PersonID = id.New(), id.Hash(id.Token()), id.New()
			wantKind(t, db.CreateEmailToken(ctx, &ghost), errs.Invalid)
		})
	})
}

func TestStore_RecoveryCodes(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		anna := sqltest.Person(t, db, sqltest.PersonSpec{Email: "anna@example.nl"})
		bram := sqltest.Person(t, db, sqltest.PersonSpec{Email: "bram@example.nl"})
		count := func(p identity.Person) int {
			t.Helper()
			n, err := db.CountRecoveryCodes(ctx, p.ID)
			must(t, err)
			return n
		}

		must(t, db.ReplaceRecoveryCodes(ctx, anna.ID, []string{"h1", "h2", "h3"}))
		must(t, db.ReplaceRecoveryCodes(ctx, bram.ID, []string{"b1"}))
		if n := count(anna); n != 3 {
			t.Fatalf("codes = %d, want 3", n)
		}

		must(t, db.UseRecoveryCode(ctx, anna.ID, "h1", at(0)))
		if n := count(anna); n != 2 {
			t.Errorf("codes after one use = %d, want 2", n)
		}
		tests := []struct {
			name   string
			person identity.Person
			hash   string
		}{
			{"ErrUsedTwice", anna, "h1"},
			{"ErrUnknownCode", anna, "nope"},
			{"ErrOtherPersonsCode", anna, "b1"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				wantKind(t, db.UseRecoveryCode(ctx, tc.person.ID, tc.hash, at(time.Minute)), errs.NotFound)
			})
		}
		if n := count(bram); n != 1 {
			t.Errorf("Bram's codes = %d, want 1 (untouched)", n)
		}

		// New codes replace the old ones, used or not.
		must(t, db.ReplaceRecoveryCodes(ctx, anna.ID, []string{"h4"}))
		if n := count(anna); n != 1 {
			t.Errorf("codes after replace = %d, want 1", n)
		}
		wantKind(t, db.UseRecoveryCode(ctx, anna.ID, "h2", at(time.Hour)), errs.NotFound)
		must(t, db.ReplaceRecoveryCodes(ctx, anna.ID, nil))
		if n := count(anna); n != 0 {
			t.Errorf("codes after removing all = %d, want 0", n)
		}
		wantKind(t, db.UseRecoveryCode(ctx, anna.ID, "h4", at(time.Hour)), errs.NotFound)
	})
}

func TestStore_LoginFailures(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		now := at(time.Hour)
		key, other := id.Hash("anna|1.2.3.4"), id.Hash("anna|5.6.7.8")
		for _, d := range []time.Duration{20 * time.Minute, identity.LockWindow, 10 * time.Minute, time.Minute, 0} {
			must(t, db.AddLoginFailure(ctx, key, now.Add(-d)))
		}
		must(t, db.AddLoginFailure(ctx, other, now))

		count := func(k string) int {
			t.Helper()
			n, err := db.CountLoginFailures(ctx, k, now.Add(-identity.LockWindow))
			must(t, err)
			return n
		}
		// Failures strictly inside the window count: 10m, 1m and now.
		if n := count(key); n != 3 {
			t.Errorf("failures in window = %d, want 3", n)
		}
		if n := count(id.Hash("nobody")); n != 0 {
			t.Errorf("failures of an unknown key = %d, want 0", n)
		}
		must(t, db.ClearLoginFailures(ctx, key))
		if n := count(key); n != 0 {
			t.Errorf("failures after clear = %d, want 0", n)
		}
		if n := count(other); n != 1 {
			t.Errorf("failures of another key after clear = %d, want 1", n)
		}
	})
}

func TestStore_Lock(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		key, other := id.Hash("k1"), id.Hash("k2")
		until := func(k string) time.Time {
			t.Helper()
			u, err := db.LockedUntil(ctx, k)
			must(t, err)
			return u
		}
		if u := until(key); !u.IsZero() {
			t.Errorf("LockedUntil of a key never locked = %v, want the zero time", u)
		}
		must(t, db.Lock(ctx, key, at(15*time.Minute)))
		if u := until(key); !u.Equal(at(15 * time.Minute)) {
			t.Errorf("LockedUntil = %v, want %v", u, at(15*time.Minute))
		}
		// Locking again moves the time, in either direction.
		must(t, db.Lock(ctx, key, at(time.Hour)))
		if u := until(key); !u.Equal(at(time.Hour)) {
			t.Errorf("LockedUntil after a second lock = %v, want %v", u, at(time.Hour))
		}
		must(t, db.Lock(ctx, key, at(time.Minute)))
		if u := until(key); !u.Equal(at(time.Minute)) {
			t.Errorf("LockedUntil after an earlier lock = %v, want %v", u, at(time.Minute))
		}
		if u := until(other); !u.IsZero() {
			t.Errorf("another key is locked until %v", u)
		}
	})
}
