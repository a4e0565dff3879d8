package vault

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
)

// The layouts of what the vault writes; see the package documentation.
const (
	dataVersion byte = 1 // sealed field: version, nonce, AES-256-GCM(DEK) ciphertext and tag
	wrapVersion byte = 1 // wrapped DEK: version, nonce, AES-256-GCM(KEK) of the 32-byte DEK and tag
	nonceSize        = 12
	tagSize          = 16

	// Overhead is how many bytes Seal adds to a plaintext.
	Overhead = 1 + nonceSize + tagSize

	wrappedSize = 1 + nonceSize + KeySize + tagSize
)

// Labels that keep the additional data of the two uses apart.
const (
	dataLabel = "inwonercloud/vault/data/v1"
	wrapLabel = "inwonercloud/vault/dek/v1"
)

// aad builds GCM additional data: the label, the header, then every part
// prefixed with its length, so that no two different lists of parts give
// the same bytes ("ab","c" differs from "a","bc").
func aad(label string, header []byte, parts ...string) []byte {
	n := len(label) + len(header)
	for _, p := range parts {
		n += 4 + len(p)
	}
	b := make([]byte, 0, n)
	b = append(b, label...)
	b = append(b, header...)
	for _, p := range parts {
		b = binary.BigEndian.AppendUint32(b, uint32(len(p)))
		b = append(b, p...)
	}
	return b
}

// dataAAD is the additional data of a sealed field: the header, the
// subject and the binding.
func dataAAD(header []byte, subjectID string, b Binding) []byte {
	return aad(dataLabel, header, subjectID, b.Table, b.Column, b.RowID)
}

// wrapAAD is the additional data of a wrapped DEK: it binds the DEK to its
// subject and to the id of the KEK that wraps it.
func wrapAAD(header []byte, subjectID, kid string) []byte {
	return aad(wrapLabel, header, subjectID, kid)
}

// wrap encrypts a DEK for subjectID under the current key; it returns the
// wrapped bytes and the id of the key used.
func (r *Keyring) wrap(subjectID string, dek []byte) ([]byte, string, error) {
	k := r.keys[0]
	out := make([]byte, 1+nonceSize, wrappedSize)
	out[0] = wrapVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, "", err
	}
	out = k.aead.Seal(out, out[1:1+nonceSize], dek, wrapAAD(out[:1], subjectID, k.id))
	return out, k.id, nil
}

// unwrap decrypts the DEK of subjectID that key kid wrapped.
func (r *Keyring) unwrap(subjectID, kid string, wrapped []byte) ([]byte, error) {
	k := r.find(kid)
	if k == nil {
		return nil, fmt.Errorf("%w: %s", ErrUnknownKEK, kid)
	}
	if len(wrapped) != wrappedSize || wrapped[0] != wrapVersion {
		return nil, fmt.Errorf("%w: key %s: bad length or version", ErrUnwrap, kid)
	}
	dek, err := k.aead.Open(nil, wrapped[1:1+nonceSize], wrapped[1+nonceSize:], wrapAAD(wrapped[:1], subjectID, kid))
	if err != nil {
		return nil, fmt.Errorf("%w: key %s", ErrUnwrap, kid)
	}
	return dek, nil
}
