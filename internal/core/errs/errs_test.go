package errs_test

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// view is what the edge reads from an error.
type view struct {
	Kind   errs.Kind
	Key    string
	Fields map[string]string
}

func viewOf(err error) view {
	return view{Kind: errs.KindOf(err), Key: errs.KeyOf(err), Fields: errs.FieldsOf(err)}
}

func TestE(t *testing.T) {
	t.Parallel()
	inner := errs.E("sqlstore.CreatePerson", errs.Conflict, errs.Key("error.conflict"), errs.Fields{"email": "field.email.taken"}, io.EOF)
	tests := []struct {
		name string
		err  error
		want view
	}{
		{"Own", errs.E("op", errs.NotFound, errs.Key("error.not_found")), view{errs.NotFound, "error.not_found", nil}},
		{"InheritsAll", errs.E("identity.Register", inner), view{errs.Conflict, "error.conflict", map[string]string{"email": "field.email.taken"}}},
		{"InheritsThroughWrap", errs.E("outer", fmt.Errorf("context: %w", inner)), view{errs.Conflict, "error.conflict", map[string]string{"email": "field.email.taken"}}},
		{"OverridesKind", errs.E("outer", errs.Invalid, inner), view{errs.Invalid, "error.conflict", map[string]string{"email": "field.email.taken"}}},
		{"OverridesKey", errs.E("outer", errs.Key("error.other"), inner), view{errs.Conflict, "error.other", map[string]string{"email": "field.email.taken"}}},
		{"OverridesFields", errs.E("outer", errs.Fields{"slug": "field.slug.taken"}, inner), view{errs.Conflict, "error.conflict", map[string]string{"slug": "field.slug.taken"}}},
		{"EmptyFieldsInherit", errs.E("outer", errs.Fields{}, inner), view{errs.Conflict, "error.conflict", map[string]string{"email": "field.email.taken"}}},
		{"PlainCause", errs.E("outer", io.EOF), view{errs.Other, "", nil}},
		{"NilCause", errs.E("outer", errs.Unauthorized, nil), view{errs.Unauthorized, "", nil}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, viewOf(tc.err)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}

	t.Run("UnwrapsToCause", func(t *testing.T) {
		err := errs.E("outer", inner)
		if !errors.Is(err, io.EOF) {
			t.Error("errors.Is does not reach the root cause")
		}
	})
	t.Run("Message", func(t *testing.T) {
		err := errs.E("identity.Register", errs.Invalid, errs.Fields{"password": "field.password.common", "email": "field.email.invalid"}, io.EOF)
		want := "identity.Register: invalid [email=field.email.invalid, password=field.password.common]: EOF"
		if got := err.Error(); got != want {
			t.Errorf("Error() = %q, want %q", got, want)
		}
		if got := errs.E("op").Error(); got != "op" {
			t.Errorf("bare Error() = %q, want op", got)
		}
	})
	t.Run("BadArgumentPanics", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Error("E with an int argument did not panic")
			}
		}()
		_ = errs.E("op", 42)
	})
}

func TestKindOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want errs.Kind
	}{
		{"Nil", nil, errs.Other},
		{"Plain", io.EOF, errs.Other},
		{"Direct", errs.E("op", errs.TooMany), errs.TooMany},
		{"Wrapped", fmt.Errorf("x: %w", errs.E("op", errs.Unavailable)), errs.Unavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := errs.KindOf(tc.err); got != tc.want {
				t.Errorf("KindOf = %v, want %v", got, tc.want)
			}
		})
	}
	if errs.Is(nil, errs.Other) {
		t.Error("Is(nil, Other) = true; nil is no error of any kind")
	}
	if !errs.Is(io.EOF, errs.Other) {
		t.Error("Is(plain error, Other) = false")
	}
	for k, name := range map[errs.Kind]string{errs.Other: "other", errs.Invalid: "invalid", errs.NotFound: "not_found",
		errs.Conflict: "conflict", errs.Forbidden: "forbidden", errs.Unauthorized: "unauthorized",
		errs.TooMany: "too_many", errs.Unavailable: "unavailable"} {
		if k.String() != name {
			t.Errorf("Kind(%d).String() = %q, want %q", k, k.String(), name)
		}
	}
}

func TestFields(t *testing.T) {
	t.Parallel()
	f := errs.Fields{}
	if err := f.Err("op"); err != nil {
		t.Errorf("empty Fields.Err = %v, want nil", err)
	}
	var none errs.Fields
	if err := none.Err("op"); err != nil {
		t.Errorf("nil Fields.Err = %v, want nil", err)
	}

	f.Add("email", "field.email.required")
	f.Add("email", "field.email.invalid") // the first problem found is shown
	f.Add("name", "field.name.required")
	err := f.Err("identity.Registration")
	want := view{errs.Invalid, "error.invalid", map[string]string{"email": "field.email.required", "name": "field.name.required"}}
	if diff := cmp.Diff(want, viewOf(err)); diff != "" {
		t.Errorf("Fields.Err (-want +got):\n%s", diff)
	}
}

func TestWrap(t *testing.T) {
	t.Parallel()
	op := func(fail bool) (err error) {
		defer errs.Wrap(&err, "identity.Login")
		if fail {
			return errs.E("sqlstore.FindPersonByEmail", errs.NotFound)
		}
		return nil
	}
	if err := op(false); err != nil {
		t.Errorf("Wrap turned success into %v", err)
	}
	err := op(true)
	if got := err.Error(); got != "identity.Login: not_found: sqlstore.FindPersonByEmail: not_found" {
		t.Errorf("wrapped error = %q", got)
	}
	if !errs.Is(err, errs.NotFound) {
		t.Errorf("wrapped error lost its kind: %v", errs.KindOf(err))
	}
}
