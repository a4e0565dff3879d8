package market

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Service is the marketplace: categories, providers, offerings, their
// approval, and search. Every policy check is made here, so the web pages,
// the API and jobs cannot skip one.
type Service struct {
	store   Store
	clock   clock.Clock
	ratings RatingSummary
	index   *index
}

// Options tune a Service; the zero value is fine.
type Options struct {
	// Ratings ranks offerings by their reviews; without it all offerings
	// rate alike.
	Ratings RatingSummary
	// Freshness is how long a search may go without asking the database
	// whether another node changed the marketplace (default 1s). Changes
	// made through this Service are seen by the next search at once.
	Freshness time.Duration
	// NoCache turns off the cache of result pages (for benchmarks).
	NoCache bool
}

// NewService returns a marketplace service. Its search index is built on
// the first search, or by Warm.
func NewService(store Store, clk clock.Clock, opt Options) *Service {
	if opt.Ratings == nil {
		opt.Ratings = noRatings{}
	}
	if opt.Freshness <= 0 {
		opt.Freshness = time.Second
	}
	s := &Service{store: store, clock: clk, ratings: opt.Ratings}
	s.index = newIndex(store, clk, opt)
	return s
}

// Warm builds the search index now instead of on the first search.
func (s *Service) Warm(ctx context.Context) error {
	return s.index.refresh(ctx, true)
}

// CreateCategory adds a category to a municipality's tree. actor must be
// that municipality's admin (nil: the command line).
func (s *Service) CreateCategory(ctx context.Context, actor *identity.Person, c Category) (Category, error) {
	const op = "market.CreateCategory"
	if actor != nil && !actor.HasIn(identity.RoleTenantAdmin, c.MunicipalityID) {
		return Category{}, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
	}
	c.Name = strings.TrimSpace(c.Name)
	c.Slug = strings.TrimSpace(c.Slug)
	if c.Slug == "" {
		c.Slug = Slugify(c.Name)
	}
	if err := c.Validate(); err != nil {
		return Category{}, errs.E(op, err)
	}
	if c.ParentID != "" {
		parent, err := s.store.FindCategoryByID(ctx, c.ParentID)
		if errs.Is(err, errs.NotFound) || (err == nil && parent.MunicipalityID != c.MunicipalityID) {
			return Category{}, errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"parent": "field.parent.invalid"})
		} else if err != nil {
			return Category{}, errs.E(op, err)
		}
	}
	c.ID = id.New()
	c.CreatedAt = s.clock.Now()
	if err := s.store.CreateCategory(ctx, &c); err != nil {
		if errs.Is(err, errs.Conflict) {
			return Category{}, errs.E(op, errs.Conflict, errs.Key("error.invalid"), errs.Fields{"slug": "field.slug.taken"}, err)
		}
		return Category{}, errs.E(op, err)
	}
	s.index.changed()
	return c, nil
}

// Categories lists a municipality's categories; anyone may read them.
func (s *Service) Categories(ctx context.Context, municipalityID string) ([]Category, error) {
	list, err := s.store.FindCategories(ctx, municipalityID)
	if err != nil {
		return nil, errs.E("market.Categories", err)
	}
	return list, nil
}

// Provider returns a provider's public details.
func (s *Service) Provider(ctx context.Context, organisationID string) (Provider, error) {
	p, err := s.store.FindProvider(ctx, organisationID)
	if err != nil {
		return Provider{}, errs.E("market.Provider", err)
	}
	return p, nil
}

// SaveProvider sets a provider's AGB code and contact details. actor must
// be an admin of that provider or a municipality admin where it works.
func (s *Service) SaveProvider(ctx context.Context, actor *identity.Person, p Provider) (Provider, error) {
	const op = "market.SaveProvider"
	cur, err := s.store.FindProvider(ctx, p.OrganisationID)
	if err != nil {
		return Provider{}, errs.E(op, err)
	}
	if actor != nil && !isProviderAdmin(actor, cur.OrganisationID) && !approverIn(actor, cur.MunicipalityIDs) {
		return Provider{}, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
	}
	p.Normalize()
	if err := p.Validate(); err != nil {
		return Provider{}, errs.E(op, err)
	}
	cur.AGB, cur.Email, cur.Phone, cur.Website = p.AGB, p.Email, p.Phone, p.Website
	cur.UpdatedAt = s.clock.Now()
	if err := s.store.SaveProvider(ctx, &cur); err != nil {
		return Provider{}, errs.E(op, err)
	}
	return cur, nil
}

// checkFit checks what Validate cannot: the provider works in every
// municipality served, and each category belongs to a served municipality,
// one per municipality.
func (s *Service) checkFit(ctx context.Context, f fieldErrors, prov Provider, c Content) error {
	for _, m := range c.MunicipalityIDs {
		if !slices.Contains(prov.MunicipalityIDs, m) {
			f.Add("municipalities", "field.municipalities.invalid")
		}
	}
	seen := map[string]bool{}
	for _, cid := range c.CategoryIDs {
		cat, err := s.store.FindCategoryByID(ctx, cid)
		if errs.Is(err, errs.NotFound) {
			f.Add("categories", "field.categories.invalid")
			continue
		} else if err != nil {
			return err
		}
		if !slices.Contains(c.MunicipalityIDs, cat.MunicipalityID) || seen[cat.MunicipalityID] {
			f.Add("categories", "field.categories.invalid")
		}
		seen[cat.MunicipalityID] = true
	}
	return nil
}
