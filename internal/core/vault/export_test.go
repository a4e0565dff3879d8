package vault

import "context"

// Hooks for the tests in package vault_test.

// SetRotateBatch sets how many data keys one rotation transaction rewraps.
func (v *Vault) SetRotateBatch(n int) { v.batch = n }

// SetCacheSize replaces the cache by an empty one of n entries.
func (v *Vault) SetCacheSize(n int) { v.cache = newCache(n) }

// CacheLen returns how many unwrapped data keys are cached.
func (v *Vault) CacheLen() int { return v.cache.len() }

// UnwrappedKey returns the subject's data key in the clear, read from the
// store and unwrapped with the vault's keyring.
func (v *Vault) UnwrappedKey(ctx context.Context, subjectID string) ([]byte, error) {
	k, err := v.store.FindDataKey(ctx, subjectID)
	if err != nil {
		return nil, err
	}
	return v.Keyring().unwrap(subjectID, k.KEKID, k.Wrapped)
}
