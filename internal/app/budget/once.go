package budget

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// MaxKeyLen is the longest idempotency key, in characters.
const MaxKeyLen = 200

// checkKey checks an idempotency key: required, at most MaxKeyLen.
func checkKey(op, key string) error {
	switch {
	case strings.TrimSpace(key) == "":
		return errs.E(op, errs.Invalid, errs.Key("error.budget.key_required"),
			errs.Fields{"idempotency_key": "field.idempotency_key.required"})
	case utf8.RuneCountInString(key) > MaxKeyLen:
		return errs.E(op, errs.Invalid, errs.Key("error.budget.key_required"),
			errs.Fields{"idempotency_key": "field.idempotency_key.too_long"})
	}
	return nil
}

// requestHash is the fingerprint of a call: its operation and arguments.
func requestHash(op string, parts ...string) string {
	h := sha256.New()
	h.Write([]byte(op))
	for _, p := range parts {
		h.Write([]byte{0x1f})
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// once runs do in one transaction under the actor's idempotency key;
// known is the result's id when the caller knows it before (the claim or
// agreement acted on), which saves a write.
// When the key was used before for the same call, do does not run and the
// first call's result id comes back with replay set; for another call the
// key is a Conflict. The key is recorded in do's transaction, so a call
// that fails leaves no key behind and may be retried.
func (s *Service) once(ctx context.Context, op string, actor *identity.Person, key, hash, known string,
	do func(ctx context.Context) (string, error)) (resultID string, replay bool, err error) {
	if err := checkKey(op, key); err != nil {
		return "", false, err
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		rec := Idempotency{ActorID: actor.ID, Key: key, Operation: op, RequestHash: hash, ResultID: known}
		got, found, err := s.store.ClaimIdempotencyKey(ctx, rec, s.now().UnixMilli())
		if err != nil {
			return err
		}
		if found {
			if got.Operation != op || got.RequestHash != hash {
				return errs.E(op, errs.Conflict, errs.Key("error.budget.key_reused"))
			}
			resultID, replay = got.ResultID, true
			return nil
		}
		if resultID, err = do(ctx); err != nil {
			return err
		}
		if resultID == known {
			return nil
		}
		return s.store.SetIdempotencyResult(ctx, actor.ID, key, resultID)
	})
	if err != nil {
		return "", false, errs.E(op, err)
	}
	return resultID, replay, nil
}
