package review_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/app/review"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// TestService_RatingsChanged: the marketplace caches result pages, yet a
// search sorted by rating follows an approved or withdrawn review at once
// (the world's review service tells the marketplace, Options.RatingsChanged).
// The clock stands still, so without that the cached page would be served.
func TestService_RatingsChanged(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		w := newWorld(t, db)
		byRating := func() ([]string, market.Rating) {
			t.Helper()
			res, err := w.market.Search(ctx, nil, market.Query{MunicipalityID: w.woerden.ID, Sort: market.SortRating})
			must(t, err)
			var titles []string
			for _, h := range res.Hits {
				titles = append(titles, h.Offering.Title)
			}
			return titles, res.Hits[0].Rating
		}
		// Without reviews both rate alike: by title.
		if got, _ := byRating(); !cmp.Equal(got, []string{w.free.Title, w.lin.Title}) {
			t.Fatalf("without reviews %v", got)
		}
		r := w.publishReview(t, w.anna, w.lin, content(5))
		got, rating := byRating()
		if !cmp.Equal(got, []string{w.lin.Title, w.free.Title}) || rating != (market.Rating{Count: 1, Average: 5}) {
			t.Errorf("after approval %v, first rated %+v", got, rating)
		}
		must(t, w.svc.Withdraw(ctx, own(w.anna), r.ID))
		if got, rating := byRating(); !cmp.Equal(got, []string{w.free.Title, w.lin.Title}) || rating.Count != 0 {
			t.Errorf("after withdrawal %v, first rated %+v", got, rating)
		}
	})
}

// TestService_RatingsChangedTells: the callback runs when the ratings
// change — a review published, or one turning CountYears old — and not
// for a text that only awaits a moderator.
func TestService_RatingsChangedTells(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		w := newWorld(t, db)
		var told atomic.Int32
		// A second node's service on the same database: it hears of the
		// world's writes when it checks (Aggregate), as Run would.
		other := review.NewService(db, nil, nil, w.clock, review.Options{RatingsChanged: func() { told.Add(1) }})
		must(t, other.Warm(ctx))
		told.Store(0)

		req := w.delivered(t, w.anna, "", w.free)
		r, err := w.svc.Create(ctx, own(w.anna), req.ID, content(4))
		must(t, err)
		w.clock.Advance(2 * time.Second) // past the other node's freshness
		_, err = other.Aggregate(ctx, w.free.ID)
		must(t, err)
		if n := told.Load(); n != 0 {
			t.Errorf("told %d times of a review awaiting moderation", n)
		}
		must(t, w.svc.Approve(ctx, w.mod, w.pending(t, r.ID).Submission.ID))
		w.clock.Advance(2 * time.Second)
		agg, err := other.Aggregate(ctx, w.free.ID)
		must(t, err)
		if n := told.Load(); n != 1 || agg.Count != 1 {
			t.Errorf("after approval told %d times, count %d", n, agg.Count)
		}
		// Four years on the review stops counting: RatingOf recounts from
		// memory and tells.
		w.clock.Advance(time.Duration(review.CountYears) * 366 * 24 * time.Hour)
		if got := other.RatingOf(w.free.ID); got.Count != 0 {
			t.Fatalf("after four years RatingOf = %+v", got)
		}
		if n := told.Load(); n != 2 {
			t.Errorf("after the review aged out told %d times, want 2", n)
		}
	})
}
