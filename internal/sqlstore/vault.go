package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/inwonercloud/inwonercloud/internal/core/vault"
)

// The key store (internal/core/vault) is a DB like any other, but it may be
// a different database than the one holding the data: on SQLite it is
// always its own file, so that a copy of the data file holds no data key.
// Its methods therefore never join a transaction in the caller's context
// (see keyStoreCtx): a data key is stored, destroyed or rewrapped in the
// key store's own transactions, whatever the caller is in the middle of.
// So on SQLite the key store must be its own file (OpenKeyStore): SQLite
// has one writer connection, and a key store on the main file would wait
// forever for the connection a caller's transaction holds.

// keyStoreVersionTable is the goose version table of a separate key store.
const keyStoreVersionTable = "goose_keys_version"

// OpenKeyStore opens and migrates a separate key store: the PostgreSQL
// database at databaseURL, or the SQLite file at sqlitePath when
// databaseURL is "". Only the key store's migrations (those whose file name
// contains "_vault") run there.
func OpenKeyStore(ctx context.Context, databaseURL, sqlitePath string) (*DB, error) {
	if databaseURL == "" {
		if err := createPrivate(sqlitePath); err != nil {
			return nil, fmt.Errorf("sqlstore: create key store: %w", err)
		}
	}
	db, err := Open(ctx, databaseURL, sqlitePath)
	if err != nil {
		return nil, err
	}
	if err := db.migrateKeyStore(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// createPrivate makes an empty file readable by its owner only, unless the
// file exists. SQLite gives its -wal and -shm files the mode of the
// database file, so the key store stays private whatever the umask or the
// mode of the data directory.
func createPrivate(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

func (db *DB) migrateKeyStore(ctx context.Context) error {
	names, err := MigrationNames(db.dialect.name())
	if err != nil {
		return err
	}
	var exclude []string
	for _, n := range names {
		if !strings.Contains(n, "_vault") {
			exclude = append(exclude, n)
		}
	}
	sub, err := fs.Sub(migrations, "migrations/"+db.dialect.name())
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(db.dialect.goose(), db.write, sub,
		goose.WithExcludeNames(exclude), goose.WithTableName(keyStoreVersionTable))
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("sqlstore: migrate key store: %w", err)
	}
	return nil
}

// keyStoreCtxValue hides a caller's transaction: tx.go only uses a *sql.Tx
// found under txKey, so any other value there makes w, r and InTx use the
// key store's own pools.
type keyStoreCtxValue struct{}

// keyStoreCtx returns ctx without the caller's transaction, if any.
func keyStoreCtx(ctx context.Context) context.Context {
	if _, ok := ctx.Value(txKey{}).(*sql.Tx); !ok {
		return ctx
	}
	return context.WithValue(ctx, txKey{}, keyStoreCtxValue{})
}

const dataKeyCols = `subject_id, wrapped_key, kek_id, created_at, destroyed_at`

func scanDataKey(sc interface{ Scan(...any) error }) (vault.DataKey, error) {
	var k vault.DataKey
	var created int64
	var destroyed sql.NullInt64
	err := sc.Scan(&k.SubjectID, &k.Wrapped, &k.KEKID, &created, &destroyed)
	k.CreatedAt, k.DestroyedAt = fromMS(created), fromNullMS(destroyed)
	return k, err
}

// FindDataKey returns the subject's data key with its wrapped bytes.
func (db *DB) FindDataKey(ctx context.Context, subjectID string) (vault.DataKey, error) {
	ctx = keyStoreCtx(ctx)
	k, err := scanDataKey(db.r(ctx).QueryRowContext(ctx, `SELECT `+dataKeyCols+` FROM data_keys WHERE subject_id = $1`, subjectID))
	return k, db.wrap("sqlstore.FindDataKey", err)
}

// FindDataKeyState returns the subject's data key without its wrapped
// bytes.
func (db *DB) FindDataKeyState(ctx context.Context, subjectID string) (vault.DataKey, error) {
	ctx = keyStoreCtx(ctx)
	k, err := scanDataKey(db.r(ctx).QueryRowContext(ctx,
		`SELECT subject_id, NULL, kek_id, created_at, destroyed_at FROM data_keys WHERE subject_id = $1`, subjectID))
	return k, db.wrap("sqlstore.FindDataKeyState", err)
}

// CreateDataKey stores k unless the subject already has a key, and returns
// the stored key.
func (db *DB) CreateDataKey(ctx context.Context, k vault.DataKey) (vault.DataKey, error) {
	const op = "sqlstore.CreateDataKey"
	ctx = keyStoreCtx(ctx)
	var got vault.DataKey
	err := db.InTx(ctx, func(ctx context.Context) error {
		// Zero what this write frees: a page split leaves stale copies of
		// the keys it moves.
		if err := db.secureDelete(ctx); err != nil {
			return db.wrap(op, err)
		}
		if err := db.exec(ctx, op, false, `INSERT INTO data_keys (subject_id, wrapped_key, kek_id, created_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (subject_id) DO NOTHING`, k.SubjectID, k.Wrapped, k.KEKID, ms(k.CreatedAt)); err != nil {
			return err
		}
		var err error
		got, err = scanDataKey(db.r(ctx).QueryRowContext(ctx, `SELECT `+dataKeyCols+` FROM data_keys WHERE subject_id = $1`, k.SubjectID))
		return db.wrap(op, err)
	})
	return got, err
}

// DestroyDataKey overwrites the subject's wrapped key and marks it
// destroyed, or stores a destroyed key for a subject without one.
//
// On SQLite the overwrite reaches the disk: secure_delete zeroes the freed
// bytes in the page, and a checkpoint that truncates the write-ahead log
// drops the older copies of the page kept there. (PostgreSQL keeps the old
// row version until VACUUM and in its WAL; see the vault package notes.)
func (db *DB) DestroyDataKey(ctx context.Context, subjectID string, at time.Time) error {
	const op = "sqlstore.DestroyDataKey"
	ctx = keyStoreCtx(ctx)
	err := db.InTx(ctx, func(ctx context.Context) error {
		if err := db.secureDelete(ctx); err != nil {
			return db.wrap(op, err)
		}
		return db.exec(ctx, op, false, `INSERT INTO data_keys (subject_id, wrapped_key, kek_id, created_at, destroyed_at)
			VALUES ($1, NULL, '', $2, $2)
			ON CONFLICT (subject_id) DO UPDATE SET wrapped_key = NULL, kek_id = '',
				destroyed_at = COALESCE(data_keys.destroyed_at, excluded.destroyed_at)`, subjectID, ms(at))
	})
	if err != nil {
		return err
	}
	return db.truncateWAL(ctx)
}

// RewrapDataKeys rewraps up to limit live keys not wrapped by toKEK in one
// transaction, locking them against a concurrent Destroy.
func (db *DB) RewrapDataKeys(ctx context.Context, toKEK string, limit int, rewrap func(vault.DataKey) ([]byte, error)) (int, error) {
	const op = "sqlstore.RewrapDataKeys"
	ctx = keyStoreCtx(ctx)
	n := 0
	err := db.InTx(ctx, func(ctx context.Context) error {
		if err := db.secureDelete(ctx); err != nil {
			return db.wrap(op, err)
		}
		rows, err := db.r(ctx).QueryContext(ctx, `SELECT `+dataKeyCols+` FROM data_keys
			WHERE kek_id <> $1 AND destroyed_at IS NULL ORDER BY subject_id LIMIT $2`+db.dialect.forUpdate(), toKEK, limit)
		if err != nil {
			return db.wrap(op, err)
		}
		var keys []vault.DataKey
		for rows.Next() {
			k, err := scanDataKey(rows)
			if err != nil {
				rows.Close()
				return db.wrap(op, err)
			}
			keys = append(keys, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return db.wrap(op, err)
		}
		for _, k := range keys {
			wrapped, err := rewrap(k)
			if err != nil {
				return err
			}
			if err := db.exec(ctx, op, true, `UPDATE data_keys SET wrapped_key = $3, kek_id = $4
				WHERE subject_id = $1 AND kek_id = $2 AND destroyed_at IS NULL`, k.SubjectID, k.KEKID, wrapped, toKEK); err != nil {
				return err
			}
		}
		n = len(keys)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// CountDataKeys counts the data keys per KEK id; destroyed ones under "".
func (db *DB) CountDataKeys(ctx context.Context) ([]vault.KeyCount, error) {
	const op = "sqlstore.CountDataKeys"
	ctx = keyStoreCtx(ctx)
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT kek_id, COUNT(*) FROM data_keys GROUP BY kek_id ORDER BY kek_id`)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var out []vault.KeyCount
	for rows.Next() {
		var c vault.KeyCount
		if err := rows.Scan(&c.KEKID, &c.Count); err != nil {
			return nil, db.wrap(op, err)
		}
		out = append(out, c)
	}
	return out, db.wrap(op, rows.Err())
}

// FindDataKeyByKEK returns one live data key wrapped by kekID.
func (db *DB) FindDataKeyByKEK(ctx context.Context, kekID string) (vault.DataKey, error) {
	ctx = keyStoreCtx(ctx)
	k, err := scanDataKey(db.r(ctx).QueryRowContext(ctx, `SELECT `+dataKeyCols+` FROM data_keys
		WHERE kek_id = $1 AND destroyed_at IS NULL ORDER BY subject_id LIMIT 1`, kekID))
	return k, db.wrap("sqlstore.FindDataKeyByKEK", err)
}

// secureDelete makes SQLite zero what the transaction frees or overwrites,
// instead of leaving the old bytes in the file. The pragma holds for the
// connection; setting it in each key-store write transaction keeps it on
// whichever connection runs the write.
func (db *DB) secureDelete(ctx context.Context) error {
	if db.dialect.name() != "sqlite" {
		return nil
	}
	_, err := db.w(ctx).ExecContext(ctx, `PRAGMA secure_delete = ON`)
	return err
}

// truncateWAL checkpoints SQLite's write-ahead log into the database file
// and truncates it, so that no earlier copy of an overwritten page stays in
// the log. A checkpoint blocked by a long read is retried by the next
// destroy; it is not an error for this one.
func (db *DB) truncateWAL(ctx context.Context) error {
	if db.dialect.name() != "sqlite" {
		return nil
	}
	var busy, logFrames, done int
	err := db.write.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done)
	return db.wrap("sqlstore.DestroyDataKey", err)
}
