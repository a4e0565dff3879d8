package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

// searchFields are the search form's fields with their longest accepted
// value, in characters.
var searchFields = map[string]int{
	"q": market.MaxQueryLen, "category": 64, "kind": 20, "postcode": 7,
	"distance": 3, "open": 1, "wheelchair": 1, "sort": 20, "page": 5, "municipality": 40,
}

// distances are the choices of the distance filter, in kilometres.
var distances = []int{2, 5, 10, 25, 50}

// marketSearchData is what the search page shows.
type marketSearchData struct {
	Municipalities []tenant.Municipality
	Municipality   tenant.Municipality // the one searched in
	Categories     []categoryOption
	CostTypes      []market.CostType
	Costs          map[market.CostType]bool // chosen cost types
	Distances      []int
	Results        market.Results
	Searched       bool // the page holds results (no field errors)
	Pages          []pageLink
	Prev, Next     string
}

// categoryOption is a category in the select, indented by its depth.
type categoryOption struct {
	ID, Name string
	Depth    int
}

// pageLink is one numbered link of the pagination.
type pageLink struct {
	N       int
	Href    string
	Current bool
	Gap     bool // an ellipsis before this page
}

// readSearch reads the GET search form into a Form and a Query, with the
// same readable-text and length checks as readForm.
func readSearch(r *http.Request) (Form, market.Query) {
	f := Form{Values: map[string]string{}, Errors: map[string]string{}}
	vals := r.URL.Query()
	for name, max := range searchFields {
		v := vals.Get(name)
		switch {
		case !utf8.ValidString(v) || strings.ContainsFunc(v, isControl):
			f.Errors[name] = "field.invalid_text"
			v = strings.Map(func(r rune) rune {
				if isControl(r) {
					return -1
				}
				return r
			}, strings.ToValidUTF8(v, "\uFFFD"))
		case utf8.RuneCountInString(v) > max:
			f.Errors[name] = searchTooLong(name)
		}
		f.Values[name] = v
	}
	q := market.Query{Text: f.Values["q"], CategoryID: f.Values["category"], Kind: market.Kind(f.Values["kind"]),
		Postcode: strings.TrimSpace(f.Values["postcode"]), OpenNow: f.Values["open"] == "1",
		Wheelchair: f.Values["wheelchair"] == "1", Sort: market.Sort(f.Values["sort"])}
	for _, c := range vals["cost_type[]"] {
		if !market.CostType(c).Valid() {
			f.Errors["cost_type"] = "field.cost_type.invalid"
			continue
		}
		q.CostTypes = append(q.CostTypes, market.CostType(c))
	}
	if q.Kind != "" && !q.Kind.Valid() && f.Errors["kind"] == "" {
		f.Errors["kind"] = "field.offering_kind.invalid"
	}
	if d := f.Values["distance"]; d != "" && f.Errors["distance"] == "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 1 || n > market.MaxDistanceKM {
			f.Errors["distance"] = "field.distance.invalid"
		}
		q.MaxDistanceKM = float64(n)
	}
	if p := f.Values["page"]; p != "" && f.Errors["page"] == "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			f.Errors["page"] = "field.page.invalid"
		}
		q.Page = n
	}
	return f, q
}

func searchTooLong(name string) string {
	switch name {
	case "q":
		return "field.q.too_long"
	case "postcode":
		return "field.postcode.invalid"
	case "kind":
		return "field.offering_kind.invalid"
	case "open", "wheelchair":
		return "field.invalid_text"
	case "municipality":
		return "field.search_municipality.invalid"
	}
	return "field." + name + ".invalid"
}

// handleMarketSearch is the public search page: a GET form and its results.
func (s *Server) handleMarketSearch(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.newPage(rq, r, "market_search", "market.search.title")
	form, q := readSearch(r)
	p.Form = form
	munis := rq.municipalities
	// The municipality to search in: the visitor's choice in the form, or
	// the site's municipality.
	muni := rq.municipality
	if slug := form.Values["municipality"]; slug != "" && form.Errors["municipality"] == "" {
		i := slices.IndexFunc(munis, func(m tenant.Municipality) bool { return m.Slug == slug })
		if i < 0 {
			form.Errors["municipality"] = "field.search_municipality.invalid"
		} else {
			muni = munis[i]
		}
	}
	form.Values["municipality"] = muni.Slug
	cats, err := s.Market.Categories(r.Context(), muni.ID)
	if err != nil {
		return err
	}
	d := marketSearchData{Municipalities: munis, Municipality: muni, Categories: categoryOptions(cats),
		CostTypes: market.CostTypes, Costs: map[market.CostType]bool{}, Distances: distances}
	for _, c := range q.CostTypes {
		d.Costs[c] = true
	}
	if q.CategoryID != "" && form.Errors["category"] == "" {
		if _, ok := market.NewTree(cats).Category(q.CategoryID); !ok {
			form.Errors["category"] = "field.category.invalid"
		}
	}
	// The service's own checks too, so every wrong field shows at once.
	vq := q
	if vq.Sort == "" {
		vq.Sort = market.SortRelevance
	}
	form.merge(vq.Validate())
	if !form.HasErrors() {
		q.MunicipalityID = muni.ID
		res, err := s.Market.Search(r.Context(), rq.person, q)
		switch {
		case err == nil:
			d.Results, d.Searched = res, true
			d.Pages, d.Prev, d.Next = pagination(r.URL.Query(), res)
		case len(errs.FieldsOf(err)) > 0:
			form.merge(err)
		default:
			return err
		}
	}
	p.Data = d
	return s.show(w, r, p)
}

// categoryOptions orders a municipality's categories as a tree: each
// parent followed by its children.
func categoryOptions(cats []market.Category) []categoryOption {
	children := map[string][]market.Category{}
	for _, c := range cats {
		children[c.ParentID] = append(children[c.ParentID], c)
	}
	var out []categoryOption
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		if depth > 5 {
			return
		}
		for _, c := range children[parent] {
			out = append(out, categoryOption{ID: c.ID, Name: c.Name, Depth: depth})
			walk(c.ID, depth+1)
		}
	}
	walk("", 0)
	return out
}

// pagination links the pages near the current one, the first and the
// last, keeping the rest of the search in each link.
func pagination(vals url.Values, res market.Results) (links []pageLink, prev, next string) {
	pages := res.Pages()
	if pages <= 1 {
		return nil, "", ""
	}
	href := func(n int) string {
		v := url.Values{}
		for k, vs := range vals {
			if k != "page" {
				v[k] = vs
			}
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		return "/aanbod?" + v.Encode()
	}
	last := 0
	for n := 1; n <= pages; n++ {
		if n != 1 && n != pages && (n < res.Page-2 || n > res.Page+2) {
			continue
		}
		links = append(links, pageLink{N: n, Href: href(n), Current: n == res.Page, Gap: last != 0 && n > last+1})
		last = n
	}
	if res.Page > 1 {
		prev = href(res.Page - 1)
	}
	if res.Page < pages {
		next = href(res.Page + 1)
	}
	return links, prev, next
}
