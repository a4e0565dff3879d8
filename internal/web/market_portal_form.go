package web

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

// The offering form writes an offering's whole content in plain fields,
// so it works without JavaScript: target groups one per line, a category
// per municipality served, opening hours per weekday as "09:00-17:00"
// (more periods separated by commas), and a fixed number of location
// blocks that "add another location" raises by one.

// MinLocationBlocks is how many location blocks the form shows at least.
const MinLocationBlocks = 2

// portalWeek is the weekdays as a Dutch week is read.
var portalWeek = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// offeringLanguages are the languages the form offers, Dutch first.
var offeringLanguages = []string{"nl", "en", "fy", "de", "fr", "es", "pl", "tr", "ar", "ber", "uk", "ti", "so", "pap"}

// offeringForm is the form's choices and blocks beyond its values.
type offeringForm struct {
	Municipalities []muniChoice
	Languages      []portalChoice
	CostTypes      []market.CostType
	Locations      []locationBlock
	Order          string // the fields in page order, for the error summary
}

// muniChoice is one municipality the provider works in, with its
// category tree.
type muniChoice struct {
	ID, Name   string
	Checked    bool
	Field      string // the category select's name
	Categories []categoryOption
	Selected   string
}

// portalChoice is one checkbox.
type portalChoice struct {
	Value, Label string
	Checked      bool
}

// locationBlock is one location's fields, named locations.N.field as the
// service names their errors.
type locationBlock struct {
	N      int
	Number int // N+1, for people
	Prefix string
	Days   []portalDayField
}

// portalDayField is one weekday's opening hours field.
type portalDayField struct {
	Name string
	Day  int
}

// offeringFormFields lists the form's fields with their longest value, for
// n location blocks.
func offeringFormFields(n int, munis []string) map[string]int {
	f := map[string]int{
		"title": market.MaxTitleLen, "summary": market.MaxSummaryLen, "description": market.MaxDescriptionLen,
		"target_groups": market.MaxTargetGroups * (market.MaxTargetGroupLen + 2), "eligibility": market.MaxEligibilityLen,
		"how_to_request": market.MaxHowToRequestLen, "cost_type": 40, "price": 12, "unit": market.MaxUnitLen,
		"kind": 20, "version": 20, "locations": 3, "action": 20,
	}
	for _, m := range munis {
		f["category_"+m] = 64
	}
	for i := range n {
		p := "locations." + strconv.Itoa(i) + "."
		f[p+"address"], f[p+"postcode"], f[p+"city"], f[p+"wheelchair"] = market.MaxAddressLen, 7, market.MaxCityLen, 1
		for _, d := range portalWeek {
			f[p+"hours."+strconv.Itoa(int(d))] = 60
		}
	}
	return f
}

// locationCount reads how many location blocks the form had.
func locationCount(r *http.Request) int {
	n, err := strconv.Atoi(r.PostFormValue("locations"))
	if err != nil || n < MinLocationBlocks {
		return MinLocationBlocks
	}
	return min(n, market.MaxLocations)
}

// readOffering reads the posted form into a Form and Content. Values the
// service cannot check (a price or opening hours that do not parse) get
// their field error here; base keeps what the form does not show (the
// coordinates of an unchanged location).
func readOffering(r *http.Request, munis []string, base market.Content) (Form, market.Content, int, error) {
	if err := r.ParseForm(); err != nil {
		return Form{}, market.Content{}, 0, err
	}
	n := locationCount(r)
	form, err := readForm(r, offeringFormFields(n, munis))
	if err != nil {
		return form, market.Content{}, n, err
	}
	v := form.Values
	c := market.Content{
		Title: v["title"], Summary: v["summary"], Description: v["description"], Eligibility: v["eligibility"],
		HowToRequest: v["how_to_request"], CostType: market.CostType(v["cost_type"]), Unit: v["unit"], Kind: market.Kind(v["kind"]),
	}
	for _, g := range strings.Split(v["target_groups"], "\n") {
		if g = strings.TrimSpace(g); g != "" {
			c.TargetGroups = append(c.TargetGroups, g)
		}
	}
	for _, m := range r.PostForm["municipalities[]"] {
		if slices.Contains(munis, m) {
			c.MunicipalityIDs = append(c.MunicipalityIDs, m)
		} else {
			form.Errors["municipalities"] = "field.municipalities.invalid"
		}
	}
	form.Values["municipalities"] = strings.Join(c.MunicipalityIDs, " ")
	for _, m := range c.MunicipalityIDs {
		if cat := v["category_"+m]; cat != "" {
			c.CategoryIDs = append(c.CategoryIDs, cat)
		}
	}
	for _, l := range r.PostForm["languages[]"] {
		if len(l) <= 3 {
			c.Languages = append(c.Languages, l)
		}
	}
	form.Values["languages"] = strings.Join(c.Languages, " ")
	if len(c.Languages) == 0 {
		c.Languages = []string{"nl"}
	}
	if p := strings.TrimSpace(v["price"]); p != "" {
		cents, ok := portalParseEuro(p)
		if !ok {
			form.Errors["price"] = "field.price.format"
		}
		c.PriceCents = cents
	}
	for i := range n {
		pre := "locations." + strconv.Itoa(i) + "."
		l := market.Location{Address: v[pre+"address"], Postcode: v[pre+"postcode"], City: v[pre+"city"], Wheelchair: v[pre+"wheelchair"] == "1"}
		empty := strings.TrimSpace(l.Address+l.Postcode+l.City) == ""
		for _, d := range portalWeek {
			name := pre + "hours." + strconv.Itoa(int(d))
			periods, ok := portalParseHours(d, v[name])
			if !ok {
				form.Errors[name] = "field.hours_day.invalid"
			}
			if strings.TrimSpace(v[name]) != "" {
				empty = false // as portalBlocks counts it
			}
			l.Hours = append(l.Hours, periods...)
		}
		if empty {
			continue // an unused block
		}
		for _, old := range base.Locations {
			if strings.EqualFold(strings.TrimSpace(old.Address), strings.TrimSpace(l.Address)) &&
				market.NormalizePostcode(old.Postcode) == market.NormalizePostcode(l.Postcode) {
				l.Lat, l.Lon = old.Lat, old.Lon
			}
		}
		c.Locations = append(c.Locations, l)
	}
	return form, c, n, nil
}

// portalBlocks maps the service's location numbers (among filled blocks) to the
// form's block numbers.
func portalBlocks(r *http.Request, n int) []int {
	var out []int
	for i := range n {
		pre := "locations." + strconv.Itoa(i) + "."
		filled := strings.TrimSpace(r.PostFormValue(pre+"address")+r.PostFormValue(pre+"postcode")+r.PostFormValue(pre+"city")) != ""
		for _, d := range portalWeek {
			if strings.TrimSpace(r.PostFormValue(pre+"hours."+strconv.Itoa(int(d)))) != "" {
				filled = true
			}
		}
		if filled {
			out = append(out, i)
		}
	}
	return out
}

// portalRenumber moves the service's location field errors to the blocks they
// belong to.
func portalRenumber(errors map[string]string, blocks []int) map[string]string {
	out := map[string]string{}
	for k, v := range errors {
		if rest, ok := strings.CutPrefix(k, "locations."); ok {
			num, field, ok := strings.Cut(rest, ".")
			if i, err := strconv.Atoi(num); ok && err == nil && i < len(blocks) {
				k = "locations." + strconv.Itoa(blocks[i]) + "." + field
			}
		}
		out[k] = v
	}
	return out
}

var portalEuroRE = regexp.MustCompile(`^(?:€\s*)?([0-9]{1,6})(?:[,.]([0-9]{1,2}))?$`)

// portalParseEuro reads an amount such as "12,50", "12.5" or "€ 12" as cents.
func portalParseEuro(s string) (int64, bool) {
	m := portalEuroRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, false
	}
	euros, _ := strconv.ParseInt(m[1], 10, 64)
	cents := int64(0)
	if m[2] != "" {
		frac := m[2]
		if len(frac) == 1 {
			frac += "0"
		}
		cents, _ = strconv.ParseInt(frac, 10, 64)
	}
	return euros*100 + cents, true
}

// portalFormatEuro writes cents as the form shows them: "12,50".
func portalFormatEuro(cents int64) string {
	if cents == 0 {
		return ""
	}
	return fmt.Sprintf("%d,%02d", cents/100, cents%100)
}

var portalPeriodRE = regexp.MustCompile(`^([0-9]{1,2})[:.]([0-9]{2})\s*[-–]\s*([0-9]{1,2})[:.]([0-9]{2})$`)

// portalParseHours reads one weekday's periods: "09:00-12:00, 13:00-17:00".
// Empty means closed.
func portalParseHours(day time.Weekday, s string) (market.OpeningHours, bool) {
	var out market.OpeningHours
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		m := portalPeriodRE.FindStringSubmatch(part)
		if m == nil {
			return nil, false
		}
		n := make([]int, 4)
		for i := range n {
			n[i], _ = strconv.Atoi(m[i+1])
		}
		opens, closes := n[0]*60+n[1], n[2]*60+n[3]
		if n[0] > 24 || n[2] > 24 || n[1] > 59 || n[3] > 59 || opens >= closes || closes > 24*60 {
			return nil, false
		}
		out = append(out, market.Period{Day: day, Opens: opens, Closes: closes})
	}
	return out, true
}

// portalFormatHours writes one weekday's periods as the form shows them.
func portalFormatHours(h market.OpeningHours, day time.Weekday) string {
	var parts []string
	for _, p := range h {
		if p.Day == day {
			parts = append(parts, fmt.Sprintf("%02d:%02d-%02d:%02d", p.Opens/60, p.Opens%60, p.Closes/60, p.Closes%60))
		}
	}
	return strings.Join(parts, ", ")
}

// portalContentValues fills the form's values from stored content.
func portalContentValues(c market.Content, tree map[string]string) (map[string]string, int) {
	v := map[string]string{
		"title": c.Title, "summary": c.Summary, "description": c.Description, "target_groups": strings.Join(c.TargetGroups, "\n"),
		"eligibility": c.Eligibility, "how_to_request": c.HowToRequest, "cost_type": string(c.CostType),
		"price": portalFormatEuro(c.PriceCents), "unit": c.Unit, "kind": string(c.Kind),
		"municipalities": strings.Join(c.MunicipalityIDs, " "), "languages": strings.Join(c.Languages, " "),
	}
	for _, id := range c.CategoryIDs {
		if m, ok := tree[id]; ok {
			v["category_"+m] = id
		}
	}
	for i, l := range c.Locations {
		pre := "locations." + strconv.Itoa(i) + "."
		v[pre+"address"], v[pre+"postcode"], v[pre+"city"] = l.Address, l.Postcode, l.City
		if l.Wheelchair {
			v[pre+"wheelchair"] = "1"
		}
		for _, d := range portalWeek {
			v[pre+"hours."+strconv.Itoa(int(d))] = portalFormatHours(l.Hours, d)
		}
	}
	return v, max(MinLocationBlocks, len(c.Locations))
}

// buildOfferingForm makes the choices and blocks for the provider prov,
// with n location blocks, checked as in values.
func (s *Server) buildOfferingForm(ctx context.Context, lang string, prov market.Provider, values map[string]string, n int) (offeringForm, map[string]string, error) {
	all, err := s.Tenants.Municipalities(ctx)
	if err != nil {
		return offeringForm{}, nil, err
	}
	chosen := strings.Fields(values["municipalities"])
	f := offeringForm{CostTypes: market.CostTypes}
	catMuni := map[string]string{} // category id → municipality id
	order := []string{"title", "summary", "description", "municipalities", "categories", "target_groups", "eligibility",
		"how_to_request", "languages", "cost_type", "price", "unit", "kind", "locations"}
	for _, m := range all {
		if !slices.Contains(prov.MunicipalityIDs, m.ID) {
			continue
		}
		cats, err := s.Market.Categories(ctx, m.ID)
		if err != nil {
			return offeringForm{}, nil, err
		}
		for _, c := range cats {
			catMuni[c.ID] = m.ID
		}
		f.Municipalities = append(f.Municipalities, muniChoice{ID: m.ID, Name: m.Name, Checked: slices.Contains(chosen, m.ID),
			Field: "category_" + m.ID, Categories: categoryOptions(cats), Selected: values["category_"+m.ID]})
	}
	langs := strings.Fields(values["languages"])
	for _, code := range offeringLanguages {
		f.Languages = append(f.Languages, portalChoice{Value: code, Label: languageName(lang, code), Checked: slices.Contains(langs, code)})
	}
	for i := range n {
		pre := "locations." + strconv.Itoa(i) + "."
		b := locationBlock{N: i, Number: i + 1, Prefix: pre}
		order = append(order, pre+"address", pre+"postcode", pre+"city", pre+"coordinates", pre+"hours")
		for _, d := range portalWeek {
			b.Days = append(b.Days, portalDayField{Name: pre + "hours." + strconv.Itoa(int(d)), Day: int(d)})
			order = append(order, pre+"hours."+strconv.Itoa(int(d)))
		}
		f.Locations = append(f.Locations, b)
	}
	f.Order = strings.Join(order, " ")
	return f, catMuni, nil
}

// portalMunicipalityNames maps municipality ids to names.
func portalMunicipalityNames(list []tenant.Municipality) map[string]string {
	out := map[string]string{}
	for _, m := range list {
		out[m.ID] = m.Name
	}
	return out
}
