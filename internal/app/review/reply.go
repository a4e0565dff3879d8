package review

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// ProviderItem is a published review of one of the provider's offerings,
// as the provider sees it: no author, and the state of their reply.
type ProviderItem struct {
	Listed
	ReplyPending bool        // a reply awaits a moderator
	ReplyRefusal *Submission // the last reply was refused: the reason, and the text to fix
}

// CanReply reports whether the provider may still reply.
func (p ProviderItem) CanReply() bool { return p.Reply == "" && !p.ReplyPending }

// ForProvider lists the published reviews of the offerings of every
// provider actor administers, newest first. Forbidden for anyone else.
func (s *Service) ForProvider(ctx context.Context, actor identity.Person) ([]ProviderItem, error) {
	const op = "review.ForProvider"
	orgs := providerOrgs(actor)
	if len(orgs) == 0 {
		return nil, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
	}
	list, err := s.store.FindProviderReviews(ctx, orgs)
	if err != nil {
		return nil, errs.E(op, err)
	}
	now := s.now()
	out := make([]ProviderItem, 0, len(list))
	for _, l := range list {
		if !l.Counts(now) {
			continue
		}
		it := ProviderItem{Listed: l}
		it.AuthorID, it.WrittenByID, it.RequestID = "", "", ""
		subs, err := s.store.FindSubmissions(ctx, l.ID)
		if err != nil {
			return nil, errs.E(op, err)
		}
		for _, sub := range subs {
			if sub.Kind != KindReply {
				continue
			}
			switch sub.Status {
			case SubmissionPending:
				it.ReplyPending = true
			case SubmissionRefused:
				refusal := sub
				it.ReplyRefusal = &refusal
			}
			break
		}
		out = append(out, it)
	}
	return out, nil
}

// Reply is the provider's one public reply to a published review of one
// of their offerings; it waits for a moderator. A second reply is a
// Conflict (error.review.reply_exists, or error.review.reply_pending
// while one waits); after a refusal the provider may try again.
func (s *Service) Reply(ctx context.Context, actor identity.Person, reviewID, text string) error {
	const op = "review.Reply"
	l, err := s.store.FindReviewByID(ctx, reviewID)
	if errs.Is(err, errs.NotFound) || (err == nil && (!slices.Contains(providerOrgs(actor), l.ProviderOrgID) || !l.Counts(s.now()))) {
		return errs.E(op, errs.NotFound, errs.Key("error.not_found"))
	} else if err != nil {
		return errs.E(op, err)
	}
	if l.Reply != "" {
		return errs.E(op, errs.Conflict, errs.Key("error.review.reply_exists"))
	}
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	switch {
	case !utf8.ValidString(text) || strings.ContainsFunc(text, badControl):
		return errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"reply": "field.review.text_invalid"})
	case text == "":
		return errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"reply": "field.review.reply_required"})
	case utf8.RuneCountInString(text) > MaxReply:
		return errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"reply": "field.review.reply_long"})
	}
	now := s.now()
	err = s.write(ctx, func(ctx context.Context) error {
		return s.store.CreateSubmission(ctx, &Submission{ID: id.New(), ReviewID: l.ID, Kind: KindReply, Status: SubmissionPending,
			Content: Content{Text: text, Display: DisplayAnonymous}, SubmittedBy: actor.ID, SubmittedAt: now})
	})
	if errs.Is(err, errs.Conflict) {
		return errs.E(op, errs.Conflict, errs.Key("error.review.reply_pending"), err)
	} else if err != nil {
		return errs.E(op, err)
	}
	return nil
}
