-- +goose Up
-- HSDS import (issue 7): the service id an imported record had in the
-- municipality's own social map, so that importing the same file again
-- updates the offering instead of adding it twice. The id is the
-- municipality's, so it is unique per municipality, and an offering has
-- at most one per municipality. Times are UTC milliseconds.
CREATE TABLE market_external_ids (
    municipality_id TEXT NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
    external_id     TEXT NOT NULL,
    offering_id     TEXT NOT NULL REFERENCES market_offerings(id) ON DELETE CASCADE,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (municipality_id, external_id)
);
CREATE UNIQUE INDEX market_external_ids_offering ON market_external_ids (municipality_id, offering_id);

-- Providers are matched by KvK number.
CREATE INDEX organisations_kvk ON organisations (kvk);

-- +goose Down
DROP INDEX organisations_kvk;
DROP TABLE market_external_ids;
