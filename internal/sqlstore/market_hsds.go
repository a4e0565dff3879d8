package sqlstore

import (
	"context"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

// FindProvidersByKvK returns the provider organisations with a KvK
// number, with their marketplace details.
func (db *DB) FindProvidersByKvK(ctx context.Context, kvk string) ([]market.Provider, error) {
	const op = "sqlstore.FindProvidersByKvK"
	if kvk == "" {
		return nil, nil // organisations without a number are never matched
	}
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT id FROM organisations WHERE kvk = $1 AND kind = $2 ORDER BY id`,
		kvk, string(tenant.OrgProvider))
	if err != nil {
		return nil, db.wrap(op, err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, db.wrap(op, err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, db.wrap(op, err)
	}
	list := make([]market.Provider, 0, len(ids))
	for _, id := range ids {
		p, err := db.FindProvider(ctx, id)
		if err != nil {
			return nil, err
		}
		list = append(list, p)
	}
	return list, nil
}

// FindPublishedOfferings lists the published offerings serving a
// municipality, by title.
func (db *DB) FindPublishedOfferings(ctx context.Context, municipalityID string) ([]market.Offering, error) {
	rows, err := db.findOfferings(ctx, "sqlstore.FindPublishedOfferings", `o.status = 'published' AND o.id IN
		(SELECT a.offering_id FROM market_offering_areas a WHERE a.municipality_id = $1)`, municipalityID)
	if err != nil {
		return nil, err
	}
	list := make([]market.Offering, len(rows))
	for i, r := range rows {
		list[i] = r.Offering
	}
	return list, nil
}

// FindExternalIDs returns the ids a municipality's own social map gave
// its imported offerings, by offering id.
func (db *DB) FindExternalIDs(ctx context.Context, municipalityID string) (map[string]string, error) {
	out := map[string]string{}
	err := db.eachPair(ctx, "sqlstore.FindExternalIDs", `SELECT offering_id, external_id FROM market_external_ids
		WHERE municipality_id = $1`, municipalityID, func(offering, external string) { out[offering] = external })
	return out, err
}

// FindOfferingByExternalID returns the id of the offering a municipality
// imported under externalID; NotFound when there is none.
func (db *DB) FindOfferingByExternalID(ctx context.Context, municipalityID, externalID string) (string, error) {
	var id string
	err := db.r(ctx).QueryRowContext(ctx, `SELECT offering_id FROM market_external_ids
		WHERE municipality_id = $1 AND external_id = $2`, municipalityID, externalID).Scan(&id)
	return id, db.wrap("sqlstore.FindOfferingByExternalID", err)
}

// SaveExternalID links an external id of a municipality to an offering,
// replacing the offering's earlier id in that municipality; Conflict when
// the external id already names another offering.
func (db *DB) SaveExternalID(ctx context.Context, municipalityID, externalID, offeringID string, at time.Time) error {
	const op = "sqlstore.SaveExternalID"
	return db.InTx(ctx, func(ctx context.Context) error {
		cur, err := db.FindOfferingByExternalID(ctx, municipalityID, externalID)
		switch {
		case err == nil && cur == offeringID:
			return nil
		case err == nil:
			return errs.E(op, errs.Conflict, errs.Key("error.conflict"))
		case !errs.Is(err, errs.NotFound):
			return err
		}
		if err := db.exec(ctx, op, false, `DELETE FROM market_external_ids WHERE municipality_id = $1 AND offering_id = $2`,
			municipalityID, offeringID); err != nil {
			return err
		}
		return db.exec(ctx, op, false, `INSERT INTO market_external_ids (municipality_id, external_id, offering_id, created_at)
			VALUES ($1, $2, $3, $4)`, municipalityID, externalID, offeringID, ms(at))
	})
}
