-- +goose Up
-- Aanvragen (issue 7): a resident's requests for offerings and the
-- timeline of their states. Times are UTC milliseconds. The message and
-- the decline reason are sealed with the resident's data key (vault).
-- resident_id has no foreign key: like the access log, a request names
-- the resident by an opaque id.
CREATE TABLE requests (
    id              TEXT PRIMARY KEY,
    offering_id     TEXT NOT NULL REFERENCES market_offerings(id),
    provider_org_id TEXT NOT NULL REFERENCES organisations(id),
    resident_id     TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    offering_title  TEXT NOT NULL,
    message         BYTEA NOT NULL,
    status          TEXT NOT NULL,
    proposed_time   BIGINT,
    reason          BYTEA,
    funding         TEXT NOT NULL DEFAULT '',
    delivered_at    BIGINT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    version         BIGINT NOT NULL
);
CREATE INDEX requests_resident ON requests (resident_id, created_at);
CREATE INDEX requests_provider ON requests (provider_org_id, status, created_at);

-- One row per change of state, the first being "sent".
CREATE TABLE request_events (
    request_id    TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    status        TEXT NOT NULL,
    at            BIGINT NOT NULL,
    by_id         TEXT NOT NULL,
    proposed_time BIGINT,
    PRIMARY KEY (request_id, seq)
);

-- +goose Down
DROP TABLE request_events;
DROP TABLE requests;
