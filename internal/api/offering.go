package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// The marketplace over the API is public and read-only: anyone finds
// what a visitor of the website finds, the published offerings with their
// approved content. Nothing awaiting approval is shown, even to staff:
// these operations take no token.

// marketRoutes registers the public operations on the marketplace.
func (s *server) marketRoutes() {
	s.api.OpenAPI().Tags = append(s.api.OpenAPI().Tags,
		&huma.Tag{Name: "Aanbod", Description: "Het sociale aanbod: hulp en activiteiten van aanbieders in een gemeente, en de categorieën waarin het staat."},
	)
	register(s, http.MethodGet, "/offerings", public, offeringListDoc, s.handleOfferingList)
	register(s, http.MethodGet, "/offerings/{id}", public, offeringShowDoc, s.handleOfferingShow)
	register(s, http.MethodGet, "/municipalities/{slug}/categories", public, categoryListDoc, s.handleCategoryList)
}

// OfferingSummary is one offering in a list of search results.
type OfferingSummary struct {
	ID           string   `json:"id" doc:"Het nummer van het aanbod." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	Title        string   `json:"title" doc:"De naam van het aanbod." example:"Maatje voor de administratie"`
	Summary      string   `json:"summary" doc:"Het aanbod in een of twee zinnen." example:"Een vrijwilliger helpt je je post en rekeningen te ordenen."`
	ProviderName string   `json:"providerName" doc:"De naam van de aanbieder." example:"Stichting Thuisadministratie"`
	CostType     string   `json:"costType" enum:"free,price_per_unit,open_service,tailored_via_municipality,own_budget" doc:"Wat het kost: gratis, een prijs per eenheid, een algemene voorziening, maatwerk via de gemeente of uit een eigen budget (pgb)." example:"free"`
	Kind         string   `json:"kind" enum:"professional,volunteer" doc:"Of beroepskrachten of vrijwilligers het doen." example:"volunteer"`
	CategoryIDs  []string `json:"categoryIds" nullable:"false" doc:"De categorieën van het aanbod, een per gemeente." example:"[\"01hzx3k5m7q9s1v3x5z7b9d1f4\"]"`
	DistanceKm   *float64 `json:"distanceKm,omitempty" doc:"De afstand in kilometers tot de dichtstbijzijnde locatie; alleen als je een postcode gaf en de afstand bekend is." example:"2.4"`
	RatingCount  int      `json:"ratingCount" doc:"Het aantal beoordelingen dat meetelt." example:"4"`
	RatingAvg    float64  `json:"ratingAverage" doc:"Het gemiddelde cijfer van de beoordelingen, 1 tot 5; 0 zonder beoordelingen." example:"4.5"`
}

// OfferingList is one page of search results.
type OfferingList struct {
	Offerings []OfferingSummary `json:"offerings" nullable:"false" doc:"Het aanbod op deze pagina."`
	Total     int               `json:"total" doc:"Hoeveel aanbod er op alle pagina's samen gevonden is." example:"42"`
	Page      int               `json:"page" doc:"Het nummer van deze pagina, vanaf 1." example:"1"`
	PageSize  int               `json:"pageSize" doc:"Hoeveel aanbod er op een pagina staat." example:"20"`
	Relaxed   bool              `json:"relaxed" doc:"Waar als geen aanbod alle woorden van de zoekvraag had: dan staat hier het aanbod met de meeste ervan." example:"false"`
}

type offeringListInput struct {
	Q            string   `query:"q" maxLength:"200" doc:"Zoekwoorden, bijvoorbeeld 'hulp bij schulden'." example:"schulden"`
	Municipality string   `query:"municipality" required:"true" maxLength:"64" doc:"De korte naam (slug) van de gemeente waarin je zoekt; verplicht, want het aanbod en de categorieën verschillen per gemeente." example:"woerden"`
	Category     string   `query:"category" maxLength:"64" doc:"Alleen aanbod in deze categorie of een categorie eronder: het nummer of de korte naam (slug) van de categorie." example:"huishoudelijke-hulp"`
	CostType     []string `query:"costType,explode" maxItems:"5" doc:"Alleen aanbod met een van deze soorten kosten; herhaal de parameter voor meer soorten." example:"[\"free\"]"`
	Kind         string   `query:"kind" maxLength:"20" doc:"Alleen aanbod van beroepskrachten (professional) of van vrijwilligers (volunteer)." example:"volunteer"`
	Postcode     string   `query:"postcode" maxLength:"7" doc:"Je postcode (1234 AB of 1234), om de afstand te berekenen." example:"3441 AB"`
	DistanceKm   int      `query:"distanceKm" doc:"Alleen aanbod met een locatie binnen zoveel kilometer van de postcode (1 tot 200); 0 of weg: elke afstand." example:"10"`
	OpenNow      bool     `query:"openNow" doc:"Alleen aanbod met een locatie die nu open is." example:"false"`
	Wheelchair   bool     `query:"wheelchair" doc:"Alleen aanbod met een locatie die toegankelijk is met een rolstoel." example:"false"`
	Sort         string   `query:"sort" maxLength:"20" doc:"De volgorde: relevance (best passend eerst), rating (best beoordeeld eerst) of distance (dichtstbij eerst; vraagt een postcode)." example:"relevance"`
	Page         int      `query:"page" doc:"Het nummer van de pagina, vanaf 1." example:"1"`
	PageSize     int      `query:"pageSize" doc:"Hoeveel aanbod per pagina, 1 tot 50; standaard 20." example:"20"`
}

type offeringListOutput struct{ Body OfferingList }

var offeringListDoc = huma.Operation{
	OperationID: "listOfferings",
	Summary:     "Aanbod zoeken",
	Description: "Zoekt in het gepubliceerde aanbod van een gemeente, met zoekwoorden en filters, een pagina tegelijk. Hiervoor hoef je niet in te loggen. Een gemeente of categorie die niet bestaat, of een filter dat niet klopt, geeft 400 met per parameter wat er mis is.",
	Tags:        []string{"Aanbod"},
	Errors:      []int{http.StatusBadRequest},
}

// apiSearchFields renames the market query's form fields to the API's
// query parameters.
var apiSearchFields = map[string]string{"cost_type": "costType", "distance": "distanceKm"}

func (s *server) handleOfferingList(ctx context.Context, in *offeringListInput) (*offeringListOutput, error) {
	const op = "api.handleOfferingList"
	if s.market == nil {
		return nil, unavailable(op)
	}
	bad := errs.Fields{}
	// Checked here rather than by huma, so that every bad parameter is
	// reported the same way, with the market's message keys.
	if in.Page < 0 || in.Page > 10_000 {
		bad["page"] = "field.page.invalid"
	}
	if in.PageSize < 0 || in.PageSize > market.MaxPageSize {
		bad["pageSize"] = "field.page_size.invalid"
	}
	if in.DistanceKm < 0 || in.DistanceKm > market.MaxDistanceKM {
		bad["distanceKm"] = "field.distance.invalid"
	}
	q := market.Query{Text: in.Q, Kind: market.Kind(in.Kind), Postcode: in.Postcode, MaxDistanceKM: float64(in.DistanceKm),
		OpenNow: in.OpenNow, Wheelchair: in.Wheelchair, Sort: market.Sort(in.Sort), Page: in.Page, PageSize: in.PageSize}
	if q.Sort == "" {
		q.Sort = market.SortRelevance // Validate runs before Search fills the default
	}
	for _, c := range in.CostType {
		q.CostTypes = append(q.CostTypes, market.CostType(c))
	}
	muni, err := s.tenants.MunicipalityBySlug(ctx, in.Municipality)
	switch {
	case errs.KindOf(err) == errs.NotFound:
		bad["municipality"] = "field.municipality.invalid"
	case err != nil:
		return nil, err
	default:
		q.MunicipalityID = muni.ID
		if in.Category != "" {
			cats, err := s.market.Categories(ctx, muni.ID)
			if err != nil {
				return nil, err
			}
			for _, c := range cats {
				if c.ID == in.Category || c.Slug == in.Category {
					q.CategoryID = c.ID
				}
			}
			if q.CategoryID == "" {
				bad["category"] = "field.category.invalid"
			}
		}
	}
	if err := q.Validate(); err != nil || len(bad) > 0 {
		for k, v := range errs.FieldsOf(err) {
			if n, ok := apiSearchFields[k]; ok {
				k = n
			}
			if _, seen := bad[k]; !seen {
				bad[k] = v
			}
		}
		if err != nil && len(errs.FieldsOf(err)) == 0 {
			return nil, err
		}
		return nil, errs.E(op, errs.Invalid, errs.Key("error.invalid"), bad)
	}
	res, err := s.market.Search(ctx, nil, q)
	if err != nil {
		return nil, err
	}
	out := &offeringListOutput{Body: OfferingList{Offerings: make([]OfferingSummary, 0, len(res.Hits)),
		Total: res.Total, Page: res.Page, PageSize: res.PageSize, Relaxed: res.Relaxed}}
	for _, h := range res.Hits {
		o := h.Offering
		sum := OfferingSummary{ID: o.ID, Title: o.Title, Summary: o.Summary, ProviderName: o.ProviderName, CostType: string(o.CostType),
			Kind: string(o.Kind), CategoryIDs: append([]string{}, o.CategoryIDs...), RatingCount: h.Rating.Count, RatingAvg: h.Rating.Average}
		if h.DistanceKM >= 0 && q.Postcode != "" {
			d := h.DistanceKM
			sum.DistanceKm = &d
		}
		out.Body.Offerings = append(out.Body.Offerings, sum)
	}
	return out, nil
}

// OfferingDetail is one published offering with all its public fields.
type OfferingDetail struct {
	ID              string     `json:"id" doc:"Het nummer van het aanbod." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	Title           string     `json:"title" doc:"De naam van het aanbod." example:"Maatje voor de administratie"`
	Summary         string     `json:"summary" doc:"Het aanbod in een of twee zinnen." example:"Een vrijwilliger helpt je je post en rekeningen te ordenen."`
	Description     string     `json:"description" doc:"Uitgebreide uitleg, in eenvoudig Nederlands." example:"Samen met een vrijwilliger maak je orde in je papieren."`
	TargetGroups    []string   `json:"targetGroups" nullable:"false" doc:"Voor wie het aanbod is." example:"[\"ouderen\"]"`
	Eligibility     string     `json:"eligibility" doc:"Wie er gebruik van mag maken." example:"Iedereen die in de gemeente woont."`
	HowToRequest    string     `json:"howToRequest" doc:"Hoe je het aanvraagt." example:"Bel of mail de aanbieder."`
	Languages       []string   `json:"languages" nullable:"false" doc:"De talen waarin het aanbod er is (ISO 639-1)." example:"[\"nl\",\"en\"]"`
	CostType        string     `json:"costType" enum:"free,price_per_unit,open_service,tailored_via_municipality,own_budget" doc:"Wat het kost." example:"price_per_unit"`
	PriceCents      int64      `json:"priceCents" doc:"Bij een prijs per eenheid: de prijs in eurocent; anders 0." example:"1250"`
	Unit            string     `json:"unit" doc:"Bij een prijs per eenheid: de eenheid, bijvoorbeeld uur of maaltijd." example:"uur"`
	Kind            string     `json:"kind" enum:"professional,volunteer" doc:"Of beroepskrachten of vrijwilligers het doen." example:"volunteer"`
	MunicipalityIDs []string   `json:"municipalityIds" nullable:"false" doc:"De gemeenten waar het aanbod er is." example:"[\"01hzx3k5m7q9s1v3x5z7b9d1f5\"]"`
	CategoryIDs     []string   `json:"categoryIds" nullable:"false" doc:"De categorieën van het aanbod, een per gemeente." example:"[\"01hzx3k5m7q9s1v3x5z7b9d1f4\"]"`
	Locations       []Location `json:"locations" nullable:"false" doc:"Waar het aanbod is; leeg als het overal of bij je thuis is."`
	Provider        Provider   `json:"provider" doc:"Wie het aanbod doet, en hoe je ze bereikt."`
	LastCheckedAt   time.Time  `json:"lastCheckedAt" doc:"Wanneer iemand het laatst nakeek of alles nog klopt (UTC)." example:"2025-06-01T12:00:00Z"`
}

// Location is one place where an offering is.
type Location struct {
	Address      string          `json:"address" doc:"Straat en huisnummer." example:"Kerkstraat 1"`
	Postcode     string          `json:"postcode" doc:"De postcode." example:"3441 AB"`
	City         string          `json:"city" doc:"De plaats." example:"Woerden"`
	Lat          float64         `json:"lat" doc:"De breedtegraad; 0 als die niet bekend is." example:"52.085"`
	Lon          float64         `json:"lon" doc:"De lengtegraad; 0 als die niet bekend is." example:"4.883"`
	Wheelchair   bool            `json:"wheelchair" doc:"Of de locatie toegankelijk is met een rolstoel." example:"true"`
	OpeningHours []OpeningPeriod `json:"openingHours" nullable:"false" doc:"Wanneer de locatie open is, per week; leeg als dat niet bekend is of alleen op afspraak."`
}

// OpeningPeriod is one opening period on one weekday, in Dutch local time.
type OpeningPeriod struct {
	Day    int    `json:"day" minimum:"0" maximum:"6" doc:"De dag van de week: 0 is zondag, 1 maandag, tot 6 zaterdag." example:"1"`
	Opens  string `json:"opens" doc:"Hoe laat de locatie opengaat (Nederlandse tijd, UU:MM)." example:"09:00"`
	Closes string `json:"closes" doc:"Hoe laat de locatie dichtgaat (Nederlandse tijd, UU:MM; 24:00 is middernacht)." example:"17:00"`
}

// Provider is the organisation behind an offering, as anyone may see it.
type Provider struct {
	Name    string `json:"name" doc:"De naam van de aanbieder." example:"Stichting Thuisadministratie"`
	Email   string `json:"email" doc:"Het e-mailadres; leeg als de aanbieder het niet gaf." example:"info@thuisadministratie.example"`
	Phone   string `json:"phone" doc:"Het telefoonnummer; leeg als de aanbieder het niet gaf." example:"0348 123 456"`
	Website string `json:"website" doc:"De website; leeg als de aanbieder die niet gaf." example:"https://thuisadministratie.example"`
}

type offeringShowInput struct {
	ID string `path:"id" maxLength:"64" doc:"Het nummer van het aanbod." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
}

type offeringShowOutput struct{ Body OfferingDetail }

var offeringShowDoc = huma.Operation{
	OperationID: "getOffering",
	Summary:     "Aanbod bekijken",
	Description: "Geeft een gepubliceerd aanbod met alles wat iedereen mag zien: locaties, openingstijden, kosten en hoe je de aanbieder bereikt. Hiervoor hoef je niet in te loggen. Aanbod dat niet bestaat of niet gepubliceerd is, geeft 404.",
	Tags:        []string{"Aanbod"},
	Errors:      []int{http.StatusBadRequest, http.StatusNotFound},
}

func (s *server) handleOfferingShow(ctx context.Context, in *offeringShowInput) (*offeringShowOutput, error) {
	const op = "api.handleOfferingShow"
	if s.market == nil {
		return nil, unavailable(op)
	}
	v, err := s.market.Offering(ctx, nil, in.ID)
	if err != nil {
		return nil, err
	}
	o := v.Offering
	if o.Status != market.StatusPublished {
		// Anonymous callers only ever get published offerings; this
		// guards the contract should the service's rule change.
		return nil, errs.E(op, errs.NotFound)
	}
	prov, err := s.market.Provider(ctx, o.ProviderOrgID)
	if err != nil && errs.KindOf(err) != errs.NotFound {
		return nil, err
	}
	out := OfferingDetail{ID: o.ID, Title: o.Title, Summary: o.Summary, Description: o.Description,
		TargetGroups: append([]string{}, o.TargetGroups...), Eligibility: o.Eligibility, HowToRequest: o.HowToRequest,
		Languages: append([]string{}, o.Languages...), CostType: string(o.CostType), PriceCents: o.PriceCents, Unit: o.Unit,
		Kind: string(o.Kind), MunicipalityIDs: append([]string{}, o.MunicipalityIDs...), CategoryIDs: append([]string{}, o.CategoryIDs...),
		Locations: make([]Location, 0, len(o.Locations)), LastCheckedAt: o.LastCheckedAt.UTC(),
		Provider: Provider{Name: o.ProviderName, Email: prov.Email, Phone: prov.Phone, Website: prov.Website}}
	for _, l := range o.Locations {
		loc := Location{Address: l.Address, Postcode: l.Postcode, City: l.City, Lat: l.Lat, Lon: l.Lon, Wheelchair: l.Wheelchair,
			OpeningHours: make([]OpeningPeriod, 0, len(l.Hours))}
		for _, p := range l.Hours {
			loc.OpeningHours = append(loc.OpeningHours, OpeningPeriod{Day: int(p.Day), Opens: clockTime(p.Opens), Closes: clockTime(p.Closes)})
		}
		out.Locations = append(out.Locations, loc)
	}
	return &offeringShowOutput{Body: out}, nil
}

// clockTime writes minutes after midnight as HH:MM.
func clockTime(min int) string {
	return string([]byte{byte('0' + min/600), byte('0' + min/60%10), ':', byte('0' + min%60/10), byte('0' + min%10)})
}
