package sqlstore_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/core/vault"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// keyStore opens a fresh separate key store of the dialect: its own SQLite
// file, or its own PostgreSQL schema.
func keyStore(t *testing.T, dialect string) *sqlstore.DB {
	t.Helper()
	var db *sqlstore.DB
	var err error
	switch dialect {
	case "sqlite":
		db, err = sqlstore.OpenKeyStore(t.Context(), "", filepath.Join(t.TempDir(), "keys.db"))
	case "postgres":
		db, err = sqlstore.OpenKeyStore(t.Context(), sqltest.NewSchema(t), "")
	}
	if err != nil {
		t.Fatalf("open key store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// dataKey returns a live data key with made-up wrapped bytes.
func dataKey(kek string) vault.DataKey {
	w := make([]byte, 61)
	copy(w, id.Token())
	return vault.DataKey{SubjectID: id.New(), Wrapped: w, KEKID: kek, CreatedAt: at(0)}
}

func TestStore_DataKeys(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, main *sqlstore.DB) {
		t.Parallel()
		for name, db := range map[string]*sqlstore.DB{"SeparateKeyStore": keyStore(t, main.Dialect()), "MainDatabase": main} {
			t.Run(name, func(t *testing.T) {
				ctx := t.Context()
				k := dataKey("kek-a")
				got, err := db.CreateDataKey(ctx, k)
				must(t, err)
				if diff := cmp.Diff(k, got); diff != "" {
					t.Errorf("CreateDataKey (-want +got):\n%s", diff)
				}
				got, err = db.FindDataKey(ctx, k.SubjectID)
				must(t, err)
				if diff := cmp.Diff(k, got); diff != "" {
					t.Errorf("FindDataKey (-want +got):\n%s", diff)
				}
				st, err := db.FindDataKeyState(ctx, k.SubjectID)
				must(t, err)
				if st.Wrapped != nil || st.KEKID != "kek-a" || st.Destroyed() {
					t.Errorf("FindDataKeyState = %+v, want the state without the wrapped key", st)
				}

				// A second node's key for the same subject loses: both get the first.
				other := dataKey("kek-b")
				other.SubjectID = k.SubjectID
				got, err = db.CreateDataKey(ctx, other)
				must(t, err)
				if !bytes.Equal(got.Wrapped, k.Wrapped) || got.KEKID != "kek-a" {
					t.Errorf("CreateDataKey for a subject with a key returned %+v, want the first key", got)
				}

				_, err = db.FindDataKey(ctx, id.New())
				wantKind(t, err, errs.NotFound)
				_, err = db.FindDataKeyState(ctx, id.New())
				wantKind(t, err, errs.NotFound)

				// Destroy overwrites the key and keeps a tombstone; again keeps the first time.
				must(t, db.DestroyDataKey(ctx, k.SubjectID, at(time.Hour)))
				must(t, db.DestroyDataKey(ctx, k.SubjectID, at(2*time.Hour)))
				got, err = db.FindDataKey(ctx, k.SubjectID)
				must(t, err)
				if got.Wrapped != nil || got.KEKID != "" || got.DestroyedAt == nil || !got.DestroyedAt.Equal(at(time.Hour)) {
					t.Errorf("destroyed key = %+v, want no key material, destroyed at %v", got, at(time.Hour))
				}
				// A destroyed subject gets no new key.
				again := dataKey("kek-a")
				again.SubjectID = k.SubjectID
				got, err = db.CreateDataKey(ctx, again)
				must(t, err)
				if !got.Destroyed() || got.Wrapped != nil {
					t.Errorf("CreateDataKey after destroy = %+v, want the tombstone", got)
				}
				// Destroying a subject that never had a key leaves a tombstone too.
				never := id.New()
				must(t, db.DestroyDataKey(ctx, never, at(time.Hour)))
				st, err = db.FindDataKeyState(ctx, never)
				must(t, err)
				if !st.Destroyed() {
					t.Errorf("state after destroying a subject without key = %+v, want destroyed", st)
				}
			})
		}
	})
}

func TestStore_RewrapDataKeys(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, main *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		db := keyStore(t, main.Dialect())
		var old []vault.DataKey
		for range 5 {
			k, err := db.CreateDataKey(ctx, dataKey("kek-old"))
			must(t, err)
			old = append(old, k)
		}
		already, err := db.CreateDataKey(ctx, dataKey("kek-new"))
		must(t, err)
		must(t, db.DestroyDataKey(ctx, old[0].SubjectID, at(time.Hour)))

		rewrapped := map[string]int{}
		rewrap := func(k vault.DataKey) ([]byte, error) {
			if k.KEKID != "kek-old" || k.Destroyed() {
				t.Errorf("asked to rewrap %+v", k)
			}
			rewrapped[k.SubjectID]++
			return append([]byte("new:"), k.Wrapped[:10]...), nil
		}
		var batches []int
		for {
			n, err := db.RewrapDataKeys(ctx, "kek-new", 3, rewrap)
			must(t, err)
			batches = append(batches, n)
			if n == 0 {
				break
			}
		}
		if diff := cmp.Diff([]int{3, 1, 0}, batches); diff != "" {
			t.Errorf("batch sizes (-want +got):\n%s", diff)
		}
		for _, k := range old[1:] {
			got, err := db.FindDataKey(ctx, k.SubjectID)
			must(t, err)
			if rewrapped[k.SubjectID] != 1 || got.KEKID != "kek-new" || !bytes.Equal(got.Wrapped, append([]byte("new:"), k.Wrapped[:10]...)) {
				t.Errorf("key after rewrap = %+v (rewrapped %d times)", got, rewrapped[k.SubjectID])
			}
		}
		if got, _ := db.FindDataKey(ctx, already.SubjectID); !bytes.Equal(got.Wrapped, already.Wrapped) {
			t.Errorf("a key already under the new KEK was rewrapped")
		}
		if got, _ := db.FindDataKey(ctx, old[0].SubjectID); !got.Destroyed() || got.Wrapped != nil {
			t.Errorf("a destroyed key came back: %+v", got)
		}

		counts, err := db.CountDataKeys(ctx)
		must(t, err)
		if diff := cmp.Diff([]vault.KeyCount{{KEKID: "", Count: 1}, {KEKID: "kek-new", Count: 5}}, counts); diff != "" {
			t.Errorf("CountDataKeys (-want +got):\n%s", diff)
		}
		if k, err := db.FindDataKeyByKEK(ctx, "kek-new"); err != nil || k.KEKID != "kek-new" {
			t.Errorf("FindDataKeyByKEK = %+v, %v", k, err)
		}
		_, err = db.FindDataKeyByKEK(ctx, "kek-old")
		wantKind(t, err, errs.NotFound)

		// A failing rewrap rolls its whole batch back.
		k, err := db.CreateDataKey(ctx, dataKey("kek-x"))
		must(t, err)
		boom := errors.New("boom")
		if _, err := db.RewrapDataKeys(ctx, "kek-y", 10, func(vault.DataKey) ([]byte, error) { return nil, boom }); !errors.Is(err, boom) {
			t.Errorf("RewrapDataKeys with a failing rewrap: %v", err)
		}
		if got, _ := db.FindDataKey(ctx, k.SubjectID); got.KEKID != "kek-x" {
			t.Errorf("key after a failed batch = %+v, want it untouched", got)
		}
	})
}

// TestStore_KeyStoreOwnTransactions: the key store never joins the
// caller's transaction, even inside one of the main database: the key lands
// in the key store and stays when the caller rolls back.
func TestStore_KeyStoreOwnTransactions(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, main *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		keys := keyStore(t, main.Dialect())
		k := dataKey("kek-a")
		rollback := errors.New("roll back")
		err := main.InTx(ctx, func(ctx context.Context) error {
			if _, err := keys.CreateDataKey(ctx, k); err != nil {
				return err
			}
			if _, err := keys.FindDataKey(ctx, k.SubjectID); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatalf("InTx: %v", err)
		}
		if _, err := keys.FindDataKey(ctx, k.SubjectID); err != nil {
			t.Errorf("key store lost a key made inside the caller's transaction: %v", err)
		}
		_, err = main.FindDataKey(ctx, k.SubjectID)
		wantKind(t, err, errs.NotFound)

		// The same when the key store is the main database (PostgreSQL
		// without INWONERCLOUD_KEYS_DATABASE_URL). SQLite never does this:
		// its key store is always its own file, and its one writer
		// connection is taken by the caller's transaction.
		if main.Dialect() != "postgres" {
			return
		}
		k2 := dataKey("kek-a")
		err = main.InTx(ctx, func(ctx context.Context) error {
			if _, err := main.CreateDataKey(ctx, k2); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatalf("InTx: %v", err)
		}
		if _, err := main.FindDataKey(ctx, k2.SubjectID); err != nil {
			t.Errorf("a key made inside a rolled-back transaction is gone: %v", err)
		}
	})
}

// TestStore_KeyStoreHoldsOnlyKeys: a separate key store runs only the key
// store's migrations, so it holds no tables of personal data.
func TestStore_KeyStoreHoldsOnlyKeys(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, main *sqlstore.DB) {
		t.Parallel()
		keys := keyStore(t, main.Dialect())
		m := tenant.Municipality{ID: id.New(), Slug: "woerden", Name: "Woerden", Theme: "default", CreatedAt: at(0)}
		if err := keys.CreateMunicipality(t.Context(), &m); err == nil {
			t.Errorf("the key store has a municipalities table")
		}
		must(t, main.CreateMunicipality(t.Context(), &m))
	})
}

// TestOpenKeyStore_PrivateFile: the SQLite key store and its write-ahead
// log are readable by their owner only, even in an open directory, and
// opening it again keeps the keys.
func TestOpenKeyStore_PrivateFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "keys.db")
	db, err := sqlstore.OpenKeyStore(t.Context(), "", path)
	must(t, err)
	k, err := db.CreateDataKey(t.Context(), dataKey("kek-a"))
	must(t, err)
	for _, p := range []string{path, path + "-wal"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %04o, want 0600", filepath.Base(p), fi.Mode().Perm())
		}
	}
	must(t, db.Close())

	db, err = sqlstore.OpenKeyStore(t.Context(), "", path)
	must(t, err)
	defer db.Close()
	if _, err := db.FindDataKey(t.Context(), k.SubjectID); err != nil {
		t.Errorf("key after reopening: %v", err)
	}
}
