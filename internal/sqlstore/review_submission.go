package sqlstore

import (
	"context"
	"database/sql"

	"github.com/inwonercloud/inwonercloud/internal/app/review"
)

const submissionCols = `s.id, s.review_id, s.kind, s.status, s.overall, s.information, s.treatment, s.result, s.recommend,
	s.body, s.display, s.pseudonym, s.submitted_by, s.submitted_at, s.reason, s.note, s.decided_by, s.decided_at`

func scanSubmission(sc reviewScanner, extra ...any) (review.Submission, error) {
	var s review.Submission
	var rec int
	var submitted int64
	var decidedBy sql.NullString
	var decided sql.NullInt64
	dest := []any{&s.ID, &s.ReviewID, &s.Kind, &s.Status, &s.Content.Overall, &s.Content.Information, &s.Content.Treatment,
		&s.Content.Result, &rec, &s.Content.Text, &s.Content.Display, &s.Content.Pseudonym, &s.SubmittedBy, &submitted,
		&s.Reason, &s.Note, &decidedBy, &decided}
	err := sc.Scan(append(dest, extra...)...)
	s.Content.Recommend, s.SubmittedAt, s.DecidedBy, s.DecidedAt = rec != 0, fromMS(submitted), decidedBy.String, fromNullMS(decided)
	return s, err
}

// CreateSubmission inserts a submission as the review's next one;
// Conflict when its part (content or reply) of the review already has one
// pending.
func (db *DB) CreateSubmission(ctx context.Context, s *review.Submission) error {
	c := s.Content
	return db.exec(ctx, "sqlstore.CreateSubmission", false, `INSERT INTO review_submissions (id, review_id, no, kind, part,
		status, overall, information, treatment, result, recommend, body, display, pseudonym, submitted_by, submitted_at,
		reason, note, decided_by, decided_at)
		VALUES ($1, $2, (SELECT COUNT(*) + 1 FROM review_submissions WHERE review_id = $2), $3, $4, $5, $6, $7, $8, $9,
		$10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
		s.ID, s.ReviewID, s.Kind, s.Kind.Part(), s.Status, c.Overall, c.Information, c.Treatment, c.Result,
		boolInt(c.Recommend), c.Text, c.Display, c.Pseudonym, s.SubmittedBy, ms(s.SubmittedAt), s.Reason, s.Note,
		nullStr(s.DecidedBy), nullMS(s.DecidedAt))
}

// UpdateSubmission writes a submission's status, content and decision.
func (db *DB) UpdateSubmission(ctx context.Context, s *review.Submission) error {
	c := s.Content
	return db.exec(ctx, "sqlstore.UpdateSubmission", true, `UPDATE review_submissions SET status = $1, overall = $2,
		information = $3, treatment = $4, result = $5, recommend = $6, body = $7, display = $8, pseudonym = $9,
		reason = $10, note = $11, decided_by = $12, decided_at = $13 WHERE id = $14`,
		s.Status, c.Overall, c.Information, c.Treatment, c.Result, boolInt(c.Recommend), c.Text, c.Display, c.Pseudonym,
		s.Reason, s.Note, nullStr(s.DecidedBy), nullMS(s.DecidedAt), s.ID)
}

// FindSubmission returns one submission.
func (db *DB) FindSubmission(ctx context.Context, id string) (review.Submission, error) {
	s, err := scanSubmission(db.r(ctx).QueryRowContext(ctx, `SELECT `+submissionCols+` FROM review_submissions s WHERE s.id = $1`, id))
	return s, db.wrap("sqlstore.FindSubmission", err)
}

// FindSubmissions lists a review's submissions, newest first.
func (db *DB) FindSubmissions(ctx context.Context, reviewID string) ([]review.Submission, error) {
	const op = "sqlstore.FindSubmissions"
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT `+submissionCols+` FROM review_submissions s WHERE s.review_id = $1
		ORDER BY s.no DESC`, reviewID)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []review.Submission
	for rows.Next() {
		s, err := scanSubmission(rows)
		if err != nil {
			return nil, db.wrap(op, err)
		}
		list = append(list, s)
	}
	return list, db.wrap(op, rows.Err())
}

// FindQueue lists the pending submissions on reviews of offerings serving
// one of the municipalities, oldest first.
func (db *DB) FindQueue(ctx context.Context, municipalityIDs []string) ([]review.QueueItem, error) {
	const op = "sqlstore.FindQueue"
	if len(municipalityIDs) == 0 {
		return nil, nil
	}
	in, args := inList(1, municipalityIDs)
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT `+submissionCols+`, r.offering_id, o.title, r.status,
		r.overall, r.information, r.treatment, r.result, r.recommend, r.body, r.display, r.pseudonym
		FROM review_submissions s JOIN review_reviews r ON r.id = s.review_id JOIN market_offerings o ON o.id = r.offering_id
		WHERE s.status = 'pending' AND r.offering_id IN
			(SELECT offering_id FROM market_offering_areas WHERE municipality_id IN (`+in+`))
		ORDER BY s.submitted_at, s.id`, args...)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []review.QueueItem
	for rows.Next() {
		var it review.QueueItem
		var rec int
		p := &it.Published
		if it.Submission, err = scanSubmission(rows, &it.OfferingID, &it.OfferingTitle, &it.ReviewStatus,
			&p.Overall, &p.Information, &p.Treatment, &p.Result, &rec, &p.Text, &p.Display, &p.Pseudonym); err != nil {
			return nil, db.wrap(op, err)
		}
		p.Recommend = rec != 0
		list = append(list, it)
	}
	return list, db.wrap(op, rows.Err())
}
