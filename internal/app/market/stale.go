package market

import (
	"context"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// Freshness of the catalogue: an offering nobody confirmed for
// StaleAfterMonths calendar months is flagged (Stale), so a job can ask its provider to check it; if still
// nobody checks it within HideAfter of the flag, it is hidden (HideStale).
// Checking it (MarkChecked), or an approved change, shows it again. Both
// are jobs' operations, without an actor; a nightly run is enough.
const (
	StaleAfterMonths = 12
	HideAfter        = 30 * 24 * time.Hour
)

// Stale flags the published offerings not checked for StaleAfterMonths at now
// and returns their ids, for the job that notifies their providers.
func (s *Service) Stale(ctx context.Context, now time.Time) ([]string, error) {
	ids, err := s.store.FlagStaleOfferings(ctx, now.AddDate(0, -StaleAfterMonths, 0), now)
	if err != nil {
		return nil, errs.E("market.Stale", err)
	}
	if len(ids) > 0 {
		s.index.changed()
	}
	return ids, nil
}

// HideStale hides the offerings flagged at least HideAfter before now and
// not checked since, and returns their ids.
func (s *Service) HideStale(ctx context.Context, now time.Time) ([]string, error) {
	ids, err := s.store.HideStaleOfferings(ctx, now.Add(-HideAfter), now)
	if err != nil {
		return nil, errs.E("market.HideStale", err)
	}
	if len(ids) > 0 {
		s.index.changed()
	}
	return ids, nil
}
