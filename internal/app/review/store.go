package review

import (
	"context"
	"time"
)

// Store is the storage the review service needs. Every write to a review
// or a submission takes NextReviewSeq in the same transaction, so the
// summaries on every node can tell that something changed.
type Store interface {
	// InTx runs fn in one transaction (or the one already in ctx).
	InTx(ctx context.Context, fn func(ctx context.Context) error) error

	// NextReviewSeq takes the next change number; ReviewSeq reads the
	// last one.
	NextReviewSeq(ctx context.Context) (int64, error)
	ReviewSeq(ctx context.Context) (int64, error)

	// CreateReview inserts r with Version 1; Conflict when its request
	// already has a review.
	CreateReview(ctx context.Context, r *Review) error
	// UpdateReview writes r when the stored version is still r.Version,
	// and sets r.Version to the next; Conflict when it changed meanwhile.
	UpdateReview(ctx context.Context, r *Review) error
	// FindReviewByID and FindReviewByRequest fill OfferingTitle too.
	FindReviewByID(ctx context.Context, id string) (Listed, error)
	FindReviewByRequest(ctx context.Context, requestID string) (Listed, error)
	// FindReviewsByAuthor lists an author's reviews, newest first.
	FindReviewsByAuthor(ctx context.Context, authorID string) ([]Listed, error)
	// FindPublishedReviews lists an offering's published reviews written
	// at or after since, newest first, one page, and how many there are.
	FindPublishedReviews(ctx context.Context, offeringID string, since time.Time, limit, offset int) ([]Review, int, error)
	// FindProviderReviews lists the published reviews of the offerings of
	// these organisations, newest first.
	FindProviderReviews(ctx context.Context, orgIDs []string) ([]Listed, error)
	// FindPublishedScores returns the scores of every published review,
	// for the summary.
	FindPublishedScores(ctx context.Context) ([]Score, error)
	// DeleteReviewsByAuthor deletes an author's reviews and their
	// submissions.
	DeleteReviewsByAuthor(ctx context.Context, authorID string) error

	CreateSubmission(ctx context.Context, s *Submission) error
	// UpdateSubmission writes a submission's status, content and decision.
	UpdateSubmission(ctx context.Context, s *Submission) error
	FindSubmission(ctx context.Context, id string) (Submission, error)
	// FindSubmissions lists a review's submissions, newest first.
	FindSubmissions(ctx context.Context, reviewID string) ([]Submission, error)
	// FindQueue lists the pending submissions on reviews of offerings that
	// serve one of the municipalities, oldest first.
	FindQueue(ctx context.Context, municipalityIDs []string) ([]QueueItem, error)

	// FindOfferingMunicipalities returns the municipalities an offering
	// serves (its approved content).
	FindOfferingMunicipalities(ctx context.Context, offeringID string) ([]string, error)
	// HasRoleIn reports whether a person holds any role in an organisation.
	HasRoleIn(ctx context.Context, personID, organisationID string) (bool, error)
}

// Listed is a review with the title of its offering.
type Listed struct {
	Review
	OfferingTitle string
}

// Score is a published review as the summary counts it.
type Score struct {
	OfferingID  string
	CreatedAt   time.Time
	Overall     int
	Information int
	Treatment   int
	Result      int
	Recommend   bool
}

// QueueItem is a text awaiting moderation as a moderator sees it: the
// text, scores and display choice, the offering, and what is published
// now — never who wrote it.
type QueueItem struct {
	Submission    Submission // SubmittedBy is blanked by the service
	OfferingID    string
	OfferingTitle string
	ReviewStatus  Status
	Published     Content // the review as published now (the context of an edit or a reply)
}
