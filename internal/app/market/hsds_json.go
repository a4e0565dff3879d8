package market

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
)

// The JSON file is a document shaped on Open Referral HSDS 3.0:
//
//	{"hsds_version": "3.0", "municipality": {...}, "organizations": [...], "services": [...]}
//
// Each service names its organization by organization_id (or holds it
// as "organization"), and holds its languages, cost_options, attributes
// (taxonomy terms: vocabulary "category" for the municipality's
// category, "kind" for professional or volunteer, "target_group"),
// service_areas (the municipalities it serves: name, and the slug as
// code) and
// service_at_locations, each with its location (address, latitude,
// longitude, accessibility) and schedules. HSDS has no field for
// wheelchair access or for a short summary: accessibility with details
// "wheelchair" marks a wheelchair-accessible location, and "summary"
// holds the summary (as in HSDS 3.1). A service's cost is one cost option
// whose option is a CostType and whose amount is in euros (EUR) per
// amount_description, the unit. The import also reads a bare list of
// services, or {"contents": [...]} as HSDS API pages have it.

// hsdsDocument is the whole JSON file.
type hsdsDocument struct {
	Version       string             `json:"hsds_version"`
	Municipality  *hsdsArea          `json:"municipality,omitempty"`
	GeneratedAt   string             `json:"generated_at,omitempty"`
	Organizations []hsdsOrganization `json:"organizations"`
	Services      []hsdsService      `json:"services"`
}

type hsdsOrganization struct {
	ID          string           `json:"id"`
	Name        string           `json:"name"`
	Email       string           `json:"email,omitempty"`
	Website     string           `json:"website,omitempty"`
	Phones      []hsdsPhone      `json:"phones,omitempty"`
	Identifiers []hsdsIdentifier `json:"organization_identifiers,omitempty"`
}

type hsdsPhone struct {
	Number string `json:"number"`
}

type hsdsIdentifier struct {
	Scheme     string `json:"identifier_scheme"`
	Type       string `json:"identifier_type"`
	Identifier string `json:"identifier"`
}

// The identifier schemes: NL-KVK is the org-id.guide code of the Dutch
// Chamber of Commerce register; AGB is the Vektis care provider code.
const (
	schemeKvK = "NL-KVK"
	schemeAGB = "AGB"
)

type hsdsService struct {
	ID                 string             `json:"id"`
	OrganizationID     string             `json:"organization_id,omitempty"`
	Organization       *hsdsOrganization  `json:"organization,omitempty"`
	Name               string             `json:"name"`
	Summary            string             `json:"summary"`
	Description        string             `json:"description"`
	Status             string             `json:"status"`
	Eligibility        string             `json:"eligibility_description,omitempty"`
	ApplicationProcess string             `json:"application_process"`
	FeesDescription    string             `json:"fees_description,omitempty"`
	AssuredDate        string             `json:"assured_date,omitempty"`
	Languages          []hsdsLanguage     `json:"languages"`
	CostOptions        []hsdsCostOption   `json:"cost_options"`
	Attributes         []hsdsAttribute    `json:"attributes"`
	ServiceAreas       []hsdsArea         `json:"service_areas"`
	ServiceAtLocations []hsdsServiceAtLoc `json:"service_at_locations"`
}

type hsdsLanguage struct {
	Code string `json:"code"`
}

type hsdsCostOption struct {
	Option            string      `json:"option"`
	Amount            json.Number `json:"amount,omitempty"`
	Currency          string      `json:"currency,omitempty"`
	AmountDescription string      `json:"amount_description,omitempty"`
}

type hsdsAttribute struct {
	TaxonomyTerm hsdsTerm `json:"taxonomy_term"`
}

type hsdsTerm struct {
	Code       string `json:"code,omitempty"`
	Name       string `json:"name"`
	Vocabulary string `json:"vocabulary"`
}

// The vocabularies of the attributes.
const (
	vocabCategory    = "category"
	vocabKind        = "kind"
	vocabTargetGroup = "target_group"
)

type hsdsArea struct {
	Name string `json:"name"`
	Slug string `json:"code,omitempty"`
}

type hsdsServiceAtLoc struct {
	ID        string         `json:"id,omitempty"`
	Location  hsdsLocation   `json:"location"`
	Schedules []hsdsSchedule `json:"schedules"`
}

type hsdsLocation struct {
	ID            string              `json:"id,omitempty"`
	LocationType  string              `json:"location_type,omitempty"`
	Latitude      *float64            `json:"latitude,omitempty"`
	Longitude     *float64            `json:"longitude,omitempty"`
	Addresses     []hsdsAddress       `json:"addresses"`
	Accessibility []hsdsAccessibility `json:"accessibility"`
	Schedules     []hsdsSchedule      `json:"schedules,omitempty"` // read only: rows may sit on the location
}

type hsdsAddress struct {
	Address1    string `json:"address_1"`
	City        string `json:"city"`
	PostalCode  string `json:"postal_code"`
	Country     string `json:"country,omitempty"`
	AddressType string `json:"address_type,omitempty"`
}

type hsdsAccessibility struct {
	Description string `json:"description"`
	Details     string `json:"details,omitempty"`
}

// accessWheelchair is the details value that marks wheelchair access.
const accessWheelchair = "wheelchair"

type hsdsSchedule struct {
	Freq     string `json:"freq,omitempty"`
	ByDay    string `json:"byday"`
	OpensAt  string `json:"opens_at"`
	ClosesAt string `json:"closes_at"`
}

// readJSON reads the services of a JSON file as records, each with the
// line it starts on.
func readJSON(op string, data []byte) ([]*record, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	bad := func(err error) error {
		line := 0
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line = lineAt(data, int(se.Offset))
		}
		return fileError(op, line, "hsds.error.not_json", nil)
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, bad(err)
	}
	type raw struct {
		line int
		msg  json.RawMessage
	}
	var services []raw
	orgs := map[string]hsdsOrganization{}
	readList := func() error {
		if t, err := dec.Token(); err != nil {
			return bad(err)
		} else if d, ok := t.(json.Delim); !ok || d != '[' {
			return fileError(op, lineAt(data, int(dec.InputOffset())), "hsds.error.no_services", nil)
		}
		for dec.More() {
			start := skipSpace(data, int(dec.InputOffset()))
			var m json.RawMessage
			if err := dec.Decode(&m); err != nil {
				return bad(err)
			}
			services = append(services, raw{line: lineAt(data, start), msg: m})
		}
		if _, err := dec.Token(); err != nil {
			return bad(err)
		}
		return nil
	}
	switch tok {
	case json.Delim('['):
		// A bare list of services: read it from its first element.
		dec = json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := readList(); err != nil {
			return nil, err
		}
	case json.Delim('{'):
		found := false
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, bad(err)
			}
			switch kt {
			case "services", "contents":
				found = true
				if err := readList(); err != nil {
					return nil, err
				}
			case "organizations":
				var list []hsdsOrganization
				if err := dec.Decode(&list); err != nil {
					return nil, fileError(op, lineAt(data, int(dec.InputOffset())), "hsds.error.organizations", nil)
				}
				for _, o := range list {
					orgs[o.ID] = o
				}
			default:
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					return nil, bad(err)
				}
			}
		}
		if _, err := dec.Token(); err != nil {
			return nil, bad(err)
		}
		if !found {
			return nil, fileError(op, 0, "hsds.error.no_services", nil)
		}
	default:
		return nil, fileError(op, 1, "hsds.error.not_json", nil)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fileError(op, lineAt(data, int(dec.InputOffset())), "hsds.error.not_json", nil)
	}
	recs := make([]*record, len(services))
	for i, s := range services {
		recs[i] = jsonRecord(s.msg, s.line, i+1, orgs)
	}
	return recs, nil
}

func skipSpace(data []byte, off int) int {
	for off < len(data) && strings.IndexByte(" \t\r\n,", data[off]) >= 0 {
		off++
	}
	return off
}

// lineAt returns the line (from 1) of a byte offset.
func lineAt(data []byte, off int) int {
	off = min(max(off, 0), len(data))
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// jsonRecord turns one service into a record.
func jsonRecord(msg json.RawMessage, line, number int, orgs map[string]hsdsOrganization) *record {
	rec := &record{line: line, number: number, field: jsonField}
	var s hsdsService
	if err := json.Unmarshal(msg, &s); err != nil {
		field := ""
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field = te.Field
		}
		rec.problem(field, "hsds.error.json_type", nil)
		rec.broken = true
		return rec
	}
	rec.id = strings.TrimSpace(s.ID)
	org := s.Organization
	if org == nil && s.OrganizationID != "" {
		if o, ok := orgs[s.OrganizationID]; ok {
			org = &o
		} else {
			rec.problem("organization_id", "hsds.error.organization_unknown", map[string]any{"ID": s.OrganizationID})
		}
	}
	if org == nil && s.OrganizationID == "" {
		rec.problem("organization_id", "hsds.error.organization_missing", nil)
	}
	if org != nil {
		rec.org = orgFields{Name: strings.TrimSpace(org.Name), Email: org.Email, Website: org.Website}
		if len(org.Phones) > 0 {
			rec.org.Phone = org.Phones[0].Number
		}
		for _, id := range org.Identifiers {
			switch strings.ToUpper(strings.TrimSpace(id.Scheme)) {
			case schemeKvK:
				rec.org.KvK = strings.TrimSpace(id.Identifier)
			case schemeAGB:
				rec.org.AGB = strings.TrimSpace(id.Identifier)
			}
		}
	}
	c := &rec.content
	c.Title, c.Summary, c.Description = s.Name, s.Summary, s.Description
	c.Eligibility, c.HowToRequest = s.Eligibility, s.ApplicationProcess
	for _, l := range s.Languages {
		c.Languages = append(c.Languages, l.Code)
	}
	switch len(s.CostOptions) {
	case 0:
		rec.problem("cost_options", "hsds.error.cost_required", nil)
	case 1:
		co := s.CostOptions[0]
		c.CostType, c.Unit = CostType(strings.TrimSpace(co.Option)), co.AmountDescription
		if cents, ok := parseAmount(co.Amount.String()); ok {
			c.PriceCents = cents
		} else {
			rec.problem("cost_options[0].amount", "hsds.error.amount", nil)
		}
		if cur := strings.ToUpper(strings.TrimSpace(co.Currency)); cur != "" && cur != "EUR" {
			rec.problem("cost_options[0].currency", "hsds.error.currency", nil)
		}
	default:
		rec.problem("cost_options", "hsds.error.one_cost", nil)
	}
	for _, a := range s.Attributes {
		t := a.TaxonomyTerm
		switch strings.TrimSpace(t.Vocabulary) {
		case vocabCategory:
			v := t.Code
			if strings.TrimSpace(v) == "" {
				v = t.Name
			}
			rec.categories = append(rec.categories, v)
		case vocabKind:
			c.Kind = Kind(strings.TrimSpace(firstNonEmpty(t.Code, t.Name)))
		case vocabTargetGroup:
			c.TargetGroups = append(c.TargetGroups, t.Name)
		}
	}
	for _, a := range s.ServiceAreas {
		rec.areas = append(rec.areas, strings.TrimSpace(firstNonEmpty(a.Slug, a.Name)))
		if a.Slug != "" && a.Name != "" {
			rec.areas = append(rec.areas, strings.TrimSpace(a.Name))
		}
	}
	for i, sal := range s.ServiceAtLocations {
		loc := sal.Location
		l := Location{}
		if len(loc.Addresses) > 0 {
			a := loc.Addresses[0]
			l.Address, l.Postcode, l.City = a.Address1, a.PostalCode, a.City
		}
		if loc.Latitude != nil && loc.Longitude != nil {
			l.Lat, l.Lon = *loc.Latitude, *loc.Longitude
		}
		for _, acc := range loc.Accessibility {
			if isWheelchair(acc) {
				l.Wheelchair = true
			}
		}
		for _, sc := range append(append([]hsdsSchedule(nil), sal.Schedules...), loc.Schedules...) {
			if f := strings.ToUpper(strings.TrimSpace(sc.Freq)); f != "" && f != "WEEKLY" {
				rec.problem("service_at_locations["+strconv.Itoa(i)+"].schedules", "hsds.error.schedule_weekly", nil)
				continue
			}
			p, ok := schedule{ByDay: sc.ByDay, OpensAt: sc.OpensAt, ClosesAt: sc.ClosesAt}.periods()
			if !ok {
				rec.problem("service_at_locations["+strconv.Itoa(i)+"].schedules", "hsds.error.schedule", nil)
				continue
			}
			l.Hours = append(l.Hours, p...)
		}
		c.Locations = append(c.Locations, l)
	}
	return rec
}

func isWheelchair(a hsdsAccessibility) bool {
	d := strings.ToLower(a.Details + " " + a.Description)
	return strings.Contains(d, accessWheelchair) || strings.Contains(d, "rolstoel")
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// jsonField names a content or provider field as its place in an HSDS
// service record.
func jsonField(f string) string {
	if rest, ok := strings.CutPrefix(f, "locations."); ok {
		n, sub, _ := strings.Cut(rest, ".")
		p := "service_at_locations[" + n + "]"
		switch sub {
		case "address":
			return p + ".location.addresses[0].address_1"
		case "postcode":
			return p + ".location.addresses[0].postal_code"
		case "city":
			return p + ".location.addresses[0].city"
		case "coordinates":
			return p + ".location.latitude"
		case "hours":
			return p + ".schedules"
		}
		return p
	}
	switch f {
	case "title":
		return "name"
	case "eligibility":
		return "eligibility_description"
	case "how_to_request":
		return "application_process"
	case "target_groups":
		return "attributes[target_group]"
	case "cost_type":
		return "cost_options[0].option"
	case "price":
		return "cost_options[0].amount"
	case "unit":
		return "cost_options[0].amount_description"
	case "kind":
		return "attributes[kind]"
	case "categories":
		return "attributes[category]"
	case "municipalities":
		return "service_areas"
	case "locations":
		return "service_at_locations"
	case "organization.kvk":
		return "organization.organization_identifiers[NL-KVK]"
	case "organization.agb":
		return "organization.organization_identifiers[AGB]"
	case "organization.phone":
		return "organization.phones[0].number"
	case "organization.contact":
		return "organization"
	}
	return f
}
