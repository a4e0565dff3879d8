package market

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

// HSDSVersion is the version of Open Referral HSDS the JSON is shaped on.
const HSDSVersion = "3.0"

// exportItem is one offering to export with what the file names it by.
type exportItem struct {
	o        Offering
	id       string   // the external id, or the offering's own
	category Category // in the exporting municipality; zero when none
	provider Provider
}

// exportSet reads what an export of a municipality writes: its published
// offerings, by title. actor must be the municipality's admin (nil: the
// command line).
func (x *Exchange) exportSet(ctx context.Context, op string, actor *identity.Person, municipalityID string) (tenant.Municipality, map[string]tenant.Municipality, []exportItem, error) {
	if actor != nil && !actor.HasIn(identity.RoleTenantAdmin, municipalityID) {
		return tenant.Municipality{}, nil, nil, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
	}
	list, err := x.tenants.Municipalities(ctx)
	if err != nil {
		return tenant.Municipality{}, nil, nil, errs.E(op, err)
	}
	munis := map[string]tenant.Municipality{}
	for _, m := range list {
		munis[m.ID] = m
	}
	muni, ok := munis[municipalityID]
	if !ok {
		return tenant.Municipality{}, nil, nil, errs.E(op, errs.NotFound, errNotFound)
	}
	offerings, err := x.store.FindPublishedOfferings(ctx, municipalityID)
	if err != nil {
		return muni, nil, nil, errs.E(op, err)
	}
	ext, err := x.store.FindExternalIDs(ctx, municipalityID)
	if err != nil {
		return muni, nil, nil, errs.E(op, err)
	}
	cats, err := x.market.store.FindCategories(ctx, municipalityID)
	if err != nil {
		return muni, nil, nil, errs.E(op, err)
	}
	tree := NewTree(cats)
	providers := map[string]Provider{}
	items := make([]exportItem, 0, len(offerings))
	for _, o := range offerings {
		it := exportItem{o: o, id: o.ID}
		if e, ok := ext[o.ID]; ok {
			it.id = e
		}
		for _, cid := range o.CategoryIDs {
			if c, ok := tree.Category(cid); ok {
				it.category = c
			}
		}
		p, ok := providers[o.ProviderOrgID]
		if !ok {
			if p, err = x.market.store.FindProvider(ctx, o.ProviderOrgID); err != nil {
				return muni, nil, nil, errs.E(op, err)
			}
			providers[o.ProviderOrgID] = p
		}
		it.provider = p
		items = append(items, it)
	}
	return muni, munis, items, nil
}

// ExportJSON writes the published offerings serving a municipality as an
// HSDS-shaped JSON document (see hsds_json.go).
func (x *Exchange) ExportJSON(ctx context.Context, actor *identity.Person, municipalityID string, w io.Writer) error {
	const op = "market.ExportJSON"
	muni, munis, items, err := x.exportSet(ctx, op, actor, municipalityID)
	if err != nil {
		return err
	}
	doc := hsdsDocument{Version: HSDSVersion, Municipality: &hsdsArea{Name: muni.Name, Slug: muni.Slug},
		GeneratedAt: x.clock.Now().UTC().Format(time.RFC3339), Organizations: []hsdsOrganization{}, Services: []hsdsService{}}
	seen := map[string]bool{}
	for _, it := range items {
		if !seen[it.provider.OrganisationID] {
			seen[it.provider.OrganisationID] = true
			doc.Organizations = append(doc.Organizations, hsdsOrg(it.provider))
		}
		doc.Services = append(doc.Services, hsdsServiceOf(it, munis))
	}
	slices.SortFunc(doc.Organizations, func(a, b hsdsOrganization) int { return strings.Compare(a.Name+a.ID, b.Name+b.ID) })
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return errs.E(op, err)
	}
	return nil
}

func hsdsOrg(p Provider) hsdsOrganization {
	o := hsdsOrganization{ID: p.OrganisationID, Name: p.Name, Email: p.Email, Website: p.Website}
	if p.Phone != "" {
		o.Phones = []hsdsPhone{{Number: p.Phone}}
	}
	if p.KvK != "" {
		o.Identifiers = append(o.Identifiers, hsdsIdentifier{Scheme: schemeKvK, Type: "KvK-nummer", Identifier: p.KvK})
	}
	if p.AGB != "" {
		o.Identifiers = append(o.Identifiers, hsdsIdentifier{Scheme: schemeAGB, Type: "AGB-code", Identifier: p.AGB})
	}
	return o
}

func hsdsServiceOf(it exportItem, munis map[string]tenant.Municipality) hsdsService {
	o := it.o
	s := hsdsService{
		ID: it.id, OrganizationID: o.ProviderOrgID, Name: o.Title, Summary: o.Summary, Description: o.Description,
		Status: "active", Eligibility: o.Eligibility, ApplicationProcess: o.HowToRequest,
		AssuredDate: o.LastCheckedAt.In(Amsterdam).Format(time.DateOnly),
		Languages:   []hsdsLanguage{}, Attributes: []hsdsAttribute{}, ServiceAreas: []hsdsArea{}, ServiceAtLocations: []hsdsServiceAtLoc{},
	}
	for _, l := range o.Languages {
		s.Languages = append(s.Languages, hsdsLanguage{Code: l})
	}
	co := hsdsCostOption{Option: string(o.CostType), AmountDescription: o.Unit}
	if o.PriceCents > 0 {
		co.Amount, co.Currency = json.Number(formatAmount(o.PriceCents)), "EUR"
	}
	s.CostOptions = []hsdsCostOption{co}
	if it.category.ID != "" {
		s.Attributes = append(s.Attributes, hsdsAttribute{TaxonomyTerm: hsdsTerm{Code: it.category.Slug, Name: it.category.Name, Vocabulary: vocabCategory}})
	}
	s.Attributes = append(s.Attributes, hsdsAttribute{TaxonomyTerm: hsdsTerm{Code: string(o.Kind), Name: string(o.Kind), Vocabulary: vocabKind}})
	for _, g := range o.TargetGroups {
		s.Attributes = append(s.Attributes, hsdsAttribute{TaxonomyTerm: hsdsTerm{Name: g, Vocabulary: vocabTargetGroup}})
	}
	for _, m := range o.MunicipalityIDs {
		if mu, ok := munis[m]; ok {
			s.ServiceAreas = append(s.ServiceAreas, hsdsArea{Name: mu.Name, Slug: mu.Slug})
		}
	}
	for i, l := range o.Locations {
		lid := it.id + "-" + strconv.Itoa(i+1)
		loc := hsdsLocation{ID: lid, LocationType: "physical", Accessibility: []hsdsAccessibility{},
			Addresses: []hsdsAddress{{Address1: l.Address, City: l.City, PostalCode: l.Postcode, Country: "NL", AddressType: "physical"}}}
		if l.Lat != 0 || l.Lon != 0 {
			lat, lon := l.Lat, l.Lon
			loc.Latitude, loc.Longitude = &lat, &lon
		}
		if l.Wheelchair {
			loc.Accessibility = append(loc.Accessibility, hsdsAccessibility{Description: "Toegankelijk met een rolstoel", Details: accessWheelchair})
		}
		sal := hsdsServiceAtLoc{ID: lid, Location: loc, Schedules: []hsdsSchedule{}}
		for _, r := range scheduleRows(l.Hours) {
			sal.Schedules = append(sal.Schedules, hsdsSchedule{Freq: "WEEKLY", ByDay: r.ByDay, OpensAt: r.OpensAt, ClosesAt: r.ClosesAt})
		}
		s.ServiceAtLocations = append(s.ServiceAtLocations, sal)
	}
	return s
}

// ExportCSV writes the published offerings serving a municipality as CSV,
// one row per offering (see hsds_csv.go for the columns).
func (x *Exchange) ExportCSV(ctx context.Context, actor *identity.Person, municipalityID string, w io.Writer) error {
	const op = "market.ExportCSV"
	_, munis, items, err := x.exportSet(ctx, op, actor, municipalityID)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(csvColumns); err != nil {
		return errs.E(op, err)
	}
	for _, it := range items {
		if err := cw.Write(csvRow(it, munis)); err != nil {
			return errs.E(op, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return errs.E(op, err)
	}
	return nil
}

func csvRow(it exportItem, munis map[string]tenant.Municipality) []string {
	o, p := it.o, it.provider
	v := map[string]string{
		"id": it.id, "organization_name": p.Name, "organization_kvk": p.KvK, "organization_agb": p.AGB,
		"organization_email": p.Email, "organization_phone": p.Phone, "organization_website": p.Website,
		"name": o.Title, "summary": o.Summary, "description": o.Description, "eligibility_description": o.Eligibility,
		"application_process": o.HowToRequest, "target_groups": joinList(o.TargetGroups), "languages": joinList(o.Languages),
		"cost_option": string(o.CostType), "amount_description": o.Unit, "kind": string(o.Kind), "categories": it.category.Slug,
		"assured_date": o.LastCheckedAt.In(Amsterdam).Format(time.DateOnly),
	}
	if o.PriceCents > 0 {
		v["amount"] = formatAmount(o.PriceCents)
	}
	var areas []string
	for _, m := range o.MunicipalityIDs {
		if mu, ok := munis[m]; ok {
			areas = append(areas, mu.Slug)
		}
	}
	v["service_areas"] = joinList(areas)
	if len(o.Locations) > 0 {
		var addr, pc, city, lat, lon, wheel, sched []string
		for _, l := range o.Locations {
			addr, pc, city = append(addr, l.Address), append(pc, l.Postcode), append(city, l.City)
			if l.Lat != 0 || l.Lon != 0 {
				lat, lon = append(lat, strconv.FormatFloat(l.Lat, 'f', -1, 64)), append(lon, strconv.FormatFloat(l.Lon, 'f', -1, 64))
			} else {
				lat, lon = append(lat, ""), append(lon, "")
			}
			w := "nee"
			if l.Wheelchair {
				w = "ja"
			}
			wheel, sched = append(wheel, w), append(sched, formatSchedules(l.Hours))
		}
		v["location_address"], v["location_postal_code"], v["location_city"] = joinList(addr), joinList(pc), joinList(city)
		v["location_latitude"], v["location_longitude"] = joinList(lat), joinList(lon)
		v["location_wheelchair"], v["location_schedule"] = joinList(wheel), joinList(sched)
	}
	row := make([]string, len(csvColumns))
	for i, c := range csvColumns {
		row[i] = quoteCell(v[c])
	}
	return row
}
