-- +goose Up
-- Times are UTC milliseconds since the epoch (BIGINT) in both dialects;
-- flags are nullable times ("when it became true").
CREATE TABLE municipalities (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    host        TEXT UNIQUE,
    theme       TEXT NOT NULL DEFAULT 'default',
    created_at  BIGINT NOT NULL
);

CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    kvk         TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);

CREATE TABLE organisation_municipalities (
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
    PRIMARY KEY (organisation_id, municipality_id)
);

CREATE TABLE persons (
    id                   TEXT PRIMARY KEY,
    email                TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    password_hash        TEXT NOT NULL DEFAULT '',
    home_municipality_id TEXT REFERENCES municipalities(id),
    locale               TEXT NOT NULL DEFAULT 'nl',
    email_verified_at    BIGINT,
    totp_secret          TEXT NOT NULL DEFAULT '',
    totp_enabled_at      BIGINT,
    totp_last_step       BIGINT NOT NULL DEFAULT 0,
    disabled_at          BIGINT,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
);

CREATE TABLE role_assignments (
    id              TEXT PRIMARY KEY,
    person_id       TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    role            TEXT NOT NULL,
    organisation_id TEXT REFERENCES organisations(id),
    municipality_id TEXT REFERENCES municipalities(id),
    created_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX role_assignments_unique
    ON role_assignments (person_id, role, COALESCE(organisation_id, ''), COALESCE(municipality_id, ''));
CREATE INDEX role_assignments_municipality ON role_assignments (municipality_id);

CREATE TABLE recovery_codes (
    id         TEXT PRIMARY KEY,
    person_id  TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX recovery_codes_person ON recovery_codes (person_id);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    person_id    TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    state        TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    user_agent   TEXT NOT NULL DEFAULT '',
    ended_at     BIGINT
);
CREATE INDEX sessions_person ON sessions (person_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    person_id    TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX api_tokens_person ON api_tokens (person_id);

CREATE TABLE email_tokens (
    id         TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    person_id  TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

-- Failed logins are kept per (hashed e-mail, address) pair, never with
-- the e-mail address itself.
CREATE TABLE login_failures (
    id         TEXT PRIMARY KEY,
    key_hash   TEXT NOT NULL,
    at         BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key_hash, at);

CREATE TABLE login_locks (
    key_hash     TEXT PRIMARY KEY,
    locked_until BIGINT NOT NULL
);

CREATE TABLE mail_outbox (
    id         TEXT PRIMARY KEY,
    to_addr    TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE mail_outbox;
DROP TABLE login_locks;
DROP TABLE login_failures;
DROP TABLE email_tokens;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE recovery_codes;
DROP TABLE role_assignments;
DROP TABLE persons;
DROP TABLE organisation_municipalities;
DROP TABLE organisations;
DROP TABLE municipalities;
