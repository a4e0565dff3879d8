// Package id makes opaque, sortable text identifiers and secret tokens.
package id

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"strings"
	"sync"
	"time"
)

var enc = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

var (
	mu   sync.Mutex
	last uint64
)

// New returns a 26-character identifier that sorts by creation time: 48
// bits of milliseconds, then 80 random bits.
func New() string {
	var b [16]byte
	ms := uint64(time.Now().UnixMilli())
	mu.Lock()
	if ms <= last {
		ms = last
	}
	last = ms
	mu.Unlock()
	binary.BigEndian.PutUint64(b[:8], ms<<16)
	if _, err := rand.Read(b[6:]); err != nil {
		panic(err)
	}
	return enc.EncodeToString(b[:])
}

// Token returns a secret of 256 random bits as URL-safe text.
func Token() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return strings.ToLower(enc.EncodeToString(b[:]))
}

// Hash returns the SHA-256 of a secret token as hex; only hashes of tokens
// are stored, so a copy of the database cannot be used to log in.
func Hash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
