package vault

import (
	"context"
	"fmt"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// RotateKEK rewraps every live data key under the current key of newKEK,
// in batches of one transaction each, and from then on wraps new data keys
// with it. Sealed data is not touched: its data keys stay the same. Data
// keys are unwrapped with newKEK's keys and the vault's own. It returns
// how many keys it rewrapped; running it again only rewraps keys made
// meanwhile under an older key (by nodes still on the old key file).
func (v *Vault) RotateKEK(ctx context.Context, newKEK *Keyring) (int, error) {
	const op = "vault.RotateKEK"
	ring, err := newKEK.Merge(v.Keyring())
	if err != nil {
		return 0, errs.E(op, errs.Invalid, err)
	}
	rewrap := func(k DataKey) ([]byte, error) {
		dek, err := ring.unwrap(k.SubjectID, k.KEKID, k.Wrapped)
		if err != nil {
			return nil, err
		}
		defer clear(dek)
		wrapped, _, err := ring.wrap(k.SubjectID, dek)
		return wrapped, err
	}
	total := 0
	for {
		n, err := v.store.RewrapDataKeys(ctx, ring.ID(), v.batch, rewrap)
		total += n
		if err != nil {
			return total, errs.E(op, err)
		}
		if n < v.batch {
			break
		}
	}
	v.mu.Lock()
	v.ring = ring
	v.mu.Unlock()
	return total, nil
}

// Check makes sure the keyring fits the key store before the vault is
// used: every key-encryption key that wraps a live data key must be in
// the keyring, and one data key of each must unwrap. A node started with
// the wrong key file stops here instead of failing for residents one by
// one, or making new data keys under a key no other node has.
func (v *Vault) Check(ctx context.Context) error {
	const op = "vault.Check"
	counts, err := v.store.CountDataKeys(ctx)
	if err != nil {
		return errs.E(op, err)
	}
	ring := v.Keyring()
	for _, c := range counts {
		if c.KEKID == "" {
			continue
		}
		if !ring.Has(c.KEKID) {
			return errs.E(op, fmt.Errorf("%w: %d data keys are wrapped by key %s", ErrUnknownKEK, c.Count, c.KEKID))
		}
		k, err := v.store.FindDataKeyByKEK(ctx, c.KEKID)
		if errs.Is(err, errs.NotFound) {
			continue // rewrapped or destroyed since the count
		}
		if err != nil {
			return errs.E(op, err)
		}
		dek, err := ring.unwrap(k.SubjectID, k.KEKID, k.Wrapped)
		if err != nil {
			return errs.E(op, err)
		}
		clear(dek)
	}
	return nil
}

// Status counts the data keys per key-encryption key id; destroyed keys
// (erased residents) are counted under "".
func (v *Vault) Status(ctx context.Context) ([]KeyCount, error) {
	counts, err := v.store.CountDataKeys(ctx)
	if err != nil {
		return nil, errs.E("vault.Status", err)
	}
	return counts, nil
}
