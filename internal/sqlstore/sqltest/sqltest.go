// Package sqltest opens fresh, migrated databases for tests: a new SQLite
// file per test always, and a new PostgreSQL schema per test when
// INWONERCLOUD_TEST_DATABASE_URL is set. With INWONERCLOUD_REQUIRE_POSTGRES=1
// a missing PostgreSQL fails the test instead of skipping that half.
package sqltest

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
)

// Dialects lists the databases a test runs on: "sqlite" always, and
// "postgres" when configured (or required).
func Dialects() []string {
	if os.Getenv("INWONERCLOUD_TEST_DATABASE_URL") != "" || os.Getenv("INWONERCLOUD_REQUIRE_POSTGRES") == "1" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// Each runs fn as a subtest once per database, each with its own fresh DB.
func Each(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(d, func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Open returns a fresh, migrated database of the given dialect, closed
// (and for PostgreSQL dropped) when the test ends.
func Open(tb testing.TB, dialect string) *sqlstore.DB {
	tb.Helper()
	ctx := context.Background()
	var db *sqlstore.DB
	var err error
	switch dialect {
	case "sqlite":
		db, err = sqlstore.Open(ctx, "", filepath.Join(tb.TempDir(), "test.db"))
	case "postgres":
		db, err = openPostgres(tb)
	default:
		tb.Fatalf("sqltest: unknown dialect %q", dialect)
	}
	if err != nil {
		tb.Fatalf("sqltest: open %s: %v", dialect, err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatalf("sqltest: migrate %s: %v", dialect, err)
	}
	return db
}

// URL returns the PostgreSQL test URL, failing or skipping when absent.
func URL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("INWONERCLOUD_TEST_DATABASE_URL")
	if u == "" {
		if os.Getenv("INWONERCLOUD_REQUIRE_POSTGRES") == "1" {
			tb.Fatal("sqltest: INWONERCLOUD_REQUIRE_POSTGRES=1 but INWONERCLOUD_TEST_DATABASE_URL is not set")
		}
		tb.Skip("sqltest: INWONERCLOUD_TEST_DATABASE_URL not set")
	}
	return u
}

// NewSchema creates a fresh schema and returns a URL whose connections use it.
func NewSchema(tb testing.TB) string {
	tb.Helper()
	base := URL(tb)
	schema := "t_" + strings.ToLower(id.New())
	// The admin connection is held only while creating and dropping, so
	// that hundreds of parallel tests stay under max_connections.
	admin := func(stmt string) error {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = db.Exec(stmt)
		return err
	}
	if err := admin(`CREATE SCHEMA ` + schema); err != nil {
		tb.Fatalf("sqltest: PostgreSQL at INWONERCLOUD_TEST_DATABASE_URL: create schema: %v", err)
	}
	tb.Cleanup(func() {
		admin(`DROP SCHEMA ` + schema + ` CASCADE`) //nolint:errcheck // best effort
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("sqltest: bad INWONERCLOUD_TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func openPostgres(tb testing.TB) (*sqlstore.DB, error) {
	db, err := sqlstore.Open(context.Background(), NewSchema(tb), "")
	if err == nil {
		db.SetMaxConns(4)
	}
	return db, err
}
