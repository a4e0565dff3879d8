package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

// Providers over the API are public and read-only, like the offerings:
// anyone sees what a visitor of the website sees of a provider, its
// name, KvK number, AGB code and contact details, and its published
// offerings. Nothing about its people, drafts or proposals.

// providerRoutes registers the public operations on providers.
func (s *server) providerRoutes() {
	register(s, http.MethodGet, "/providers", public, providerListDoc, s.handleProviderList)
	register(s, http.MethodGet, "/providers/{id}", public, providerShowDoc, s.handleProviderShow)
}

// ProviderSummary is one provider as anyone may see it.
type ProviderSummary struct {
	ID              string   `json:"id" doc:"Het nummer van de aanbieder." example:"01hzx3k5m7q9s1v3x5z7b9d1f6"`
	Name            string   `json:"name" doc:"De naam van de aanbieder." example:"Thuiszorg Het Groene Hart"`
	KvK             string   `json:"kvk" doc:"Het KvK-nummer; leeg als het niet bekend is." example:"12345678"`
	AGB             string   `json:"agb" doc:"De AGB-code (Vektis), alleen bij zorgaanbieders; anders leeg." example:"01234567"`
	Email           string   `json:"email" doc:"Het e-mailadres; leeg als de aanbieder het niet gaf." example:"info@groenehart.example"`
	Phone           string   `json:"phone" doc:"Het telefoonnummer; leeg als de aanbieder het niet gaf." example:"0348 123 456"`
	Website         string   `json:"website" doc:"De website; leeg als de aanbieder die niet gaf." example:"https://groenehart.example"`
	MunicipalityIDs []string `json:"municipalityIds" nullable:"false" doc:"De gemeenten waar de aanbieder werkt." example:"[\"01hzx3k5m7q9s1v3x5z7b9d1f5\"]"`
}

// ProviderList is one page of the providers of a municipality.
type ProviderList struct {
	Providers []ProviderSummary `json:"providers" nullable:"false" doc:"De aanbieders op deze pagina, op naam."`
	Total     int               `json:"total" doc:"Hoeveel aanbieders er in de gemeente werken." example:"12"`
	Page      int               `json:"page" doc:"Het nummer van deze pagina, vanaf 1." example:"1"`
	PageSize  int               `json:"pageSize" doc:"Hoeveel aanbieders er op een pagina staan." example:"20"`
}

type providerListInput struct {
	Municipality string `query:"municipality" required:"true" maxLength:"64" doc:"De korte naam (slug) van de gemeente; verplicht, want elke gemeente heeft haar eigen aanbieders." example:"woerden"`
	Page         int    `query:"page" minimum:"1" maximum:"10000" default:"1" doc:"Het nummer van de pagina, vanaf 1." example:"1"`
	PageSize     int    `query:"pageSize" minimum:"1" maximum:"100" default:"20" doc:"Hoeveel aanbieders per pagina, 1 tot 100; standaard 20." example:"20"`
}

type providerListOutput struct{ Body ProviderList }

var providerListDoc = huma.Operation{
	OperationID: "listProviders",
	Summary:     "Aanbieders bekijken",
	Description: "Geeft de aanbieders die in een gemeente werken, op naam, een pagina tegelijk, met hun contactgegevens. Hiervoor hoef je niet in te loggen. Een gemeente die niet bestaat geeft 400 met uitleg bij de parameter.",
	Tags:        []string{"Aanbod"},
	Errors:      []int{http.StatusBadRequest},
}

func (s *server) handleProviderList(ctx context.Context, in *providerListInput) (*providerListOutput, error) {
	const op = "api.handleProviderList"
	if s.market == nil {
		return nil, unavailable(op)
	}
	muni, err := s.tenants.MunicipalityBySlug(ctx, in.Municipality)
	if errs.KindOf(err) == errs.NotFound {
		return nil, errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"municipality": "field.municipality.invalid"})
	} else if err != nil {
		return nil, err
	}
	orgs, err := s.tenants.Organisations(ctx, muni.ID)
	if err != nil {
		return nil, err
	}
	var provs []tenant.Organisation
	for _, o := range orgs {
		if o.Kind == tenant.OrgProvider {
			provs = append(provs, o)
		}
	}
	out := &providerListOutput{Body: ProviderList{Providers: []ProviderSummary{}, Total: len(provs), Page: in.Page, PageSize: in.PageSize}}
	from := min((in.Page-1)*in.PageSize, len(provs))
	for _, o := range provs[from:min(from+in.PageSize, len(provs))] {
		sum, err := s.providerSummary(ctx, o.ID)
		if err != nil {
			return nil, err
		}
		out.Body.Providers = append(out.Body.Providers, sum)
	}
	return out, nil
}

// providerSummary reads a provider's public details.
func (s *server) providerSummary(ctx context.Context, id string) (ProviderSummary, error) {
	p, err := s.market.Provider(ctx, id)
	if err != nil {
		return ProviderSummary{}, err
	}
	return ProviderSummary{ID: p.OrganisationID, Name: p.Name, KvK: p.KvK, AGB: p.AGB, Email: p.Email, Phone: p.Phone,
		Website: p.Website, MunicipalityIDs: append([]string{}, p.MunicipalityIDs...)}, nil
}

// ProviderOffering is one published offering of a provider.
type ProviderOffering struct {
	ID    string `json:"id" doc:"Het nummer van het aanbod; zie /offerings/{id}." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	Title string `json:"title" doc:"De naam van het aanbod." example:"Warme maaltijd aan huis"`
}

// ProviderDetail is a provider with its published offerings.
type ProviderDetail struct {
	ProviderSummary
	Offerings []ProviderOffering `json:"offerings" nullable:"false" doc:"Het gepubliceerde aanbod van de aanbieder, op naam."`
}

type providerShowInput struct {
	ID string `path:"id" maxLength:"64" doc:"Het nummer van de aanbieder." example:"01hzx3k5m7q9s1v3x5z7b9d1f6"`
}

type providerShowOutput struct{ Body ProviderDetail }

var providerShowDoc = huma.Operation{
	OperationID: "getProvider",
	Summary:     "Aanbieder bekijken",
	Description: "Geeft een aanbieder met contactgegevens en het gepubliceerde aanbod. Hiervoor hoef je niet in te loggen. Een aanbieder die niet bestaat geeft 404.",
	Tags:        []string{"Aanbod"},
	Errors:      []int{http.StatusBadRequest, http.StatusNotFound},
}

func (s *server) handleProviderShow(ctx context.Context, in *providerShowInput) (*providerShowOutput, error) {
	const op = "api.handleProviderShow"
	if s.market == nil {
		return nil, unavailable(op)
	}
	sum, err := s.providerSummary(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	list, err := s.market.PublishedOfferings(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	out := &providerShowOutput{Body: ProviderDetail{ProviderSummary: sum, Offerings: make([]ProviderOffering, 0, len(list))}}
	for _, o := range list {
		out.Body.Offerings = append(out.Body.Offerings, ProviderOffering{ID: o.ID, Title: o.Title})
	}
	return out, nil
}
