package vault_test

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/core/vault"
)

// newRing returns a fresh one-key keyring.
func newRing(tb testing.TB) *vault.Keyring {
	tb.Helper()
	r, err := vault.NewKeyring()
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func TestKeyring_MarshalParse(t *testing.T) {
	t.Parallel()
	cur, old := newRing(t), newRing(t)
	if cur.ID() == old.ID() {
		t.Fatalf("two new keyrings share the id %s", cur.ID())
	}
	both, err := cur.Merge(old)
	if err != nil {
		t.Fatal(err)
	}
	text := both.Marshal()
	if !strings.HasPrefix(string(text), "# ") {
		t.Errorf("key file has no comment header: %q", text)
	}
	got, err := vault.ParseKeyring(text)
	if err != nil {
		t.Fatalf("ParseKeyring(Marshal()): %v", err)
	}
	if diff := cmp.Diff([]string{cur.ID(), old.ID()}, got.IDs()); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if got.ID() != cur.ID() || !got.Has(old.ID()) || got.Has("other") {
		t.Errorf("current %s, has old %v", got.ID(), got.Has(old.ID()))
	}
	if string(got.Marshal()) != string(text) {
		t.Errorf("Marshal after Parse differs:\n%s\n%s", got.Marshal(), text)
	}
	// Merging keeps the first keyring's current key and drops duplicates.
	again, err := old.Merge(both)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{old.ID(), cur.ID()}, again.IDs()); diff != "" {
		t.Errorf("ids after merge (-want +got):\n%s", diff)
	}
}

func TestParseKeyring_Bad(t *testing.T) {
	t.Parallel()
	key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	short := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef"))
	tests := []struct{ name, text, want string }{
		{"Empty", "", "no key"},
		{"OnlyComments", "# nothing\n\n", "no key"},
		{"NoVersion", "k1:" + key, "line 1: want v1"},
		{"OtherVersion", "v2:k1:" + key, "line 1: want v1"},
		{"NoKey", "v1:k1", "line 1: want v1"},
		{"BadID", "v1:k 1:" + key, "key id"},
		{"EmptyID", "v1::" + key, "key id"},
		{"NotBase64", "v1:k1:@@@@", "32 bytes"},
		{"ShortKey", "v1:k1:" + short, "32 bytes"},
		{"Duplicate", "v1:k1:" + key + "\nv1:k1:" + key, "line 2: key id k1 appears twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := vault.ParseKeyring([]byte(tc.text))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ParseKeyring = %v, want an error containing %q", err, tc.want)
			}
			if strings.Contains(err.Error(), key) || strings.Contains(err.Error(), short) {
				t.Errorf("error shows key material: %v", err)
			}
		})
	}
	// Comments, blank lines and surrounding spaces are fine.
	r, err := vault.ParseKeyring([]byte("# a comment\n\n  v1:k-1.a_b:" + key + "  \n"))
	if err != nil || r.ID() != "k-1.a_b" {
		t.Errorf("ParseKeyring with comments: %v", err)
	}
}

func TestKeyring_MergeConflict(t *testing.T) {
	t.Parallel()
	ra, err := vault.ParseKeyring([]byte(fixID(string(newRing(t).Marshal()))))
	if err != nil {
		t.Fatal(err)
	}
	rb, err := vault.ParseKeyring([]byte(fixID(string(newRing(t).Marshal()))))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ra.Merge(rb); err == nil || !strings.Contains(err.Error(), "two different keys") {
		t.Errorf("Merge of two keys under one id = %v", err)
	}
	if _, err := ra.Merge(ra); err != nil {
		t.Errorf("Merge with itself: %v", err)
	}
}

// fixID renames the key on the v1 line of a key file to "same".
func fixID(text string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "v1:") {
			parts := strings.SplitN(l, ":", 3)
			l = "v1:same:" + parts[2]
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

func TestKeyFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ring := newRing(t)
	path := filepath.Join(dir, "kek")
	if err := vault.WriteKeyFile(path, ring); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %04o, want 0600", fi.Mode().Perm())
	}
	got, err := vault.ReadKeyFile(path)
	if err != nil || got.ID() != ring.ID() {
		t.Fatalf("ReadKeyFile = %v, %v", got, err)
	}
	// Never overwritten: the existing key stays.
	if err := vault.WriteKeyFile(path, newRing(t)); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("WriteKeyFile over an existing file: %v", err)
	}
	if got, _ := vault.ReadKeyFile(path); got.ID() != ring.ID() {
		t.Errorf("the key file was overwritten")
	}

	for _, tc := range []struct {
		mode os.FileMode
		ok   bool
	}{{0o600, true}, {0o400, true}, {0o640, true}, {0o644, false}, {0o604, false}, {0o602, false}, {0o666, false}} {
		if err := os.Chmod(path, tc.mode); err != nil {
			t.Fatal(err)
		}
		_, err := vault.ReadKeyFile(path)
		if tc.ok && err != nil {
			t.Errorf("mode %04o: %v", tc.mode, err)
		}
		if !tc.ok && (err == nil || !strings.Contains(err.Error(), "chmod 600")) {
			t.Errorf("mode %04o: err = %v, want a refusal that says chmod 600", tc.mode, err)
		}
	}
	if _, err := vault.ReadKeyFile(filepath.Join(dir, "missing")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := vault.ReadKeyFile(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("directory: %v", err)
	}
}
