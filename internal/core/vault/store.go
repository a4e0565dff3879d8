package vault

import (
	"context"
	"time"
)

// DataKey is one resident's data-encryption key as the key store holds it:
// wrapped by a key-encryption key, never in the clear.
type DataKey struct {
	SubjectID   string
	Wrapped     []byte     // nil once destroyed
	KEKID       string     // the id of the KEK that wraps it; "" once destroyed
	CreatedAt   time.Time  // when the key was made
	DestroyedAt *time.Time // when it was crypto-shredded; nil while live
}

// Destroyed reports whether the key has been crypto-shredded.
func (k DataKey) Destroyed() bool { return k.DestroyedAt != nil }

// KeyCount is how many data keys one KEK wraps. An empty KEKID counts the
// destroyed keys (erased residents).
type KeyCount struct {
	KEKID string
	Count int
}

// Store is the key store the vault needs. It must keep its own
// transactions: it never joins a transaction of the caller's context, so a
// key store in another database than the data behaves the same.
type Store interface {
	// FindDataKey returns the subject's key with its wrapped bytes, or a
	// NotFound error when the subject has none.
	FindDataKey(ctx context.Context, subjectID string) (DataKey, error)
	// FindDataKeyState is FindDataKey without the wrapped bytes: the cheap
	// read that tells whether a cached key is still live.
	FindDataKeyState(ctx context.Context, subjectID string) (DataKey, error)
	// CreateDataKey stores k unless the subject already has a key (live or
	// destroyed), and returns the key that is stored afterwards: k, or the
	// one another node stored first.
	CreateDataKey(ctx context.Context, k DataKey) (DataKey, error)
	// DestroyDataKey overwrites the subject's wrapped key and marks it
	// destroyed at at; for a subject without a key it stores a destroyed
	// one. Destroying twice keeps the first time.
	DestroyDataKey(ctx context.Context, subjectID string, at time.Time) error
	// RewrapDataKeys takes up to limit live keys not wrapped by toKEK, in
	// one transaction, replaces each one's wrapped bytes by what rewrap
	// returns and its KEK id by toKEK, and reports how many it rewrapped.
	RewrapDataKeys(ctx context.Context, toKEK string, limit int, rewrap func(DataKey) ([]byte, error)) (int, error)
	// CountDataKeys counts the keys per KEK id, destroyed ones under "".
	CountDataKeys(ctx context.Context) ([]KeyCount, error)
	// FindDataKeyByKEK returns one live key wrapped by kekID, or NotFound.
	FindDataKeyByKEK(ctx context.Context, kekID string) (DataKey, error)
}
