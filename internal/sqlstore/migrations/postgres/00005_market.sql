-- +goose Up
-- Marketplace (issue 7): providers, categories, offerings and their
-- proposed changes. Times are UTC milliseconds. Lists inside an
-- offering's content (target groups, languages, locations) are JSON
-- text, read and written whole by Go; the areas and categories an
-- offering serves are rows, so queries can scope by municipality.

-- One change sequence for the whole marketplace: every write takes the
-- next number, so a node's search index reads only what changed.
CREATE TABLE market_state (
    id  INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL
);
INSERT INTO market_state (id, seq) VALUES (1, 0);

CREATE TABLE market_providers (
    organisation_id TEXT PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
    agb             TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    website         TEXT NOT NULL DEFAULT '',
    updated_at      BIGINT NOT NULL
);

CREATE TABLE market_categories (
    id              TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
    parent_id       TEXT REFERENCES market_categories(id),
    name            TEXT NOT NULL,
    slug            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    UNIQUE (municipality_id, slug)
);

CREATE TABLE market_offerings (
    id              TEXT PRIMARY KEY,
    provider_org_id TEXT NOT NULL REFERENCES organisations(id),
    title           TEXT NOT NULL,
    summary         TEXT NOT NULL,
    description     TEXT NOT NULL,
    target_groups   TEXT NOT NULL DEFAULT '[]',
    eligibility     TEXT NOT NULL DEFAULT '',
    how_to_request  TEXT NOT NULL DEFAULT '',
    languages       TEXT NOT NULL DEFAULT '[]',
    cost_type       TEXT NOT NULL,
    price_cents     BIGINT NOT NULL DEFAULT 0,
    unit            TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL,
    locations       TEXT NOT NULL DEFAULT '[]',
    status          TEXT NOT NULL,
    refusal_reason  TEXT NOT NULL DEFAULT '',
    last_checked_at BIGINT NOT NULL,
    last_checked_by TEXT REFERENCES persons(id),
    stale_since     BIGINT,
    version         BIGINT NOT NULL,
    change_seq      BIGINT NOT NULL,
    -- search_no is the offering's number in the full-text index (FTS5
    -- rowid on SQLite); search_title and search_body hold the terms the
    -- Go analyser made of the approved content, the same on both databases.
    search_no       BIGINT NOT NULL UNIQUE,
    search_title    TEXT NOT NULL DEFAULT '',
    search_body     TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX market_offerings_provider ON market_offerings (provider_org_id);
CREATE INDEX market_offerings_change ON market_offerings (change_seq);
CREATE INDEX market_offerings_checked ON market_offerings (status, last_checked_at);

CREATE TABLE market_offering_areas (
    offering_id     TEXT NOT NULL REFERENCES market_offerings(id) ON DELETE CASCADE,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    PRIMARY KEY (offering_id, municipality_id)
);
CREATE INDEX market_offering_areas_municipality ON market_offering_areas (municipality_id, offering_id);

CREATE TABLE market_offering_categories (
    offering_id TEXT NOT NULL REFERENCES market_offerings(id) ON DELETE CASCADE,
    category_id TEXT NOT NULL REFERENCES market_categories(id),
    PRIMARY KEY (offering_id, category_id)
);
CREATE INDEX market_offering_categories_category ON market_offering_categories (category_id);

CREATE TABLE market_revisions (
    id             TEXT PRIMARY KEY,
    offering_id    TEXT NOT NULL REFERENCES market_offerings(id) ON DELETE CASCADE,
    content        TEXT NOT NULL,
    status         TEXT NOT NULL,
    refusal_reason TEXT NOT NULL DEFAULT '',
    proposed_by    TEXT REFERENCES persons(id),
    proposed_at    BIGINT NOT NULL,
    decided_by     TEXT REFERENCES persons(id),
    decided_at     BIGINT
);
CREATE INDEX market_revisions_offering ON market_revisions (offering_id, proposed_at);
-- At most one change of an offering awaits approval.
CREATE UNIQUE INDEX market_revisions_one_pending ON market_revisions (offering_id) WHERE status = 'pending';

-- Full-text index: the stored terms are already stemmed in Go, so the
-- 'simple' configuration only splits them; title terms weigh most. The
-- vector is stored, so ranking does not parse the terms again per row.
ALTER TABLE market_offerings ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', search_title), 'A') || setweight(to_tsvector('simple', search_body), 'D')) STORED;
CREATE INDEX market_offerings_search ON market_offerings USING GIN (search_vector);

-- +goose Down
DROP INDEX market_offerings_search;
DROP TABLE market_revisions;
DROP TABLE market_offering_categories;
DROP TABLE market_offering_areas;
DROP TABLE market_offerings;
DROP TABLE market_categories;
DROP TABLE market_providers;
DROP TABLE market_state;
