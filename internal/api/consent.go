package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/inwonercloud/inwonercloud/internal/app/rights"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
)

// ConsentList is a list of consent grants.
type ConsentList struct {
	Consents []rights.GrantHistory `json:"consents" nullable:"false" doc:"De toestemmingen. Als gever: alle, ook ingetrokken en verlopen, de nieuwste eerst, elk met alle versies. Als ontvanger: die nu gelden, de oudste eerst."`
}

type consentListInput struct {
	Role string `query:"role" enum:"grantor,grantee" default:"grantor" doc:"grantor: de toestemmingen die jij gaf; grantee: de toestemmingen die jij (of je organisatie) nu hebt." example:"grantor"`
}

type consentListOutput struct{ Body ConsentList }

var consentListDoc = huma.Operation{
	OperationID: "listConsents",
	Summary:     "Toestemmingen bekijken",
	Description: "Geeft de toestemmingen die je gaf, met hun geschiedenis, of (met role=grantee) de toestemmingen die anderen jou nu geven.",
	Tags:        []string{"Toestemmingen"},
	Errors:      []int{http.StatusBadRequest},
}

func (s *server) handleConsentList(ctx context.Context, in *consentListInput) (*consentListOutput, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if s.consent == nil {
		return nil, unavailable("api.handleConsentList")
	}
	out := &consentListOutput{Body: ConsentList{Consents: []rights.GrantHistory{}}}
	if in.Role == "grantee" {
		list, err := s.consent.GrantsTo(ctx, a.Person)
		if err != nil {
			return nil, err
		}
		for _, g := range list {
			out.Body.Consents = append(out.Body.Consents, rights.GrantHistory{GrantData: rights.GrantOf(g), Versions: []rights.GrantData{}})
		}
		return out, nil
	}
	list, err := s.consent.GrantsBy(ctx, a.Person, a.Person.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range list {
		out.Body.Consents = append(out.Body.Consents, historyOf(r))
	}
	return out, nil
}

func historyOf(r consent.Receipt) rights.GrantHistory {
	h := rights.GrantHistory{GrantData: rights.GrantOf(r.Grant), Versions: []rights.GrantData{}}
	for _, v := range r.Versions {
		h.Versions = append(h.Versions, rights.GrantOf(v))
	}
	return h
}

// ConsentInput is a new consent grant.
type ConsentInput struct {
	GranteePersonID string     `json:"granteePersonId,omitempty" maxLength:"64" doc:"De persoon die toestemming krijgt. Vul dit of granteeOrganisationId in." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	GranteeOrgID    string     `json:"granteeOrganisationId,omitempty" maxLength:"64" doc:"De organisatie die toestemming krijgt." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	Categories      []string   `json:"categories" minItems:"1" maxItems:"50" doc:"Welke gegevens: story voor het hele verhaal, of delen zoals story:finances." example:"[\"story:finances\"]"`
	Permission      string     `json:"permission" enum:"read,read_comment" doc:"Lezen, of lezen en reageren." example:"read"`
	Purpose         string     `json:"purpose" enum:"support_plan,assessment,care_delivery,informal_care" doc:"Waarvoor de gegevens gebruikt mogen worden." example:"support_plan"`
	ValidFrom       *time.Time `json:"validFrom,omitempty" doc:"Vanaf wanneer (UTC); leeg is nu." example:"2025-06-01T12:00:00Z"`
	ValidUntil      *time.Time `json:"validUntil,omitempty" doc:"Tot wanneer (UTC); leeg is de standaardtermijn van je gemeente (meestal 90 dagen)." example:"2025-09-01T12:00:00Z"`
}

type consentCreateInput struct{ Body ConsentInput }

type consentShowOutput struct{ Body rights.GrantHistory }

var consentCreateDoc = huma.Operation{
	OperationID:   "createConsent",
	Summary:       "Toestemming geven",
	Description:   "Geeft een persoon of organisatie toestemming om gegevens van je te zien, voor een doel en een periode. Dit komt in je toegangslogboek.",
	Tags:          []string{"Toestemmingen"},
	DefaultStatus: http.StatusCreated,
	Errors:        []int{http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType},
}

func (s *server) handleConsentCreate(ctx context.Context, in *consentCreateInput) (*consentShowOutput, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if s.consent == nil {
		return nil, unavailable("api.handleConsentCreate")
	}
	ng := consent.NewGrant{GrantorID: a.Person.ID, GranteePersonID: in.Body.GranteePersonID, GranteeOrgID: in.Body.GranteeOrgID,
		Categories: in.Body.Categories, Permission: consent.Permission(in.Body.Permission), Purpose: consent.Purpose(in.Body.Purpose)}
	if in.Body.ValidFrom != nil {
		ng.ValidFrom = *in.Body.ValidFrom
	}
	if in.Body.ValidUntil != nil {
		ng.ValidUntil = *in.Body.ValidUntil
	}
	g, err := s.consent.Grant(ctx, a.Person, ng)
	if err != nil {
		return nil, camelFields(err)
	}
	return &consentShowOutput{Body: rights.GrantHistory{GrantData: rights.GrantOf(g), Versions: []rights.GrantData{rights.GrantOf(g)}}}, nil
}

type consentIDInput struct {
	ID string `path:"id" maxLength:"64" doc:"Het nummer van de toestemming." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
}

var consentShowDoc = huma.Operation{
	OperationID: "getConsent",
	Summary:     "Een toestemming bekijken",
	Description: "Geeft een toestemming die je gaf, met alle versies: je toestemmingsbewijs. Een toestemming van iemand anders geeft 404.",
	Tags:        []string{"Toestemmingen"},
	Errors:      []int{http.StatusBadRequest, http.StatusNotFound},
}

func (s *server) handleConsentShow(ctx context.Context, in *consentIDInput) (*consentShowOutput, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if s.consent == nil {
		return nil, unavailable("api.handleConsentShow")
	}
	r, err := s.consent.Receipt(ctx, a.Person, in.ID)
	if err != nil {
		return nil, err
	}
	return &consentShowOutput{Body: historyOf(r)}, nil
}

var consentDeleteDoc = huma.Operation{
	OperationID:   "deleteConsent",
	Summary:       "Toestemming intrekken",
	Description:   "Trekt een toestemming die je gaf meteen in: de volgende vraag om je gegevens wordt geweigerd. De toestemming blijft in je geschiedenis staan. Een toestemming van iemand anders geeft 404.",
	Tags:          []string{"Toestemmingen"},
	DefaultStatus: http.StatusNoContent,
	Errors:        []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict},
}

func (s *server) handleConsentDelete(ctx context.Context, in *consentIDInput) (*struct{}, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if s.consent == nil {
		return nil, unavailable("api.handleConsentDelete")
	}
	if _, err := s.consent.Revoke(ctx, a.Person, in.ID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
