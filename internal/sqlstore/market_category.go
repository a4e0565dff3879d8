package sqlstore

import (
	"context"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
)

// UpdateCategory writes a category's name, slug and parent, and moves the
// marketplace's change sequence so every node's search index reloads the
// tree.
func (db *DB) UpdateCategory(ctx context.Context, c *market.Category) error {
	const op = "sqlstore.UpdateCategory"
	return db.InTx(ctx, func(ctx context.Context) error {
		if _, err := db.nextMarketSeq(ctx, op); err != nil {
			return err
		}
		return db.exec(ctx, op, true, `UPDATE market_categories SET name = $2, slug = $3, parent_id = $4 WHERE id = $1`,
			c.ID, c.Name, c.Slug, nullStr(c.ParentID))
	})
}

// DeleteCategory removes a category; the caller checks first that nothing
// uses it (CategoryInUse) and that it has no sub-categories.
func (db *DB) DeleteCategory(ctx context.Context, id string) error {
	const op = "sqlstore.DeleteCategory"
	return db.InTx(ctx, func(ctx context.Context) error {
		if _, err := db.nextMarketSeq(ctx, op); err != nil {
			return err
		}
		return db.exec(ctx, op, true, `DELETE FROM market_categories WHERE id = $1`, id)
	})
}

// CategoryInUse reports how many offerings use a category: in their own
// content (any status) or in a change awaiting approval. A revision's
// content is JSON text; ids are opaque tokens without quotes, so the
// quoted id matches only that id.
func (db *DB) CategoryInUse(ctx context.Context, id string) (int, error) {
	var n int
	err := db.r(ctx).QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM market_offering_categories WHERE category_id = $1) +
		(SELECT COUNT(*) FROM market_revisions WHERE status = 'pending' AND content LIKE '%"' || $1 || '"%')`, id).Scan(&n)
	return n, db.wrap("sqlstore.CategoryInUse", err)
}
