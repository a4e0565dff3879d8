package api

import (
	"context"

	"github.com/danielgtaylor/huma/v2"
)

// Municipality is a member of the cooperative, as anyone may see it.
type Municipality struct {
	ID   string `json:"id" doc:"Het nummer van de gemeente." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	Slug string `json:"slug" doc:"De korte naam van de gemeente, voor in adressen." example:"woerden"`
	Name string `json:"name" doc:"De naam van de gemeente." example:"Woerden"`
}

// MunicipalityList is every municipality, by name.
type MunicipalityList struct {
	Municipalities []Municipality `json:"municipalities" nullable:"false" doc:"De gemeenten, op naam."`
}

type municipalityListOutput struct {
	Body MunicipalityList
}

var municipalityListDoc = huma.Operation{
	OperationID: "listMunicipalities",
	Summary:     "Gemeenten bekijken",
	Description: "Geeft alle gemeenten die meedoen aan Inwonercloud. Hiervoor hoef je niet in te loggen.",
	Tags:        []string{"Gemeenten"},
}

// handleMunicipalityList lists the municipalities; it is public.
func (s *server) handleMunicipalityList(ctx context.Context, _ *struct{}) (*municipalityListOutput, error) {
	list, err := s.tenants.Municipalities(ctx)
	if err != nil {
		return nil, err
	}
	out := &municipalityListOutput{Body: MunicipalityList{Municipalities: make([]Municipality, 0, len(list))}}
	for _, m := range list {
		out.Body.Municipalities = append(out.Body.Municipalities, Municipality{ID: m.ID, Slug: m.Slug, Name: m.Name})
	}
	return out, nil
}
