// Package tenant holds the cooperative's members (municipalities) and the
// organisations that work in them.
//
// Invariants:
//   - A municipality is identified by a unique slug and optionally a host
//     name; requests find their municipality by host name, then by the
//     logged-in person's home municipality, then by the visitor's choice.
//   - Only a platform admin creates municipalities; a platform admin sees
//     no resident data through this package or any other.
//   - Municipality-owned data carries the municipality's id and is queried
//     per municipality.
package tenant

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Municipality is a member of the cooperative (a tenant).
type Municipality struct {
	ID        string
	Slug      string // e.g. "woerden"
	Name      string // e.g. "Woerden"
	Host      string // optional host name that selects it, e.g. "woerden.inwonercloud.nl"
	Theme     string // design-token theme name
	CreatedAt time.Time
}

// OrgKind is the kind of an organisation.
type OrgKind string

// The organisation kinds.
const (
	OrgISD          OrgKind = "isd"
	OrgSocialTeam   OrgKind = "social_team"
	OrgProvider     OrgKind = "provider"
	OrgMunicipality OrgKind = "municipality"
	OrgPlatform     OrgKind = "platform"
)

// Valid reports whether k is a known kind.
func (k OrgKind) Valid() bool {
	switch k {
	case OrgISD, OrgSocialTeam, OrgProvider, OrgMunicipality, OrgPlatform:
		return true
	}
	return false
}

// Organisation is an ISD, a social team, a provider or a municipality's own
// organisation; it works in one or more municipalities.
type Organisation struct {
	ID              string
	Name            string
	Kind            OrgKind
	KvK             string
	MunicipalityIDs []string
	CreatedAt       time.Time
}

// Store is the storage the tenant service needs.
type Store interface {
	CreateMunicipality(ctx context.Context, m *Municipality) error
	FindMunicipalities(ctx context.Context) ([]Municipality, error)
	FindMunicipalityByID(ctx context.Context, id string) (Municipality, error)
	FindMunicipalityBySlug(ctx context.Context, slug string) (Municipality, error)
	CreateOrganisation(ctx context.Context, o *Organisation) error
	FindOrganisations(ctx context.Context, municipalityID string) ([]Organisation, error)
	FindOrganisationByID(ctx context.Context, id string) (Organisation, error)
}

// Service manages municipalities and organisations.
type Service struct {
	store Store
	clock clock.Clock
}

// NewService returns a tenant service.
func NewService(store Store, clk clock.Clock) *Service { return &Service{store: store, clock: clk} }

var slugRE = regexp.MustCompile(`^[a-z][a-z0-9-]{1,39}$`)
var hostRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$`)

// Themes are the design-token themes the platform ships.
var Themes = []string{"default", "woerden", "oudewater"}

// Validate checks a new municipality.
func (m Municipality) Validate() error {
	f := errs.Fields{}
	if !slugRE.MatchString(m.Slug) {
		f.Add("slug", "field.slug.invalid")
	}
	if k := identity.CheckName(m.Name); k != "" {
		f.Add("name", k)
	}
	if m.Host != "" && (len(m.Host) > 253 || !hostRE.MatchString(m.Host)) {
		f.Add("host", "field.host.invalid")
	}
	found := false
	for _, t := range Themes {
		found = found || t == m.Theme
	}
	if !found {
		f.Add("theme", "field.theme.invalid")
	}
	return f.Err("tenant.Municipality")
}

// CreateMunicipality adds a member to the cooperative. actor must be a
// platform admin; nil means the operator's command line.
func (s *Service) CreateMunicipality(ctx context.Context, actor *identity.Person, m Municipality) (Municipality, error) {
	const op = "tenant.CreateMunicipality"
	if actor != nil && !actor.Has(identity.RolePlatformAdmin) {
		return Municipality{}, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
	}
	m.Slug = strings.ToLower(strings.TrimSpace(m.Slug))
	m.Name = strings.TrimSpace(m.Name)
	m.Host = strings.ToLower(strings.TrimSpace(m.Host))
	if m.Theme == "" {
		m.Theme = "default"
	}
	if err := m.Validate(); err != nil {
		return Municipality{}, errs.E(op, err)
	}
	m.ID = id.New()
	m.CreatedAt = s.clock.Now()
	if err := s.store.CreateMunicipality(ctx, &m); err != nil {
		if errs.Is(err, errs.Conflict) {
			// Say which of the two unique fields is taken.
			field, key := "host", "field.host.taken"
			if _, ferr := s.store.FindMunicipalityBySlug(ctx, m.Slug); ferr == nil {
				field, key = "slug", "field.slug.taken"
			}
			return Municipality{}, errs.E(op, errs.Conflict, errs.Fields{field: key}, err)
		}
		return Municipality{}, errs.E(op, err)
	}
	return m, nil
}

// Municipalities lists all municipalities, by name.
func (s *Service) Municipalities(ctx context.Context) ([]Municipality, error) {
	list, err := s.store.FindMunicipalities(ctx)
	if err != nil {
		return nil, errs.E("tenant.Municipalities", err)
	}
	return list, nil
}

// Municipality returns one municipality by id.
func (s *Service) Municipality(ctx context.Context, id string) (Municipality, error) {
	m, err := s.store.FindMunicipalityByID(ctx, id)
	if err != nil {
		return Municipality{}, errs.E("tenant.Municipality", err)
	}
	return m, nil
}

// MunicipalityBySlug returns one municipality by slug.
func (s *Service) MunicipalityBySlug(ctx context.Context, slug string) (Municipality, error) {
	m, err := s.store.FindMunicipalityBySlug(ctx, slug)
	if err != nil {
		return Municipality{}, errs.E("tenant.MunicipalityBySlug", err)
	}
	return m, nil
}

// CreateOrganisation adds an organisation working in the given
// municipalities. actor must be a platform admin or the municipality admin
// of every municipality named; nil means the command line.
func (s *Service) CreateOrganisation(ctx context.Context, actor *identity.Person, o Organisation) (Organisation, error) {
	const op = "tenant.CreateOrganisation"
	if actor != nil && !actor.Has(identity.RolePlatformAdmin) {
		for _, m := range o.MunicipalityIDs {
			if !actor.HasIn(identity.RoleTenantAdmin, m) {
				return Organisation{}, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
			}
		}
	}
	o.Name = strings.TrimSpace(o.Name)
	// A municipality named twice is one link, not a conflict in the store.
	o.MunicipalityIDs = slices.Compact(slices.Sorted(slices.Values(o.MunicipalityIDs)))
	f := errs.Fields{}
	if k := identity.CheckName(o.Name); k != "" {
		f.Add("name", k)
	}
	if !o.Kind.Valid() {
		f.Add("kind", "field.kind.invalid")
	}
	if o.KvK != "" && (utf8.RuneCountInString(o.KvK) != 8 || strings.Trim(o.KvK, "0123456789") != "") {
		f.Add("kvk", "field.kvk.invalid")
	}
	if len(o.MunicipalityIDs) == 0 {
		f.Add("municipality", "field.municipality.required")
	}
	if err := f.Err(op); err != nil {
		return Organisation{}, err
	}
	o.ID = id.New()
	o.CreatedAt = s.clock.Now()
	if err := s.store.CreateOrganisation(ctx, &o); err != nil {
		return Organisation{}, errs.E(op, err)
	}
	return o, nil
}

// Organisations lists the organisations working in a municipality.
func (s *Service) Organisations(ctx context.Context, municipalityID string) ([]Organisation, error) {
	list, err := s.store.FindOrganisations(ctx, municipalityID)
	if err != nil {
		return nil, errs.E("tenant.Organisations", err)
	}
	return list, nil
}

// Organisation returns one organisation.
func (s *Service) Organisation(ctx context.Context, id string) (Organisation, error) {
	o, err := s.store.FindOrganisationByID(ctx, id)
	if err != nil {
		return Organisation{}, errs.E("tenant.Organisation", err)
	}
	return o, nil
}
