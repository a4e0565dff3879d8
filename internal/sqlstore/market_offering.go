package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

const offeringCols = `o.id, o.provider_org_id, org.name, o.title, o.summary, o.description, o.target_groups,
	o.eligibility, o.how_to_request, o.languages, o.cost_type, o.price_cents, o.unit, o.kind, o.locations,
	o.status, o.refusal_reason, o.last_checked_at, o.last_checked_by, o.stale_since, o.version,
	o.created_at, o.updated_at, o.change_seq`

const offeringFrom = ` FROM market_offerings o JOIN organisations org ON org.id = o.provider_org_id`

// offeringRow is an offering with its change number, as read.
type offeringRow struct {
	market.Offering
	seq int64
}

func scanOffering(sc interface{ Scan(...any) error }) (offeringRow, error) {
	var r offeringRow
	o := &r.Offering
	var groups, langs, locs string
	var checkedBy sql.NullString
	var checked, created, updated int64
	var stale sql.NullInt64
	err := sc.Scan(&o.ID, &o.ProviderOrgID, &o.ProviderName, &o.Title, &o.Summary, &o.Description, &groups,
		&o.Eligibility, &o.HowToRequest, &langs, &o.CostType, &o.PriceCents, &o.Unit, &o.Kind, &locs,
		&o.Status, &o.RefusalReason, &checked, &checkedBy, &stale, &o.Version, &created, &updated, &r.seq)
	if err != nil {
		return r, err
	}
	o.LastCheckedAt, o.LastCheckedByID, o.StaleSince = fromMS(checked), checkedBy.String, fromNullMS(stale)
	o.CreatedAt, o.UpdatedAt = fromMS(created), fromMS(updated)
	for _, f := range []struct {
		s string
		v any
	}{{groups, &o.TargetGroups}, {langs, &o.Languages}, {locs, &o.Locations}} {
		if err := json.Unmarshal([]byte(f.s), f.v); err != nil {
			return r, err
		}
	}
	// An empty list reads as nil, as it was before it was stored.
	if len(o.TargetGroups) == 0 {
		o.TargetGroups = nil
	}
	if len(o.Languages) == 0 {
		o.Languages = nil
	}
	if len(o.Locations) == 0 {
		o.Locations = nil
	}
	return r, nil
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // the content types always marshal
	}
	return string(b)
}

// CreateOffering inserts an offering with its areas and categories.
func (db *DB) CreateOffering(ctx context.Context, o *market.Offering) error {
	const op = "sqlstore.CreateOffering"
	return db.InTx(ctx, func(ctx context.Context) error {
		seq, err := db.nextMarketSeq(ctx, op)
		if err != nil {
			return err
		}
		o.Version = 1
		title, body := market.Document(*o)
		c := o.Content
		if err := db.exec(ctx, op, false, `INSERT INTO market_offerings (id, provider_org_id, title, summary, description,
			target_groups, eligibility, how_to_request, languages, cost_type, price_cents, unit, kind, locations,
			status, refusal_reason, last_checked_at, last_checked_by, stale_since, version, change_seq,
			search_no, search_title, search_body, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
			$21, $22, $23, $24, $25)`,
			o.ID, o.ProviderOrgID, c.Title, c.Summary, c.Description, jsonText(nonNil(c.TargetGroups)), c.Eligibility,
			c.HowToRequest, jsonText(nonNil(c.Languages)), string(c.CostType), c.PriceCents, c.Unit, string(c.Kind),
			jsonText(nonNil(c.Locations)), string(o.Status), o.RefusalReason, ms(o.LastCheckedAt), nullStr(o.LastCheckedByID),
			nullMS(o.StaleSince), o.Version, seq, title, body, ms(o.CreatedAt), ms(o.UpdatedAt)); err != nil {
			return err
		}
		return db.writeOfferingLinks(ctx, op, o)
	})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// writeOfferingLinks replaces an offering's area and category rows.
func (db *DB) writeOfferingLinks(ctx context.Context, op string, o *market.Offering) error {
	for _, q := range []string{`DELETE FROM market_offering_areas WHERE offering_id = $1`,
		`DELETE FROM market_offering_categories WHERE offering_id = $1`} {
		if err := db.exec(ctx, op, false, q, o.ID); err != nil {
			return err
		}
	}
	for _, m := range o.MunicipalityIDs {
		if err := db.exec(ctx, op, false, `INSERT INTO market_offering_areas (offering_id, municipality_id) VALUES ($1, $2)`, o.ID, m); err != nil {
			return err
		}
	}
	for _, c := range o.CategoryIDs {
		if err := db.exec(ctx, op, false, `INSERT INTO market_offering_categories (offering_id, category_id) VALUES ($1, $2)`, o.ID, c); err != nil {
			return err
		}
	}
	return nil
}

// UpdateOffering writes an offering when its stored version is still
// o.Version, and moves o.Version on.
func (db *DB) UpdateOffering(ctx context.Context, o *market.Offering) error {
	const op = "sqlstore.UpdateOffering"
	return db.InTx(ctx, func(ctx context.Context) error {
		seq, err := db.nextMarketSeq(ctx, op)
		if err != nil {
			return err
		}
		title, body := market.Document(*o)
		c := o.Content
		err = db.exec(ctx, op, true, `UPDATE market_offerings SET title = $3, summary = $4, description = $5,
			target_groups = $6, eligibility = $7, how_to_request = $8, languages = $9, cost_type = $10, price_cents = $11,
			unit = $12, kind = $13, locations = $14, status = $15, refusal_reason = $16, last_checked_at = $17,
			last_checked_by = $18, stale_since = $19, version = version + 1, change_seq = $20, search_title = $21,
			search_body = $22, updated_at = $23
			WHERE id = $1 AND version = $2`,
			o.ID, o.Version, c.Title, c.Summary, c.Description, jsonText(nonNil(c.TargetGroups)), c.Eligibility,
			c.HowToRequest, jsonText(nonNil(c.Languages)), string(c.CostType), c.PriceCents, c.Unit, string(c.Kind),
			jsonText(nonNil(c.Locations)), string(o.Status), o.RefusalReason, ms(o.LastCheckedAt), nullStr(o.LastCheckedByID),
			nullMS(o.StaleSince), seq, title, body, ms(o.UpdatedAt))
		if errs.Is(err, errs.NotFound) {
			if _, ferr := db.FindOfferingByID(ctx, o.ID); ferr == nil {
				return errs.E(op, errs.Conflict, errs.Key("error.market.changed"))
			}
		}
		if err != nil {
			return err
		}
		o.Version++
		return db.writeOfferingLinks(ctx, op, o)
	})
}

// FindOfferingByID returns one offering with its areas and categories.
func (db *DB) FindOfferingByID(ctx context.Context, id string) (market.Offering, error) {
	list, err := db.findOfferings(ctx, "sqlstore.FindOfferingByID", `o.id = $1`, id)
	if err != nil {
		return market.Offering{}, err
	}
	if len(list) == 0 {
		return market.Offering{}, errs.E("sqlstore.FindOfferingByID", errs.NotFound)
	}
	return list[0].Offering, nil
}

// FindOfferingsByProvider lists a provider's offerings by title.
func (db *DB) FindOfferingsByProvider(ctx context.Context, organisationID string) ([]market.Offering, error) {
	rows, err := db.findOfferings(ctx, "sqlstore.FindOfferingsByProvider", `o.provider_org_id = $1`, organisationID)
	if err != nil {
		return nil, err
	}
	list := make([]market.Offering, len(rows))
	for i, r := range rows {
		list[i] = r.Offering
	}
	return list, nil
}

// findOfferings reads the offerings matching where (one argument, $1),
// ordered by title, then fills in their areas and categories with one
// query each.
func (db *DB) findOfferings(ctx context.Context, op, where string, arg any) ([]offeringRow, error) {
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT `+offeringCols+offeringFrom+` WHERE `+where+` ORDER BY o.title, o.id`, arg)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	var list []offeringRow
	pos := map[string]int{}
	for rows.Next() {
		r, err := scanOffering(rows)
		if err != nil {
			rows.Close()
			return nil, db.wrap(op, err)
		}
		pos[r.ID] = len(list)
		list = append(list, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, db.wrap(op, err)
	}
	if len(list) == 0 {
		return nil, nil
	}
	sub := `SELECT o.id` + offeringFrom + ` WHERE ` + where
	for _, link := range []struct {
		query string
		add   func(o *market.Offering, v string)
	}{
		{`SELECT offering_id, municipality_id FROM market_offering_areas WHERE offering_id IN (` + sub + `) ORDER BY municipality_id`,
			func(o *market.Offering, v string) { o.MunicipalityIDs = append(o.MunicipalityIDs, v) }},
		{`SELECT offering_id, category_id FROM market_offering_categories WHERE offering_id IN (` + sub + `) ORDER BY category_id`,
			func(o *market.Offering, v string) { o.CategoryIDs = append(o.CategoryIDs, v) }},
	} {
		if err := db.eachPair(ctx, op, link.query, arg, func(id, v string) {
			if i, ok := pos[id]; ok {
				link.add(&list[i].Offering, v)
			}
		}); err != nil {
			return nil, err
		}
	}
	return list, nil
}

func (db *DB) eachPair(ctx context.Context, op, query string, arg any, fn func(a, b string)) error {
	rows, err := db.r(ctx).QueryContext(ctx, query, arg)
	if err != nil {
		return db.wrap(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		var a, b string
		if err := rows.Scan(&a, &b); err != nil {
			return db.wrap(op, err)
		}
		fn(a, b)
	}
	return db.wrap(op, rows.Err())
}

// FindOfferingChanges returns the offerings changed after change number
// after, each with its pending revision, and the highest number seen.
func (db *DB) FindOfferingChanges(ctx context.Context, after int64) ([]market.Change, int64, error) {
	const op = "sqlstore.FindOfferingChanges"
	rows, err := db.findOfferings(ctx, op, `o.change_seq > $1`, after)
	if err != nil {
		return nil, 0, err
	}
	maxSeq := after
	out := make([]market.Change, len(rows))
	pos := make(map[string]int, len(rows))
	for i, r := range rows {
		out[i].Offering = r.Offering
		pos[r.ID] = i
		maxSeq = max(maxSeq, r.seq)
	}
	if len(rows) == 0 {
		return nil, maxSeq, nil
	}
	revs, err := db.r(ctx).QueryContext(ctx, `SELECT `+prefixCols("r.", revisionCols)+` FROM market_revisions r
		JOIN market_offerings o ON o.id = r.offering_id WHERE o.change_seq > $1 AND r.status = 'pending'`, after)
	if err != nil {
		return nil, 0, db.wrap(op, err)
	}
	defer revs.Close()
	for revs.Next() {
		r, err := scanRevision(revs)
		if err != nil {
			return nil, 0, db.wrap(op, err)
		}
		if i, ok := pos[r.OfferingID]; ok {
			out[i].Pending = &r
		}
	}
	return out, maxSeq, db.wrap(op, revs.Err())
}

func prefixCols(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
