package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

var errBoom = errors.New("boom")

func newPerson(email string) identity.Person {
	return identity.Person{ID: id.New(), Email: email, DisplayName: email, Locale: "nl", CreatedAt: at(0), UpdatedAt: at(0)}
}

func TestStore_InTx(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		woerden := sqltest.Municipality(t, db, "woerden")

		t.Run("Commit", func(t *testing.T) {
			p := newPerson("commit@example.nl")
			must(t, db.InTx(ctx, func(ctx context.Context) error {
				if err := db.CreatePerson(ctx, &p); err != nil {
					return err
				}
				a := identity.RoleAssignment{ID: id.New(), PersonID: p.ID, Role: identity.RoleCitizen, MunicipalityID: woerden.ID, CreatedAt: at(0)}
				return db.AddRole(ctx, &a)
			}))
			got, err := db.FindPersonByID(ctx, p.ID)
			must(t, err)
			if len(got.Roles) != 1 {
				t.Errorf("roles after commit = %+v, want one", got.Roles)
			}
		})

		t.Run("ErrRollsBack", func(t *testing.T) {
			p := newPerson("rollback@example.nl")
			err := db.InTx(ctx, func(ctx context.Context) error {
				if err := db.CreatePerson(ctx, &p); err != nil {
					return err
				}
				// The transaction sees its own write.
				if _, err := db.FindPersonByID(ctx, p.ID); err != nil {
					t.Errorf("person not visible inside its transaction: %v", err)
				}
				return errBoom
			})
			if !errors.Is(err, errBoom) {
				t.Fatalf("InTx = %v, want the error of fn", err)
			}
			_, err = db.FindPersonByEmail(ctx, p.Email)
			wantKind(t, err, errs.NotFound)
		})

		t.Run("NestedReusesOuter", func(t *testing.T) {
			// A nested transaction of its own would wait for SQLite's one
			// writer for ever; the deadline turns that into a failure.
			ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			p := newPerson("nested@example.nl")
			tok := identity.EmailToken{ID: id.New(), TokenHash: id.Hash(id.Token()), PersonID: p.ID,
				Purpose: identity.PurposeVerify, CreatedAt: at(0), ExpiresAt: at(time.Hour)}
			err := db.InTx(ctx, func(ctx context.Context) error {
				if err := db.CreatePerson(ctx, &p); err != nil {
					return err
				}
				// Were the inner call a transaction of its own, it could not
				// see the uncommitted person (a foreign-key error on
				// PostgreSQL, a wait for the one writer on SQLite), and its
				// commit would survive the outer rollback.
				if err := db.InTx(ctx, func(ctx context.Context) error {
					if err := db.CreateEmailToken(ctx, &tok); err != nil {
						return err
					}
					return db.ReplaceRecoveryCodes(ctx, p.ID, []string{"h1", "h2"})
				}); err != nil {
					return err
				}
				return errBoom
			})
			if !errors.Is(err, errBoom) {
				t.Fatalf("InTx = %v, want the error of fn", err)
			}
			_, err = db.FindPersonByID(ctx, p.ID)
			wantKind(t, err, errs.NotFound)
			_, err = db.FindEmailTokenByHash(ctx, tok.TokenHash)
			wantKind(t, err, errs.NotFound)
			n, err := db.CountRecoveryCodes(ctx, p.ID)
			must(t, err)
			if n != 0 {
				t.Errorf("%d recovery codes survived the outer rollback", n)
			}
		})

		t.Run("StoreErrorKindsPassThrough", func(t *testing.T) {
			err := db.InTx(ctx, func(ctx context.Context) error {
				a := identity.RoleAssignment{ID: id.New(), PersonID: id.New(), Role: identity.RoleCitizen, CreatedAt: at(0)}
				return db.AddRole(ctx, &a)
			})
			wantKind(t, err, errs.Invalid)
		})
	})
}

// TestStore_InTx_ParallelWriters runs transactions side by side; on SQLite
// they queue for the one writer instead of failing with "database is locked".
func TestStore_InTx_ParallelWriters(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		const n = 8
		errc := make(chan error, n)
		for i := range n {
			go func() {
				errc <- db.InTx(ctx, func(ctx context.Context) error {
					p := newPerson(id.New() + "@example.nl")
					if err := db.CreatePerson(ctx, &p); err != nil {
						return err
					}
					return db.AddLoginFailure(ctx, id.Hash("shared"), at(time.Duration(i)*time.Second))
				})
			}()
		}
		for range n {
			must(t, <-errc)
		}
		got, err := db.FindPersons(ctx, identity.PersonFilter{})
		must(t, err)
		if len(got) != n {
			t.Errorf("persons = %d, want %d", len(got), n)
		}
	})
}
