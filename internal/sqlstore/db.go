package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

//go:embed migrations
var migrations embed.FS

// DB is a database handle with a writer and a reader pool. On PostgreSQL
// both are the same pool.
type DB struct {
	dialect dialect
	write   *sql.DB
	read    *sql.DB
}

// Open opens the database named by url: "" or a file path for SQLite
// (sqlitePath is used when url is empty), postgres://… for PostgreSQL.
// It does not migrate; call Migrate.
func Open(ctx context.Context, databaseURL, sqlitePath string) (*DB, error) {
	if databaseURL == "" {
		return openSQLite(ctx, sqlitePath)
	}
	return openPostgres(ctx, databaseURL)
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("sqlstore: create data directory: %w", err)
		}
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	writeDSN := "file:" + path + "?" + q.Encode() + "&_txlock=immediate"
	w, err := sql.Open("sqlite", writeDSN)
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	q.Add("_pragma", "query_only(1)")
	r, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(max(4, runtime.NumCPU()))
	db := &DB{dialect: sqliteDialect{}, write: w, read: r}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	p, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	p.SetMaxOpenConns(20)
	p.SetMaxIdleConns(10)
	p.SetConnMaxLifetime(30 * time.Minute)
	db := &DB{dialect: postgresDialect{}, write: p, read: p}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// SetMaxConns caps the connections of a PostgreSQL pool; tests use it so
// that many parallel test databases stay under the server's limit. SQLite
// keeps its one writer and its readers.
func (db *DB) SetMaxConns(n int) {
	if db.dialect.name() == "postgres" {
		db.write.SetMaxOpenConns(n)
		db.write.SetMaxIdleConns(n)
	}
}

// Dialect names the database in use: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name() }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := db.write.PingContext(ctx); err != nil {
		return errs.E("sqlstore.Ping", errs.Unavailable, err)
	}
	if db.read != db.write {
		if err := db.read.PingContext(ctx); err != nil {
			return errs.E("sqlstore.Ping", errs.Unavailable, err)
		}
	}
	return nil
}

// Close closes both pools.
func (db *DB) Close() error {
	err := db.write.Close()
	if db.read != db.write {
		if rerr := db.read.Close(); err == nil {
			err = rerr
		}
	}
	return err
}

// Migrate brings the schema up to date with the embedded migrations of
// this dialect.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	return nil
}

// MigrationStatus lists the migrations and whether each is applied.
func (db *DB) MigrationStatus(ctx context.Context) ([]string, error) {
	p, err := db.provider()
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(st))
	for _, s := range st {
		out = append(out, fmt.Sprintf("%05d %-40s %s", s.Source.Version, filepath.Base(s.Source.Path), s.State))
	}
	return out, nil
}

func (db *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+db.dialect.name())
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(db.dialect.goose(), db.write, sub)
}

// MigrationNames returns the file names of a dialect's migrations, for the
// test that keeps the two trees in step.
func MigrationNames(dialectName string) ([]string, error) {
	entries, err := fs.ReadDir(migrations, "migrations/"+dialectName)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	return names, nil
}
