package identity

import (
	"context"
	"errors"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// Deleter is the storage an erasure needs beyond Store: it removes a
// person and everything kept about them as an account holder — roles,
// recovery codes, sessions, API tokens, e-mail links, queued mail, and the
// consent grants and mandates they gave or hold. The access log is not
// touched: it names the person only by an opaque id.
type Deleter interface {
	DeletePerson(ctx context.Context, personID string) error
}

// ConfirmPassword checks the person's own password before an irreversible
// action such as erasing their account. A wrong password is a field error
// on "password" and counts towards the same lock as logins.
func (s *Service) ConfirmPassword(ctx context.Context, personID, password, address string) error {
	const op = "identity.ConfirmPassword"
	if password == "" {
		return errs.E(op, errs.Invalid, errs.Fields{"password": "field.password.required"})
	}
	p, err := s.store.FindPersonByID(ctx, personID)
	if err != nil {
		return errs.E(op, err)
	}
	if _, err := s.checkPassword(ctx, op, Credentials{Email: p.Email, Password: password, Address: address}); err != nil {
		if errs.Is(err, errs.Unauthorized) {
			return errs.E(op, errs.Invalid, errs.Fields{"password": "field.password.wrong"})
		}
		return err
	}
	return nil
}

// DeletePerson removes a person's account for good (see Deleter). It does
// not check anything: the caller (the erasure) has confirmed the password.
func (s *Service) DeletePerson(ctx context.Context, personID string) error {
	const op = "identity.DeletePerson"
	d, ok := s.store.(Deleter)
	if !ok {
		return errs.E(op, errors.New("the store cannot delete persons"))
	}
	if err := d.DeletePerson(ctx, personID); err != nil {
		return errs.E(op, err)
	}
	return nil
}
