package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/review"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// NextReviewSeq takes the next number of the reviews' change sequence.
// Call it inside the write transaction: on PostgreSQL the row stays locked
// until commit, so a reader that saw number n has seen every change up to n.
func (db *DB) NextReviewSeq(ctx context.Context) (int64, error) {
	var seq int64
	err := db.w(ctx).QueryRowContext(ctx, `UPDATE review_state SET seq = seq + 1 WHERE id = 1 RETURNING seq`).Scan(&seq)
	return seq, db.wrap("sqlstore.NextReviewSeq", err)
}

// ReviewSeq returns the last number of the reviews' change sequence.
func (db *DB) ReviewSeq(ctx context.Context) (int64, error) {
	var seq int64
	err := db.r(ctx).QueryRowContext(ctx, `SELECT seq FROM review_state WHERE id = 1`).Scan(&seq)
	return seq, db.wrap("sqlstore.ReviewSeq", err)
}

const reviewCols = `r.id, r.request_id, r.offering_id, r.provider_org_id, r.author_id, r.written_by, r.status,
	r.overall, r.information, r.treatment, r.result, r.recommend, r.body, r.display, r.pseudonym,
	r.delivered_at, r.created_at, r.published_at, r.updated_at, r.withdrawn_at, r.reply_body, r.reply_at, r.version`

type reviewScanner interface{ Scan(...any) error }

func scanReview(sc reviewScanner, extra ...any) (review.Review, error) {
	var r review.Review
	var rec int
	var delivered, created, updated int64
	var published, withdrawn, replyAt sql.NullInt64
	dest := []any{&r.ID, &r.RequestID, &r.OfferingID, &r.ProviderOrgID, &r.AuthorID, &r.WrittenByID, &r.Status,
		&r.Content.Overall, &r.Content.Information, &r.Content.Treatment, &r.Content.Result, &rec, &r.Content.Text,
		&r.Content.Display, &r.Content.Pseudonym, &delivered, &created, &published, &updated, &withdrawn, &r.Reply, &replyAt, &r.Version}
	err := sc.Scan(append(dest, extra...)...)
	r.Content.Recommend = rec != 0
	r.DeliveredAt, r.CreatedAt, r.UpdatedAt = fromMS(delivered), fromMS(created), fromMS(updated)
	r.PublishedAt, r.WithdrawnAt, r.ReplyAt = fromNullMS(published), fromNullMS(withdrawn), fromNullMS(replyAt)
	return r, err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CreateReview inserts a review with version 1; Conflict when its request
// already has one.
func (db *DB) CreateReview(ctx context.Context, r *review.Review) error {
	r.Version = 1
	c := r.Content
	return db.exec(ctx, "sqlstore.CreateReview", false, `INSERT INTO review_reviews (id, request_id, offering_id,
		provider_org_id, author_id, written_by, status, overall, information, treatment, result, recommend, body, display,
		pseudonym, delivered_at, created_at, published_at, updated_at, withdrawn_at, reply_body, reply_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
		r.ID, r.RequestID, r.OfferingID, r.ProviderOrgID, r.AuthorID, r.WrittenByID, r.Status, c.Overall, c.Information,
		c.Treatment, c.Result, boolInt(c.Recommend), c.Text, c.Display, c.Pseudonym, ms(r.DeliveredAt), ms(r.CreatedAt),
		nullMS(r.PublishedAt), ms(r.UpdatedAt), nullMS(r.WithdrawnAt), r.Reply, nullMS(r.ReplyAt), r.Version)
}

// UpdateReview writes a review when its stored version is r.Version and
// moves r.Version on; Conflict when someone changed it meanwhile.
func (db *DB) UpdateReview(ctx context.Context, r *review.Review) error {
	const op = "sqlstore.UpdateReview"
	c := r.Content
	err := db.exec(ctx, op, true, `UPDATE review_reviews SET status = $1, overall = $2, information = $3, treatment = $4,
		result = $5, recommend = $6, body = $7, display = $8, pseudonym = $9, published_at = $10, updated_at = $11,
		withdrawn_at = $12, reply_body = $13, reply_at = $14, version = version + 1 WHERE id = $15 AND version = $16`,
		r.Status, c.Overall, c.Information, c.Treatment, c.Result, boolInt(c.Recommend), c.Text, c.Display, c.Pseudonym,
		nullMS(r.PublishedAt), ms(r.UpdatedAt), nullMS(r.WithdrawnAt), r.Reply, nullMS(r.ReplyAt), r.ID, r.Version)
	if errs.Is(err, errs.NotFound) {
		return errs.E(op, errs.Conflict, errs.Key("error.conflict"), err)
	}
	if err == nil {
		r.Version++
	}
	return err
}

const listedFrom = ` FROM review_reviews r JOIN market_offerings o ON o.id = r.offering_id`

func (db *DB) findListed(ctx context.Context, op, where string, args ...any) ([]review.Listed, error) {
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT `+reviewCols+`, o.title`+listedFrom+` WHERE `+where+
		` ORDER BY r.created_at DESC, r.id DESC`, args...)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []review.Listed
	for rows.Next() {
		var l review.Listed
		if l.Review, err = scanReview(rows, &l.OfferingTitle); err != nil {
			return nil, db.wrap(op, err)
		}
		list = append(list, l)
	}
	return list, db.wrap(op, rows.Err())
}

func (db *DB) findOneListed(ctx context.Context, op, where string, arg string) (review.Listed, error) {
	list, err := db.findListed(ctx, op, where, arg)
	if err != nil {
		return review.Listed{}, err
	}
	if len(list) == 0 {
		return review.Listed{}, errs.E(op, errs.NotFound)
	}
	return list[0], nil
}

// FindReviewByID returns a review with its offering's title.
func (db *DB) FindReviewByID(ctx context.Context, id string) (review.Listed, error) {
	return db.findOneListed(ctx, "sqlstore.FindReviewByID", `r.id = $1`, id)
}

// FindReviewByRequest returns the review of a request.
func (db *DB) FindReviewByRequest(ctx context.Context, requestID string) (review.Listed, error) {
	return db.findOneListed(ctx, "sqlstore.FindReviewByRequest", `r.request_id = $1`, requestID)
}

// FindReviewsByAuthor lists an author's reviews, newest first.
func (db *DB) FindReviewsByAuthor(ctx context.Context, authorID string) ([]review.Listed, error) {
	return db.findListed(ctx, "sqlstore.FindReviewsByAuthor", `r.author_id = $1`, authorID)
}

// FindProviderReviews lists the published reviews of organisations'
// offerings, newest first.
func (db *DB) FindProviderReviews(ctx context.Context, orgIDs []string) ([]review.Listed, error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	in, args := inList(1, orgIDs)
	return db.findListed(ctx, "sqlstore.FindProviderReviews", `r.status = 'published' AND r.provider_org_id IN (`+in+`)`, args...)
}

// inList returns "$n, $n+1, …" for the values, and the values as args.
func inList(first int, values []string) (string, []any) {
	ph := make([]string, len(values))
	args := make([]any, len(values))
	for i, v := range values {
		ph[i], args[i] = placeholder(first+i), v
	}
	return strings.Join(ph, ", "), args
}

// FindPublishedReviews lists an offering's published reviews written at
// or after since, newest first, one page, and how many there are.
func (db *DB) FindPublishedReviews(ctx context.Context, offeringID string, since time.Time, limit, offset int) ([]review.Review, int, error) {
	const op = "sqlstore.FindPublishedReviews"
	var total int
	if err := db.r(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM review_reviews r
		WHERE r.offering_id = $1 AND r.status = 'published' AND r.created_at >= $2`, offeringID, ms(since)).Scan(&total); err != nil {
		return nil, 0, db.wrap(op, err)
	}
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT `+reviewCols+` FROM review_reviews r
		WHERE r.offering_id = $1 AND r.status = 'published' AND r.created_at >= $2
		ORDER BY r.created_at DESC, r.id DESC LIMIT $3 OFFSET $4`, offeringID, ms(since), limit, offset)
	if err != nil {
		return nil, 0, db.wrap(op, err)
	}
	defer rows.Close()
	var list []review.Review
	for rows.Next() {
		r, err := scanReview(rows)
		if err != nil {
			return nil, 0, db.wrap(op, err)
		}
		list = append(list, r)
	}
	return list, total, db.wrap(op, rows.Err())
}

// FindPublishedScores returns the scores of every published review.
func (db *DB) FindPublishedScores(ctx context.Context) ([]review.Score, error) {
	const op = "sqlstore.FindPublishedScores"
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT offering_id, created_at, overall, information, treatment, result, recommend
		FROM review_reviews WHERE status = 'published'`)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []review.Score
	for rows.Next() {
		var s review.Score
		var created int64
		var rec int
		if err := rows.Scan(&s.OfferingID, &created, &s.Overall, &s.Information, &s.Treatment, &s.Result, &rec); err != nil {
			return nil, db.wrap(op, err)
		}
		s.CreatedAt, s.Recommend = fromMS(created), rec != 0
		list = append(list, s)
	}
	return list, db.wrap(op, rows.Err())
}

// DeleteReviewsByAuthor deletes an author's reviews and their submissions.
func (db *DB) DeleteReviewsByAuthor(ctx context.Context, authorID string) error {
	const op = "sqlstore.DeleteReviewsByAuthor"
	return db.InTx(ctx, func(ctx context.Context) error {
		if err := db.exec(ctx, op, false, `DELETE FROM review_submissions WHERE review_id IN
			(SELECT id FROM review_reviews WHERE author_id = $1)`, authorID); err != nil {
			return err
		}
		return db.exec(ctx, op, false, `DELETE FROM review_reviews WHERE author_id = $1`, authorID)
	})
}

// FindOfferingMunicipalities returns the municipalities an offering serves.
func (db *DB) FindOfferingMunicipalities(ctx context.Context, offeringID string) ([]string, error) {
	const op = "sqlstore.FindOfferingMunicipalities"
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT municipality_id FROM market_offering_areas WHERE offering_id = $1
		ORDER BY municipality_id`, offeringID)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return nil, db.wrap(op, err)
		}
		out = append(out, m)
	}
	return out, db.wrap(op, rows.Err())
}

// HasRoleIn reports whether a person holds any role in an organisation.
func (db *DB) HasRoleIn(ctx context.Context, personID, organisationID string) (bool, error) {
	var n int
	err := db.r(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM role_assignments WHERE person_id = $1 AND organisation_id = $2`,
		personID, organisationID).Scan(&n)
	return n > 0, db.wrap("sqlstore.HasRoleIn", err)
}

var _ review.Store = (*DB)(nil)
