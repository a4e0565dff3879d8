package vault_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/vault"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// epoch is the fake clock's start.
var epoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// env is a main database and a separate key store of one dialect, as a
// deployment has them, with a vault on the key store.
type env struct {
	dialect            string
	main, keys         *sqlstore.DB
	mainPath, keysPath string // SQLite: the two files
	mainURL, keysURL   string // PostgreSQL: the two schemas' URLs
	clock              *clock.Fake
	ring               *vault.Keyring
	v                  *vault.Vault
}

// each runs fn as a parallel subtest per database, each with a fresh env.
func each(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	for _, d := range sqltest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, newEnv(t, d))
		})
	}
}

func newEnv(t *testing.T, dialect string) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{dialect: dialect, clock: clock.NewFake(epoch), ring: newRing(t)}
	var err error
	switch dialect {
	case "sqlite":
		dir := t.TempDir()
		e.mainPath, e.keysPath = filepath.Join(dir, "inwonercloud.db"), filepath.Join(dir, "keys.db")
		e.main, err = sqlstore.Open(ctx, "", e.mainPath)
		if err == nil {
			e.keys, err = sqlstore.OpenKeyStore(ctx, "", e.keysPath)
		}
	case "postgres":
		e.mainURL, e.keysURL = sqltest.NewSchema(t), sqltest.NewSchema(t)
		e.main, err = sqlstore.Open(ctx, e.mainURL, "")
		if err == nil {
			e.keys, err = sqlstore.OpenKeyStore(ctx, e.keysURL, "")
		}
	}
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { e.main.Close(); e.keys.Close() })
	if err := e.main.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	e.v = vault.New(e.keys, e.ring, e.clock)
	return e
}

// node returns another vault on the same key store, as a second app node
// has it, with its own cache and the given keyring.
func (e *env) node(ring *vault.Keyring) *vault.Vault { return vault.New(e.keys, ring, e.clock) }

// seal seals text or fails the test.
func seal(tb testing.TB, v *vault.Vault, subject string, b vault.Binding, text string) []byte {
	tb.Helper()
	ct, err := v.Seal(context.Background(), subject, b, []byte(text))
	if err != nil {
		tb.Fatalf("Seal: %v", err)
	}
	return ct
}

// wantOpen fails the test unless ct opens to text.
func wantOpen(tb testing.TB, v *vault.Vault, subject string, b vault.Binding, ct []byte, text string) {
	tb.Helper()
	got, err := v.Open(context.Background(), subject, b, ct)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	if string(got) != text {
		tb.Fatalf("Open = %q, want %q", got, text)
	}
}

// wantErr fails the test unless err is target, of kind k.
func wantErr(tb testing.TB, err, target error, k errs.Kind) {
	tb.Helper()
	if !errors.Is(err, target) || !errs.Is(err, k) {
		tb.Fatalf("error = %v (kind %v), want %v of kind %v", err, errs.KindOf(err), target, k)
	}
}

// must fails the test on an error.
func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
