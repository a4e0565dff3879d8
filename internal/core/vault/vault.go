package vault

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"sync"

	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// Errors the vault wraps in an errs.Error; test for them with errors.Is.
var (
	// ErrErased: the resident's data key was destroyed, so their sealed
	// data is gone for good (kind NotFound, key "error.erased").
	ErrErased = errors.New("vault: the data key was destroyed (erased)")
	// ErrNoKey: the subject has no data key, so nothing was ever sealed for
	// them in this key store (kind NotFound).
	ErrNoKey = errors.New("vault: no data key for this subject")
	// ErrCorrupt: a ciphertext does not open for this subject and binding:
	// it was moved to another row, column, table or resident, changed, or
	// is not a vault ciphertext at all.
	ErrCorrupt = errors.New("vault: ciphertext does not open here (moved, altered or corrupt)")
	// ErrUnknownKEK: a data key is wrapped by a key-encryption key that is
	// not in the keyring (the wrong key file, or a rotation not finished).
	ErrUnknownKEK = errors.New("vault: data key wrapped by a key-encryption key that is not in the key file")
	// ErrUnwrap: a data key does not unwrap under the key with its id (a
	// different key under the same id, or an altered key store).
	ErrUnwrap = errors.New("vault: data key does not unwrap")
)

// Binding names the place a sealed value belongs to. Together with the
// subject it is the GCM additional data, so a ciphertext only opens in the
// table, column and row (and for the resident) it was sealed for.
type Binding struct {
	Table, Column, RowID string
}

// Sizes: the unwrapped data keys a Vault keeps in memory, and how many
// data keys one transaction of RotateKEK rewraps.
const (
	cacheSize   = 1024
	rotateBatch = 200
)

// Vault seals and opens residents' sensitive fields with a data key per
// resident, and erases a resident by destroying that key. It is safe for
// concurrent use; several Vaults (nodes) may share one key store.
type Vault struct {
	store Store
	clock clock.Clock
	cache *cache
	batch int // data keys per rotation transaction

	mu   sync.RWMutex
	ring *Keyring
}

// New returns a vault over the key store, wrapping new data keys with the
// current key of ring.
func New(store Store, ring *Keyring, clk clock.Clock) *Vault {
	return &Vault{store: store, clock: clk, cache: newCache(cacheSize), batch: rotateBatch, ring: ring}
}

// Keyring returns the keyring in use.
func (v *Vault) Keyring() *Keyring {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.ring
}

func (b Binding) valid() bool { return b.Table != "" && b.Column != "" && b.RowID != "" }

// Seal encrypts plaintext for the subject at the binding's place, making
// the subject's data key on first use. It refuses a subject whose key was
// destroyed (ErrErased).
func (v *Vault) Seal(ctx context.Context, subjectID string, b Binding, plaintext []byte) ([]byte, error) {
	const op = "vault.Seal"
	if subjectID == "" || !b.valid() {
		return nil, errs.E(op, errs.Invalid, errs.Key("error.invalid"))
	}
	aead, err := v.dataKey(ctx, op, subjectID, true)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1+nonceSize, len(plaintext)+Overhead)
	out[0] = dataVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, errs.E(op, err)
	}
	return aead.Seal(out, out[1:1+nonceSize], plaintext, dataAAD(out[:1], subjectID, b)), nil
}

// Open decrypts a ciphertext that Seal made for the subject at the
// binding's place. It fails with ErrErased after Destroy, with ErrNoKey
// when the subject has no key, and with ErrCorrupt when the ciphertext was
// moved or altered.
func (v *Vault) Open(ctx context.Context, subjectID string, b Binding, ciphertext []byte) ([]byte, error) {
	const op = "vault.Open"
	if subjectID == "" || !b.valid() {
		return nil, errs.E(op, errs.Invalid, errs.Key("error.invalid"))
	}
	aead, err := v.dataKey(ctx, op, subjectID, false)
	if err != nil {
		return nil, err
	}
	if len(ciphertext) < Overhead || ciphertext[0] != dataVersion {
		return nil, errs.E(op, ErrCorrupt)
	}
	pt, err := aead.Open(nil, ciphertext[1:1+nonceSize], ciphertext[1+nonceSize:], dataAAD(ciphertext[:1], subjectID, b))
	if err != nil {
		return nil, errs.E(op, ErrCorrupt)
	}
	return pt, nil
}

// Destroy crypto-shreds the subject's data key: the wrapped key is
// overwritten in the key store and the subject is marked erased, on every
// node at once. Everything sealed for the subject can no longer be opened,
// and nothing can be sealed for them again. Destroying twice is harmless.
func (v *Vault) Destroy(ctx context.Context, subjectID string) error {
	const op = "vault.Destroy"
	if subjectID == "" {
		return errs.E(op, errs.Invalid, errs.Key("error.invalid"))
	}
	// Drop the cached key before and after: an Open racing with Destroy on
	// this node must not keep the key in memory afterwards.
	v.cache.drop(subjectID)
	if err := v.store.DestroyDataKey(ctx, subjectID, v.clock.Now()); err != nil {
		return errs.E(op, err)
	}
	v.cache.drop(subjectID)
	return nil
}

// dataKey returns the subject's data key as an AEAD, from the cache or by
// unwrapping it; with create set it makes a key for a subject without one.
// Every call reads the key's state from the store (one primary-key read),
// so a key destroyed on another node is never used from this node's cache.
func (v *Vault) dataKey(ctx context.Context, op, subjectID string, create bool) (cipher.AEAD, error) {
	if aead, ok := v.cache.get(subjectID); ok {
		st, err := v.store.FindDataKeyState(ctx, subjectID)
		switch {
		case err == nil && !st.Destroyed():
			return aead, nil
		case err == nil:
			v.cache.drop(subjectID)
			return nil, erased(op)
		case !errs.Is(err, errs.NotFound):
			return nil, errs.E(op, err)
		}
		// The key is gone from the store (a restored key store): forget it.
		v.cache.drop(subjectID)
	}
	k, err := v.store.FindDataKey(ctx, subjectID)
	if errs.Is(err, errs.NotFound) {
		if !create {
			return nil, errs.E(op, errs.NotFound, ErrNoKey)
		}
		k, err = v.createDataKey(ctx, subjectID)
	}
	if err != nil {
		return nil, errs.E(op, err)
	}
	if k.Destroyed() {
		return nil, erased(op)
	}
	dek, err := v.Keyring().unwrap(subjectID, k.KEKID, k.Wrapped)
	if err != nil {
		return nil, errs.E(op, err)
	}
	aead, err := newAEAD(dek)
	clear(dek)
	if err != nil {
		return nil, errs.E(op, err)
	}
	v.cache.put(subjectID, aead)
	return aead, nil
}

// createDataKey makes, wraps and stores a fresh data key, and returns the
// key the store holds afterwards, which is another node's when it was
// first.
func (v *Vault) createDataKey(ctx context.Context, subjectID string) (DataKey, error) {
	dek := make([]byte, KeySize)
	defer clear(dek)
	if _, err := rand.Read(dek); err != nil {
		return DataKey{}, err
	}
	wrapped, kid, err := v.Keyring().wrap(subjectID, dek)
	if err != nil {
		return DataKey{}, err
	}
	return v.store.CreateDataKey(ctx, DataKey{SubjectID: subjectID, Wrapped: wrapped, KEKID: kid, CreatedAt: v.clock.Now()})
}

func erased(op string) error { return errs.E(op, errs.NotFound, errs.Key("error.erased"), ErrErased) }

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
