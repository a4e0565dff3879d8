package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/inwonercloud/inwonercloud/internal/app/rights"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
)

// MandateList is a list of mandates.
type MandateList struct {
	Mandates []rights.MandateData `json:"mandates" nullable:"false" doc:"De machtigingen, de oudste eerst."`
}

type mandateListInput struct {
	Role string `query:"role" enum:"resident,delegate" default:"resident" doc:"resident: wie voor jou mag handelen (alle, ook oude); delegate: voor wie jij nu mag handelen." example:"resident"`
}

type mandateListOutput struct{ Body MandateList }

var mandateListDoc = huma.Operation{
	OperationID: "listMandates",
	Summary:     "Machtigingen bekijken",
	Description: "Geeft de machtigingen voor jou, of (met role=delegate) de machtigingen die jij nu hebt. Via de API handel je altijd voor jezelf: voor iemand anders handelen kan alleen op de website.",
	Tags:        []string{"Machtigingen"},
	Errors:      []int{http.StatusBadRequest},
}

func (s *server) handleMandateList(ctx context.Context, in *mandateListInput) (*mandateListOutput, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if s.consent == nil {
		return nil, unavailable("api.handleMandateList")
	}
	var list []consent.Mandate
	if in.Role == "delegate" {
		list, err = s.consent.MandatesFor(ctx, a.Person)
	} else {
		list, err = s.consent.MandatesOf(ctx, a.Person, a.Person.ID)
	}
	if err != nil {
		return nil, err
	}
	out := &mandateListOutput{Body: MandateList{Mandates: make([]rights.MandateData, 0, len(list))}}
	for _, m := range list {
		out.Body.Mandates = append(out.Body.Mandates, rights.MandateOf(m))
	}
	return out, nil
}

// MandateInput appoints a trusted person.
type MandateInput struct {
	DelegateID string     `json:"delegateId" minLength:"1" maxLength:"64" doc:"De persoon die voor je mag handelen." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	Scope      []string   `json:"scope" minItems:"1" maxItems:"50" doc:"Waarvoor: story voor je verhaal, consent om toestemmingen voor je te regelen." example:"[\"story\"]"`
	ValidUntil *time.Time `json:"validUntil,omitempty" doc:"Tot wanneer (UTC); leeg is een jaar." example:"2026-06-01T12:00:00Z"`
}

type mandateCreateInput struct{ Body MandateInput }

type mandateShowOutput struct{ Body rights.MandateData }

var mandateCreateDoc = huma.Operation{
	OperationID:   "createMandate",
	Summary:       "Iemand machtigen",
	Description:   "Machtigt een vertrouwd persoon (bijvoorbeeld een mantelzorger) om voor je te handelen, voor wat je kiest en tot een datum. Ouders en wettelijk vertegenwoordigers legt de gemeente vast.",
	Tags:          []string{"Machtigingen"},
	DefaultStatus: http.StatusCreated,
	Errors:        []int{http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType},
}

func (s *server) handleMandateCreate(ctx context.Context, in *mandateCreateInput) (*mandateShowOutput, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if s.consent == nil {
		return nil, unavailable("api.handleMandateCreate")
	}
	nm := consent.NewMandate{ResidentID: a.Person.ID, DelegateID: in.Body.DelegateID, Kind: consent.MandateTrustedPerson, Scope: in.Body.Scope}
	if in.Body.ValidUntil != nil {
		nm.ValidUntil = *in.Body.ValidUntil
	}
	m, err := s.consent.Appoint(ctx, a.Person, nm)
	if err != nil {
		return nil, camelFields(err)
	}
	return &mandateShowOutput{Body: rights.MandateOf(m)}, nil
}

type mandateIDInput struct {
	ID string `path:"id" maxLength:"64" doc:"Het nummer van de machtiging." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
}

var mandateDeleteDoc = huma.Operation{
	OperationID:   "deleteMandate",
	Summary:       "Machtiging intrekken",
	Description:   "Trekt een machtiging meteen in. Dat mag de inwoner, en de gemachtigde zelf. Een machtiging van iemand anders geeft 404.",
	Tags:          []string{"Machtigingen"},
	DefaultStatus: http.StatusNoContent,
	Errors:        []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict},
}

func (s *server) handleMandateDelete(ctx context.Context, in *mandateIDInput) (*struct{}, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if s.consent == nil {
		return nil, unavailable("api.handleMandateDelete")
	}
	if _, err := s.consent.RevokeMandate(ctx, a.Person, in.ID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
