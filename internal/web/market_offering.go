package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// offeringData is what the offering page shows.
type offeringData struct {
	Offering  market.Offering
	Provider  market.Provider
	Languages []string
	Locations []locationView
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
	p.Data = d
	return s.show(w, r, p)
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
