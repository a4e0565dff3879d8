package review

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Queue lists the texts awaiting moderation on offerings serving the
// municipalities where actor moderates, oldest first, without their
// authors. Forbidden for anyone who moderates nowhere.
func (s *Service) Queue(ctx context.Context, actor identity.Person) ([]QueueItem, error) {
	const op = "review.Queue"
	munis := moderatorIn(actor)
	if len(munis) == 0 {
		return nil, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
	}
	items, err := s.store.FindQueue(ctx, munis)
	if err != nil {
		return nil, errs.E(op, err)
	}
	out := items[:0]
	for _, it := range items {
		if it.Submission.SubmittedBy == actor.ID {
			continue // nobody moderates their own text
		}
		it.Submission.SubmittedBy = ""
		out = append(out, it)
	}
	return out, nil
}

// Approve publishes a pending text: the first version of a review, an
// edit (which replaces the published version) or a reply.
func (s *Service) Approve(ctx context.Context, actor identity.Person, submissionID string) error {
	return s.decide(ctx, "review.Approve", actor, submissionID, true, "", "")
}

// Refuse refuses a pending text for breaking a house rule, with an
// optional note; the author (or the provider, for a reply) reads both.
// A refused first version leaves the review unpublished; a refused edit
// or reply leaves the review as published.
func (s *Service) Refuse(ctx context.Context, actor identity.Person, submissionID string, reason Reason, note string) error {
	const op = "review.Refuse"
	f := errs.Fields{}
	if !reason.Valid() {
		f.Add("reason", "field.review.reason")
	}
	note = strings.TrimSpace(note)
	if !utf8.ValidString(note) || strings.ContainsFunc(note, badControl) {
		f.Add("note", "field.review.text_invalid")
	} else if utf8.RuneCountInString(note) > MaxNote {
		f.Add("note", "field.review.note_long")
	}
	if err := f.Err(op); err != nil {
		return err
	}
	return s.decide(ctx, op, actor, submissionID, false, reason, note)
}

func (s *Service) decide(ctx context.Context, op string, actor identity.Person, submissionID string, approve bool, reason Reason, note string) error {
	munis := moderatorIn(actor)
	if len(munis) == 0 {
		return errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
	}
	notFound := errs.E(op, errs.NotFound, errs.Key("error.not_found"))
	sub, err := s.store.FindSubmission(ctx, submissionID)
	if errs.Is(err, errs.NotFound) {
		return notFound
	} else if err != nil {
		return errs.E(op, err)
	}
	l, err := s.store.FindReviewByID(ctx, sub.ReviewID)
	if err != nil {
		return errs.E(op, err)
	}
	served, err := s.store.FindOfferingMunicipalities(ctx, l.OfferingID)
	if err != nil {
		return errs.E(op, err)
	}
	if !slices.ContainsFunc(served, func(m string) bool { return slices.Contains(munis, m) }) {
		return notFound
	}
	if sub.SubmittedBy == actor.ID || l.AuthorID == actor.ID || l.WrittenByID == actor.ID {
		return errs.E(op, errs.Forbidden, errs.Key("error.review.own_text"))
	}
	if sub.Status != SubmissionPending {
		return errs.E(op, errs.Conflict, errs.Key("error.review.decided"))
	}
	now := s.now()
	err = s.write(ctx, func(ctx context.Context) error {
		// Another moderator, or the author, may have acted meanwhile.
		cur, err := s.store.FindSubmission(ctx, sub.ID)
		if err != nil {
			return err
		}
		if cur.Status != SubmissionPending {
			return errs.E(op, errs.Conflict, errs.Key("error.review.decided"))
		}
		r := l.Review
		sub.DecidedBy, sub.DecidedAt = actor.ID, &now
		if !approve {
			sub.Status, sub.Reason, sub.Note = SubmissionRefused, reason, note
			if sub.Kind == KindReview {
				r.Status, r.UpdatedAt = StatusRefused, now
				if err := s.store.UpdateReview(ctx, &r); err != nil {
					return err
				}
			}
			return s.store.UpdateSubmission(ctx, &sub)
		}
		sub.Status = SubmissionApproved
		switch sub.Kind {
		case KindReply:
			r.Reply, r.ReplyAt = sub.Content.Text, &now
		default:
			r.Content, r.Status = sub.Content, StatusPublished
			if r.PublishedAt == nil {
				r.PublishedAt = &now
			}
		}
		r.UpdatedAt = now
		if err := s.store.UpdateReview(ctx, &r); err != nil {
			return err
		}
		return s.store.UpdateSubmission(ctx, &sub)
	})
	if err != nil {
		return errs.E(op, err)
	}
	return nil
}
