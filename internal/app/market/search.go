package market

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Sort is the order of search results.
type Sort string

// The orders.
const (
	SortRelevance Sort = "relevance" // best match first; without words, by title
	SortRating    Sort = "rating"    // best Bayesian rating first (see Rating.Score)
	SortDistance  Sort = "distance"  // nearest location first; offerings without a location last
)

// Limits of a search.
const (
	DefaultPageSize = 20
	MaxPageSize     = 50
	MaxQueryLen     = 200
	MaxDistanceKM   = 200
)

// Query is a search in the marketplace. The zero value lists every
// offering the searcher may see, by title.
type Query struct {
	Text           string
	MunicipalityID string     // only offerings serving this municipality
	CategoryID     string     // this category and those below it
	CostTypes      []CostType // any of these
	Kind           Kind       // "" for both
	Postcode       string     // origin for distance: "3441 AB" or "3441"
	MaxDistanceKM  float64    // with Postcode: only offerings with a location this near
	OpenNow        bool       // only offerings with a location open now (Europe/Amsterdam)
	Wheelchair     bool       // only offerings with a wheelchair-accessible location
	Sort           Sort
	Page           int // from 1
	PageSize       int // default DefaultPageSize, at most MaxPageSize
}

// Hit is one search result.
type Hit struct {
	// Offering is what to show: the approved content, or for staff the
	// proposed content when Pending. Shared with the index: read only.
	Offering   Offering
	Pending    bool    // staff only: this content awaits approval
	Score      float64 // relevance; 0 without words
	DistanceKM float64 // to the nearest location; -1 when unknown or no postcode given
	Rating     Rating
}

// Results is one page of search results.
type Results struct {
	Hits     []Hit
	Total    int // matches on all pages
	Page     int
	PageSize int
	// Relaxed is set when no offering had every word of the search, and
	// the hits are those with the most of them.
	Relaxed bool
}

// Pages returns the number of pages.
func (r Results) Pages() int {
	if r.PageSize == 0 {
		return 0
	}
	return (r.Total + r.PageSize - 1) / r.PageSize
}

// normalize fills defaults and clamps the page, as a query often comes
// straight from a URL.
func (q *Query) normalize() {
	q.Text = strings.TrimSpace(q.Text)
	q.Postcode = strings.TrimSpace(q.Postcode)
	if q.Sort == "" {
		q.Sort = SortRelevance
	}
	if q.PageSize <= 0 {
		q.PageSize = DefaultPageSize
	}
	q.PageSize = min(q.PageSize, MaxPageSize)
	q.Page = max(q.Page, 1)
	q.CostTypes = slices.Compact(slices.Sorted(slices.Values(q.CostTypes)))
}

// Validate checks the query; the form fields are q, cost_type, kind,
// postcode, distance and sort.
func (q Query) Validate() error {
	f := fieldErrors{}
	f.text("q", q.Text, false, MaxQueryLen, false)
	for _, c := range q.CostTypes {
		if !c.Valid() {
			f.Add("cost_type", "field.cost_type.invalid")
		}
	}
	if q.Kind != "" && !q.Kind.Valid() {
		f.Add("kind", "field.kind.invalid")
	}
	if q.Postcode != "" && PC4(q.Postcode) == 0 {
		f.Add("postcode", "field.postcode.invalid")
	}
	if q.MaxDistanceKM < 0 || q.MaxDistanceKM > MaxDistanceKM {
		f.Add("distance", "field.distance.invalid")
	}
	if (q.MaxDistanceKM > 0 || q.Sort == SortDistance) && q.Postcode == "" {
		f.Add("postcode", "field.postcode.required")
	}
	switch q.Sort {
	case SortRelevance, SortRating, SortDistance:
	default:
		f.Add("sort", "field.sort.invalid")
	}
	if q.Page > 10_000 {
		f.Add("page", "field.page.invalid")
	}
	return f.Err("market.Query")
}

// Search finds offerings. Anyone may search, logged in or not (actor
// nil): they find published offerings. The admins and consultants of a
// municipality also find what awaits approval there, marked Pending.
// Searches run on the in-process index (see index); the database is asked
// at most once per Options.Freshness whether anything changed.
func (s *Service) Search(ctx context.Context, actor *identity.Person, q Query) (Results, error) {
	const op = "market.Search"
	q.normalize()
	if err := q.Validate(); err != nil {
		return Results{}, errs.E(op, err)
	}
	if err := s.index.refresh(ctx, false); err != nil {
		return Results{}, errs.E(op, err)
	}
	res, err := s.index.search(q, staffMunicipalities(actor), s.clock.Now())
	if err != nil {
		return Results{}, errs.E(op, err)
	}
	return res, nil
}

// MatchInDatabase runs the text of q as a full-text query in the database
// (SQLite FTS5 or PostgreSQL GIN, over the same Go-made terms as the
// index) and returns the ids of the best limit published offerings,
// all words required. It is the slow path the index replaces, kept to
// show both databases rank the same terms, and for tools.
func (s *Service) MatchInDatabase(ctx context.Context, text, municipalityID string, limit int) ([]string, error) {
	var terms []string
	for _, c := range parseQuery(text) {
		terms = append(terms, c.must...)
	}
	if len(terms) == 0 {
		return nil, nil
	}
	ids, err := s.store.MatchOfferings(ctx, Match{Terms: terms, MunicipalityID: municipalityID, Limit: limit})
	if err != nil {
		return nil, errs.E("market.MatchInDatabase", err)
	}
	return ids, nil
}

// clause is one word of a query: a document matches it when it has every
// term of must. For a compound, must holds its parts (a document that has
// the whole word has its parts too) and boost the whole word, which
// raises the score of documents that use it.
type clause struct {
	must  []string
	boost string
}

func parseQuery(text string) []clause {
	var out []clause
	for _, t := range analyze(text) {
		c := clause{must: []string{t.stem}}
		if len(t.parts) > 0 {
			c = clause{must: t.parts, boost: t.stem}
		}
		if !slices.ContainsFunc(out, func(o clause) bool { return slices.Equal(o.must, c.must) }) {
			out = append(out, c)
		}
	}
	return out
}

// now is truncated to the minute for the cache: "open now" changes by the minute.
func cacheKey(q Query, staff []string, now time.Time) string {
	var b strings.Builder
	b.WriteString(q.Text)
	for _, s := range []string{q.MunicipalityID, q.CategoryID, string(q.Kind), q.Postcode, string(q.Sort)} {
		b.WriteByte(0)
		b.WriteString(s)
	}
	for _, c := range q.CostTypes {
		b.WriteByte(1)
		b.WriteString(string(c))
	}
	for _, m := range staff {
		b.WriteByte(2)
		b.WriteString(m)
	}
	b.WriteByte(0)
	b.WriteString(strings.Join([]string{
		itoa(int64(q.MaxDistanceKM * 1000)), itoa(int64(q.Page)), itoa(int64(q.PageSize)),
		boolKey(q.OpenNow), boolKey(q.Wheelchair),
	}, ","))
	if q.OpenNow {
		b.WriteByte(0)
		b.WriteString(itoa(now.Unix() / 60))
	}
	return b.String()
}
