package market

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/clock"
)

// index is the in-process search index: an inverted index over the
// analysed terms of every published offering (the live view) and every
// proposal awaiting approval (the staff view), with each offering's
// filter fields and the offering itself, so that a results page needs no
// database round trip.
//
// Freshness. Every write to the marketplace takes the next number of one
// change sequence in the database (Store). The index remembers the number
// it has read up to. Before a search it asks the database for the current
// number — at most once per Options.Freshness, and at once after a write
// through this node's Service — and when it moved, it reads only the
// offerings changed since and applies them. So a node sees its own writes
// in its next search, and other nodes' writes within Freshness; a check
// costs one primary-key read.
//
// Updates never rewrite posting lists: the documents of a changed
// offering are marked dead and new ones appended (posting lists stay
// sorted by document number). When a quarter of the documents are dead
// the index is compacted in place.
type index struct {
	store   Store
	clock   clock.Clock
	ratings RatingSummary
	fresh   time.Duration

	dirty     atomic.Bool  // this node wrote: check the version before the next search
	checkedAt atomic.Int64 // clock time (ns) of the last version check
	refreshMu sync.Mutex   // one refresh at a time

	mu       sync.RWMutex
	built    bool
	seq      int64
	docs     []doc
	slots    map[string][2]int32 // offering id → live doc, proposal doc (-1: none)
	post     map[string][]posting
	totalLen float64
	dead     int
	tree     Tree
	pcSum    map[int]*pcSum // offerings' own coordinates per postcode area, a fallback for postcodes.csv
	cache    *resultCache
	// Filter postings, for listing without words: the documents per
	// interned municipality and category, in document order.
	muniNo, catNo map[string]int32
	byMuni, byCat [][]int32
}

// costBits numbers the cost types for a bit mask.
var costBits = map[CostType]uint8{CostFree: 1, CostPerUnit: 2, CostOpenService: 4, CostTailored: 8, CostOwnBudget: 16}

// intern returns the number of id in m, adding it when new.
func intern(m map[string]int32, lists *[][]int32, id string) int32 {
	n, ok := m[id]
	if !ok {
		n = int32(len(m))
		m[id] = n
		*lists = append(*lists, nil)
	}
	return n
}

type posting struct {
	doc int32
	tf  float32 // weighted term frequency
}

// doc is one searchable version of an offering.
type doc struct {
	row      *Offering // the stored offering
	show     Offering  // what a hit shows: the row, or for a proposal its proposed content
	rev      *Revision // the pending revision a proposal comes from, or nil
	proposal bool
	dead     bool
	length   float32
	points   []Point // per location; zero when unresolved
	resolved []bool
	title    string  // folded, for ordering
	rank     int32   // place in the order of (title, id) among all documents
	munis    []int32 // interned municipality ids (index.muniNo)
	cats     []int32 // interned category ids (index.catNo)
	cost     uint8   // bit of the cost type (costBits)
}

type pcSum struct {
	lat, lon float64
	n        int
}

// Field weights of the ranking (BM25F): a word in the title counts three
// times, one in the summary twice, a compound's part half as much as a
// whole word.
const (
	weightTitle   = 3.0
	weightSummary = 2.0
	weightGroups  = 1.5
	weightBody    = 1.0
	weightMinor   = 0.5
	weightPart    = 0.5
	bm25K1        = 1.2
	bm25B         = 0.75
)

func newIndex(store Store, clk clock.Clock, opt Options) *index {
	ix := &index{store: store, clock: clk, ratings: opt.Ratings, fresh: opt.Freshness}
	if !opt.NoCache {
		ix.cache = newResultCache(1024)
	}
	ix.reset()
	return ix
}

func (ix *index) reset() {
	ix.docs, ix.slots, ix.post = nil, map[string][2]int32{}, map[string][]posting{}
	ix.totalLen, ix.dead, ix.pcSum = 0, 0, map[int]*pcSum{}
	ix.muniNo, ix.catNo, ix.byMuni, ix.byCat = map[string]int32{}, map[string]int32{}, nil, nil
}

// changed tells the index that this node wrote to the marketplace.
func (ix *index) changed() { ix.dirty.Store(true) }

// refresh brings the index up to date with the database: always when
// force is set or after a write on this node, otherwise at most once per
// freshness interval. While one search refreshes, others use the index as
// it is, unless it was never built or this node wrote.
func (ix *index) refresh(ctx context.Context, force bool) error {
	now := ix.clock.Now().UnixNano()
	ix.mu.RLock()
	built := ix.built
	ix.mu.RUnlock()
	mustWait := force || !built || ix.dirty.Load()
	if !mustWait {
		if now-ix.checkedAt.Load() < int64(ix.fresh) || !ix.refreshMu.TryLock() {
			return nil
		}
	} else {
		ix.refreshMu.Lock()
	}
	defer ix.refreshMu.Unlock()
	ix.dirty.Store(false) // before reading: a write after this point marks it again
	v, err := ix.store.MarketVersion(ctx)
	if err != nil {
		ix.dirty.Store(true)
		return err
	}
	ix.checkedAt.Store(now)
	ix.mu.RLock()
	seq, built := ix.seq, ix.built
	ix.mu.RUnlock()
	if built && v == seq {
		return nil
	}
	changes, maxSeq, err := ix.store.FindOfferingChanges(ctx, seq)
	if err != nil {
		ix.dirty.Store(true)
		return err
	}
	cats, err := ix.store.FindCategories(ctx, "")
	if err != nil {
		ix.dirty.Store(true)
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, c := range changes {
		ix.apply(c)
	}
	ix.tree = NewTree(cats)
	ix.seq = max(v, maxSeq)
	ix.built = true
	if ix.dead > 64 && ix.dead*4 > len(ix.docs) {
		ix.compact()
	}
	if len(changes) > 0 {
		ix.rankTitles()
	}
	if ix.cache != nil {
		ix.cache.clear()
	}
	return nil
}

// apply replaces the documents of one offering.
func (ix *index) apply(c Change) {
	if s, ok := ix.slots[c.Offering.ID]; ok {
		for _, n := range s {
			if n >= 0 {
				ix.kill(n)
			}
		}
	}
	row := c.Offering
	slot := [2]int32{-1, -1}
	if row.Status == StatusPublished {
		slot[0] = ix.add(&row, row, nil, false)
	}
	switch {
	case c.Pending != nil:
		show := row
		show.Content = c.Pending.Content
		slot[1] = ix.add(&row, show, c.Pending, true)
	case row.Status == StatusPending:
		slot[1] = ix.add(&row, row, nil, true)
	}
	if slot == [2]int32{-1, -1} {
		delete(ix.slots, row.ID)
	} else {
		ix.slots[row.ID] = slot
	}
}

func (ix *index) kill(n int32) {
	d := &ix.docs[n]
	if d.dead {
		return
	}
	d.dead = true
	ix.dead++
	ix.totalLen -= float64(d.length)
	ix.countPoints(d, -1)
}

// add appends a document and its postings, and returns its number.
func (ix *index) add(row *Offering, show Offering, rev *Revision, proposal bool) int32 {
	n := int32(len(ix.docs))
	tf := map[string]float32{}
	var length float32
	field := func(text string, w float32) {
		for _, t := range analyze(text) {
			tf[t.stem] += w
			length += w
			for _, p := range t.parts {
				tf[p] += w * weightPart
			}
		}
	}
	c := show.Content
	field(c.Title, weightTitle)
	field(c.Summary, weightSummary)
	for _, g := range c.TargetGroups {
		field(g, weightGroups)
	}
	field(c.Description, weightBody)
	field(show.ProviderName, weightBody)
	field(c.Eligibility, weightMinor)
	field(c.HowToRequest, weightMinor)
	for term, w := range tf {
		ix.post[term] = append(ix.post[term], posting{doc: n, tf: w})
	}
	d := doc{row: row, show: show, rev: rev, proposal: proposal, length: length, title: fold(c.Title), cost: costBits[c.CostType]}
	for _, m := range c.MunicipalityIDs {
		k := intern(ix.muniNo, &ix.byMuni, m)
		d.munis = append(d.munis, k)
		ix.byMuni[k] = append(ix.byMuni[k], n)
	}
	for _, cat := range c.CategoryIDs {
		k := intern(ix.catNo, &ix.byCat, cat)
		d.cats = append(d.cats, k)
		ix.byCat[k] = append(ix.byCat[k], n)
	}
	for _, l := range c.Locations {
		p, ok := Point{l.Lat, l.Lon}, l.Lat != 0 || l.Lon != 0
		if !ok {
			p, ok = postcodeCentres[PC4(l.Postcode)]
		}
		d.points = append(d.points, p)
		d.resolved = append(d.resolved, ok)
	}
	ix.docs = append(ix.docs, d)
	ix.totalLen += float64(length)
	ix.countPoints(&ix.docs[n], 1)
	return n
}

// countPoints adds (or removes) a document's own coordinates to the
// average per postcode area.
func (ix *index) countPoints(d *doc, sign int) {
	for _, l := range d.show.Locations {
		if l.Lat == 0 && l.Lon == 0 {
			continue
		}
		pc := PC4(l.Postcode)
		s := ix.pcSum[pc]
		if s == nil {
			s = &pcSum{}
			ix.pcSum[pc] = s
		}
		s.lat += float64(sign) * l.Lat
		s.lon += float64(sign) * l.Lon
		s.n += sign
	}
}

// centre returns a postcode area's centre: from postcodes.csv, else the
// average of the offerings' coordinates there.
func (ix *index) centre(pc int) (Point, bool) {
	if p, ok := postcodeCentres[pc]; ok {
		return p, true
	}
	if s := ix.pcSum[pc]; s != nil && s.n > 0 {
		return Point{s.lat / float64(s.n), s.lon / float64(s.n)}, true
	}
	return Point{}, false
}

// compact drops dead documents and renumbers the rest.
func (ix *index) compact() {
	renum := make([]int32, len(ix.docs))
	live := ix.docs[:0:0]
	for i, d := range ix.docs {
		renum[i] = -1
		if !d.dead {
			renum[i] = int32(len(live))
			live = append(live, d)
		}
	}
	for term, list := range ix.post {
		out := list[:0]
		for _, p := range list {
			if r := renum[p.doc]; r >= 0 {
				out = append(out, posting{doc: r, tf: p.tf})
			}
		}
		if len(out) == 0 {
			delete(ix.post, term)
		} else {
			ix.post[term] = slices.Clip(out)
		}
	}
	for _, lists := range [][][]int32{ix.byMuni, ix.byCat} {
		for i, list := range lists {
			out := list[:0]
			for _, n := range list {
				if r := renum[n]; r >= 0 {
					out = append(out, r)
				}
			}
			lists[i] = slices.Clip(out)
		}
	}
	for id, s := range ix.slots {
		for i, n := range s {
			if n >= 0 {
				s[i] = renum[n]
			}
		}
		ix.slots[id] = s
	}
	ix.docs, ix.dead = live, 0
}

// rankTitles numbers the documents in the order of (title, id), so that
// ordering ties compare two integers instead of two strings.
func (ix *index) rankTitles() {
	order := make([]int32, len(ix.docs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		da, db := &ix.docs[a], &ix.docs[b]
		if c := strings.Compare(da.title, db.title); c != 0 {
			return c
		}
		return strings.Compare(da.row.ID, db.row.ID)
	})
	for r, n := range order {
		ix.docs[n].rank = int32(r)
	}
}

// proposals returns what waits for approval in a municipality.
func (ix *index) proposals(municipalityID string) []View {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var out []View
	for i := range ix.docs {
		d := &ix.docs[i]
		if d.dead || !d.proposal || !slices.Contains(d.show.MunicipalityIDs, municipalityID) {
			continue
		}
		out = append(out, View{Offering: *d.row, Revision: d.rev})
	}
	return out
}

func proposedAt(v View) time.Time {
	if p := v.Pending(); p != nil {
		return p.ProposedAt
	}
	return v.Offering.UpdatedAt
}
