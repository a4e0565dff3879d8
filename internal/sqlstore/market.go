package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

// nextMarketSeq takes the next number of the marketplace's change
// sequence. Call it inside the write transaction: on PostgreSQL the row
// stays locked until commit, so numbers become visible in the order they
// were taken and a reader that saw number n has seen every change up to n.
func (db *DB) nextMarketSeq(ctx context.Context, op string) (int64, error) {
	var seq int64
	err := db.w(ctx).QueryRowContext(ctx, `UPDATE market_state SET seq = seq + 1 WHERE id = 1 RETURNING seq`).Scan(&seq)
	return seq, db.wrap(op, err)
}

// MarketVersion returns the last number of the marketplace's change sequence.
func (db *DB) MarketVersion(ctx context.Context) (int64, error) {
	var seq int64
	err := db.r(ctx).QueryRowContext(ctx, `SELECT seq FROM market_state WHERE id = 1`).Scan(&seq)
	return seq, db.wrap("sqlstore.MarketVersion", err)
}

const categoryCols = `id, municipality_id, parent_id, name, slug, created_at`

func scanCategory(sc interface{ Scan(...any) error }) (market.Category, error) {
	var c market.Category
	var parent sql.NullString
	var created int64
	err := sc.Scan(&c.ID, &c.MunicipalityID, &parent, &c.Name, &c.Slug, &created)
	c.ParentID, c.CreatedAt = parent.String, fromMS(created)
	return c, err
}

// CreateCategory inserts a category.
func (db *DB) CreateCategory(ctx context.Context, c *market.Category) error {
	const op = "sqlstore.CreateCategory"
	return db.InTx(ctx, func(ctx context.Context) error {
		if _, err := db.nextMarketSeq(ctx, op); err != nil {
			return err
		}
		return db.exec(ctx, op, false, `INSERT INTO market_categories (`+categoryCols+`) VALUES ($1, $2, $3, $4, $5, $6)`,
			c.ID, c.MunicipalityID, nullStr(c.ParentID), c.Name, c.Slug, ms(c.CreatedAt))
	})
}

// FindCategories lists a municipality's categories by name ("" lists all).
func (db *DB) FindCategories(ctx context.Context, municipalityID string) ([]market.Category, error) {
	const op = "sqlstore.FindCategories"
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT `+categoryCols+` FROM market_categories
		WHERE $1 = '' OR municipality_id = $1 ORDER BY name, id`, municipalityID)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []market.Category
	for rows.Next() {
		c, err := scanCategory(rows)
		if err != nil {
			return nil, db.wrap(op, err)
		}
		list = append(list, c)
	}
	return list, db.wrap(op, rows.Err())
}

// FindCategoryByID returns one category.
func (db *DB) FindCategoryByID(ctx context.Context, id string) (market.Category, error) {
	c, err := scanCategory(db.r(ctx).QueryRowContext(ctx, `SELECT `+categoryCols+` FROM market_categories WHERE id = $1`, id))
	return c, db.wrap("sqlstore.FindCategoryByID", err)
}

// FindProvider returns a provider organisation with its marketplace details.
func (db *DB) FindProvider(ctx context.Context, organisationID string) (market.Provider, error) {
	const op = "sqlstore.FindProvider"
	org, err := db.FindOrganisationByID(ctx, organisationID)
	if err != nil {
		return market.Provider{}, db.wrap(op, err)
	}
	if org.Kind != tenant.OrgProvider {
		return market.Provider{}, errs.E(op, errs.NotFound, errs.Key("error.not_found"))
	}
	p := market.Provider{OrganisationID: org.ID, Name: org.Name, KvK: org.KvK, MunicipalityIDs: org.MunicipalityIDs}
	var updated int64
	err = db.r(ctx).QueryRowContext(ctx, `SELECT agb, email, phone, website, updated_at FROM market_providers
		WHERE organisation_id = $1`, organisationID).Scan(&p.AGB, &p.Email, &p.Phone, &p.Website, &updated)
	switch {
	case err == sql.ErrNoRows:
		return p, nil
	case err != nil:
		return p, db.wrap(op, err)
	}
	p.UpdatedAt = fromMS(updated)
	return p, nil
}

// SaveProvider inserts or replaces a provider's marketplace details.
func (db *DB) SaveProvider(ctx context.Context, p *market.Provider) error {
	return db.exec(ctx, "sqlstore.SaveProvider", false, `INSERT INTO market_providers
		(organisation_id, agb, email, phone, website, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (organisation_id) DO UPDATE SET agb = excluded.agb, email = excluded.email,
		phone = excluded.phone, website = excluded.website, updated_at = excluded.updated_at`,
		p.OrganisationID, p.AGB, p.Email, p.Phone, p.Website, ms(p.UpdatedAt))
}

// CreateRevision inserts a proposed change and moves the marketplace's
// change sequence (the offering's own update, in the same transaction,
// records which offering changed).
func (db *DB) CreateRevision(ctx context.Context, r *market.Revision) error {
	content, err := json.Marshal(r.Content)
	if err != nil {
		return errs.E("sqlstore.CreateRevision", err)
	}
	return db.exec(ctx, "sqlstore.CreateRevision", false, `INSERT INTO market_revisions
		(id, offering_id, content, status, refusal_reason, proposed_by, proposed_at, decided_by, decided_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		r.ID, r.OfferingID, string(content), string(r.Status), r.RefusalReason, nullStr(r.ProposedByID), ms(r.ProposedAt),
		nullStr(r.DecidedByID), nullMS(r.DecidedAt))
}

// UpdateRevision writes a revision's content and decision.
func (db *DB) UpdateRevision(ctx context.Context, r *market.Revision) error {
	content, err := json.Marshal(r.Content)
	if err != nil {
		return errs.E("sqlstore.UpdateRevision", err)
	}
	return db.exec(ctx, "sqlstore.UpdateRevision", true, `UPDATE market_revisions SET content = $2, status = $3,
		refusal_reason = $4, proposed_by = $5, proposed_at = $6, decided_by = $7, decided_at = $8 WHERE id = $1`,
		r.ID, string(content), string(r.Status), r.RefusalReason, nullStr(r.ProposedByID), ms(r.ProposedAt),
		nullStr(r.DecidedByID), nullMS(r.DecidedAt))
}

const revisionCols = `id, offering_id, content, status, refusal_reason, proposed_by, proposed_at, decided_by, decided_at`

func scanRevision(sc interface{ Scan(...any) error }) (market.Revision, error) {
	var r market.Revision
	var content string
	var by, decidedBy sql.NullString
	var proposed int64
	var decided sql.NullInt64
	if err := sc.Scan(&r.ID, &r.OfferingID, &content, &r.Status, &r.RefusalReason, &by, &proposed, &decidedBy, &decided); err != nil {
		return r, err
	}
	r.ProposedByID, r.ProposedAt, r.DecidedByID, r.DecidedAt = by.String, fromMS(proposed), decidedBy.String, fromNullMS(decided)
	return r, json.Unmarshal([]byte(content), &r.Content)
}

// FindLatestRevision returns an offering's newest revision.
func (db *DB) FindLatestRevision(ctx context.Context, offeringID string) (market.Revision, error) {
	r, err := scanRevision(db.r(ctx).QueryRowContext(ctx, `SELECT `+revisionCols+` FROM market_revisions
		WHERE offering_id = $1 ORDER BY proposed_at DESC, id DESC LIMIT 1`, offeringID))
	return r, db.wrap("sqlstore.FindLatestRevision", err)
}

// FlagStaleOfferings flags published offerings not checked since checkedBefore.
func (db *DB) FlagStaleOfferings(ctx context.Context, checkedBefore, now time.Time) ([]string, error) {
	return db.markOfferings(ctx, "sqlstore.FlagStaleOfferings", `stale_since = $2`,
		`status = 'published' AND stale_since IS NULL AND last_checked_at < $3`, ms(now), ms(checkedBefore))
}

// HideStaleOfferings hides published offerings flagged before flaggedBefore.
func (db *DB) HideStaleOfferings(ctx context.Context, flaggedBefore, now time.Time) ([]string, error) {
	return db.markOfferings(ctx, "sqlstore.HideStaleOfferings", `status = 'hidden', updated_at = $2`,
		`status = 'published' AND stale_since IS NOT NULL AND stale_since <= $3`, ms(now), ms(flaggedBefore))
}

// markOfferings applies set to the offerings matching where, in one
// transaction with one change number, and returns their ids. $1 is the
// change number; $2 and $3 are a and b.
func (db *DB) markOfferings(ctx context.Context, op, set, where string, a, b any) ([]string, error) {
	var ids []string
	err := db.InTx(ctx, func(ctx context.Context) error {
		seq, err := db.nextMarketSeq(ctx, op)
		if err != nil {
			return err
		}
		rows, err := db.w(ctx).QueryContext(ctx, `UPDATE market_offerings SET `+set+`, version = version + 1,
			change_seq = $1 WHERE `+where+` RETURNING id`, seq, a, b)
		if err != nil {
			return db.wrap(op, err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return db.wrap(op, err)
			}
			ids = append(ids, id)
		}
		return db.wrap(op, rows.Err())
	})
	return ids, err
}

// MatchOfferings runs a full-text query over the stored terms of published
// offerings and returns the best ids.
func (db *DB) MatchOfferings(ctx context.Context, m market.Match) ([]string, error) {
	const op = "sqlstore.MatchOfferings"
	query := db.dialect.matchQuery(m.Terms, m.Any)
	if query == "" {
		return nil, nil
	}
	from, where, rank := db.dialect.matchOfferings()
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT o.id FROM `+from+` WHERE `+where+` AND o.status = 'published'
		AND ($2 = '' OR EXISTS (SELECT 1 FROM market_offering_areas a WHERE a.offering_id = o.id AND a.municipality_id = $2))
		ORDER BY `+rank+`, o.id LIMIT $3`, query, m.MunicipalityID, m.Limit)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, db.wrap(op, err)
		}
		ids = append(ids, id)
	}
	return ids, db.wrap(op, rows.Err())
}

var _ market.Store = (*DB)(nil)
