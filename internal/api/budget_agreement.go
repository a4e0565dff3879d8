package api

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// agreementRoutes registers the care agreements and their steps.
func (s *server) agreementRoutes() {
	register(s, http.MethodGet, "/agreements", bearer, agreementListDoc, s.handleAgreementList)
	register(s, http.MethodPost, "/agreements", bearer, agreementCreateDoc, s.handleAgreementCreate)
	register(s, http.MethodGet, "/agreements/{id}", bearer, agreementShowDoc, s.handleAgreementShow)
	register(s, http.MethodPost, "/agreements/{id}/accept", bearer, agreementAcceptDoc, s.handleAgreementAccept)
	register(s, http.MethodPost, "/agreements/{id}/refuse", bearer, agreementRefuseDoc, s.handleAgreementRefuse)
	register(s, http.MethodPost, "/agreements/{id}/approve", bearer, agreementApproveDoc, s.handleAgreementApprove)
	register(s, http.MethodPost, "/agreements/{id}/reject", bearer, agreementRejectDoc, s.handleAgreementReject)
	register(s, http.MethodPost, "/agreements/{id}/end", bearer, agreementEndDoc, s.handleAgreementEnd)
}

// Agreement is a care agreement between a resident and a provider, paid
// from the resident's budget.
type Agreement struct {
	ID             string     `json:"id" doc:"Het nummer van de zorgafspraak." example:"01hzx3k5m7q9s1v3x5z7b9d1fa"`
	BudgetID       string     `json:"budgetId" doc:"Het budget waaruit betaald wordt; leeg zolang de inwoner niet heeft aangenomen." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	RequestID      string     `json:"requestId" doc:"De aanvraag op de marktplaats waarop de afspraak volgt." example:"01hzx3k5m7q9s1v3x5z7b9d1fb"`
	OfferingID     string     `json:"offeringId" doc:"Het aanbod." example:"01hzx3k5m7q9s1v3x5z7b9d1f4"`
	OfferingTitle  string     `json:"offeringTitle" doc:"De naam van het aanbod." example:"Hulp bij het huishouden"`
	ProviderOrgID  string     `json:"providerOrganisationId" doc:"De aanbieder." example:"01hzx3k5m7q9s1v3x5z7b9d1f5"`
	ProviderName   string     `json:"providerName" doc:"De naam van de aanbieder." example:"Thuiszorg Het Groene Hart"`
	ResidentID     string     `json:"residentId" doc:"De inwoner." example:"01hzx3k5m7q9s1v3x5z7b9d1f6"`
	What           string     `json:"what" doc:"Wat de aanbieder levert." example:"Hulp bij het schoonmaken van het huis."`
	Frequency      string     `json:"frequency" doc:"Hoe vaak, in woorden." example:"twee ochtenden per week"`
	UnitPriceCents int64      `json:"unitPriceCents" doc:"De prijs per keer, in eurocent." example:"3500"`
	UnitsPerMonth  int        `json:"unitsPerMonth" doc:"Het aantal keer per maand." example:"8"`
	From           string     `json:"from" doc:"De eerste maand (jjjj-mm)." example:"2026-11"`
	Until          string     `json:"until" doc:"De laatste maand (jjjj-mm)." example:"2027-04"`
	TotalCents     int64      `json:"totalCents" doc:"Prijs × aantal × maanden: wat wordt vastgelegd, in eurocent." example:"168000"`
	ReservedCents  int64      `json:"reservedCents" doc:"Wat nog vastligt voor de afspraak, in eurocent." example:"140000"`
	SpentCents     int64      `json:"spentCents" doc:"Wat goedgekeurde declaraties onder de afspraak kostten, in eurocent." example:"28000"`
	Status         string     `json:"status" enum:"proposed,awaiting_municipality,active,refused,ended" doc:"De stand: voorgesteld, wacht op de gemeente, loopt, geweigerd of gestopt." example:"active"`
	Reason         string     `json:"reason" doc:"Waarom de afspraak is geweigerd; anders leeg." example:""`
	AcceptedAt     *time.Time `json:"acceptedAt" doc:"Wanneer de inwoner aannam (UTC); null als nog niet." example:"2026-11-02T10:00:00Z"`
	DecidedAt      *time.Time `json:"decidedAt" doc:"Wanneer de gemeente besliste (UTC); null als dat niet nodig was of nog niet is gebeurd." example:"2026-11-03T10:00:00Z"`
	EndedAt        *time.Time `json:"endedAt" doc:"Wanneer de afspraak stopte (UTC); null als ze niet gestopt is." example:"2027-04-30T10:00:00Z"`
	CreatedAt      time.Time  `json:"createdAt" doc:"Wanneer de aanbieder de afspraak voorstelde (UTC)." example:"2026-11-01T10:00:00Z"`
	UpdatedAt      time.Time  `json:"updatedAt" doc:"Wanneer de afspraak het laatst veranderde (UTC)." example:"2026-11-02T10:00:00Z"`
	Version        int64      `json:"version" doc:"De versie." example:"2"`
}

func monthOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01")
}

func agreementOf(a budget.Agreement) Agreement {
	return Agreement{
		ID: a.ID, BudgetID: a.BudgetID, RequestID: a.RequestID, OfferingID: a.OfferingID, OfferingTitle: a.OfferingTitle,
		ProviderOrgID: a.ProviderOrgID, ProviderName: a.ProviderName, ResidentID: a.ResidentID, What: a.What, Frequency: a.Frequency,
		UnitPriceCents: int64(a.UnitPriceCents), UnitsPerMonth: a.UnitsPerMonth, From: monthOf(a.From), Until: monthOf(a.Until),
		TotalCents: int64(a.TotalCents), ReservedCents: int64(a.ReservedCents), SpentCents: int64(a.SpentCents),
		Status: string(a.Status), Reason: a.Reason, AcceptedAt: utcPtr(a.AcceptedAt), DecidedAt: utcPtr(a.DecidedAt), EndedAt: utcPtr(a.EndedAt),
		CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC(), Version: a.Version,
	}
}

// AgreementList is a list of care agreements.
type AgreementList struct {
	Agreements []Agreement `json:"agreements" nullable:"false" doc:"De zorgafspraken, de nieuwste eerst."`
}

type agreementListInput struct {
	Role         string `query:"role" enum:"resident,provider,municipality" default:"resident" doc:"resident: je eigen zorgafspraken; provider: die van de aanbieder waar je werkt; municipality: die op goedkeuring van jouw gemeente wachten (consulent)." example:"resident"`
	Organisation string `query:"organisationId" maxLength:"64" doc:"Met role=provider: de organisatie; leeg is de eerste aanbieder waar je werkt." example:"01hzx3k5m7q9s1v3x5z7b9d1f5"`
}

type agreementListOutput struct{ Body AgreementList }

var agreementListDoc = huma.Operation{
	OperationID: "listAgreements",
	Summary:     "Zorgafspraken bekijken",
	Description: "Geeft je eigen zorgafspraken, die van de aanbieder waar je werkt (role=provider), of die op goedkeuring van de gemeente wachten (role=municipality).",
	Tags:        []string{"Budget"},
	Errors:      []int{http.StatusBadRequest, http.StatusForbidden},
}

func (s *server) handleAgreementList(ctx context.Context, in *agreementListInput) (*agreementListOutput, error) {
	const op = "api.handleAgreementList"
	p, err := s.budgetStart(ctx, op)
	if err != nil {
		return nil, err
	}
	var list []budget.Agreement
	switch in.Role {
	case "provider":
		org := in.Organisation
		if org == "" {
			org = firstProviderOrg(p)
		}
		if org == "" {
			return nil, errs.E(op, errs.Forbidden, errs.Key("error.request.provider_only"))
		}
		list, err = s.budget.AgreementsForProvider(ctx, p, org)
	case "municipality":
		if !p.Has(identity.RoleConsultant) {
			return nil, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
		}
		list, err = s.budget.AgreementsAwaitingMunicipality(ctx, p)
	default:
		if in.Organisation != "" {
			return nil, errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"organisationId": "api.field.invalid"})
		}
		list, err = s.budget.AgreementsOf(ctx, p, "")
	}
	if err != nil {
		return nil, err
	}
	out := &agreementListOutput{Body: AgreementList{Agreements: []Agreement{}}}
	for _, a := range list {
		out.Body.Agreements = append(out.Body.Agreements, agreementOf(a))
	}
	return out, nil
}

// AgreementInput is a provider's proposal for a care agreement.
type AgreementInput struct {
	RequestID      string `json:"requestId" maxLength:"64" doc:"De aanvraag van de inwoner, betaald uit een budget." example:"01hzx3k5m7q9s1v3x5z7b9d1fb"`
	What           string `json:"what" maxLength:"1000" doc:"Wat je levert, in woorden die de inwoner begrijpt." example:"Hulp bij het schoonmaken van het huis."`
	Frequency      string `json:"frequency" maxLength:"200" doc:"Hoe vaak, in woorden." example:"twee ochtenden per week"`
	UnitPriceCents int64  `json:"unitPriceCents" minimum:"1" maximum:"1000000000" doc:"De prijs per keer, in eurocent." example:"3500"`
	UnitsPerMonth  int    `json:"unitsPerMonth" minimum:"1" maximum:"1000" doc:"Het aantal keer per maand." example:"8"`
	From           string `json:"from" pattern:"^[0-9]{4}-(0[1-9]|1[0-2])$" doc:"De eerste maand (jjjj-mm)." example:"2026-11"`
	Until          string `json:"until" pattern:"^[0-9]{4}-(0[1-9]|1[0-2])$" doc:"De laatste maand (jjjj-mm)." example:"2027-04"`
}

type agreementCreateInput struct {
	IdempotencyKey
	Body AgreementInput
}

type agreementShowOutput struct{ Body Agreement }

var agreementCreateDoc = huma.Operation{
	OperationID:   "createAgreement",
	Summary:       "Zorgafspraak voorstellen",
	Description:   "De aanbieder stelt op een aanvraag die uit een budget betaald wordt een zorgafspraak voor: wat, hoe vaak, tegen welke prijs en van welke tot welke maand. De inwoner neemt haar aan of weigert.",
	Tags:          []string{"Budget"},
	DefaultStatus: http.StatusCreated,
	Errors:        []int{http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType},
}

func (s *server) handleAgreementCreate(ctx context.Context, in *agreementCreateInput) (*agreementShowOutput, error) {
	const op = "api.handleAgreementCreate"
	p, err := s.budgetStart(ctx, op)
	if err != nil {
		return nil, err
	}
	key, err := in.key(op)
	if err != nil {
		return nil, err
	}
	n := budget.NewAgreement{RequestID: in.Body.RequestID, What: in.Body.What, Frequency: in.Body.Frequency,
		UnitPriceCents: budget.Cents(in.Body.UnitPriceCents), UnitsPerMonth: in.Body.UnitsPerMonth}
	if n.From, err = budget.ParsePeriod(in.Body.From); err != nil {
		return nil, errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"from": "field.budget_month.invalid"})
	}
	if n.Until, err = budget.ParsePeriod(in.Body.Until); err != nil {
		return nil, errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"until": "field.budget_month.invalid"})
	}
	a, err := s.budget.ProposeAgreement(ctx, p, n, key)
	if err != nil {
		return nil, budgetFields(err)
	}
	return &agreementShowOutput{Body: agreementOf(a)}, nil
}

type agreementIDInput struct {
	ID string `path:"id" maxLength:"64" doc:"Het nummer van de zorgafspraak." example:"01hzx3k5m7q9s1v3x5z7b9d1fa"`
}

var agreementShowDoc = huma.Operation{
	OperationID: "getAgreement",
	Summary:     "Een zorgafspraak bekijken",
	Description: "Geeft een zorgafspraak. Voor de inwoner, de aanbieder en de consulent van de gemeente; voor ieder ander geeft dit 404.",
	Tags:        []string{"Budget"},
	Errors:      []int{http.StatusBadRequest, http.StatusNotFound},
}

func (s *server) handleAgreementShow(ctx context.Context, in *agreementIDInput) (*agreementShowOutput, error) {
	const op = "api.handleAgreementShow"
	p, err := s.budgetStart(ctx, op)
	if err != nil {
		return nil, err
	}
	a, err := s.budget.Agreement(ctx, p, "", in.ID)
	if err != nil {
		return nil, err
	}
	return &agreementShowOutput{Body: agreementOf(a)}, nil
}

// AgreementAcceptance names the budget the resident pays from.
type AgreementAcceptance struct {
	BudgetID string `json:"budgetId" maxLength:"64" doc:"Het lopende budget waaruit je betaalt." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
}

type agreementAcceptInput struct {
	IdempotencyKey
	ID   string `path:"id" maxLength:"64" doc:"Het nummer van de zorgafspraak." example:"01hzx3k5m7q9s1v3x5z7b9d1fa"`
	Body AgreementAcceptance
}

// AgreementReason is a refusal with its reason.
type AgreementReason struct {
	Reason string `json:"reason" maxLength:"1000" doc:"De reden; de ander leest die." example:"De prijs is hoger dan we afspraken."`
}

type agreementReasonInput struct {
	IdempotencyKey
	ID   string `path:"id" maxLength:"64" doc:"Het nummer van de zorgafspraak." example:"01hzx3k5m7q9s1v3x5z7b9d1fa"`
	Body AgreementReason
}

type agreementStepInput struct {
	IdempotencyKey
	ID string `path:"id" maxLength:"64" doc:"Het nummer van de zorgafspraak." example:"01hzx3k5m7q9s1v3x5z7b9d1fa"`
}

var moneyErrors = []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType}

func budgetStepDoc(id, summary, description string) huma.Operation {
	return huma.Operation{OperationID: id, Summary: summary, Description: description, Tags: []string{"Budget"}, Errors: slices.Clone(moneyErrors)}
}

var (
	agreementAcceptDoc = budgetStepDoc("acceptAgreement", "Zorgafspraak aannemen",
		"De inwoner neemt een voorgestelde zorgafspraak aan. Het totaal wordt vastgelegd in het budget; is er te weinig over, dan geeft dit 409. Boven het bedrag van de gemeente wacht de afspraak daarna op de gemeente.")
	agreementRefuseDoc = budgetStepDoc("refuseAgreement", "Zorgafspraak weigeren",
		"De inwoner weigert een voorgestelde zorgafspraak, met een reden die de aanbieder leest.")
	agreementApproveDoc = budgetStepDoc("approveAgreement", "Zorgafspraak goedkeuren (gemeente)",
		"Een consulent van de gemeente keurt een zorgafspraak goed die op de gemeente wacht; daarna loopt ze.")
	agreementRejectDoc = budgetStepDoc("rejectAgreement", "Zorgafspraak afwijzen (gemeente)",
		"Een consulent van de gemeente wijst een zorgafspraak af die op de gemeente wacht, met een reden. Wat vastlag, komt vrij.")
	agreementEndDoc = budgetStepDoc("endAgreement", "Zorgafspraak stoppen",
		"De inwoner stopt een lopende zorgafspraak. Wat nog vastligt, komt vrij; goedgekeurde declaraties blijven betaald.")
)

// agreementStep runs one step on an agreement as the token's person.
func (s *server) agreementStep(ctx context.Context, op string, k IdempotencyKey, fn func(p *identity.Person, key string) (budget.Agreement, error)) (*agreementShowOutput, error) {
	a, err := moneyStep(ctx, s, op, k, fn)
	if err != nil {
		return nil, err
	}
	return &agreementShowOutput{Body: agreementOf(a)}, nil
}

func (s *server) handleAgreementAccept(ctx context.Context, in *agreementAcceptInput) (*agreementShowOutput, error) {
	return s.agreementStep(ctx, "api.handleAgreementAccept", in.IdempotencyKey, func(p *identity.Person, key string) (budget.Agreement, error) {
		return s.budget.AcceptAgreement(ctx, p, "", in.ID, in.Body.BudgetID, key)
	})
}

func (s *server) handleAgreementRefuse(ctx context.Context, in *agreementReasonInput) (*agreementShowOutput, error) {
	return s.agreementStep(ctx, "api.handleAgreementRefuse", in.IdempotencyKey, func(p *identity.Person, key string) (budget.Agreement, error) {
		return s.budget.RefuseAgreement(ctx, p, "", in.ID, in.Body.Reason, key)
	})
}

func (s *server) handleAgreementApprove(ctx context.Context, in *agreementStepInput) (*agreementShowOutput, error) {
	return s.agreementStep(ctx, "api.handleAgreementApprove", in.IdempotencyKey, func(p *identity.Person, key string) (budget.Agreement, error) {
		return s.budget.ApproveAgreement(ctx, p, in.ID, key)
	})
}

func (s *server) handleAgreementReject(ctx context.Context, in *agreementReasonInput) (*agreementShowOutput, error) {
	return s.agreementStep(ctx, "api.handleAgreementReject", in.IdempotencyKey, func(p *identity.Person, key string) (budget.Agreement, error) {
		return s.budget.RejectAgreement(ctx, p, in.ID, in.Body.Reason, key)
	})
}

func (s *server) handleAgreementEnd(ctx context.Context, in *agreementStepInput) (*agreementShowOutput, error) {
	return s.agreementStep(ctx, "api.handleAgreementEnd", in.IdempotencyKey, func(p *identity.Person, key string) (budget.Agreement, error) {
		return s.budget.EndAgreement(ctx, p, "", in.ID, key)
	})
}
