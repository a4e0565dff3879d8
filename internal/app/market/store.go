package market

import (
	"context"
	"time"
)

// Store is the storage the marketplace needs. Every write to an offering,
// its revisions or a category takes the next number of one marketplace
// change sequence (Offering's change number), so a search index on any
// node can ask "what changed after n?" (MarketVersion,
// FindOfferingChanges).
type Store interface {
	// InTx runs fn in one transaction (or the one already in ctx).
	InTx(ctx context.Context, fn func(ctx context.Context) error) error

	CreateCategory(ctx context.Context, c *Category) error
	// FindCategories lists a municipality's categories by name; "" lists
	// every municipality's.
	FindCategories(ctx context.Context, municipalityID string) ([]Category, error)
	FindCategoryByID(ctx context.Context, id string) (Category, error)
	// UpdateCategory writes a category's name, slug and parent.
	UpdateCategory(ctx context.Context, c *Category) error
	// DeleteCategory removes a category nothing uses.
	DeleteCategory(ctx context.Context, id string) error
	// CategoryInUse counts the offerings whose content, or whose change
	// awaiting approval, names the category.
	CategoryInUse(ctx context.Context, id string) (int, error)

	// FindProvider returns an organisation of kind provider with its
	// marketplace details (empty when never saved); NotFound for any
	// other organisation.
	FindProvider(ctx context.Context, organisationID string) (Provider, error)
	SaveProvider(ctx context.Context, p *Provider) error

	// CreateOffering inserts o with Version 1.
	CreateOffering(ctx context.Context, o *Offering) error
	// UpdateOffering writes o when the stored version is still o.Version,
	// and sets o.Version to the next; Conflict when someone changed it
	// meanwhile.
	UpdateOffering(ctx context.Context, o *Offering) error
	FindOfferingByID(ctx context.Context, id string) (Offering, error)
	FindOfferingsByProvider(ctx context.Context, organisationID string) ([]Offering, error)

	CreateRevision(ctx context.Context, r *Revision) error
	UpdateRevision(ctx context.Context, r *Revision) error
	// FindLatestRevision returns the offering's newest revision, whatever
	// its status; NotFound when there is none.
	FindLatestRevision(ctx context.Context, offeringID string) (Revision, error)

	// FlagStaleOfferings sets StaleSince to now on published offerings
	// last checked before checkedBefore and not yet flagged, and returns
	// their ids.
	FlagStaleOfferings(ctx context.Context, checkedBefore, now time.Time) ([]string, error)
	// HideStaleOfferings hides published offerings flagged before
	// flaggedBefore, and returns their ids.
	HideStaleOfferings(ctx context.Context, flaggedBefore, now time.Time) ([]string, error)

	// MarketVersion returns the last change number.
	MarketVersion(ctx context.Context) (int64, error)
	// FindOfferingChanges returns every offering changed after change
	// number after, each with its pending revision, and the highest
	// change number seen.
	FindOfferingChanges(ctx context.Context, after int64) ([]Change, int64, error)
	// MatchOfferings runs a full-text query in the database (SQLite FTS5
	// or a PostgreSQL GIN index over the same Go-made terms) and returns
	// the ids of the best matching published offerings.
	MatchOfferings(ctx context.Context, m Match) ([]string, error)
}

// Change is an offering as the search index reads it.
type Change struct {
	Offering Offering
	Pending  *Revision // its pending revision, or nil
}

// Match is a full-text query for the database.
type Match struct {
	Terms          []string // analysed terms (see Terms); all must match unless Any
	Any            bool
	MunicipalityID string // "" for all
	Limit          int
}

// Document returns the text to store for full-text search in the
// database: the analysed terms of the title and summary, and those of the
// rest, each a space-separated list of terms.
func Document(o Offering) (title, body string) {
	return joinTerms(o.Title, o.Summary), joinTerms(o.Description, o.Eligibility, o.HowToRequest,
		joinWords(o.TargetGroups), o.ProviderName)
}

func joinTerms(texts ...string) string {
	var n int
	var terms []string
	for _, t := range texts {
		terms = append(terms, Terms(t)...)
	}
	for _, t := range terms {
		n += len(t) + 1
	}
	b := make([]byte, 0, n)
	for i, t := range terms {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, t...)
	}
	return string(b)
}

func joinWords(s []string) string {
	var b []byte
	for _, w := range s {
		b = append(b, w...)
		b = append(b, ' ')
	}
	return string(b)
}
