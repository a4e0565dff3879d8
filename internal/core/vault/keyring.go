package vault

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/core/id"
)

// KeySize is the size of every key the vault uses: AES-256.
const KeySize = 32

// keyFileHeader opens every key file this package writes.
const keyFileHeader = `# Inwonercloud key-encryption keys (KEK). Keep this file secret: mode 0600,
# owned by the service, never in a repository or a backup of the database.
# One key per line, v1:<key id>:<32 bytes in base64>. The first key wraps new
# data keys; the lines below it are older keys, kept only to unwrap data keys
# that "inwonercloud keys rotate" has not yet rewrapped.
`

// kek is one key-encryption key.
type kek struct {
	id   string
	raw  [KeySize]byte
	aead cipher.AEAD
}

// Keyring is a set of key-encryption keys: the current one, which wraps
// new data keys, and older ones that are only used to unwrap. It is
// immutable.
type Keyring struct {
	keys []*kek // keys[0] is the current key
}

// NewKeyring returns a keyring of one fresh random key with a new id.
func NewKeyring() (*Keyring, error) {
	var raw [KeySize]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, err
	}
	k, err := newKEK(id.New(), raw)
	if err != nil {
		return nil, err
	}
	return &Keyring{keys: []*kek{k}}, nil
}

func newKEK(kid string, raw [KeySize]byte) (*kek, error) {
	block, err := aes.NewCipher(raw[:])
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &kek{id: kid, raw: raw, aead: aead}, nil
}

// validKeyID reports whether s can be a key id: 1 to 64 letters, digits,
// '.', '_' or '-'.
func validKeyID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
		if !ok {
			return false
		}
	}
	return true
}

// ParseKeyring reads the key file format: one key per line as
// v1:<id>:<base64 of 32 bytes>, the current key first; blank lines and
// lines starting with # are ignored. Errors never show key material.
func ParseKeyring(data []byte) (*Keyring, error) {
	r := &Keyring{}
	seen := map[string]bool{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		version, rest, _ := strings.Cut(line, ":")
		kid, b64, ok := strings.Cut(rest, ":")
		if version != "v1" || !ok {
			return nil, fmt.Errorf("line %d: want v1:<key id>:<base64 key>", i+1)
		}
		if !validKeyID(kid) {
			return nil, fmt.Errorf("line %d: key id must be 1 to 64 letters, digits, '.', '_' or '-'", i+1)
		}
		raw, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(raw) != KeySize {
			return nil, fmt.Errorf("line %d (key %s): the key must be %d bytes in base64", i+1, kid, KeySize)
		}
		if seen[kid] {
			return nil, fmt.Errorf("line %d: key id %s appears twice", i+1, kid)
		}
		seen[kid] = true
		k, err := newKEK(kid, [KeySize]byte(raw))
		if err != nil {
			return nil, err
		}
		r.keys = append(r.keys, k)
	}
	if len(r.keys) == 0 {
		return nil, errors.New("no key in the file")
	}
	return r, nil
}

// Marshal returns the keyring in the key file format, with a comment
// header.
func (r *Keyring) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString(keyFileHeader)
	for _, k := range r.keys {
		fmt.Fprintf(&b, "v1:%s:%s\n", k.id, base64.StdEncoding.EncodeToString(k.raw[:]))
	}
	return b.Bytes()
}

// ID returns the id of the current key.
func (r *Keyring) ID() string { return r.keys[0].id }

// IDs returns the ids of all keys, the current one first.
func (r *Keyring) IDs() []string {
	ids := make([]string, len(r.keys))
	for i, k := range r.keys {
		ids[i] = k.id
	}
	return ids
}

// Has reports whether the keyring holds a key with this id.
func (r *Keyring) Has(kid string) bool { return r.find(kid) != nil }

func (r *Keyring) find(kid string) *kek {
	for _, k := range r.keys {
		if k.id == kid {
			return k
		}
	}
	return nil
}

// Merge returns a keyring with r's keys (r's current key stays current)
// followed by the keys of older that r does not hold. Two different keys
// under one id are an error.
func (r *Keyring) Merge(older *Keyring) (*Keyring, error) {
	out := &Keyring{keys: append([]*kek(nil), r.keys...)}
	for _, k := range older.keys {
		switch have := r.find(k.id); {
		case have == nil:
			out.keys = append(out.keys, k)
		case subtle.ConstantTimeCompare(have.raw[:], k.raw[:]) != 1:
			return nil, fmt.Errorf("two different keys have the id %s", k.id)
		}
	}
	return out, nil
}

// ReadKeyFile reads a keyring from a key file. It refuses a file that
// users other than its owner and group may read or write.
func ReadKeyFile(path string) (*Keyring, error) {
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errors.New("no such file")
		}
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	// Windows has no such permission bits; everywhere else a key file open
	// to every user of the machine is refused, not just warned about.
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o007 != 0 {
		return nil, fmt.Errorf("every user of this machine can read or change it (mode %04o): run chmod 600 %s", fi.Mode().Perm(), path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseKeyring(data)
}

// WriteKeyFile writes r to a new file at path with mode 0600. It never
// overwrites: a key file that exists may be the only copy of a key.
func WriteKeyFile(path string, r *Keyring) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return errors.New("the file already exists; a key file is never overwritten")
		}
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path) //nolint:errcheck // best effort: do not leave half a key file
		}
	}()
	if _, err := f.Write(r.Marshal()); err != nil {
		return err
	}
	return f.Sync()
}
