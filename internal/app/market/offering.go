package market

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// CostType says how a resident pays for an offering (HSDS cost_option).
type CostType string

// The cost types.
const (
	CostFree        CostType = "free"                      // gratis
	CostPerUnit     CostType = "price_per_unit"            // a price per unit (hour, session, meal)
	CostOpenService CostType = "open_service"              // algemene voorziening: no decision needed
	CostTailored    CostType = "tailored_via_municipality" // maatwerkvoorziening: after a decision
	CostOwnBudget   CostType = "own_budget"                // payable from the resident's own budget (PGB)
)

// CostTypes lists the cost types in the order a filter shows them.
var CostTypes = []CostType{CostFree, CostOpenService, CostTailored, CostOwnBudget, CostPerUnit}

// Valid reports whether c is a known cost type.
func (c CostType) Valid() bool { return slices.Contains(CostTypes, c) }

// Kind tells professional support from volunteer support.
type Kind string

// The kinds of offering.
const (
	KindProfessional Kind = "professional"
	KindVolunteer    Kind = "volunteer"
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == KindProfessional || k == KindVolunteer }

// Status is where an offering is in its life.
type Status string

// The statuses of an offering. Only a published offering is seen by
// residents; a change to a published offering waits as a Revision while
// the approved content stays visible.
const (
	StatusDraft     Status = "draft"     // being written by the provider; seen by the provider only
	StatusPending   Status = "pending"   // submitted for its first approval
	StatusPublished Status = "published" // approved and visible to everyone
	StatusRefused   Status = "refused"   // first approval refused; see RefusalReason
	StatusHidden    Status = "hidden"    // was published, now hidden (stale: see StaleSince)
)

// Content is what a provider writes about an offering and a municipality
// approves: everything of an Offering that a Revision can change.
type Content struct {
	MunicipalityIDs []string   `json:"municipality_ids"` // the municipalities (areas) it serves
	CategoryIDs     []string   `json:"category_ids"`     // at most one category per served municipality
	Title           string     `json:"title"`
	Summary         string     `json:"summary"`
	Description     string     `json:"description"` // B1 Dutch
	TargetGroups    []string   `json:"target_groups"`
	Eligibility     string     `json:"eligibility"`
	HowToRequest    string     `json:"how_to_request"`
	Languages       []string   `json:"languages"` // ISO 639-1 codes, "nl" first by default
	CostType        CostType   `json:"cost_type"`
	PriceCents      int64      `json:"price_cents"` // when priced: per Unit
	Unit            string     `json:"unit"`        // e.g. "uur", "maaltijd"
	Kind            Kind       `json:"kind"`
	Locations       []Location `json:"locations"`
}

// Offering is a form of support on offer: an HSDS service with its
// locations. Content holds the approved (live) content; for an offering
// that was never published it holds the provider's current text.
type Offering struct {
	ID            string
	ProviderOrgID string
	ProviderName  string // read-only: the provider organisation's name
	Content
	Status          Status
	RefusalReason   string     // why the first approval was refused
	LastCheckedAt   time.Time  // when someone last confirmed the content is right
	LastCheckedByID string     // who did ("" for an import or the seed)
	StaleSince      *time.Time // when it was flagged as not checked for StaleAfter
	Version         int64      // goes up by one on every change, to the offering or its pending revision
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Location is a place where an offering is given (HSDS location with
// service_at_location and schedule).
type Location struct {
	Address    string       `json:"address"` // street and number
	Postcode   string       `json:"postcode"`
	City       string       `json:"city"`
	Lat        float64      `json:"lat"` // 0, 0 when unknown: the postcode's centroid is used
	Lon        float64      `json:"lon"`
	Hours      OpeningHours `json:"hours"`
	Wheelchair bool         `json:"wheelchair"`
}

// Limits on the content's fields, in characters.
const (
	MaxTitleLen        = 120
	MaxSummaryLen      = 300
	MaxDescriptionLen  = 8000
	MaxEligibilityLen  = 2000
	MaxHowToRequestLen = 2000
	MaxUnitLen         = 40
	MaxTargetGroupLen  = 60
	MaxTargetGroups    = 12
	MaxLanguages       = 12
	MaxLocations       = 20
	MaxAddressLen      = 200
	MaxCityLen         = 80
	MaxReasonLen       = 1000
	MaxPriceCents      = 10_000_000
)

var (
	postcodeRE = regexp.MustCompile(`^([1-9][0-9]{3}) ?([A-Z]{2})$`)
	languageRE = regexp.MustCompile(`^[a-z]{2,3}$`)
)

// NormalizePostcode returns a Dutch postcode as "1234 AB", or s trimmed
// and upper-cased when it is no postcode.
func NormalizePostcode(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if m := postcodeRE.FindStringSubmatch(s); m != nil {
		return m[1] + " " + m[2]
	}
	return s
}

// Normalize trims the text, puts lists in a stable order without
// duplicates and fills defaults (Dutch as the language).
func (c *Content) Normalize() {
	c.MunicipalityIDs = compactSorted(c.MunicipalityIDs)
	c.CategoryIDs = compactSorted(c.CategoryIDs)
	c.Title = strings.TrimSpace(c.Title)
	c.Summary = strings.TrimSpace(c.Summary)
	c.Description = strings.TrimSpace(c.Description)
	c.Eligibility = strings.TrimSpace(c.Eligibility)
	c.HowToRequest = strings.TrimSpace(c.HowToRequest)
	c.Unit = strings.TrimSpace(c.Unit)
	var groups []string
	for _, g := range c.TargetGroups {
		if g = strings.TrimSpace(g); g != "" && !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	c.TargetGroups = groups
	var langs []string
	for _, l := range c.Languages {
		if l = strings.ToLower(strings.TrimSpace(l)); l != "" && !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	if len(langs) == 0 {
		langs = []string{"nl"}
	}
	c.Languages = langs
	// Copies, so that the caller's slices are never changed.
	c.Locations = slices.Clone(c.Locations)
	for i := range c.Locations {
		l := &c.Locations[i]
		l.Hours = slices.Clone(l.Hours)
		l.Address, l.City = strings.TrimSpace(l.Address), strings.TrimSpace(l.City)
		l.Postcode = NormalizePostcode(l.Postcode)
		l.Hours.normalize()
	}
}

func compactSorted(s []string) []string {
	var out []string
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Validate checks the content on its own; whether the municipalities and
// categories exist and fit the provider is checked by the Service. Field
// names are those of the form; a location's fields are named
// "locations.N.field" with N counting from 0.
func (c Content) Validate() error {
	f := checkContent(c)
	return f.Err("market.Content")
}

func checkContent(c Content) fieldErrors {
	f := fieldErrors{}
	f.text("title", c.Title, true, MaxTitleLen, false)
	f.text("summary", c.Summary, true, MaxSummaryLen, false)
	f.text("description", c.Description, true, MaxDescriptionLen, true)
	f.text("eligibility", c.Eligibility, false, MaxEligibilityLen, true)
	f.text("how_to_request", c.HowToRequest, true, MaxHowToRequestLen, true)
	if len(c.MunicipalityIDs) == 0 {
		f.Add("municipalities", "field.municipalities.required")
	}
	if len(c.CategoryIDs) == 0 {
		f.Add("categories", "field.categories.required")
	}
	if len(c.TargetGroups) > MaxTargetGroups {
		f.Add("target_groups", "field.target_groups.too_many")
	}
	for _, g := range c.TargetGroups {
		if k := textKey("target_groups", g, false, MaxTargetGroupLen, false); k != "" {
			f.Add("target_groups", k)
		}
	}
	if len(c.Languages) > MaxLanguages {
		f.Add("languages", "field.languages.invalid")
	}
	for _, l := range c.Languages {
		if !languageRE.MatchString(l) {
			f.Add("languages", "field.languages.invalid")
		}
	}
	f.checkCost(c)
	if !c.Kind.Valid() {
		f.Add("kind", "field.kind.invalid")
	}
	if len(c.Locations) > MaxLocations {
		f.Add("locations", "field.locations.too_many")
	}
	for i, l := range c.Locations {
		p := "locations." + strconv.Itoa(i) + "."
		f.text(p+"address", l.Address, true, MaxAddressLen, false)
		f.text(p+"city", l.City, true, MaxCityLen, false)
		if !postcodeRE.MatchString(l.Postcode) {
			f.Add(p+"postcode", "field.postcode.invalid")
		}
		if (l.Lat != 0 || l.Lon != 0) && !inNetherlands(l.Lat, l.Lon) {
			f.Add(p+"coordinates", "field.coordinates.invalid")
		}
		if !l.Hours.valid() {
			f.Add(p+"hours", "field.hours.invalid")
		}
	}
	return f
}

func (f fieldErrors) checkCost(c Content) {
	switch {
	case !c.CostType.Valid():
		f.Add("cost_type", "field.cost_type.invalid")
	case c.PriceCents < 0 || c.PriceCents > MaxPriceCents:
		f.Add("price", "field.price.invalid")
	case c.CostType == CostPerUnit && c.PriceCents == 0:
		f.Add("price", "field.price.required")
	case c.PriceCents != 0 && c.CostType != CostPerUnit && c.CostType != CostOwnBudget:
		// Free, open and tailored services cost the resident nothing here;
		// a price would mislead.
		f.Add("price", "field.price.not_allowed")
	}
	if c.PriceCents > 0 {
		f.text("unit", c.Unit, true, MaxUnitLen, false)
	} else if c.Unit != "" {
		f.Add("unit", "field.unit.not_allowed")
	}
}

// inNetherlands reports whether a coordinate lies in a box around the
// European Netherlands.
func inNetherlands(lat, lon float64) bool {
	return lat >= 50.7 && lat <= 53.7 && lon >= 3.2 && lon <= 7.3
}

// fieldErrors is errs.Fields with text checks.
type fieldErrors map[string]string

// text checks a text field: required, valid UTF-8 without control
// characters (line breaks and tabs only where multiline), at most max
// characters.
func (f fieldErrors) text(field, s string, required bool, max int, multiline bool) {
	if k := textKey(field, s, required, max, multiline); k != "" {
		f.Add(field, k)
	}
}

func textKey(field, s string, required bool, max int, multiline bool) string {
	name := field
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		name = field[i+1:]
	}
	switch {
	case strings.TrimSpace(s) == "":
		if required {
			return "field." + name + ".required"
		}
	case !utf8.ValidString(s):
		return "field.invalid_text"
	case strings.ContainsFunc(s, func(r rune) bool {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			return false
		}
		return r < 0x20 || r == 0x7f
	}):
		return "field.invalid_text"
	case utf8.RuneCountInString(s) > max:
		return "field." + name + ".too_long"
	}
	return ""
}
