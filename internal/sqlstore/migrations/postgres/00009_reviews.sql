-- +goose Up
-- Waarderen (issue 7): reviews of offerings by residents whose request was
-- delivered, and the moderation of every text before it is published.
-- Times are UTC milliseconds.

-- One change sequence for all reviews: every write takes the next number,
-- so each node's in-memory rating summary reloads only when it moved.
CREATE TABLE review_state (
    id  INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL
);
INSERT INTO review_state (id, seq) VALUES (1, 0);

-- A review of one delivered request. The score and text columns hold the
-- PUBLISHED content (zero and empty until a moderator approved the first
-- version); what the author wrote and awaits moderation is a submission.
-- request_id is the request's id, checked by the service when the review
-- is made (no foreign key: the requests table belongs to another part).
CREATE TABLE review_reviews (
    id              TEXT PRIMARY KEY,
    request_id      TEXT NOT NULL UNIQUE,
    offering_id     TEXT NOT NULL REFERENCES market_offerings(id) ON DELETE CASCADE,
    provider_org_id TEXT NOT NULL,
    author_id       TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    written_by      TEXT NOT NULL,
    status          TEXT NOT NULL,
    overall         INTEGER NOT NULL DEFAULT 0,
    information     INTEGER NOT NULL DEFAULT 0,
    treatment       INTEGER NOT NULL DEFAULT 0,
    result          INTEGER NOT NULL DEFAULT 0,
    recommend       INTEGER NOT NULL DEFAULT 0,
    body            TEXT NOT NULL DEFAULT '',
    display         TEXT NOT NULL DEFAULT 'anonymous',
    pseudonym       TEXT NOT NULL DEFAULT '',
    delivered_at    BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    published_at    BIGINT,
    updated_at      BIGINT NOT NULL,
    withdrawn_at    BIGINT,
    reply_body      TEXT NOT NULL DEFAULT '',
    reply_at        BIGINT,
    version         BIGINT NOT NULL
);
CREATE INDEX review_reviews_offering ON review_reviews (offering_id, status, created_at);
CREATE INDEX review_reviews_author ON review_reviews (author_id);
CREATE INDEX review_reviews_provider ON review_reviews (provider_org_id, status);

-- Every text that needs a moderator: the first version of a review, each
-- edit, and the provider's reply. The decision (who, when, which house
-- rule was broken) stays with it.
CREATE TABLE review_submissions (
    id           TEXT PRIMARY KEY,
    review_id    TEXT NOT NULL REFERENCES review_reviews(id) ON DELETE CASCADE,
    no           INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    part         TEXT NOT NULL,
    status       TEXT NOT NULL,
    overall      INTEGER NOT NULL DEFAULT 0,
    information  INTEGER NOT NULL DEFAULT 0,
    treatment    INTEGER NOT NULL DEFAULT 0,
    result       INTEGER NOT NULL DEFAULT 0,
    recommend    INTEGER NOT NULL DEFAULT 0,
    body         TEXT NOT NULL DEFAULT '',
    display      TEXT NOT NULL DEFAULT 'anonymous',
    pseudonym    TEXT NOT NULL DEFAULT '',
    submitted_by TEXT NOT NULL,
    submitted_at BIGINT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    decided_by   TEXT,
    decided_at   BIGINT
);
-- no numbers a review's submissions 1, 2, …: the order they were made in.
CREATE UNIQUE INDEX review_submissions_review ON review_submissions (review_id, no);
CREATE INDEX review_submissions_status ON review_submissions (status, submitted_at);
-- At most one text of each part (content, reply) of a review awaits a moderator.
CREATE UNIQUE INDEX review_submissions_one_pending ON review_submissions (review_id, part) WHERE status = 'pending';

-- +goose Down
DROP TABLE review_submissions;
DROP TABLE review_reviews;
DROP TABLE review_state;
