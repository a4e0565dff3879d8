package review

import (
	"context"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// PageSize is how many reviews a page of an offering shows.
const PageSize = 10

// Public is a published review as anyone sees it.
type Public struct {
	ID          string
	Pseudonym   string // "" when anonymous
	WrittenAt   time.Time
	Overall     int
	Information int
	Treatment   int
	Result      int
	Recommend   bool
	Text        string
	Reply       string // the provider's reply, "" when none
	ReplyAt     *time.Time
}

// Anonymous reports whether the author chose not to be named.
func (p Public) Anonymous() bool { return p.Pseudonym == "" }

// PublicPage is one page of an offering's published reviews.
type PublicPage struct {
	Reviews []Public
	Total   int
	Page    int // from 1
	Pages   int
}

// Published returns a page of an offering's reviews that count (published
// and younger than CountYears), newest first. Anyone may read them.
func (s *Service) Published(ctx context.Context, offeringID string, page int) (PublicPage, error) {
	const op = "review.Published"
	page = max(page, 1)
	since := s.now().AddDate(-CountYears, 0, 0).Add(time.Millisecond)
	list, total, err := s.store.FindPublishedReviews(ctx, offeringID, since, PageSize, (page-1)*PageSize)
	if err != nil {
		return PublicPage{}, errs.E(op, err)
	}
	out := PublicPage{Reviews: make([]Public, 0, len(list)), Total: total, Page: page, Pages: (total + PageSize - 1) / PageSize}
	for _, r := range list {
		c := r.Content
		p := Public{ID: r.ID, WrittenAt: r.CreatedAt, Overall: c.Overall, Information: c.Information, Treatment: c.Treatment,
			Result: c.Result, Recommend: c.Recommend, Text: c.Text, Reply: r.Reply, ReplyAt: r.ReplyAt}
		if c.Display == DisplayPseudonym {
			p.Pseudonym = c.Pseudonym
		}
		out.Reviews = append(out.Reviews, p)
	}
	return out, nil
}

// Aggregate returns an offering's aggregate, after checking (at most once
// per Options.Freshness) whether another node changed the reviews.
func (s *Service) Aggregate(ctx context.Context, offeringID string) (Aggregate, error) {
	if err := s.sum.refresh(ctx, false); err != nil {
		return Aggregate{}, errs.E("review.Aggregate", err)
	}
	return s.sum.of(offeringID), nil
}
