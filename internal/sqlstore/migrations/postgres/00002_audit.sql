-- +goose Up
-- The access log (NEN 7513), hash-chained: see internal/core/audit. Rows are
-- never updated or deleted; the triggers below refuse it. No foreign keys:
-- the log outlives the persons and organisations it names.
CREATE TABLE audit_records (
    seq               BIGINT PRIMARY KEY CHECK (seq >= 1),
    prev_hash         TEXT NOT NULL,
    hash              TEXT NOT NULL,
    at                BIGINT NOT NULL,
    event_id          TEXT NOT NULL,
    action            TEXT NOT NULL,
    outcome           TEXT NOT NULL,
    actor_id          TEXT NOT NULL,
    actor_name        TEXT NOT NULL DEFAULT '',
    actor_role        TEXT NOT NULL DEFAULT '',
    actor_org_id      TEXT NOT NULL DEFAULT '',
    actor_org_name    TEXT NOT NULL DEFAULT '',
    network_address   TEXT NOT NULL DEFAULT '',
    on_behalf_of_id   TEXT NOT NULL DEFAULT '',
    on_behalf_of_name TEXT NOT NULL DEFAULT '',
    purpose_of_use    TEXT NOT NULL DEFAULT '',
    municipality_id   TEXT NOT NULL DEFAULT '',
    source_id         TEXT NOT NULL DEFAULT '',
    trace_id          TEXT NOT NULL DEFAULT '',
    span_id           TEXT NOT NULL DEFAULT '',
    subject_id        TEXT NOT NULL DEFAULT '',
    category          TEXT NOT NULL DEFAULT '',
    object_id         TEXT NOT NULL DEFAULT '',
    sensitivity       TEXT NOT NULL DEFAULT '',
    basis             TEXT NOT NULL DEFAULT '',
    consent_id        TEXT NOT NULL DEFAULT '',
    consent_version   BIGINT NOT NULL DEFAULT 0,
    emergency         SMALLINT NOT NULL DEFAULT 0 CHECK (emergency IN (0, 1))
);
-- The resident's "who looked at my data" page: newest first, by period.
CREATE INDEX audit_records_subject ON audit_records (subject_id, at);

-- The end of the chain, one row; appends lock it (SELECT ... FOR UPDATE) so
-- that concurrent appends queue and the chain never forks.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- Append-only. Someone with the rights to drop these triggers can still
-- change the rows; the hash chain is what makes that evident.
-- +goose StatementBegin
CREATE FUNCTION audit_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_records is append-only: % refused', TG_OP;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_records_append_only BEFORE UPDATE OR DELETE ON audit_records
    FOR EACH ROW EXECUTE FUNCTION audit_records_append_only();
CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON audit_records
    FOR EACH STATEMENT EXECUTE FUNCTION audit_records_append_only();

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_records;
DROP FUNCTION audit_records_append_only();
