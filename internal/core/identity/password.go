package identity

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Password length limits, in characters.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 128
)

// argon2id parameters (RFC 9106 second recommended option, with less memory
// for a 2-core machine: 64 MiB, 3 passes).
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
	argonSaltLen = 16
)

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(pw string) string {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		panic(err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// CheckPassword reports whether pw matches the PHC-format hash.
func CheckPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var v int
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when no account matches, so that an unknown
// e-mail address takes as long as a wrong password.
var dummyHash = sync.OnceValue(func() string { return HashPassword("inwonercloud-dummy-password") })

//go:embed common_passwords.txt
var commonPasswordsFile string

var commonPasswords = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsFile))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			set[strings.ToLower(w)] = true
		}
	}
	return set
})

// CheckNewPassword returns the message key of what is wrong with a new
// password, or "" when it is acceptable. email is the person's own address,
// which must not be (part of) the password.
func CheckNewPassword(pw, email string) string {
	switch {
	case pw == "":
		return "field.password.required"
	case !utf8.ValidString(pw):
		return "field.invalid_text"
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return "field.password.too_short"
	case utf8.RuneCountInString(pw) > MaxPasswordLen:
		return "field.password.too_long"
	case isCommon(pw, email):
		return "field.password.common"
	}
	return ""
}

func isCommon(pw, email string) bool {
	lower := strings.ToLower(pw)
	if commonPasswords()[lower] {
		return true
	}
	// A common word with digits or punctuation around it is just as weak:
	// "Wachtwoord2024!" is "wachtwoord".
	core := strings.TrimFunc(lower, func(r rune) bool { return !('a' <= r && r <= 'z') })
	if len(core) >= 4 && commonPasswords()[core] {
		return true
	}
	// One character repeated.
	if strings.Count(lower, string([]rune(lower)[0])) == utf8.RuneCountInString(lower) {
		return true
	}
	// The e-mail address itself, or its name part with digits around it.
	if local, _, ok := strings.Cut(strings.ToLower(email), "@"); ok && (lower == strings.ToLower(email) || core == local) {
		return true
	}
	return false
}
