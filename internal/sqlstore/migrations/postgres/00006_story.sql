-- +goose Up
-- Eigen verhaal. Content and comments are sealed with the resident's data
-- key (vault): the database holds no readable story text.
CREATE TABLE story_versions (
    resident_id TEXT NOT NULL,
    number      INTEGER NOT NULL,
    saved_at    BIGINT NOT NULL,
    saved_by    TEXT NOT NULL,
    content     BYTEA NOT NULL,
    PRIMARY KEY (resident_id, number)
);

-- The version each reader saw last, for "changed since your last visit".
CREATE TABLE story_reads (
    reader_id   TEXT NOT NULL,
    resident_id TEXT NOT NULL,
    number      INTEGER NOT NULL,
    read_at     BIGINT NOT NULL,
    PRIMARY KEY (reader_id, resident_id)
);
CREATE INDEX story_reads_resident ON story_reads (resident_id);

CREATE TABLE story_comments (
    id          TEXT PRIMARY KEY,
    resident_id TEXT NOT NULL,
    section     TEXT NOT NULL,
    author_id   TEXT NOT NULL,
    author_name TEXT NOT NULL,
    body        BYTEA NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX story_comments_resident ON story_comments (resident_id, created_at);

-- +goose Down
DROP TABLE story_comments;
DROP TABLE story_reads;
DROP TABLE story_versions;
