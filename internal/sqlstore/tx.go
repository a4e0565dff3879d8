package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

type txKey struct{}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// InTx runs fn in a transaction, or in the transaction already in ctx, so
// that a multi-step business operation is one unit. It commits when fn
// returns nil and rolls back otherwise.
func (db *DB) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*sql.Tx); ok {
		return fn(ctx)
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return db.wrap("sqlstore.InTx", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if err := fn(context.WithValue(ctx, txKey{}, tx)); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return db.wrap("sqlstore.InTx", err)
	}
	return nil
}

// w returns the querier for writes: the transaction in ctx or the writer.
func (db *DB) w(ctx context.Context) querier {
	if tx, ok := ctx.Value(txKey{}).(*sql.Tx); ok {
		return tx
	}
	return db.write
}

// r returns the querier for reads: the transaction in ctx (to see its own
// writes) or the reader pool.
func (db *DB) r(ctx context.Context) querier {
	if tx, ok := ctx.Value(txKey{}).(*sql.Tx); ok {
		return tx
	}
	return db.read
}

// wrap turns a driver error into an errs.Error of the right kind.
func (db *DB) wrap(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return errs.E(op, errs.NotFound, err)
	case db.dialect.isUnique(err):
		return errs.E(op, errs.Conflict, errs.Key("error.conflict"), err)
	case db.dialect.isForeignKey(err):
		return errs.E(op, errs.Invalid, errs.Key("error.reference"), err)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return errs.E(op, errs.Unavailable, err)
	}
	return errs.E(op, err)
}

// exec runs a write and reports NotFound when it touched no row and
// mustTouch is set.
func (db *DB) exec(ctx context.Context, op string, mustTouch bool, query string, args ...any) error {
	res, err := db.w(ctx).ExecContext(ctx, query, args...)
	if err != nil {
		return db.wrap(op, err)
	}
	if mustTouch {
		n, err := res.RowsAffected()
		if err != nil {
			return db.wrap(op, err)
		}
		if n == 0 {
			return errs.E(op, errs.NotFound)
		}
	}
	return nil
}

// ms converts a time to stored milliseconds.
func ms(t time.Time) int64 { return t.UnixMilli() }

// msOrZero stores a time that may be unset as 0.
func msOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// nullMS converts an optional time to a nullable column value.
func nullMS(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

// fromMS converts stored milliseconds to a UTC time.
func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

// fromNullMS converts a nullable column to an optional time.
func fromNullMS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMS(v.Int64)
	return &t
}

// nullStr turns "" into NULL for optional references.
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}
