-- +goose Up
-- The key store of internal/core/vault: one data-encryption key (DEK) per
-- resident, wrapped by a key-encryption key (KEK) that never enters the
-- database. A destroyed key keeps its row as a tombstone: wrapped_key NULL,
-- kek_id '', destroyed_at set, so that nothing can be sealed for that
-- resident again.
--
-- On SQLite the key store is its own file (<data dir>/keys.db), which runs
-- only the migrations whose name contains "_vault"; this table in the main
-- database stays empty there. On PostgreSQL it is used when
-- INWONERCLOUD_KEYS_DATABASE_URL is not set.
CREATE TABLE data_keys (
    subject_id   TEXT PRIMARY KEY,
    wrapped_key  BLOB,
    kek_id       TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    destroyed_at BIGINT,
    CHECK ((destroyed_at IS NULL AND wrapped_key IS NOT NULL AND kek_id <> '')
        OR (destroyed_at IS NOT NULL AND wrapped_key IS NULL AND kek_id = ''))
);
CREATE INDEX data_keys_kek ON data_keys (kek_id);

-- +goose Down
DROP TABLE data_keys;
