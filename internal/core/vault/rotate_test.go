package vault_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/vault"
)

func TestVault_RotateKEK(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		oldRing, newRing := e.ring, newRing(t)
		e.v.SetRotateBatch(4)
		type sealed struct {
			subject, text string
			ct            []byte
		}
		var all []sealed
		for i := range 11 {
			s := sealed{subject: id.New(), text: fmt.Sprintf("verhaal %d", i)}
			s.ct = seal(t, e.v, s.subject, story, s.text)
			all = append(all, s)
		}
		erased := all[0]
		must(t, e.v.Destroy(ctx, erased.subject))
		live := all[1:]
		var before [][]byte
		for _, s := range live {
			k, err := e.keys.FindDataKey(ctx, s.subject)
			must(t, err)
			before = append(before, k.Wrapped)
		}

		n, err := e.v.RotateKEK(ctx, newRing)
		must(t, err)
		if n != len(live) {
			t.Errorf("RotateKEK rewrapped %d keys, want %d", n, len(live))
		}
		counts, err := e.v.Status(ctx)
		must(t, err)
		if diff := cmp.Diff([]vault.KeyCount{{KEKID: "", Count: 1}, {KEKID: newRing.ID(), Count: len(live)}}, counts); diff != "" {
			t.Errorf("Status after rotation (-want +got):\n%s", diff)
		}
		for i, s := range live {
			k, err := e.keys.FindDataKey(ctx, s.subject)
			must(t, err)
			if bytes.Equal(k.Wrapped, before[i]) {
				t.Errorf("key %d still has its old wrapping", i)
			}
		}

		// Everything opens with the new KEK alone, on a fresh node; the
		// sealed data was not touched.
		fresh := e.node(newRing)
		must(t, fresh.Check(ctx))
		for _, s := range live {
			wantOpen(t, fresh, s.subject, story, s.ct, s.text)
		}
		_, err = fresh.Open(ctx, erased.subject, story, erased.ct)
		wantErr(t, err, vault.ErrErased, errs.NotFound)

		// The old KEK alone no longer unwraps anything, and a node started
		// with it refuses to start.
		stale := e.node(oldRing)
		for _, s := range live {
			_, err := stale.Open(ctx, s.subject, story, s.ct)
			wantErr(t, err, vault.ErrUnknownKEK, errs.Other)
		}
		wantErr(t, stale.Check(ctx), vault.ErrUnknownKEK, errs.Other)

		// The rotating vault now wraps new keys with the new KEK.
		bram := id.New()
		ct := seal(t, e.v, bram, story, "na de rotatie")
		k, err := e.keys.FindDataKey(ctx, bram)
		must(t, err)
		if k.KEKID != newRing.ID() {
			t.Errorf("new key wrapped by %s, want the new KEK %s", k.KEKID, newRing.ID())
		}
		wantOpen(t, fresh, bram, story, ct, "na de rotatie")

		// Again: nothing left to do.
		if n, err := e.v.RotateKEK(ctx, newRing); err != nil || n != 0 {
			t.Errorf("second RotateKEK = %d, %v; want 0", n, err)
		}
	})
}

// TestVault_RotateStragglers: a node still on the old key file makes a
// data key under the old KEK during a rolling restart; a key file that
// keeps the old key as its second line still opens it, and rotating again
// rewraps it.
func TestVault_RotateStragglers(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		oldRing := e.ring
		onlyNew := newRing(t)
		newFile, err := onlyNew.Merge(oldRing) // keys generate --keep-old
		must(t, err)
		seal(t, e.v, id.New(), story, "voor de rotatie")
		if n, err := e.v.RotateKEK(ctx, newFile); err != nil || n != 1 {
			t.Fatalf("RotateKEK = %d, %v", n, err)
		}
		stillOld := e.node(oldRing)
		anna := id.New()
		ct := seal(t, stillOld, anna, story, "tijdens de herstart")

		restarted := e.node(newFile)
		must(t, restarted.Check(ctx))
		wantOpen(t, restarted, anna, story, ct, "tijdens de herstart")

		n, err := restarted.RotateKEK(ctx, newFile)
		if err != nil || n != 1 {
			t.Fatalf("second RotateKEK = %d, %v; want the 1 straggler", n, err)
		}
		counts, err := restarted.Status(ctx)
		must(t, err)
		if diff := cmp.Diff([]vault.KeyCount{{KEKID: newFile.ID(), Count: 2}}, counts); diff != "" {
			t.Errorf("Status (-want +got):\n%s", diff)
		}
		// Now the old key can go: the new key alone opens everything.
		must(t, e.node(onlyNew).Check(ctx))
		wantOpen(t, e.node(onlyNew), anna, story, ct, "tijdens de herstart")
	})
}

// TestVault_CheckWrongKey: a key file with the right key id but another
// key (a corrupted or mixed-up file) is caught before use.
func TestVault_CheckWrongKey(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		must(t, e.v.Check(ctx)) // an empty key store is fine
		anna := id.New()
		ct := seal(t, e.v, anna, story, "x")
		must(t, e.v.Check(ctx))

		raw := make([]byte, vault.KeySize)
		if _, err := rand.Read(raw); err != nil {
			t.Fatal(err)
		}
		impostor, err := vault.ParseKeyring([]byte("v1:" + e.ring.ID() + ":" + base64.StdEncoding.EncodeToString(raw)))
		must(t, err)
		other := e.node(impostor)
		wantErr(t, other.Check(ctx), vault.ErrUnwrap, errs.Other)
		_, err = other.Open(ctx, anna, story, ct)
		wantErr(t, err, vault.ErrUnwrap, errs.Other)
	})
}
