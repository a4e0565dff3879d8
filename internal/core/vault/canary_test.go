package vault_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"io"
	"net/url"
	"os"
	"os/exec"
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

// canaryBinding is where the canary tests store sealed text: a table the
// test makes in the main database, as an app would.
func canaryBinding(row string) vault.Binding {
	return vault.Binding{Table: "canary_notes", Column: "body", RowID: row}
}

// canary returns a distinctive text; found in any stored byte, it means a
// plaintext reached the disk.
func canary() string { return "KANARIE-" + id.Token() }

// rawDB opens a plain database/sql handle beside the store, for what the
// store does not offer: a test table and checkpoints.
func rawDB(t *testing.T, driver, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func mustExec(t *testing.T, db *sql.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// checkpoint moves SQLite's write-ahead log into the database file and
// empties the log.
func checkpoint(t *testing.T, db *sql.DB) {
	t.Helper()
	var busy, frames, done int
	if err := db.QueryRow(`PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &done); err != nil {
		t.Fatal(err)
	}
	if busy != 0 {
		t.Fatalf("checkpoint blocked (busy=%d)", busy)
	}
}

// fileBytes returns the bytes of a SQLite database and of its -wal file if
// there is one.
func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	var all []byte
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}

// readBody reads the sealed body of a canary note.
func readBody(t *testing.T, db *sql.DB, row string) []byte {
	t.Helper()
	var b []byte
	if err := db.QueryRow(`SELECT body FROM canary_notes WHERE id = $1`, row).Scan(&b); err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCanary_SQLiteFiles: the plaintext never reaches the SQLite files, the
// data file holds no data key, a copy of it taken before an erasure cannot
// open the erased resident's data afterwards, and the destroyed key is
// gone from the key store file.
func TestCanary_SQLiteFiles(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "sqlite")
	ctx := t.Context()
	main, keys := rawDB(t, "sqlite", e.mainPath), rawDB(t, "sqlite", e.keysPath)
	mustExec(t, main, `CREATE TABLE canary_notes (id TEXT PRIMARY KEY, subject_id TEXT NOT NULL, body BLOB NOT NULL)`)

	anna, bram := id.New(), id.New()
	secret, kept := canary(), canary()
	// Neighbours before and after Anna fill more than one page of the key
	// store, so its pages split and move keys around, as in real use.
	neighbours := func() {
		for range 30 {
			seal(t, e.v, id.New(), canaryBinding("x"), "x")
		}
	}
	neighbours()
	ctAnna := seal(t, e.v, anna, canaryBinding("n1"), secret)
	neighbours()
	ctBram := seal(t, e.v, bram, canaryBinding("n2"), kept)
	mustExec(t, main, `INSERT INTO canary_notes (id, subject_id, body) VALUES ($1, $2, $3), ($4, $5, $6)`,
		"n1", anna, ctAnna, "n2", bram, ctBram)
	checkpoint(t, main)
	checkpoint(t, keys)
	annaKey, err := e.keys.FindDataKey(ctx, anna)
	must(t, err)

	dataFile, keyFile := fileBytes(t, e.mainPath), fileBytes(t, e.keysPath)
	for name, b := range map[string][]byte{"data file": dataFile, "key store file": keyFile} {
		for _, c := range []string{secret, kept} {
			if bytes.Contains(b, []byte(c)) {
				t.Errorf("the %s contains the canary %q", name, c)
			}
		}
	}
	// The files read are the right ones: the sealed text is in the data
	// file, the wrapped key in the key store and not in the data file.
	if !bytes.Contains(dataFile, ctAnna) {
		t.Fatalf("the sealed canary is not in the data file: the test reads the wrong bytes")
	}
	if !bytes.Contains(keyFile, annaKey.Wrapped) {
		t.Fatalf("the wrapped key is not in the key store file")
	}
	if bytes.Contains(dataFile, annaKey.Wrapped) {
		t.Errorf("the data file contains a wrapped data key")
	}

	// A backup of the data taken before the erasure.
	backup := filepath.Join(t.TempDir(), "backup.db")
	copyFile(t, e.mainPath, backup)

	must(t, e.v.Destroy(ctx, anna))

	// The destroyed key is gone from the key store's bytes, write-ahead log
	// included, without any checkpoint by the test.
	if b := fileBytes(t, e.keysPath); bytes.Contains(b, annaKey.Wrapped) {
		t.Errorf("the destroyed wrapped key is still in the key store file (%d bytes)", len(b))
	}

	// Restore the backup: it opens, Bram's data in it opens, Anna's does not.
	restored := rawDB(t, "sqlite", backup)
	if got := readBody(t, restored, "n1"); !bytes.Equal(got, ctAnna) {
		t.Fatalf("the backup does not hold Anna's sealed note")
	}
	node := vault.New(e.keys, e.ring, e.clock) // a fresh node with the same KEK
	_, err = node.Open(ctx, anna, canaryBinding("n1"), readBody(t, restored, "n1"))
	wantErr(t, err, vault.ErrErased, errs.NotFound)
	wantOpen(t, node, bram, canaryBinding("n2"), readBody(t, restored, "n2"), kept)

	// The backup itself is no key store: it holds no data key to unwrap.
	backupDB, err := sqlstore.Open(ctx, "", backup)
	must(t, err)
	defer backupDB.Close()
	_, err = vault.New(backupDB, e.ring, e.clock).Open(ctx, anna, canaryBinding("n1"), ctAnna)
	wantErr(t, err, vault.ErrNoKey, errs.NotFound)
	if b := fileBytes(t, backup); bytes.Contains(b, annaKey.Wrapped) {
		t.Errorf("the backup holds Anna's wrapped key")
	}
}

// TestBackup_KeyStoreCopyStillOpens pins the honest limit of
// crypto-shredding (see the package notes): a copy of the key store taken
// before an erasure still holds the wrapped key, so key store backups must
// be short-lived and kept apart from the data and the key file.
func TestBackup_KeyStoreCopyStillOpens(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "sqlite")
	ctx := t.Context()
	anna := id.New()
	secret := canary()
	ct := seal(t, e.v, anna, canaryBinding("n1"), secret)
	checkpoint(t, rawDB(t, "sqlite", e.keysPath))
	keyBackup := filepath.Join(t.TempDir(), "keys-backup.db")
	copyFile(t, e.keysPath, keyBackup)

	must(t, e.v.Destroy(ctx, anna))
	_, err := e.v.Open(ctx, anna, canaryBinding("n1"), ct)
	wantErr(t, err, vault.ErrErased, errs.NotFound)

	old, err := sqlstore.OpenKeyStore(ctx, "", keyBackup)
	must(t, err)
	defer old.Close()
	wantOpen(t, vault.New(old, e.ring, e.clock), anna, canaryBinding("n1"), ct, secret)
}

// pgDump dumps one schema of the PostgreSQL test database as SQL text.
func pgDump(t *testing.T, schemaURL string) string {
	t.Helper()
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		if os.Getenv("INWONERCLOUD_REQUIRE_POSTGRES") == "1" {
			t.Fatal("pg_dump is not installed")
		}
		t.Skip("pg_dump is not installed")
	}
	u, err := url.Parse(schemaURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	schema := q.Get("search_path")
	q.Del("search_path")
	u.RawQuery = q.Encode()
	cmd := exec.CommandContext(t.Context(), bin, "--schema="+schema, "--no-owner", "--no-privileges", u.String())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pg_dump: %v: %s", err, stderr.String())
	}
	return string(out)
}

// TestCanary_PostgresDump: the plaintext is not in a dump of either
// database, the data's dump holds no data key, and after an erasure a
// dump taken before it cannot open the resident's data.
func TestCanary_PostgresDump(t *testing.T) {
	t.Parallel()
	if !slices.Contains(sqltest.Dialects(), "postgres") {
		t.Skip("INWONERCLOUD_TEST_DATABASE_URL not set")
	}
	e := newEnv(t, "postgres")
	ctx := context.Background()
	main := rawDB(t, "pgx", e.mainURL)
	mustExec(t, main, `CREATE TABLE canary_notes (id TEXT PRIMARY KEY, subject_id TEXT NOT NULL, body BYTEA NOT NULL)`)

	anna, bram := id.New(), id.New()
	secret, kept := canary(), canary()
	ctAnna := seal(t, e.v, anna, canaryBinding("n1"), secret)
	ctBram := seal(t, e.v, bram, canaryBinding("n2"), kept)
	mustExec(t, main, `INSERT INTO canary_notes (id, subject_id, body) VALUES ($1, $2, $3), ($4, $5, $6)`,
		"n1", anna, ctAnna, "n2", bram, ctBram)
	annaKey, err := e.keys.FindDataKey(ctx, anna)
	must(t, err)

	dataDump, keyDump := pgDump(t, e.mainURL), pgDump(t, e.keysURL)
	for name, d := range map[string]string{"data dump": dataDump, "key store dump": keyDump} {
		for _, c := range []string{secret, kept} {
			if strings.Contains(d, c) {
				t.Errorf("the %s contains the canary %q", name, c)
			}
		}
	}
	if !strings.Contains(dataDump, hex.EncodeToString(ctAnna)) {
		t.Fatalf("the sealed canary is not in the data dump: the test reads the wrong dump\n%.2000s", dataDump)
	}
	if !strings.Contains(keyDump, hex.EncodeToString(annaKey.Wrapped)) {
		t.Fatalf("the wrapped key is not in the key store dump\n%.2000s", keyDump)
	}
	if strings.Contains(dataDump, hex.EncodeToString(annaKey.Wrapped)) {
		t.Errorf("the data dump contains a wrapped data key")
	}

	must(t, e.v.Destroy(ctx, anna))
	if d := pgDump(t, e.keysURL); strings.Contains(d, hex.EncodeToString(annaKey.Wrapped)) {
		t.Errorf("the key store dump after the erasure still holds the wrapped key")
	}
	// Restore the notes from the dump taken before the erasure: Bram's
	// opens, Anna's does not.
	node := vault.New(e.keys, e.ring, e.clock)
	_, err = node.Open(ctx, anna, canaryBinding("n1"), bodyFromDump(t, dataDump, "n1"))
	wantErr(t, err, vault.ErrErased, errs.NotFound)
	wantOpen(t, node, bram, canaryBinding("n2"), bodyFromDump(t, dataDump, "n2"), kept)
}

// bodyFromDump reads the body of a canary note from the COPY data in a
// pg_dump: the line "<id>\t<subject>\t\\x<hex>".
func bodyFromDump(t *testing.T, dump, row string) []byte {
	t.Helper()
	for _, line := range strings.Split(dump, "\n") {
		f := strings.Split(line, "\t")
		if len(f) == 3 && f[0] == row && strings.HasPrefix(f[2], `\\x`) {
			b, err := hex.DecodeString(strings.TrimPrefix(f[2], `\\x`))
			must(t, err)
			return b
		}
	}
	t.Fatalf("no canary note %s in the dump", row)
	return nil
}
