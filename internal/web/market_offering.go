package web

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/app/review"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// offeringData is what the offering page shows.
type offeringData struct {
	Offering  market.Offering
	Provider  market.Provider
	Languages []string
	Locations []locationView
	// OwnProvider: the logged-in person holds a role in the offering's
	// provider organisation, so they cannot request it (package request)
	// and the page shows a note instead of the button.
	OwnProvider bool
	// Reviews is Waarderen: the aggregate of the reviews that count and a
	// page of them; ReviewsOn is false without a review service.
	ReviewsOn   bool
	Rating      review.Aggregate
	Reviews     review.PublicPage
	ReviewPages []pageLink
	ReviewPrev  string
	ReviewNext  string
}

// Stars lists the scores 5 down to 1, for the distribution.
func (offeringData) Stars() []int { return []int{5, 4, 3, 2, 1} }

// Share is the percentage of the counted reviews that gave n stars.
func (d offeringData) Share(n int) int {
	if d.Rating.Count == 0 || n < 1 || n > 5 {
		return 0
	}
	return int(math.Round(100 * float64(d.Rating.Distribution[n-1]) / float64(d.Rating.Count)))
}

// Count is how many counted reviews gave n stars.
func (d offeringData) Count(n int) int {
	if n < 1 || n > 5 {
		return 0
	}
	return d.Rating.Distribution[n-1]
}

// locationView is a location with its opening hours per weekday.
type locationView struct {
	market.Location
	Days []dayHours
}

// dayHours is one weekday's opening periods, "09:00–12:00, 13:00–17:00".
type dayHours struct {
	Day   time.Weekday
	Hours string
}

// handleMarketOffering shows one offering to anyone. An unknown or
// unpublished offering is the normal 404 page.
func (s *Server) handleMarketOffering(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := s.Market.Offering(r.Context(), rq.person, r.PathValue("id"))
	if err != nil {
		return err
	}
	o := v.Offering
	p := s.newPage(rq, r, "market_offering", "market.offering.title")
	d := offeringData{Offering: o}
	if rq.person != nil {
		d.OwnProvider = slices.ContainsFunc(rq.person.Roles, func(a identity.RoleAssignment) bool { return a.OrganisationID == o.ProviderOrgID })
	}
	d.Provider, err = s.Market.Provider(r.Context(), o.ProviderOrgID)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return err
	}
	if d.Provider.Name == "" {
		d.Provider.Name = o.ProviderName
	}
	for _, code := range o.Languages {
		d.Languages = append(d.Languages, languageName(rq.lang, code))
	}
	for _, l := range o.Locations {
		d.Locations = append(d.Locations, locationView{Location: l, Days: weekHours(l.Hours)})
	}
	if err := s.offeringReviews(r, o.ID, &d); err != nil {
		return err
	}
	p.Data = d
	return s.show(w, r, p)
}

// offeringReviews adds the reviews to the offering page: the aggregate and
// the page of reviews the query's "beoordelingen" names (a page past the
// last shows the last).
func (s *Server) offeringReviews(r *http.Request, offeringID string, d *offeringData) error {
	if s.Reviews == nil {
		return nil
	}
	d.ReviewsOn = true
	agg, err := s.Reviews.Aggregate(r.Context(), offeringID)
	if err != nil {
		return err
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("beoordelingen"))
	page = min(max(page, 1), 10_000)
	list, err := s.Reviews.Published(r.Context(), offeringID, page)
	if err != nil {
		return err
	}
	if page > 1 && page > list.Pages {
		if list, err = s.Reviews.Published(r.Context(), offeringID, max(list.Pages, 1)); err != nil {
			return err
		}
	}
	d.Rating, d.Reviews = agg, list
	href := func(n int) string {
		if n == 1 {
			return "/aanbod/" + offeringID + "#beoordelingen"
		}
		return "/aanbod/" + offeringID + "?beoordelingen=" + strconv.Itoa(n) + "#beoordelingen"
	}
	if list.Pages > 1 {
		for n := 1; n <= list.Pages; n++ {
			d.ReviewPages = append(d.ReviewPages, pageLink{N: n, Href: href(n), Current: n == list.Page})
		}
		if list.Page > 1 {
			d.ReviewPrev = href(list.Page - 1)
		}
		if list.Page < list.Pages {
			d.ReviewNext = href(list.Page + 1)
		}
	}
	return nil
}

// weekHours groups opening periods by weekday, Monday first.
func weekHours(h market.OpeningHours) []dayHours {
	var out []dayHours
	for i := range 7 {
		day := time.Weekday((i + 1) % 7)
		var spans []string
		for _, p := range h {
			if p.Day == day {
				spans = append(spans, fmt.Sprintf("%02d:%02d–%02d:%02d", p.Opens/60, p.Opens%60, p.Closes/60, p.Closes%60))
			}
		}
		if len(spans) > 0 {
			out = append(out, dayHours{Day: day, Hours: strings.Join(spans, ", ")})
		}
	}
	return out
}

// languageNames names the languages offerings are given in, in Dutch and
// English; another code is shown as it is.
var languageNames = map[string][2]string{
	"nl": {"Nederlands", "Dutch"}, "en": {"Engels", "English"}, "ar": {"Arabisch", "Arabic"},
	"tr": {"Turks", "Turkish"}, "pl": {"Pools", "Polish"}, "uk": {"Oekraïens", "Ukrainian"},
	"de": {"Duits", "German"}, "fr": {"Frans", "French"}, "es": {"Spaans", "Spanish"},
	"fy": {"Fries", "Frisian"}, "pap": {"Papiaments", "Papiamento"}, "ti": {"Tigrinya", "Tigrinya"},
	"so": {"Somalisch", "Somali"}, "ber": {"Berbers", "Berber"},
}

func languageName(lang, code string) string {
	n, ok := languageNames[code]
	if !ok {
		return code
	}
	if lang == "en" {
		return n[1]
	}
	return n[0]
}
