-- +goose Up
-- A delegate's session acts for one resident at a time ("acting for"),
-- and remembers when the password was last entered, for the step-up
-- check before sensitive actions.
ALTER TABLE sessions ADD COLUMN acting_for TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN auth_at BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE sessions DROP COLUMN auth_at;
ALTER TABLE sessions DROP COLUMN acting_for;
