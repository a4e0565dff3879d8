package sqlstore

import (
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect holds the few things that differ between SQLite and PostgreSQL.
type dialect interface {
	name() string
	goose() goose.Dialect
	// isUnique reports whether err is a unique-constraint violation.
	isUnique(err error) bool
	// isForeignKey reports whether err is a foreign-key violation.
	isForeignKey(err error) bool
	// forUpdate is the row-locking suffix of a SELECT inside a write
	// transaction; SQLite's BEGIN IMMEDIATE already holds the write lock.
	forUpdate() string
}

type sqliteDialect struct{}

func (sqliteDialect) name() string         { return "sqlite" }
func (sqliteDialect) goose() goose.Dialect { return goose.DialectSQLite3 }
func (sqliteDialect) forUpdate() string    { return "" }

func (sqliteDialect) isUnique(err error) bool {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

func (sqliteDialect) isForeignKey(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

type postgresDialect struct{}

func (postgresDialect) name() string         { return "postgres" }
func (postgresDialect) goose() goose.Dialect { return goose.DialectPostgres }
func (postgresDialect) forUpdate() string    { return " FOR UPDATE" }

func (postgresDialect) isUnique(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}

func (postgresDialect) isForeignKey(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23503"
}

// placeholder returns the n-th positional parameter; both drivers take $N.
func placeholder(n int) string { return "$" + strconv.Itoa(n) }
