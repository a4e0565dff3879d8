// Package errs is the one error type of Inwonercloud: an error knows the
// operation that failed, its kind, a message key that is safe to show a
// person, the field errors of a form, and the cause it wraps.
//
// Kinds, not HTTP statuses, are used below the edge; the web and API
// packages map a kind to a status exactly once.
package errs

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Kind classifies an error by what the caller can do about it.
type Kind int

// The kinds of error.
const (
	Other        Kind = iota // an internal failure; never shown in detail
	Invalid                  // the input is wrong; see the field errors
	NotFound                 // the thing does not exist or may not be seen
	Conflict                 // the thing already exists or changed meanwhile
	Forbidden                // the actor may not do this (only where existence is no secret)
	Unauthorized             // no valid credentials were given
	TooMany                  // a rate limit or lock-out applies
	Unavailable              // a dependency is down; try again later
)

var kindNames = map[Kind]string{
	Other: "other", Invalid: "invalid", NotFound: "not_found", Conflict: "conflict",
	Forbidden: "forbidden", Unauthorized: "unauthorized", TooMany: "too_many", Unavailable: "unavailable",
}

func (k Kind) String() string { return kindNames[k] }

// Error is the error type used throughout the core and the apps.
type Error struct {
	Op     string            // the operation, e.g. "identity.Login"
	Kind   Kind              // what kind of failure
	Key    string            // a message key that is safe to show, e.g. "error.login_failed"
	Fields map[string]string // field name → message key, for form and API validation errors
	Err    error             // the wrapped cause, never shown to a person
}

// E builds an *Error from its arguments, by type: a string is the
// operation, a Kind the kind, a Key the message key, a Fields map the field
// errors and an error the cause. A cause that is an *Error lends its kind,
// key and fields when they are not given.
func E(op string, args ...any) error {
	e := &Error{Op: op}
	for _, a := range args {
		switch v := a.(type) {
		case Kind:
			e.Kind = v
		case Key:
			e.Key = string(v)
		case Fields:
			if len(v) > 0 {
				e.Fields = map[string]string(v)
			}
		case error:
			e.Err = v
		case nil:
		default:
			panic(fmt.Sprintf("errs.E: bad argument %T", a))
		}
	}
	var inner *Error
	if errors.As(e.Err, &inner) {
		if e.Kind == Other {
			e.Kind = inner.Kind
		}
		if e.Key == "" {
			e.Key = inner.Key
		}
		if e.Fields == nil {
			e.Fields = inner.Fields
		}
	}
	return e
}

// Key is a message key that is safe to show to a person.
type Key string

// Fields maps a field name to the message key of what is wrong with it.
type Fields map[string]string

// Add records a field error unless the field already has one, so the first
// problem found is the one shown.
func (f Fields) Add(field, key string) {
	if _, ok := f[field]; !ok {
		f[field] = key
	}
}

// Err returns an Invalid error carrying the field errors, or nil if there are none.
func (f Fields) Err(op string) error {
	if len(f) == 0 {
		return nil
	}
	return E(op, Invalid, Key("error.invalid"), f)
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.Kind != Other {
		b.WriteString(": ")
		b.WriteString(e.Kind.String())
	}
	if len(e.Fields) > 0 {
		names := make([]string, 0, len(e.Fields))
		for n := range e.Fields {
			names = append(names, n)
		}
		sort.Strings(names)
		b.WriteString(" [")
		for i, n := range names {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(n + "=" + e.Fields[n])
		}
		b.WriteString("]")
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of err, or Other if it carries none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Other
}

// Is reports whether err is of kind k.
func Is(err error, k Kind) bool { return err != nil && KindOf(err) == k }

// KeyOf returns the safe message key of err, or "" if it has none.
func KeyOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

// FieldsOf returns the field errors of err, or nil.
func FieldsOf(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Wrap annotates *errp with op when it is not nil; use it deferred:
//
//	defer errs.Wrap(&err, "identity.Login")
func Wrap(errp *error, op string) {
	if *errp != nil {
		*errp = E(op, *errp)
	}
}
