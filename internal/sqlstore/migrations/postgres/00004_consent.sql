-- +goose Up
-- Consent (toestemming) and mandates (machtigingen); see internal/core/consent.
-- A grant's current state is one row in consent_grants; every version of it
-- (create, extend, revoke) is also kept, unchanged, in consent_grant_versions,
-- for the resident's consent receipt. Categories and scopes are stored as
-- space-separated lists of registered category names.
CREATE TABLE consent_grants (
    id                TEXT PRIMARY KEY,
    version           INTEGER NOT NULL CHECK (version >= 1),
    grantor_id        TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    grantee_person_id TEXT REFERENCES persons(id) ON DELETE CASCADE,
    grantee_org_id    TEXT REFERENCES organisations(id) ON DELETE CASCADE,
    categories        TEXT NOT NULL,
    permission        TEXT NOT NULL,
    purpose           TEXT NOT NULL,
    valid_from        BIGINT NOT NULL,
    valid_until       BIGINT NOT NULL,
    revoked_at        BIGINT,
    created_at        BIGINT NOT NULL,
    created_by_id     TEXT NOT NULL,
    change_kind       TEXT NOT NULL,
    changed_at        BIGINT NOT NULL,
    changed_by_id     TEXT NOT NULL,
    reminded_at       BIGINT,
    CHECK ((grantee_person_id IS NULL) <> (grantee_org_id IS NULL)),
    CHECK (valid_until > valid_from)
);
CREATE INDEX consent_grants_grantor ON consent_grants (grantor_id);
CREATE INDEX consent_grants_grantee_person ON consent_grants (grantee_person_id);
CREATE INDEX consent_grants_grantee_org ON consent_grants (grantee_org_id);
CREATE INDEX consent_grants_due ON consent_grants (valid_until) WHERE revoked_at IS NULL AND reminded_at IS NULL;

CREATE TABLE consent_grant_versions (
    grant_id          TEXT NOT NULL REFERENCES consent_grants(id) ON DELETE CASCADE,
    version           INTEGER NOT NULL,
    grantor_id        TEXT NOT NULL,
    grantee_person_id TEXT,
    grantee_org_id    TEXT,
    categories        TEXT NOT NULL,
    permission        TEXT NOT NULL,
    purpose           TEXT NOT NULL,
    valid_from        BIGINT NOT NULL,
    valid_until       BIGINT NOT NULL,
    revoked_at        BIGINT,
    created_at        BIGINT NOT NULL,
    created_by_id     TEXT NOT NULL,
    change_kind       TEXT NOT NULL,
    changed_at        BIGINT NOT NULL,
    changed_by_id     TEXT NOT NULL,
    PRIMARY KEY (grant_id, version)
);
CREATE INDEX consent_grant_versions_grantor ON consent_grant_versions (grantor_id);

CREATE TABLE consent_mandates (
    id               TEXT PRIMARY KEY,
    resident_id      TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    delegate_id      TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    kind             TEXT NOT NULL,
    scope            TEXT NOT NULL,
    child_birth_year INTEGER NOT NULL DEFAULT 0,
    legal_basis      TEXT NOT NULL DEFAULT '',
    valid_from       BIGINT NOT NULL,
    valid_until      BIGINT NOT NULL,
    revoked_at       BIGINT,
    revoked_by_id    TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL,
    created_by_id    TEXT NOT NULL,
    CHECK (resident_id <> delegate_id),
    CHECK (valid_until > valid_from)
);
CREATE INDEX consent_mandates_resident ON consent_mandates (resident_id);
CREATE INDEX consent_mandates_delegate ON consent_mandates (delegate_id);

-- +goose Down
DROP TABLE consent_mandates;
DROP TABLE consent_grant_versions;
DROP TABLE consent_grants;
