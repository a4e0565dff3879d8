package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/story"
)

const storyVersionCols = `resident_id, number, saved_at, saved_by, content`

func scanStoryVersion(sc interface{ Scan(...any) error }) (story.Version, error) {
	var v story.Version
	var saved int64
	err := sc.Scan(&v.ResidentID, &v.Number, &saved, &v.SavedByID, &v.Sealed)
	v.SavedAt = fromMS(saved)
	return v, err
}

// LatestStoryVersion returns the newest version of a resident's story.
func (db *DB) LatestStoryVersion(ctx context.Context, residentID string) (story.Version, error) {
	v, err := scanStoryVersion(db.r(ctx).QueryRowContext(ctx, `SELECT `+storyVersionCols+` FROM story_versions
		WHERE resident_id = $1 ORDER BY number DESC LIMIT 1`, residentID))
	return v, db.wrap("sqlstore.LatestStoryVersion", err)
}

// FindStoryVersion returns one version.
func (db *DB) FindStoryVersion(ctx context.Context, residentID string, number int) (story.Version, error) {
	v, err := scanStoryVersion(db.r(ctx).QueryRowContext(ctx, `SELECT `+storyVersionCols+` FROM story_versions
		WHERE resident_id = $1 AND number = $2`, residentID, number))
	return v, db.wrap("sqlstore.FindStoryVersion", err)
}

// FindStoryVersions lists every version, oldest first.
func (db *DB) FindStoryVersions(ctx context.Context, residentID string) ([]story.Version, error) {
	const op = "sqlstore.FindStoryVersions"
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT `+storyVersionCols+` FROM story_versions
		WHERE resident_id = $1 ORDER BY number`, residentID)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []story.Version
	for rows.Next() {
		v, err := scanStoryVersion(rows)
		if err != nil {
			return nil, db.wrap(op, err)
		}
		list = append(list, v)
	}
	return list, db.wrap(op, rows.Err())
}

// CreateStoryVersion inserts a version; a taken number is a Conflict.
func (db *DB) CreateStoryVersion(ctx context.Context, v story.Version) error {
	return db.exec(ctx, "sqlstore.CreateStoryVersion", false, `INSERT INTO story_versions (`+storyVersionCols+`)
		VALUES ($1, $2, $3, $4, $5)`, v.ResidentID, v.Number, ms(v.SavedAt), v.SavedByID, v.Sealed)
}

// LastStoryRead returns the version a reader saw last; 0 when never.
func (db *DB) LastStoryRead(ctx context.Context, readerID, residentID string) (int, error) {
	var n int
	err := db.r(ctx).QueryRowContext(ctx, `SELECT number FROM story_reads WHERE reader_id = $1 AND resident_id = $2`,
		readerID, residentID).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, db.wrap("sqlstore.LastStoryRead", err)
}

// RecordStoryRead remembers the version a reader saw.
func (db *DB) RecordStoryRead(ctx context.Context, readerID, residentID string, number int, at time.Time) error {
	return db.exec(ctx, "sqlstore.RecordStoryRead", false, `INSERT INTO story_reads (reader_id, resident_id, number, read_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (reader_id, resident_id) DO UPDATE SET number = excluded.number, read_at = excluded.read_at`,
		readerID, residentID, number, ms(at))
}

// CreateStoryComment inserts a comment.
func (db *DB) CreateStoryComment(ctx context.Context, c story.StoredComment) error {
	return db.exec(ctx, "sqlstore.CreateStoryComment", false, `INSERT INTO story_comments
		(id, resident_id, section, author_id, author_name, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		c.ID, c.ResidentID, c.Section, c.AuthorID, c.AuthorName, c.Sealed, ms(c.CreatedAt))
}

// FindStoryComments lists a resident's comments, oldest first.
func (db *DB) FindStoryComments(ctx context.Context, residentID string) ([]story.StoredComment, error) {
	const op = "sqlstore.FindStoryComments"
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT id, resident_id, section, author_id, author_name, body, created_at
		FROM story_comments WHERE resident_id = $1 ORDER BY created_at, id`, residentID)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []story.StoredComment
	for rows.Next() {
		var c story.StoredComment
		var created int64
		if err := rows.Scan(&c.ID, &c.ResidentID, &c.Section, &c.AuthorID, &c.AuthorName, &c.Sealed, &created); err != nil {
			return nil, db.wrap(op, err)
		}
		c.CreatedAt = fromMS(created)
		list = append(list, c)
	}
	return list, db.wrap(op, rows.Err())
}

// DeleteStory removes every story row of a resident.
func (db *DB) DeleteStory(ctx context.Context, residentID string) error {
	const op = "sqlstore.DeleteStory"
	return db.InTx(ctx, func(ctx context.Context) error {
		for _, q := range []string{
			`DELETE FROM story_comments WHERE resident_id = $1`,
			`DELETE FROM story_reads WHERE resident_id = $1 OR reader_id = $1`,
			`DELETE FROM story_versions WHERE resident_id = $1`,
		} {
			if err := db.exec(ctx, op, false, q, residentID); err != nil {
				return err
			}
		}
		return nil
	})
}

var _ story.Store = (*DB)(nil)
