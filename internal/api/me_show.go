package api

import (
	"context"

	"github.com/danielgtaylor/huma/v2"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// Me is the caller's own account.
type Me struct {
	ID               string        `json:"id" doc:"Het nummer van je account." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	Email            string        `json:"email" doc:"Je e-mailadres." example:"anna@example.org"`
	DisplayName      string        `json:"displayName" doc:"De naam die anderen zien." example:"Anna"`
	Locale           string        `json:"locale" enum:"nl,en" doc:"De taal van je account." example:"nl"`
	HomeMunicipality *Municipality `json:"homeMunicipality" doc:"De gemeente waar je woont; null als je geen inwoner bent."`
	Roles            []Role        `json:"roles" nullable:"false" doc:"Je rollen, elk bij een organisatie en een gemeente."`
	SecondFactor     bool          `json:"secondFactor" doc:"Of tweestapsverificatie aan staat." example:"false"`
}

// Role is a role the caller holds.
type Role struct {
	Role           string  `json:"role" enum:"citizen,delegate,professional,consultant,provider_admin,editor,moderator,tenant_admin,platform_admin" doc:"De rol." example:"citizen"`
	OrganisationID *string `json:"organisationId" doc:"De organisatie waarvoor je de rol hebt; null als de rol niet bij een organisatie hoort." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	MunicipalityID *string `json:"municipalityId" doc:"De gemeente waarin je de rol hebt; null als de rol niet bij één gemeente hoort." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
}

type meShowOutput struct {
	Body Me
}

var meShowDoc = huma.Operation{
	OperationID: "getMe",
	Summary:     "Je account bekijken",
	Description: "Geeft je eigen account: naam, e-mailadres, taal, gemeente, rollen en of tweestapsverificatie aan staat.",
	Tags:        []string{"Account"},
}

// handleMeShow shows the caller's own account.
func (s *server) handleMeShow(ctx context.Context, _ *struct{}) (*meShowOutput, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	p := a.Person
	me := Me{
		ID: p.ID, Email: p.Email, DisplayName: p.DisplayName, Locale: p.Locale,
		Roles: make([]Role, 0, len(p.Roles)), SecondFactor: p.TOTPEnabledAt != nil,
	}
	if p.HomeMunicipalityID != "" {
		m, err := s.tenants.Municipality(ctx, p.HomeMunicipalityID)
		switch {
		case err == nil:
			me.HomeMunicipality = &Municipality{ID: m.ID, Slug: m.Slug, Name: m.Name}
		case !errs.Is(err, errs.NotFound):
			return nil, err
		}
	}
	for _, r := range p.Roles {
		me.Roles = append(me.Roles, Role{Role: string(r.Role), OrganisationID: optional(r.OrganisationID), MunicipalityID: optional(r.MunicipalityID)})
	}
	return &meShowOutput{Body: me}, nil
}

// optional turns an empty id into null.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// nullableMunicipality documents homeMunicipality as an object or null;
// huma cannot mark a referenced object nullable itself.
func (s *server) nullableMunicipality() {
	me := s.api.OpenAPI().Components.Schemas.Map()["Me"]
	if me == nil || me.Properties["homeMunicipality"] == nil {
		panic("api: schema Me.homeMunicipality not found")
	}
	ref := me.Properties["homeMunicipality"]
	me.Properties["homeMunicipality"] = &huma.Schema{
		Description: ref.Description,
		OneOf:       []*huma.Schema{{Ref: ref.Ref}, {Type: "null"}},
	}
}
