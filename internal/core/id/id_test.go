package id_test

import (
	"encoding/base32"
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/id"
)

// alphabet is the id encoding: Crockford-like base32 in ASCII order, so
// that text order is byte order.
const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"

var enc = base32.NewEncoding(alphabet).WithPadding(base32.NoPadding)

// millis decodes the creation time in milliseconds from an id.
func millis(t *testing.T, s string) int64 {
	t.Helper()
	b, err := enc.DecodeString(s)
	if err != nil || len(b) != 16 {
		t.Fatalf("id %q does not decode to 16 bytes: %v", s, err)
	}
	return int64(binary.BigEndian.Uint64(b[:8]) >> 16)
}

func TestNew(t *testing.T) {
	t.Parallel()
	before := time.Now().UnixMilli()
	// Make ids until they span three milliseconds (busy work, no sleeping),
	// so that ids of different milliseconds are compared.
	var ids []string
	stamps := map[int64]bool{}
	for len(stamps) < 3 && len(ids) < 10_000_000 {
		s := id.New()
		ids = append(ids, s)
		stamps[millis(t, s)] = true
	}
	after := time.Now().UnixMilli()
	if len(stamps) < 3 {
		t.Fatalf("%d ids made within %d ms", len(ids), len(stamps))
	}

	seen := make(map[string]bool, len(ids))
	for i, s := range ids {
		if len(s) != 26 || strings.Trim(s, alphabet) != "" {
			t.Fatalf("id %q: want 26 characters of %s", s, alphabet)
		}
		if seen[s] {
			t.Fatalf("id %q made twice", s)
		}
		seen[s] = true
		if ms := millis(t, s); ms < before || ms > after {
			t.Fatalf("id %q says %d ms, made between %d and %d", s, ms, before, after)
		}
		if i > 0 {
			prev := ids[i-1]
			// Within a millisecond the order is random; across, it is time.
			if millis(t, prev) < millis(t, s) && prev >= s {
				t.Fatalf("id %q made after %q sorts before it", s, prev)
			}
			if millis(t, prev) > millis(t, s) {
				t.Fatalf("id %q has an earlier time than %q made before it", s, prev)
			}
		}
	}
}

func TestToken(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		tok := id.Token()
		if len(tok) != 52 || strings.Trim(tok, alphabet) != "" {
			t.Fatalf("token %q: want 52 URL-safe characters (256 bits)", tok)
		}
		if seen[tok] {
			t.Fatalf("token %q made twice", tok)
		}
		seen[tok] = true
	}
}

func TestHash(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		// SHA-256 test vectors: hashes stored in databases must never change.
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	}
	for _, tc := range tests {
		if got := id.Hash(tc.in); got != tc.want {
			t.Errorf("Hash(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
	tok := id.Token()
	if first, again := id.Hash(tok), id.Hash(tok); first != again || first == id.Hash(tok+"x") {
		t.Error("Hash is not a stable function of its input")
	}
}
