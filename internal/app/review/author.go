package review

import (
	"context"
	"slices"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Eligible reports whether the resident may review the delivered
// request now, and returns the delivery. Each refusal is an error with its
// own message: no delivered request of theirs (NotFound,
// error.review.no_delivery), a role in the provider's organisation
// (Forbidden, error.review.own_provider), too late (Forbidden,
// error.review.too_late), already reviewed (Conflict, error.review.exists).
func (s *Service) Eligible(ctx context.Context, a Actor, requestID string) (Delivery, error) {
	const op = "review.Eligible"
	d, err := s.eligible(ctx, a, requestID, audit.ActionRead)
	if err != nil {
		return Delivery{}, errs.E(op, err)
	}
	if _, err := s.store.FindReviewByRequest(ctx, requestID); err == nil {
		return Delivery{}, errs.E(op, errs.Conflict, errs.Key("error.review.exists"))
	} else if !errs.Is(err, errs.NotFound) {
		return Delivery{}, errs.E(op, err)
	}
	return d, nil
}

func (s *Service) eligible(ctx context.Context, a Actor, requestID string, action audit.Action) (Delivery, error) {
	if err := s.asAuthor(ctx, a, action); err != nil {
		return Delivery{}, err
	}
	noDelivery := errs.E("review.eligible", errs.NotFound, errs.Key("error.review.no_delivery"))
	if requestID == "" || s.deliveries == nil {
		return Delivery{}, noDelivery
	}
	d, err := s.deliveries.Delivered(ctx, requestID)
	if errs.Is(err, errs.NotFound) || (err == nil && d.ResidentID != a.ResidentID()) {
		return Delivery{}, noDelivery
	} else if err != nil {
		return Delivery{}, err
	}
	// A provider's own people never rate it, whoever's request it is.
	own := slices.ContainsFunc(a.Person.Roles, func(r identity.RoleAssignment) bool { return r.OrganisationID == d.ProviderOrgID })
	if !own && !a.own() {
		if own, err = s.store.HasRoleIn(ctx, a.ResidentID(), d.ProviderOrgID); err != nil {
			return Delivery{}, err
		}
	}
	if own {
		return Delivery{}, errs.E("review.eligible", errs.Forbidden, errs.Key("error.review.own_provider"))
	}
	if !s.now().Before(d.DeliveredAt.AddDate(0, ReviewWindowMonths, 0)) {
		return Delivery{}, errs.E("review.eligible", errs.Forbidden, errs.Key("error.review.too_late"))
	}
	return d, nil
}

// authorName is the name a pseudonym may not contain: the actor's own
// when they write for themselves.
func authorName(a Actor) string {
	if a.own() {
		return a.Person.DisplayName
	}
	return ""
}

// Create writes a review of a delivered request; it waits for a
// moderator before anyone else sees it. See Eligible for the refusals;
// wrong content is Invalid with field errors.
func (s *Service) Create(ctx context.Context, a Actor, requestID string, c Content) (Review, error) {
	const op = "review.Create"
	d, err := s.eligible(ctx, a, requestID, audit.ActionCreate)
	if err != nil {
		return Review{}, errs.E(op, err)
	}
	c.Normalize()
	if err := c.Validate(authorName(a)); err != nil {
		return Review{}, errs.E(op, err)
	}
	now := s.now()
	r := Review{ID: id.New(), RequestID: d.RequestID, OfferingID: d.OfferingID, ProviderOrgID: d.ProviderOrgID,
		AuthorID: a.ResidentID(), WrittenByID: a.Person.ID, Status: StatusPending, Content: Content{Display: DisplayAnonymous},
		DeliveredAt: d.DeliveredAt, CreatedAt: now, UpdatedAt: now}
	err = s.write(ctx, func(ctx context.Context) error {
		if err := s.store.CreateReview(ctx, &r); err != nil {
			return err
		}
		return s.store.CreateSubmission(ctx, &Submission{ID: id.New(), ReviewID: r.ID, Kind: KindReview,
			Status: SubmissionPending, Content: c, SubmittedBy: a.Person.ID, SubmittedAt: now})
	})
	if errs.Is(err, errs.Conflict) {
		return Review{}, errs.E(op, errs.Conflict, errs.Key("error.review.exists"), err)
	} else if err != nil {
		return Review{}, errs.E(op, err)
	}
	return r, nil
}

// Mine is one of the author's reviews as they see it.
type Mine struct {
	Listed
	// Text is the author's latest text: awaiting moderation, refused, or
	// the published one.
	Text Content
	// Pending is set while a text awaits a moderator; Refusal holds the
	// decision when the latest text was refused.
	Pending bool
	Refusal *Submission
	Counts  bool // published and younger than CountYears
}

// Mine lists the resident's reviews, newest first.
func (s *Service) Mine(ctx context.Context, a Actor) ([]Mine, error) {
	const op = "review.Mine"
	if err := s.asAuthor(ctx, a, audit.ActionRead); err != nil {
		return nil, errs.E(op, err)
	}
	list, err := s.store.FindReviewsByAuthor(ctx, a.ResidentID())
	if err != nil {
		return nil, errs.E(op, err)
	}
	out := make([]Mine, 0, len(list))
	for _, l := range list {
		m, err := s.mine(ctx, l)
		if err != nil {
			return nil, errs.E(op, err)
		}
		out = append(out, m)
	}
	return out, nil
}

// Get returns one of the resident's reviews; NotFound for anyone else's.
func (s *Service) Get(ctx context.Context, a Actor, reviewID string) (Mine, error) {
	const op = "review.Get"
	l, err := s.authored(ctx, a, reviewID, audit.ActionRead)
	if err != nil {
		return Mine{}, errs.E(op, err)
	}
	m, err := s.mine(ctx, l)
	if err != nil {
		return Mine{}, errs.E(op, err)
	}
	return m, nil
}

// authored loads a review of the actor's resident; NotFound otherwise.
func (s *Service) authored(ctx context.Context, a Actor, reviewID string, action audit.Action) (Listed, error) {
	if err := s.asAuthor(ctx, a, action); err != nil {
		return Listed{}, err
	}
	l, err := s.store.FindReviewByID(ctx, reviewID)
	if err != nil {
		return Listed{}, err
	}
	if l.AuthorID != a.ResidentID() {
		return Listed{}, errs.E("review.authored", errs.NotFound, errs.Key("error.not_found"))
	}
	return l, nil
}

func (s *Service) mine(ctx context.Context, l Listed) (Mine, error) {
	m := Mine{Listed: l, Text: l.Content, Counts: l.Counts(s.now())}
	subs, err := s.store.FindSubmissions(ctx, l.ID)
	if err != nil {
		return Mine{}, err
	}
	for _, sub := range subs {
		if sub.Kind == KindReply {
			continue
		}
		switch sub.Status {
		case SubmissionPending:
			m.Text, m.Pending = sub.Content, true
		case SubmissionRefused:
			m.Text = sub.Content
			refusal := sub
			m.Refusal = &refusal
		}
		break // the newest content text decides
	}
	return m, nil
}

// Edit changes a review's text and scores. The change waits for a
// moderator; a published review stays visible as it was until then. An
// edit while a text awaits moderation replaces that text.
func (s *Service) Edit(ctx context.Context, a Actor, reviewID string, c Content) (Review, error) {
	const op = "review.Edit"
	l, err := s.authored(ctx, a, reviewID, audit.ActionUpdate)
	if err != nil {
		return Review{}, errs.E(op, err)
	}
	r := l.Review
	if r.Status == StatusWithdrawn {
		return Review{}, errs.E(op, errs.Conflict, errs.Key("error.review.withdrawn"))
	}
	c.Normalize()
	if err := c.Validate(authorName(a)); err != nil {
		return Review{}, errs.E(op, err)
	}
	now := s.now()
	err = s.write(ctx, func(ctx context.Context) error {
		subs, err := s.store.FindSubmissions(ctx, r.ID)
		if err != nil {
			return err
		}
		for _, sub := range subs {
			if sub.Kind != KindReply && sub.Status == SubmissionPending {
				sub.Status = SubmissionCancelled
				if err := s.store.UpdateSubmission(ctx, &sub); err != nil {
					return err
				}
			}
		}
		kind := KindEdit
		if r.Status != StatusPublished {
			kind, r.Status = KindReview, StatusPending
		}
		r.UpdatedAt = now
		if err := s.store.UpdateReview(ctx, &r); err != nil {
			return err
		}
		return s.store.CreateSubmission(ctx, &Submission{ID: id.New(), ReviewID: r.ID, Kind: kind,
			Status: SubmissionPending, Content: c, SubmittedBy: a.Person.ID, SubmittedAt: now})
	})
	if err != nil {
		return Review{}, errs.E(op, err)
	}
	return r, nil
}

// Withdraw takes a review back for good: it leaves the public page and
// the counts at once, and its text is blanked.
func (s *Service) Withdraw(ctx context.Context, a Actor, reviewID string) error {
	const op = "review.Withdraw"
	l, err := s.authored(ctx, a, reviewID, audit.ActionDelete)
	if err != nil {
		return errs.E(op, err)
	}
	r := l.Review
	if r.Status == StatusWithdrawn {
		return errs.E(op, errs.Conflict, errs.Key("error.review.withdrawn"))
	}
	now := s.now()
	err = s.write(ctx, func(ctx context.Context) error {
		subs, err := s.store.FindSubmissions(ctx, r.ID)
		if err != nil {
			return err
		}
		for _, sub := range subs {
			if sub.Status == SubmissionPending {
				sub.Status = SubmissionCancelled
			}
			if sub.Kind != KindReply {
				sub.Content.Text, sub.Content.Pseudonym = "", ""
			}
			if err := s.store.UpdateSubmission(ctx, &sub); err != nil {
				return err
			}
		}
		r.Status, r.WithdrawnAt, r.UpdatedAt = StatusWithdrawn, &now, now
		r.Content.Text, r.Content.Pseudonym, r.Content.Display = "", "", DisplayAnonymous
		return s.store.UpdateReview(ctx, &r)
	})
	if err != nil {
		return errs.E(op, err)
	}
	return nil
}

// Erase deletes every review of a resident with its submissions, for the
// erasure of their account (rights.Erase); it runs in the caller's
// transaction when there is one.
func (s *Service) Erase(ctx context.Context, residentID string) error {
	if s == nil {
		return nil // no review service wired: nothing was ever stored
	}
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.store.NextReviewSeq(ctx); err != nil {
			return err
		}
		return s.store.DeleteReviewsByAuthor(ctx, residentID)
	})
	if err != nil {
		return errs.E("review.Erase", err)
	}
	// The caller's transaction may not have committed yet: the summary
	// reloads on its next check instead of now.
	s.sum.changed()
	return nil
}
