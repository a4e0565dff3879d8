package review

import (
	"context"
	"maps"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
)

// Aggregate summarises the reviews of an offering that count.
type Aggregate struct {
	Count        int
	Overall      float64 // mean overall score, 1–5 (0 without reviews)
	Information  float64
	Treatment    float64
	Result       float64
	Recommend    int    // reviews that would recommend it
	Distribution [5]int // reviews per overall score: [0] is 1 star, [4] is 5 stars
}

// RecommendPercent is the share that would recommend it, rounded.
func (a Aggregate) RecommendPercent() int {
	if a.Count == 0 {
		return 0
	}
	return int(math.Round(100 * float64(a.Recommend) / float64(a.Count)))
}

// Rating is the aggregate as the marketplace ranks it.
func (a Aggregate) Rating() market.Rating { return market.Rating{Count: a.Count, Average: a.Overall} }

// summary keeps every offering's aggregate in memory, so RatingOf needs
// no database. It reloads the published scores when the change sequence
// moved (at once after a write through this node, within the freshness
// interval otherwise: Run, Aggregate) and recounts, without the database,
// when a counted review turns CountYears old.
type summary struct {
	store  Store
	clock  clock.Clock
	fresh  time.Duration
	notify func() // Options.RatingsChanged, or nil

	dirty     atomic.Bool
	checkedAt atomic.Int64 // clock time (ns) of the last check
	refreshMu sync.Mutex

	mu     sync.RWMutex
	built  bool
	seq    int64
	scores []Score
	aggs   map[string]Aggregate
	expiry time.Time // when the first counted review stops counting; zero: never
}

func newSummary(store Store, clk clock.Clock, fresh time.Duration, notify func()) *summary {
	return &summary{store: store, clock: clk, fresh: fresh, notify: notify, aggs: map[string]Aggregate{}}
}

// tell calls notify when the aggregates changed; no lock may be held.
func (s *summary) tell(changed bool) {
	if changed && s.notify != nil {
		s.notify()
	}
}

func (s *summary) changed() { s.dirty.Store(true) }

// refresh reloads the scores when they changed: always when force is set
// or this node wrote, otherwise at most once per freshness interval.
func (s *summary) refresh(ctx context.Context, force bool) error {
	now := s.clock.Now()
	s.mu.RLock()
	built := s.built
	s.mu.RUnlock()
	if !force && built && !s.dirty.Load() && now.UnixNano()-s.checkedAt.Load() < int64(s.fresh) {
		s.recountIfExpired(now)
		return nil
	}
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	s.dirty.Store(false) // before reading: a write after this marks it again
	seq, err := s.store.ReviewSeq(ctx)
	if err != nil {
		s.dirty.Store(true)
		return err
	}
	s.checkedAt.Store(now.UnixNano())
	s.mu.RLock()
	same := s.built && seq == s.seq
	s.mu.RUnlock()
	if same {
		s.recountIfExpired(now)
		return nil
	}
	scores, err := s.store.FindPublishedScores(ctx)
	if err != nil {
		s.dirty.Store(true)
		return err
	}
	s.mu.Lock()
	s.scores, s.seq, s.built = scores, seq, true
	changed := s.recount(now)
	s.mu.Unlock()
	s.tell(changed)
	return nil
}

// recountIfExpired recounts when a counted review has turned too old.
func (s *summary) recountIfExpired(now time.Time) {
	s.mu.RLock()
	expired := !s.expiry.IsZero() && !now.Before(s.expiry)
	s.mu.RUnlock()
	if !expired {
		return
	}
	s.mu.Lock()
	changed := false
	if !s.expiry.IsZero() && !now.Before(s.expiry) {
		changed = s.recount(now)
	}
	s.mu.Unlock()
	s.tell(changed)
}

// recount computes the aggregates of the scores that count at now and
// reports whether any changed; s.mu is held for writing.
func (s *summary) recount(now time.Time) bool {
	type sums struct{ n, overall, info, treat, result, rec int }
	acc := map[string]*sums{}
	dist := map[string]*[5]int{}
	var expiry time.Time
	for _, sc := range s.scores {
		ends := sc.CreatedAt.AddDate(CountYears, 0, 0)
		if !now.Before(ends) || sc.Overall < 1 || sc.Overall > 5 {
			continue
		}
		if expiry.IsZero() || ends.Before(expiry) {
			expiry = ends
		}
		a := acc[sc.OfferingID]
		if a == nil {
			a, dist[sc.OfferingID] = &sums{}, &[5]int{}
			acc[sc.OfferingID] = a
		}
		a.n++
		a.overall += sc.Overall
		a.info += sc.Information
		a.treat += sc.Treatment
		a.result += sc.Result
		if sc.Recommend {
			a.rec++
		}
		dist[sc.OfferingID][sc.Overall-1]++
	}
	aggs := make(map[string]Aggregate, len(acc))
	for id, a := range acc {
		n := float64(a.n)
		aggs[id] = Aggregate{Count: a.n, Overall: float64(a.overall) / n, Information: float64(a.info) / n,
			Treatment: float64(a.treat) / n, Result: float64(a.result) / n, Recommend: a.rec, Distribution: *dist[id]}
	}
	changed := !maps.Equal(s.aggs, aggs)
	s.aggs, s.expiry = aggs, expiry
	return changed
}

// of returns an offering's aggregate from memory.
func (s *summary) of(offeringID string) Aggregate {
	now := s.clock.Now()
	s.mu.RLock()
	if s.expiry.IsZero() || now.Before(s.expiry) {
		a := s.aggs[offeringID]
		s.mu.RUnlock()
		return a
	}
	s.mu.RUnlock()
	s.recountIfExpired(now)
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.aggs[offeringID]
}

// RatingOf returns an offering's rating from memory, for the marketplace's
// sort by rating (market.RatingSummary). It never waits for the database.
func (s *Service) RatingOf(offeringID string) market.Rating { return s.sum.of(offeringID).Rating() }

// Warm loads the summary now, before the first search needs it.
func (s *Service) Warm(ctx context.Context) error { return s.sum.refresh(ctx, true) }

// Run keeps the summary fresh until ctx ends: every freshness interval
// it asks the database whether another node changed the reviews.
func (s *Service) Run(ctx context.Context) {
	t := time.NewTicker(s.sum.fresh)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_ = s.sum.refresh(ctx, false) //nolint:errcheck // a failure retries at the next tick
		}
	}
}

var _ market.RatingSummary = (*Service)(nil)
