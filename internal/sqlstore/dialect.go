package sqlstore

import (
	"errors"
	"strconv"
	"strings"

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
	// matchOfferings returns the parts of a full-text query over the
	// offerings' stored search terms (see market.go): the FROM
	// clause (offerings aliased o), the WHERE condition on the query in $1,
	// and the ORDER BY expression, best first.
	matchOfferings() (from, where, order string)
	// matchQuery writes analysed terms as a full-text query for $1, all of
	// them required or any one.
	matchQuery(terms []string, any bool) string
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

// Full-text search over the offerings' search terms. The terms are made
// in Go (market.Terms: folded, stemmed with Snowball Dutch, compounds
// split), so both databases search the same terms; only the index
// differs: an FTS5 table on SQLite, a GIN index over a stored
// to_tsvector('simple', …) on PostgreSQL, where 'simple' only splits on
// spaces. Terms are [a-z0-9]+, so neither query syntax needs escaping
// beyond that check.

func (sqliteDialect) matchOfferings() (from, where, order string) {
	return `market_search s JOIN market_offerings o ON o.search_no = s.rowid`,
		`market_search MATCH $1`, `bm25(market_search, 3.0, 1.0)`
}

func (sqliteDialect) matchQuery(terms []string, any bool) string {
	op := " AND "
	if any {
		op = " OR "
	}
	return strings.Join(quoteTerms(terms, `"`), op)
}

// pgSearchVector is a stored generated column (see the migration):
// setweight(to_tsvector('simple', search_title), 'A') || … search_body 'D'.
const pgSearchVector = `o.search_vector`

func (postgresDialect) matchOfferings() (from, where, order string) {
	return `market_offerings o`, pgSearchVector + ` @@ to_tsquery('simple', $1)`,
		`ts_rank(` + pgSearchVector + `, to_tsquery('simple', $1)) DESC`
}

func (postgresDialect) matchQuery(terms []string, any bool) string {
	op := " & "
	if any {
		op = " | "
	}
	return strings.Join(quoteTerms(terms, ""), op)
}

// quoteTerms keeps the terms made only of lower-case letters and digits
// (all that market.Terms makes), quoted with q.
func quoteTerms(terms []string, q string) []string {
	out := make([]string, 0, len(terms))
	for _, t := range terms {
		if t != "" && strings.Trim(t, "abcdefghijklmnopqrstuvwxyz0123456789") == "" {
			out = append(out, q+t+q)
		}
	}
	return out
}
