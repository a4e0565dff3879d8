package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
)

// diffRow is one field of an offering, as published and as proposed.
type diffRow struct {
	LabelKey          string
	Current, Proposed string
	Changed           bool
}

// diffNames are the names of municipalities and categories, by id.
type diffNames struct {
	munis, cats map[string]string
}

func (s *Server) diffNames(r *http.Request) (diffNames, error) {
	list, err := s.Tenants.Municipalities(r.Context())
	if err != nil {
		return diffNames{}, err
	}
	cats, err := s.Market.Categories(r.Context(), "")
	if err != nil {
		return diffNames{}, err
	}
	n := diffNames{munis: portalMunicipalityNames(list), cats: map[string]string{}}
	for _, c := range cats {
		n.cats[c.ID] = c.Name
	}
	return n, nil
}

// diffContent compares the published content (nil for a new offering) with
// the proposed one, field by field, in the language of the page.
func diffContent(p Page, n diffNames, current *market.Content, proposed market.Content) []diffRow {
	fields := func(c market.Content) []string {
		names := func(ids []string, m map[string]string) string {
			var out []string
			for _, id := range ids {
				if name, ok := m[id]; ok {
					out = append(out, name)
				} else {
					out = append(out, id)
				}
			}
			slices.Sort(out)
			return strings.Join(out, ", ")
		}
		var langs []string
		for _, l := range c.Languages {
			langs = append(langs, languageName(p.Lang, l))
		}
		price := ""
		if c.PriceCents > 0 {
			price = p.T("market.price", "Price", portalEuro(c.PriceCents), "Unit", c.Unit)
		}
		var locs []string
		for _, l := range c.Locations {
			locs = append(locs, portalLocationText(p, l))
		}
		return []string{
			c.Title, c.Summary, c.Description, names(c.MunicipalityIDs, n.munis), names(c.CategoryIDs, n.cats),
			strings.Join(c.TargetGroups, "\n"), c.Eligibility, c.HowToRequest, strings.Join(langs, ", "),
			p.T("market.cost." + string(c.CostType)), price, p.T("market.kind." + string(c.Kind)), strings.Join(locs, "\n\n"),
		}
	}
	labels := []string{"portal.field.title", "portal.field.summary", "portal.field.description", "portal.field.municipalities",
		"portal.field.categories", "portal.field.target_groups", "portal.field.eligibility", "portal.field.how_to_request",
		"portal.field.languages", "market.field.cost_type", "portal.field.price", "market.field.kind", "portal.offering.locations"}
	prop := fields(proposed)
	var cur []string
	if current != nil {
		cur = fields(*current)
	}
	rows := make([]diffRow, len(labels))
	for i, l := range labels {
		rows[i] = diffRow{LabelKey: l, Proposed: prop[i]}
		if cur != nil {
			rows[i].Current = cur[i]
			rows[i].Changed = cur[i] != prop[i]
		}
	}
	return rows
}

// portalLocationText writes a location on a few lines.
func portalLocationText(p Page, l market.Location) string {
	lines := []string{l.Address, l.Postcode + " " + l.City}
	if l.Wheelchair {
		lines = append(lines, p.T("market.wheelchair.yes"))
	} else {
		lines = append(lines, p.T("market.wheelchair.no"))
	}
	days := weekHours(l.Hours)
	if len(days) == 0 {
		lines = append(lines, p.T("market.hours.none"))
	}
	for _, d := range days {
		lines = append(lines, p.T("market.day."+strconv.Itoa(int(d.Day)))+": "+d.Hours)
	}
	return strings.Join(lines, "\n")
}

// euro writes cents as "€ 12,50", like the template function.
func portalEuro(cents int64) string { return funcs["euro"].(func(int64) string)(cents) }
