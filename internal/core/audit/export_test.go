package audit

// SetBatch sets how many records Verify reads per query, so tests can walk
// a chain across many batches.
func SetBatch(l *Log, n int) { l.batch = n }
