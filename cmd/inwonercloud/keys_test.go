package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/vault"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// kekFile writes a fresh key file (mode 0600) and returns its path.
func kekFile(t *testing.T) string {
	t.Helper()
	ring, err := vault.NewKeyring()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "kek")
	if err := vault.WriteKeyFile(path, ring); err != nil {
		t.Fatal(err)
	}
	return path
}

// readRing reads a key file or fails the test.
func readRing(t *testing.T, path string) *vault.Keyring {
	t.Helper()
	r, err := vault.ReadKeyFile(path)
	if err != nil {
		t.Fatalf("read key file %s: %v", path, err)
	}
	return r
}

// wantErrContaining fails the test unless r failed with an error that
// contains every one of the parts.
func wantErrContaining(t *testing.T, r result, parts ...string) {
	t.Helper()
	if r.err == nil {
		t.Fatalf("succeeded (stdout %q), want an error containing %q", r.stdout, parts)
	}
	for _, p := range parts {
		if !strings.Contains(r.err.Error(), p) {
			t.Errorf("error %q does not contain %q", r.err, p)
		}
	}
}

func TestRun_ServeNeedsKEK(t *testing.T) {
	t.Parallel()
	base := env{"INWONERCLOUD_DATA_DIR": t.TempDir(), "INWONERCLOUD_ADDR": "127.0.0.1:0"}
	t.Run("Unset", func(t *testing.T) {
		wantErrContaining(t, runCmd(t, base, "", "serve"), "INWONERCLOUD_KEK_FILE is not set", "keys generate --out")
	})
	t.Run("WorldReadable", func(t *testing.T) {
		path := kekFile(t)
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		wantErrContaining(t, runCmd(t, base.with("INWONERCLOUD_KEK_FILE", path), "", "serve"), "INWONERCLOUD_KEK_FILE "+path, "chmod 600")
	})
	t.Run("Missing", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "kek")
		wantErrContaining(t, runCmd(t, base.with("INWONERCLOUD_KEK_FILE", path), "", "serve"), "INWONERCLOUD_KEK_FILE "+path, "no such file")
	})
	t.Run("NotAKeyFile", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "kek")
		if err := os.WriteFile(path, []byte("geheim\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		wantErrContaining(t, runCmd(t, base.with("INWONERCLOUD_KEK_FILE", path), "", "serve"), "INWONERCLOUD_KEK_FILE "+path, "line 1")
	})
	t.Run("Blank", func(t *testing.T) {
		wantErrContaining(t, runCmd(t, base.with("INWONERCLOUD_KEK_FILE", " "), "", "serve"), "INWONERCLOUD_KEK_FILE")
	})
}

// TestRun_DemoMakesKEK: the demo makes <data dir>/kek on first start, mode
// 0600, and uses the same key afterwards; INWONERCLOUD_KEK_FILE overrides it.
func TestRun_DemoMakesKEK(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	e := env{"INWONERCLOUD_DATA_DIR": dir}
	path := filepath.Join(dir, "kek")
	b := vault.Binding{Table: "stories", Column: "body", RowID: "1"}
	anna := id.New()

	a, err := open(ctx, e.get, io.Discard, true)
	if err != nil {
		t.Fatal(err)
	}
	if a.vault == nil {
		t.Fatal("demo without INWONERCLOUD_KEK_FILE has no vault")
	}
	ct, err := a.vault.Seal(ctx, anna, b, []byte("demo"))
	a.Close()
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("demo key file: %v, mode %v; want mode 0600", err, fi)
	}
	first, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "keys.db")); err != nil {
		t.Errorf("no key store keys.db beside the data: %v", err)
	}

	a, err = open(ctx, e.get, io.Discard, true)
	if err != nil {
		t.Fatal(err)
	}
	got, err := a.vault.Open(ctx, anna, b, ct)
	a.Close()
	if err != nil || string(got) != "demo" {
		t.Errorf("second demo start: Open = %q, %v", got, err)
	}
	if again, _ := os.ReadFile(path); string(again) != string(first) {
		t.Errorf("the second start changed the demo key file")
	}

	// With the variable set the demo uses that file, and makes none.
	other := t.TempDir()
	a, err = open(ctx, env{"INWONERCLOUD_DATA_DIR": other, "INWONERCLOUD_KEK_FILE": kekFile(t)}.get, io.Discard, true)
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	if _, err := os.Stat(filepath.Join(other, "kek")); err == nil {
		t.Errorf("the demo made a key file although INWONERCLOUD_KEK_FILE is set")
	}
}

func TestRun_KeysGenerate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := env{"INWONERCLOUD_DATA_DIR": dir}
	out := filepath.Join(dir, "new.kek")

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"NoSubcommand", []string{"keys"}, "keys: want generate, rotate or status"},
		{"UnknownSubcommand", []string{"keys", "burn"}, `keys: unknown subcommand "burn"`},
		{"NoOut", []string{"keys", "generate"}, "want --out PATH"},
		{"ExtraArgument", []string{"keys", "generate", "--out", out, "extra"}, "want --out PATH"},
		{"KeepOldWithoutFile", []string{"keys", "generate", "--out", out, "--keep-old"}, "INWONERCLOUD_KEK_FILE is not set"},
		{"StatusArgument", []string{"keys", "status", "x"}, "takes no arguments"},
		{"StatusWithoutKeyStore", []string{"keys", "status"}, "no key store at " + filepath.Join(dir, "keys.db")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantErrContaining(t, runCmd(t, e, "", tc.args...), tc.want)
		})
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("a failed generate wrote a key file")
	}

	r := runCmd(t, e, "", "keys", "generate", "--out", out)
	if r.err != nil {
		t.Fatal(r.err)
	}
	ring := readRing(t, out)
	if !strings.Contains(r.stdout, "wrote key-encryption key "+ring.ID()+" to "+out) || len(ring.IDs()) != 1 {
		t.Errorf("generate: stdout %q, keys %v", r.stdout, ring.IDs())
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %04o, want 0600", fi.Mode().Perm())
	}
	// Never over an existing key file.
	wantErrContaining(t, runCmd(t, e, "", "keys", "generate", "--out", out), "already exists")
	if readRing(t, out).ID() != ring.ID() {
		t.Errorf("the key file was overwritten")
	}

	// --keep-old puts the current file's keys below the new key.
	kept := filepath.Join(dir, "kept.kek")
	r = runCmd(t, e.with("INWONERCLOUD_KEK_FILE", out), "", "keys", "generate", "--out", kept, "--keep-old")
	if r.err != nil {
		t.Fatal(r.err)
	}
	both := readRing(t, kept)
	if ids := both.IDs(); len(ids) != 2 || ids[0] == ring.ID() || ids[1] != ring.ID() {
		t.Errorf("--keep-old key ids %v, want a new key, then %s", ids, ring.ID())
	}
	if !strings.Contains(r.stdout, "kept the older keys "+ring.ID()) {
		t.Errorf("generate --keep-old: stdout %q", r.stdout)
	}
}

// keyStoreEnvs returns the environments the key commands are tested in:
// SQLite, and PostgreSQL with the data keys in the main database and in a
// database of their own.
func keyStoreEnvs(t *testing.T) map[string]env {
	t.Helper()
	out := map[string]env{}
	for name, e := range databases(t) {
		out[name] = e
		if name == "postgres" {
			out["postgres-keys-database"] = e.with("INWONERCLOUD_DATABASE_URL", sqltest.NewSchema(t), "INWONERCLOUD_KEYS_DATABASE_URL", sqltest.NewSchema(t))
		}
	}
	return out
}

func TestRun_KeysRotate(t *testing.T) {
	t.Parallel()
	for name, e := range keyStoreEnvs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dir := t.TempDir()
			oldFile := kekFile(t)
			oldID := readRing(t, oldFile).ID()
			e := e.with("INWONERCLOUD_KEK_FILE", oldFile)
			b := vault.Binding{Table: "stories", Column: "body", RowID: "1"}
			anna, bram, carol := id.New(), id.New(), id.New()

			// Seal for three residents through the app; erase Carol.
			var stderr syncBuffer
			a, err := open(ctx, e.get, &stderr, false)
			if err != nil {
				t.Fatal(err)
			}
			cts := map[string][]byte{}
			for _, s := range []string{anna, bram, carol} {
				ct, err := a.vault.Seal(ctx, s, b, []byte("tekst van "+s))
				if err != nil {
					t.Fatal(err)
				}
				cts[s] = ct
			}
			if err := a.vault.Destroy(ctx, carol); err != nil {
				t.Fatal(err)
			}
			a.Close()
			sameDB := e["INWONERCLOUD_DATABASE_URL"] != "" && e["INWONERCLOUD_KEYS_DATABASE_URL"] == ""
			if warned := strings.Contains(stderr.String(), "INWONERCLOUD_KEYS_DATABASE_URL is not set"); warned != sameDB {
				t.Errorf("warning about keys in the main database: %v, want %v", warned, sameDB)
			}
			if name == "sqlite" {
				assertNoKeysInMain(t, e)
			}

			r := runCmd(t, e, "", "keys", "status")
			if r.err != nil || !strings.Contains(r.stdout, "  "+oldID+"\t2\tcurrent\n") || !strings.Contains(r.stdout, "erased residents (destroyed data keys): 1") {
				t.Fatalf("keys status before: %v\n%s", r.err, r.stdout)
			}

			newFile := filepath.Join(dir, "new.kek")
			if r := runCmd(t, e, "", "keys", "generate", "--out", newFile, "--keep-old"); r.err != nil {
				t.Fatal(r.err)
			}
			newID := readRing(t, newFile).ID()
			r = runCmd(t, e, "", "keys", "rotate", "--new-kek-file", newFile)
			if r.err != nil {
				t.Fatalf("keys rotate: %v", r.err)
			}
			for _, want := range []string{"rewrapped 2 data keys under key-encryption key " + newID, "INWONERCLOUD_KEK_FILE=" + newFile} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("keys rotate output lacks %q:\n%s", want, r.stdout)
				}
			}
			if strings.Contains(r.stdout, "Note:") {
				t.Errorf("keys rotate warns although the new file keeps the old key:\n%s", r.stdout)
			}

			// Pointed at the new file, everything opens; the erased stays erased.
			e = e.with("INWONERCLOUD_KEK_FILE", newFile)
			r = runCmd(t, e, "", "keys", "status")
			if r.err != nil || !strings.Contains(r.stdout, "  "+newID+"\t2\tcurrent\n") || strings.Contains(r.stdout, "  "+oldID+"\t") {
				t.Errorf("keys status after: %v\n%s", r.err, r.stdout)
			}
			a, err = open(ctx, e.get, io.Discard, false)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{anna, bram} {
				if got, err := a.vault.Open(ctx, s, b, cts[s]); err != nil || string(got) != "tekst van "+s {
					t.Errorf("Open after rotation = %q, %v", got, err)
				}
			}
			if _, err := a.vault.Open(ctx, carol, b, cts[carol]); !errors.Is(err, vault.ErrErased) || !errs.Is(err, errs.NotFound) {
				t.Errorf("Open of the erased resident after rotation: %v", err)
			}
			a.Close()

			// The old key file alone no longer fits: a node refuses to start.
			wantErrContaining(t, runCmd(t, e.with("INWONERCLOUD_KEK_FILE", oldFile, "INWONERCLOUD_ADDR", "127.0.0.1:0"), "", "serve"),
				"INWONERCLOUD_KEK_FILE "+oldFile, "does not fit the key store", newID)

			// Rotating to a file without the old key works, and says what that means.
			third := kekFile(t)
			r = runCmd(t, e, "", "keys", "rotate", "--new-kek-file", third)
			if r.err != nil || !strings.Contains(r.stdout, "rewrapped 2 data keys") || !strings.Contains(r.stdout, "Note: "+third+" lacks the old key "+newID) {
				t.Errorf("rotate to a file without the old key: %v\n%s", r.err, r.stdout)
			}
		})
	}
}

// assertNoKeysInMain fails the test when the SQLite data file holds a data
// key: with SQLite they live in keys.db.
func assertNoKeysInMain(t *testing.T, e env) {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), "", filepath.Join(e["INWONERCLOUD_DATA_DIR"], "inwonercloud.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	counts, err := db.CountDataKeys(context.Background())
	if err != nil || len(counts) != 0 {
		t.Errorf("data keys in the main SQLite file: %v, %v", counts, err)
	}
}

func TestRun_KeysRotateBad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := env{"INWONERCLOUD_DATA_DIR": dir}
	newFile := kekFile(t)
	exposed := filepath.Join(t.TempDir(), "exposed.kek")
	if err := vault.WriteKeyFile(exposed, readRing(t, newFile)); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(exposed, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		e     env
		args  []string
		wants []string
	}{
		{"NoFlag", e.with("INWONERCLOUD_KEK_FILE", kekFile(t)), nil, []string{"want --new-kek-file PATH"}},
		{"NoCurrentFile", e, []string{"--new-kek-file", newFile}, []string{"INWONERCLOUD_KEK_FILE is not set"}},
		{"NewFileOpenToAll", e.with("INWONERCLOUD_KEK_FILE", kekFile(t)), []string{"--new-kek-file", exposed}, []string{"--new-kek-file " + exposed, "chmod 600"}},
		{"BadEnvironment", e.with("INWONERCLOUD_KEK_FILE", kekFile(t), "INWONERCLOUD_LOG_LEVEL", "loud"), []string{"--new-kek-file", newFile}, []string{"INWONERCLOUD_LOG_LEVEL"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantErrContaining(t, runCmd(t, tc.e, "", slices.Concat([]string{"keys", "rotate"}, tc.args)...), tc.wants...)
		})
	}
}
