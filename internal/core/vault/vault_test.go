package vault_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/vault"
)

var story = vault.Binding{Table: "stories", Column: "body", RowID: "story-1"}

func TestVault_SealOpen(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		anna := id.New()
		for _, text := range []string{"", "Ik heb hulp nodig bij het huishouden.", strings.Repeat("lang verhaal ", 10000)} {
			ct := seal(t, e.v, anna, story, text)
			if len(ct) != len(text)+vault.Overhead {
				t.Errorf("len(ciphertext) = %d, want %d", len(ct), len(text)+vault.Overhead)
			}
			if len(text) > 0 && bytes.Contains(ct, []byte(text)) {
				t.Errorf("the ciphertext contains the plaintext")
			}
			wantOpen(t, e.v, anna, story, ct, text)
			// Another node opens it too.
			wantOpen(t, e.node(e.ring), anna, story, ct, text)
		}
		// Sealing the same text twice gives different ciphertexts (fresh nonce).
		a, b := seal(t, e.v, anna, story, "zelfde"), seal(t, e.v, anna, story, "zelfde")
		if bytes.Equal(a, b) {
			t.Errorf("two seals of one text are equal")
		}

		t.Run("ErrInvalid", func(t *testing.T) {
			for _, tc := range []struct {
				subject string
				b       vault.Binding
			}{
				{"", story},
				{anna, vault.Binding{Column: "body", RowID: "1"}},
				{anna, vault.Binding{Table: "stories", RowID: "1"}},
				{anna, vault.Binding{Table: "stories", Column: "body"}},
			} {
				_, err := e.v.Seal(t.Context(), tc.subject, tc.b, []byte("x"))
				if !errs.Is(err, errs.Invalid) {
					t.Errorf("Seal(%q, %+v) = %v, want invalid", tc.subject, tc.b, err)
				}
				_, err = e.v.Open(t.Context(), tc.subject, tc.b, a)
				if !errs.Is(err, errs.Invalid) {
					t.Errorf("Open(%q, %+v) = %v, want invalid", tc.subject, tc.b, err)
				}
			}
		})
	})
}

// TestVault_WrongPlace: a ciphertext moved to another row, column, table or
// resident does not open.
func TestVault_WrongPlace(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		anna, bram := id.New(), id.New()
		seal(t, e.v, bram, story, "Bram heeft ook een sleutel")
		ct := seal(t, e.v, anna, story, "geheim")
		tests := []struct {
			name    string
			subject string
			b       vault.Binding
		}{
			{"OtherRow", anna, vault.Binding{Table: "stories", Column: "body", RowID: "story-2"}},
			{"OtherColumn", anna, vault.Binding{Table: "stories", Column: "title", RowID: "story-1"}},
			{"OtherTable", anna, vault.Binding{Table: "notes", Column: "body", RowID: "story-1"}},
			{"OtherSubject", bram, story},
			// The length prefixes keep the parts apart.
			{"ShiftedParts", anna, vault.Binding{Table: "storiesb", Column: "ody", RowID: "story-1"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.v.Open(t.Context(), tc.subject, tc.b, ct)
				wantErr(t, err, vault.ErrCorrupt, errs.Other)
			})
		}
		t.Run("SubjectWithoutKey", func(t *testing.T) {
			_, err := e.v.Open(t.Context(), id.New(), story, ct)
			wantErr(t, err, vault.ErrNoKey, errs.NotFound)
		})
		wantOpen(t, e.v, anna, story, ct, "geheim")
	})
}

func TestVault_Tampered(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		anna := id.New()
		ct := seal(t, e.v, anna, story, "niet aankomen")
		flip := func(i int) []byte {
			c := bytes.Clone(ct)
			c[i] ^= 0x01
			return c
		}
		tests := []struct {
			name string
			ct   []byte
		}{
			{"Version", flip(0)},
			{"Nonce", flip(5)},
			{"Body", flip(14)},
			{"Tag", flip(len(ct) - 1)},
			{"Truncated", ct[:len(ct)-1]},
			{"TooShort", ct[:vault.Overhead-1]},
			{"Empty", nil},
			{"Extended", append(bytes.Clone(ct), 0)},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.v.Open(t.Context(), anna, story, tc.ct)
				wantErr(t, err, vault.ErrCorrupt, errs.Other)
			})
		}
		wantOpen(t, e.v, anna, story, ct, "niet aankomen")
	})
}

// TestVault_KeyPerSubject: every resident has a data key of their own.
func TestVault_KeyPerSubject(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		anna, bram := id.New(), id.New()
		ca, cb := seal(t, e.v, anna, story, "hetzelfde verhaal"), seal(t, e.v, bram, story, "hetzelfde verhaal")
		if bytes.Equal(ca[1+12:], cb[1+12:]) {
			t.Errorf("two residents' ciphertexts of one text are equal")
		}
		ka, err := e.v.UnwrappedKey(ctx, anna)
		must(t, err)
		kb, err := e.v.UnwrappedKey(ctx, bram)
		must(t, err)
		if len(ka) != vault.KeySize || len(kb) != vault.KeySize || bytes.Equal(ka, kb) {
			t.Errorf("data keys: %d and %d bytes, equal %v; want two different 32-byte keys", len(ka), len(kb), bytes.Equal(ka, kb))
		}
		wa, err := e.keys.FindDataKey(ctx, anna)
		must(t, err)
		if wa.KEKID != e.ring.ID() || bytes.Contains(wa.Wrapped, ka) {
			t.Errorf("stored key: KEK %q (want %q), holds the key in the clear: %v", wa.KEKID, e.ring.ID(), bytes.Contains(wa.Wrapped, ka))
		}
		// The key stays the same for later seals.
		seal(t, e.v, anna, vault.Binding{Table: "notes", Column: "body", RowID: "n1"}, "meer")
		ka2, err := e.v.UnwrappedKey(ctx, anna)
		must(t, err)
		if !bytes.Equal(ka, ka2) {
			t.Errorf("a second seal made a new data key")
		}
		// A wrapped key moved to another resident does not unwrap.
		wb, err := e.keys.FindDataKey(ctx, bram)
		must(t, err)
		carol := id.New()
		if _, err := e.keys.CreateDataKey(ctx, vault.DataKey{SubjectID: carol, Wrapped: wb.Wrapped, KEKID: wb.KEKID, CreatedAt: epoch}); err != nil {
			t.Fatal(err)
		}
		_, err = e.v.Open(ctx, carol, story, cb)
		wantErr(t, err, vault.ErrUnwrap, errs.Other)
	})
}

func TestVault_Destroy(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		anna, bram := id.New(), id.New()
		other := e.node(e.ring) // a second app node
		ca := seal(t, e.v, anna, story, "weg ermee")
		cb := seal(t, e.v, bram, story, "blijft")
		// The other node has Anna's key in its cache.
		wantOpen(t, other, anna, story, ca, "weg ermee")

		must(t, e.v.Destroy(ctx, anna))
		for name, v := range map[string]*vault.Vault{"ThisNode": e.v, "OtherNode": other, "NewNode": e.node(e.ring)} {
			t.Run(name, func(t *testing.T) {
				_, err := v.Open(ctx, anna, story, ca)
				wantErr(t, err, vault.ErrErased, errs.NotFound)
				if errs.KeyOf(err) != "error.erased" {
					t.Errorf("message key %q, want error.erased", errs.KeyOf(err))
				}
				_, err = v.Seal(ctx, anna, story, []byte("nieuw"))
				wantErr(t, err, vault.ErrErased, errs.NotFound)
				wantOpen(t, v, bram, story, cb, "blijft")
			})
		}
		k, err := e.keys.FindDataKey(ctx, anna)
		must(t, err)
		if k.Wrapped != nil || k.KEKID != "" || k.DestroyedAt == nil || !k.DestroyedAt.Equal(epoch) {
			t.Errorf("key store after destroy: %+v, want no key, destroyed at %v", k, epoch)
		}
		// Twice is harmless; a resident who never sealed anything can be
		// erased too, and gets no key afterwards.
		must(t, e.v.Destroy(ctx, anna))
		carol := id.New()
		must(t, other.Destroy(ctx, carol))
		_, err = e.v.Seal(ctx, carol, story, []byte("x"))
		wantErr(t, err, vault.ErrErased, errs.NotFound)
		if err := e.v.Destroy(ctx, ""); !errs.Is(err, errs.Invalid) {
			t.Errorf("Destroy(\"\") = %v", err)
		}
	})
}

// TestVault_FirstSealRace: nodes sealing for a new resident at the same
// time agree on one data key.
func TestVault_FirstSealRace(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		anna := id.New()
		nodes := []*vault.Vault{e.v, e.node(e.ring), e.node(e.ring), e.node(e.ring)}
		cts := make([][]byte, 8)
		var wg sync.WaitGroup
		for i := range cts {
			wg.Go(func() {
				ct, err := nodes[i%len(nodes)].Seal(context.Background(), anna, story, fmt.Appendf(nil, "tekst %d", i))
				if err != nil {
					t.Errorf("Seal %d: %v", i, err)
				}
				cts[i] = ct
			})
		}
		wg.Wait()
		for i, ct := range cts {
			for _, v := range nodes {
				wantOpen(t, v, anna, story, ct, fmt.Sprintf("tekst %d", i))
			}
		}
	})
}

// countingStore counts the key store reads of a vault.
type countingStore struct {
	vault.Store
	mu           sync.Mutex
	full, states int
}

func (s *countingStore) FindDataKey(ctx context.Context, subjectID string) (vault.DataKey, error) {
	s.mu.Lock()
	s.full++
	s.mu.Unlock()
	return s.Store.FindDataKey(ctx, subjectID)
}

func (s *countingStore) FindDataKeyState(ctx context.Context, subjectID string) (vault.DataKey, error) {
	s.mu.Lock()
	s.states++
	s.mu.Unlock()
	return s.Store.FindDataKeyState(ctx, subjectID)
}

// TestVault_Cache: a page with many fields unwraps the key once, still
// reads the key state once per field, and the cache stays bounded.
func TestVault_Cache(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		store := &countingStore{Store: e.keys}
		v := vault.New(store, e.ring, e.clock)
		anna := id.New()
		var cts [][]byte
		for i := range 10 {
			cts = append(cts, seal(t, e.v, anna, vault.Binding{Table: "dossier_notes", Column: "body", RowID: fmt.Sprint(i)}, "notitie"))
		}
		for i, ct := range cts {
			wantOpen(t, v, anna, vault.Binding{Table: "dossier_notes", Column: "body", RowID: fmt.Sprint(i)}, ct, "notitie")
		}
		if store.full != 1 || store.states != 9 {
			t.Errorf("10 opens read the wrapped key %d times and the state %d times, want 1 and 9", store.full, store.states)
		}

		// Destroy drops the cached key on this node.
		if n := v.CacheLen(); n != 1 {
			t.Errorf("cache holds %d keys, want Anna's", n)
		}
		must(t, v.Destroy(t.Context(), anna))
		if n := v.CacheLen(); n != 0 {
			t.Errorf("cache holds %d keys after Destroy, want none", n)
		}

		v.SetCacheSize(3)
		for range 5 {
			seal(t, v, id.New(), story, "x")
		}
		if n := v.CacheLen(); n != 3 {
			t.Errorf("cache holds %d keys, want at most 3", n)
		}
	})
}
