package market

// RatingsChanged tells the marketplace that the ratings its RatingSummary
// gives have changed (a review was published, edited, withdrawn or erased,
// or one stopped counting): it drops the cached result pages, so the next
// search sorts by, and shows, the new ratings at once instead of after
// the cache's lifetime. The index itself holds no ratings; it asks the
// RatingSummary for them on every search that is not cached.
func (s *Service) RatingsChanged() {
	if s == nil || s.index.cache == nil {
		return
	}
	s.index.cache.clear()
}
