package market

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// cand is a matching document on its way to a page.
type cand struct {
	doc    int32
	score  float32
	dist   float32 // km; +Inf when unknown
	rating float32 // Bayesian score, only filled when sorting by rating
}

// filter is a Query made ready for checking documents.
type filter struct {
	staff      []int32 // interned municipalities whose proposals the searcher sees
	muni       int32   // interned municipality, -1 for any
	cats       []bool  // by interned category: in the chosen subtree; nil for any
	costs      uint8   // mask of costBits; 0 for any
	kind       Kind
	origin     Point
	cosLat     float64 // of the origin, for the distance approximation
	hasOrigin  bool
	maxKM      float64
	openNow    bool
	day        time.Weekday
	minute     int
	wheelchair bool
}

// scratch holds a search's buffers, reused through a pool.
type scratch struct {
	cands []cand
	lists [][]cand
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// search answers q for a searcher who sees proposals in staff, at now.
func (ix *index) search(q Query, staff []string, now time.Time) (Results, error) {
	var key string
	var gen uint64
	if ix.cache != nil {
		key = cacheKey(q, staff, now)
		r, ok, g := ix.cache.get(key, now)
		if ok {
			return r, nil
		}
		gen = g
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	f, empty, err := ix.filter(q, staff, now)
	if err != nil {
		return Results{}, err
	}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	cands := sc.cands[:0]
	relaxed := false
	clauses := parseQuery(q.Text)
	switch {
	case empty:
	case len(clauses) > 0:
		matched, all := ix.match(clauses, sc)
		relaxed = !all
		for _, c := range matched {
			cands = ix.keep(cands, &f, c)
		}
	default:
		cands = ix.browse(cands, &f)
	}
	sc.cands = cands
	if len(staff) > 0 {
		cands = ix.dedupe(cands)
	}
	if q.Sort == SortRating {
		for i := range cands {
			cands[i].rating = float32(ix.ratings.RatingOf(ix.docs[cands[i].doc].row.ID).Score())
		}
	}
	less := ix.order(q.Sort)
	from := (q.Page - 1) * q.PageSize
	page := topK(cands, from+q.PageSize, less)
	res := Results{Total: len(cands), Page: q.Page, PageSize: q.PageSize, Relaxed: relaxed && len(cands) > 0}
	if from < len(page) {
		page = page[from:]
		res.Hits = make([]Hit, len(page))
		for i, c := range page {
			d := &ix.docs[c.doc]
			h := Hit{Offering: d.show, Pending: d.proposal, Score: float64(c.score), DistanceKM: -1,
				Rating: ix.ratings.RatingOf(d.row.ID)}
			if !math.IsInf(float64(c.dist), 1) {
				h.DistanceKM = math.Round(float64(c.dist)*10) / 10
			}
			res.Hits[i] = h
		}
	}
	if ix.cache != nil {
		ix.cache.put(key, res, now, gen)
	}
	return res, nil
}

// filter prepares q; empty reports that nothing can match (an unknown
// municipality or category).
func (ix *index) filter(q Query, staff []string, now time.Time) (f filter, empty bool, err error) {
	f = filter{muni: -1, kind: q.Kind, maxKM: q.MaxDistanceKM, openNow: q.OpenNow, wheelchair: q.Wheelchair}
	for _, m := range staff {
		if n, ok := ix.muniNo[m]; ok {
			f.staff = append(f.staff, n)
		}
	}
	if q.MunicipalityID != "" {
		n, ok := ix.muniNo[q.MunicipalityID]
		f.muni, empty = n, !ok
	}
	if q.CategoryID != "" {
		f.cats = make([]bool, len(ix.catNo))
		any := false
		for id := range ix.tree.Subtree(q.CategoryID) {
			if n, ok := ix.catNo[id]; ok {
				f.cats[n], any = true, true
			}
		}
		empty = empty || !any
	}
	for _, c := range q.CostTypes {
		f.costs |= costBits[c]
	}
	if q.Postcode != "" {
		p, ok := ix.centre(PC4(q.Postcode))
		if !ok {
			return f, true, errs.Fields{"postcode": "field.postcode.unknown"}.Err("market.search")
		}
		f.origin, f.cosLat, f.hasOrigin = p, math.Cos(p.Lat*math.Pi/180), true
	}
	if q.OpenNow {
		local := now.In(Amsterdam)
		f.day, f.minute = local.Weekday(), local.Hour()*60+local.Minute()
	}
	return f, empty, nil
}

// browse lists the documents that pass f, without words: from the
// category or municipality postings when the filter names one, else all.
func (ix *index) browse(cands []cand, f *filter) []cand {
	switch {
	case f.cats != nil:
		var docs []int32
		for n, in := range f.cats {
			if in {
				docs = append(docs, ix.byCat[n]...)
			}
		}
		slices.Sort(docs)
		for _, d := range slices.Compact(docs) {
			cands = ix.keep(cands, f, cand{doc: d})
		}
	case f.muni >= 0:
		for _, d := range ix.byMuni[f.muni] {
			cands = ix.keep(cands, f, cand{doc: d})
		}
	default:
		for i := range ix.docs {
			cands = ix.keep(cands, f, cand{doc: int32(i)})
		}
	}
	return cands
}

// keep appends c to cands when its document passes the filter, with its
// distance filled in.
func (ix *index) keep(cands []cand, f *filter, c cand) []cand {
	d := &ix.docs[c.doc]
	if d.dead {
		return cands
	}
	if d.proposal && !slices.ContainsFunc(f.staff, func(m int32) bool { return slices.Contains(d.munis, m) }) {
		return cands
	}
	if f.muni >= 0 && !slices.Contains(d.munis, f.muni) {
		return cands
	}
	if f.cats != nil && !slices.ContainsFunc(d.cats, func(n int32) bool { return int(n) < len(f.cats) && f.cats[n] }) {
		return cands
	}
	if f.costs != 0 && f.costs&d.cost == 0 {
		return cands
	}
	o := &d.show
	if f.kind != "" && o.Kind != f.kind {
		return cands
	}
	c.dist = float32(math.Inf(1))
	if f.openNow || f.wheelchair || f.hasOrigin {
		ok := !f.openNow && !f.wheelchair
		for i, l := range o.Locations {
			if (f.wheelchair && !l.Wheelchair) || (f.openNow && !openAt(l.Hours, f.day, f.minute)) {
				continue
			}
			ok = true
			if f.hasOrigin {
				p, resolved := d.points[i], d.resolved[i]
				if !resolved {
					p, resolved = ix.centre(PC4(l.Postcode))
				}
				if resolved {
					c.dist = min(c.dist, float32(flatKM(f.origin, p, f.cosLat)))
				}
			}
		}
		if !ok || (f.maxKM > 0 && float64(c.dist) > f.maxKM) {
			return cands
		}
	}
	return append(cands, c)
}

// flatKM is the distance from a to b on a flat map around a: within the
// Netherlands (under 300 km) it is within 0.5% of the great circle and
// takes one square root instead of four trigonometric functions.
func flatKM(a, b Point, cosLat float64) float64 {
	const kmPerDegree = 6371.0 * math.Pi / 180
	x := (b.Lon - a.Lon) * cosLat
	y := b.Lat - a.Lat
	return kmPerDegree * math.Sqrt(x*x+y*y)
}

func openAt(h OpeningHours, day time.Weekday, minute int) bool {
	for _, p := range h {
		if p.Day == day && minute >= p.Opens && minute < p.Closes {
			return true
		}
	}
	return false
}

// dedupe keeps one hit per offering for a searcher who sees both the
// approved and the proposed content: the better match, the proposal on a tie.
func (ix *index) dedupe(cands []cand) []cand {
	best := make(map[string]int, len(cands))
	out := cands[:0]
	for _, c := range cands {
		id := ix.docs[c.doc].row.ID
		if i, ok := best[id]; ok {
			if c.score > out[i].score || (c.score == out[i].score && ix.docs[c.doc].proposal) {
				out[i] = c
			}
			continue
		}
		best[id] = len(out)
		out = append(out, c)
	}
	return out
}

// order returns the comparison of a sort order; ties go by title, then id,
// so pages never overlap.
func (ix *index) order(s Sort) func(a, b cand) int {
	tie := func(a, b cand) int { return cmp.Compare(ix.docs[a.doc].rank, ix.docs[b.doc].rank) }
	switch s {
	case SortRating:
		return func(a, b cand) int {
			if c := cmp.Compare(b.rating, a.rating); c != 0 {
				return c
			}
			if c := cmp.Compare(b.score, a.score); c != 0 {
				return c
			}
			return tie(a, b)
		}
	case SortDistance:
		return func(a, b cand) int {
			if c := cmp.Compare(a.dist, b.dist); c != 0 {
				return c
			}
			if c := cmp.Compare(b.score, a.score); c != 0 {
				return c
			}
			return tie(a, b)
		}
	}
	return func(a, b cand) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return tie(a, b)
	}
}

// topK returns the first k of cands in order, sorted; it partly reorders cands.
func topK(cands []cand, k int, less func(a, b cand) int) []cand {
	if k >= len(cands) || k*8 >= len(cands) {
		slices.SortFunc(cands, less)
		return cands[:min(k, len(cands))]
	}
	// A max-heap of the best k seen: its root is the worst of them.
	h := cands[:k]
	worse := func(i, j int) bool { return less(h[i], h[j]) > 0 }
	down := func(i int) {
		for {
			l, best := 2*i+1, i
			if l < k && worse(l, best) {
				best = l
			}
			if r := l + 1; r < k && worse(r, best) {
				best = r
			}
			if best == i {
				return
			}
			h[i], h[best] = h[best], h[i]
			i = best
		}
	}
	for i := k/2 - 1; i >= 0; i-- {
		down(i)
	}
	for _, c := range cands[k:] {
		if less(c, h[0]) < 0 {
			h[0] = c
			down(0)
		}
	}
	slices.SortFunc(h, less)
	return h
}

// match returns the documents that have every clause, scored; when none
// has, those with at least one, scored by the share of clauses they have.
// all reports which.
func (ix *index) match(clauses []clause, sc *scratch) (out []cand, all bool) {
	n := float64(len(ix.docs) - ix.dead)
	avg := float32(1)
	if n > 0 {
		avg = float32(ix.totalLen / n)
	}
	for len(sc.lists) < len(clauses) {
		sc.lists = append(sc.lists, nil)
	}
	lists := sc.lists[:len(clauses)]
	for i, c := range clauses {
		lists[i] = ix.clauseHits(c, n, avg, lists[i][:0])
	}
	// lists shares sc.lists' array, so grown buffers stay for the next search.
	// Rarest first keeps the intersections small.
	slices.SortFunc(lists, func(a, b []cand) int { return cmp.Compare(len(a), len(b)) })
	out = lists[0]
	for _, l := range lists[1:] {
		if len(out) == 0 {
			break
		}
		out = intersect(out, l)
	}
	if len(out) > 0 || len(lists) == 1 {
		return out, true
	}
	// Relaxed: the union, scored by BM25 times the share of clauses matched.
	count := map[int32]int{}
	score := map[int32]float32{}
	for _, l := range lists {
		for _, c := range l {
			count[c.doc]++
			score[c.doc] += c.score
		}
	}
	out = make([]cand, 0, len(count))
	for d, k := range count {
		out = append(out, cand{doc: d, score: score[d] * float32(k) / float32(len(lists))})
	}
	slices.SortFunc(out, func(a, b cand) int { return cmp.Compare(a.doc, b.doc) })
	return out, false
}

// intersect keeps the documents in both lists (sorted by document),
// adding their scores.
func intersect(a, b []cand) []cand {
	out := a[:0]
	j := 0
	for _, x := range a {
		for j < len(b) && b[j].doc < x.doc {
			j++
		}
		if j < len(b) && b[j].doc == x.doc {
			x.score += b[j].score
			out = append(out, x)
		}
	}
	return out
}

// clauseHits returns the documents that have every term of c, with the
// BM25 score of those terms (and of the boost term where present).
func (ix *index) clauseHits(c clause, n float64, avg float32, out []cand) []cand {
	lists := make([][]posting, len(c.must))
	for i, t := range c.must {
		lists[i] = ix.post[t]
		if len(lists[i]) == 0 {
			return out
		}
	}
	slices.SortFunc(lists, func(a, b []posting) int { return cmp.Compare(len(a), len(b)) })
	idf := make([]float32, len(lists))
	for i, l := range lists {
		idf[i] = bm25IDF(n, len(l))
	}
	boost := ix.post[c.boost]
	boostIDF := bm25IDF(n, len(boost))
	pos := make([]int, len(lists))
	bpos := 0
next:
	for _, p := range lists[0] {
		d := &ix.docs[p.doc]
		if d.dead {
			continue
		}
		norm := bm25K1 * (1 - bm25B + bm25B*d.length/avg)
		score := idf[0] * bm25TF(p.tf, norm)
		for i := 1; i < len(lists); i++ {
			l := lists[i]
			for pos[i] < len(l) && l[pos[i]].doc < p.doc {
				pos[i]++
			}
			if pos[i] == len(l) || l[pos[i]].doc != p.doc {
				continue next
			}
			score += idf[i] * bm25TF(l[pos[i]].tf, norm)
		}
		if c.boost != "" {
			for bpos < len(boost) && boost[bpos].doc < p.doc {
				bpos++
			}
			if bpos < len(boost) && boost[bpos].doc == p.doc {
				score += boostIDF * bm25TF(boost[bpos].tf, norm)
			}
		}
		out = append(out, cand{doc: p.doc, score: score})
	}
	return out
}

func bm25IDF(n float64, df int) float32 {
	return float32(math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5)))
}

func bm25TF(tf, norm float32) float32 { return tf * (bm25K1 + 1) / (tf + norm) }

// resultCache keeps recent result pages. It is emptied whenever the index
// changes and when the ratings change (Service.RatingsChanged); entries
// also expire after cacheTTL, for a rating summary that does not tell.
// Each emptying starts a new generation: a page computed during an older
// one may hold what changed, so put drops it.
type resultCache struct {
	mu   sync.Mutex
	max  int
	m    map[string]cacheEntry
	gen  uint64
	hits int64
}

type cacheEntry struct {
	res Results
	at  time.Time
}

const cacheTTL = 30 * time.Second

func newResultCache(max int) *resultCache {
	return &resultCache{max: max, m: map[string]cacheEntry{}}
}

// get returns the cached page for key, if fresh; on a miss, gen is the
// generation to pass to put.
func (c *resultCache) get(key string, now time.Time) (res Results, ok bool, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || now.Sub(e.at) > cacheTTL {
		return Results{}, false, c.gen
	}
	c.hits++
	return e.res, true, c.gen
}

// put keeps a page computed in generation gen, unless the cache was
// emptied since.
func (c *resultCache) put(key string, r Results, now time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.m) >= c.max {
		clear(c.m) // crude, but a full cache means a wide spread of queries
	}
	c.m[key] = cacheEntry{r, now}
}

func (c *resultCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.m)
	c.gen++
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func boolKey(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
