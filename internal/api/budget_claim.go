package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// claimRoutes registers the claims and the resident's and municipality's
// decisions on them.
func (s *server) claimRoutes() {
	register(s, http.MethodGet, "/claims", bearer, claimListDoc, s.handleClaimList)
	register(s, http.MethodPost, "/claims", bearer, claimCreateDoc, s.handleClaimCreate)
	register(s, http.MethodGet, "/claims/{id}", bearer, claimShowDoc, s.handleClaimShow)
	register(s, http.MethodPost, "/claims/{id}/approve", bearer, claimApproveDoc, s.handleClaimApprove)
	register(s, http.MethodPost, "/claims/{id}/dispute", bearer, claimDisputeDoc, s.handleClaimDispute)
	register(s, http.MethodPost, "/claims/{id}/reverse", bearer, claimReverseDoc, s.handleClaimReverse)
}

// Claim is a provider's claim for one month under a care agreement.
type Claim struct {
	ID            string     `json:"id" doc:"Het nummer van de declaratie." example:"01hzx3k5m7q9s1v3x5z7b9d1fc"`
	AgreementID   string     `json:"agreementId" doc:"De zorgafspraak." example:"01hzx3k5m7q9s1v3x5z7b9d1fa"`
	BudgetID      string     `json:"budgetId" doc:"Het budget waaruit betaald wordt." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	ProviderOrgID string     `json:"providerOrganisationId" doc:"De aanbieder." example:"01hzx3k5m7q9s1v3x5z7b9d1f5"`
	ResidentID    string     `json:"residentId" doc:"De inwoner." example:"01hzx3k5m7q9s1v3x5z7b9d1f6"`
	Period        string     `json:"period" doc:"De maand waarover de declaratie gaat (jjjj-mm)." example:"2026-11"`
	Description   string     `json:"description" doc:"Wat de aanbieder deed." example:"8 keer 2 uur hulp in huis."`
	AmountCents   int64      `json:"amountCents" doc:"Het bedrag in eurocent." example:"28000"`
	Status        string     `json:"status" enum:"submitted,approved,disputed,reversed" doc:"De stand: ingediend, goedgekeurd (en betaald), niet mee eens, of teruggedraaid door de gemeente." example:"submitted"`
	DisputeReason string     `json:"disputeReason" doc:"Waarom de inwoner het er niet mee eens is; anders leeg." example:""`
	SubmittedAt   time.Time  `json:"submittedAt" doc:"Wanneer de declaratie is ingediend (UTC)." example:"2026-12-01T09:00:00Z"`
	DecidedAt     *time.Time `json:"decidedAt" doc:"Wanneer de inwoner het laatst besliste (UTC); null als nog niet." example:"2026-12-02T09:00:00Z"`
	Version       int64      `json:"version" doc:"De versie." example:"1"`
}

func claimOf(c budget.Claim) Claim {
	return Claim{
		ID: c.ID, AgreementID: c.AgreementID, BudgetID: c.BudgetID, ProviderOrgID: c.ProviderOrgID, ResidentID: c.ResidentID,
		Period: c.Period, Description: c.Description, AmountCents: int64(c.AmountCents), Status: string(c.Status),
		DisputeReason: c.DisputeReason, SubmittedAt: c.SubmittedAt.UTC(), DecidedAt: utcPtr(c.DecidedAt), Version: c.Version,
	}
}

// ClaimList is a list of claims.
type ClaimList struct {
	Claims []Claim `json:"claims" nullable:"false" doc:"De declaraties."`
}

type claimListInput struct {
	BudgetID     string `query:"budgetId" maxLength:"64" doc:"De declaraties die uit dit budget betaald worden of worden." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	AgreementID  string `query:"agreementId" maxLength:"64" doc:"De declaraties onder deze zorgafspraak." example:"01hzx3k5m7q9s1v3x5z7b9d1fa"`
	Organisation string `query:"organisationId" maxLength:"64" doc:"De declaraties van deze aanbieder (waar je werkt)." example:"01hzx3k5m7q9s1v3x5z7b9d1f5"`
}

type claimListOutput struct{ Body ClaimList }

var claimListDoc = huma.Operation{
	OperationID: "listClaims",
	Summary:     "Declaraties bekijken",
	Description: "Geeft de declaraties van een budget (budgetId), van een zorgafspraak (agreementId) of van de aanbieder waar je werkt (organisationId). Noem er precies één.",
	Tags:        []string{"Budget"},
	Errors:      []int{http.StatusBadRequest, http.StatusNotFound},
}

func (s *server) handleClaimList(ctx context.Context, in *claimListInput) (*claimListOutput, error) {
	const op = "api.handleClaimList"
	p, err := s.budgetStart(ctx, op)
	if err != nil {
		return nil, err
	}
	named := 0
	for _, v := range []string{in.BudgetID, in.AgreementID, in.Organisation} {
		if v != "" {
			named++
		}
	}
	if named != 1 {
		return nil, errs.E(op, errs.Invalid, errs.Key("error.budget.claim_filter"), errs.Fields{"budgetId": "error.budget.claim_filter"})
	}
	var list []budget.Claim
	switch {
	case in.BudgetID != "":
		list, err = s.budget.ClaimsForBudget(ctx, p, "", in.BudgetID)
	case in.AgreementID != "":
		list, err = s.budget.ClaimsOf(ctx, p, "", in.AgreementID)
	default:
		list, err = s.budget.ClaimsForProvider(ctx, p, in.Organisation)
	}
	if err != nil {
		return nil, err
	}
	out := &claimListOutput{Body: ClaimList{Claims: []Claim{}}}
	for _, c := range list {
		out.Body.Claims = append(out.Body.Claims, claimOf(c))
	}
	return out, nil
}

// ClaimInput is a provider's claim.
type ClaimInput struct {
	AgreementID string `json:"agreementId" maxLength:"64" doc:"De lopende zorgafspraak." example:"01hzx3k5m7q9s1v3x5z7b9d1fa"`
	Period      string `json:"period" pattern:"^[0-9]{4}-(0[1-9]|1[0-2])$" doc:"De maand (jjjj-mm); één declaratie per afspraak per maand." example:"2026-11"`
	Description string `json:"description" maxLength:"2000" doc:"Wat je deed." example:"8 keer 2 uur hulp in huis."`
	AmountCents int64  `json:"amountCents" minimum:"1" maximum:"1000000000" doc:"Het bedrag in eurocent." example:"28000"`
}

type claimCreateInput struct {
	IdempotencyKey
	Body ClaimInput
}

type claimShowOutput struct{ Body Claim }

var claimCreateDoc = huma.Operation{
	OperationID:   "createClaim",
	Summary:       "Declaratie indienen",
	Description:   "De aanbieder dient een declaratie in voor één maand onder een lopende zorgafspraak. De inwoner keurt haar goed of is het er niet mee eens; pas na goedkeuring wordt betaald. Een tweede declaratie voor dezelfde maand geeft 409, met de reden bij period.",
	Tags:          []string{"Budget"},
	DefaultStatus: http.StatusCreated,
	Errors:        []int{http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType},
}

func (s *server) handleClaimCreate(ctx context.Context, in *claimCreateInput) (*claimShowOutput, error) {
	return s.claimStep(ctx, "api.handleClaimCreate", in.IdempotencyKey, func(p *identity.Person, key string) (budget.Claim, error) {
		return s.budget.SubmitClaim(ctx, p, budget.NewClaim{AgreementID: in.Body.AgreementID, Period: in.Body.Period,
			Description: in.Body.Description, AmountCents: budget.Cents(in.Body.AmountCents)}, key)
	})
}

type claimIDInput struct {
	ID string `path:"id" maxLength:"64" doc:"Het nummer van de declaratie." example:"01hzx3k5m7q9s1v3x5z7b9d1fc"`
}

var claimShowDoc = huma.Operation{
	OperationID: "getClaim",
	Summary:     "Een declaratie bekijken",
	Description: "Geeft een declaratie. Voor de inwoner, de aanbieder en de consulent van de gemeente; voor ieder ander geeft dit 404.",
	Tags:        []string{"Budget"},
	Errors:      []int{http.StatusBadRequest, http.StatusNotFound},
}

func (s *server) handleClaimShow(ctx context.Context, in *claimIDInput) (*claimShowOutput, error) {
	const op = "api.handleClaimShow"
	p, err := s.budgetStart(ctx, op)
	if err != nil {
		return nil, err
	}
	c, err := s.budget.Claim(ctx, p, "", in.ID)
	if err != nil {
		return nil, err
	}
	return &claimShowOutput{Body: claimOf(c)}, nil
}

type claimStepInput struct {
	IdempotencyKey
	ID string `path:"id" maxLength:"64" doc:"Het nummer van de declaratie." example:"01hzx3k5m7q9s1v3x5z7b9d1fc"`
}

// ClaimReason is a dispute or a reversal with its reason.
type ClaimReason struct {
	Reason string `json:"reason" maxLength:"1000" doc:"De reden; de aanbieder leest die." example:"Er waren in november maar 6 afspraken, geen 8."`
}

type claimReasonInput struct {
	IdempotencyKey
	ID   string `path:"id" maxLength:"64" doc:"Het nummer van de declaratie." example:"01hzx3k5m7q9s1v3x5z7b9d1fc"`
	Body ClaimReason
}

var (
	claimApproveDoc = budgetStepDoc("approveClaim", "Declaratie goedkeuren",
		"De inwoner keurt een declaratie goed. Het bedrag gaat van wat voor de zorgafspraak vastlag naar uitgegeven, en de betaling aan de aanbieder wordt opgedragen. Dezelfde goedkeuring twee keer met dezelfde Idempotency-Key betaalt één keer. Is er te weinig vastgelegd, dan geeft dit 409.")
	claimDisputeDoc = budgetStepDoc("disputeClaim", "Niet eens met een declaratie",
		"De inwoner is het niet eens met een ingediende declaratie, met een reden die de aanbieder leest. Er wordt niets betaald; later goedkeuren kan nog.")
	claimReverseDoc = budgetStepDoc("reverseClaim", "Goedgekeurde declaratie terugdraaien (gemeente)",
		"Een consulent van de gemeente draait een goedgekeurde declaratie terug met een tegenboeking. Het bedrag ligt daarna weer vast voor de zorgafspraak.")
)

// claimStep runs one money-moving call on claims as the token's person.
func (s *server) claimStep(ctx context.Context, op string, k IdempotencyKey, fn func(p *identity.Person, key string) (budget.Claim, error)) (*claimShowOutput, error) {
	c, err := moneyStep(ctx, s, op, k, fn)
	if err != nil {
		return nil, err
	}
	return &claimShowOutput{Body: claimOf(c)}, nil
}

func (s *server) handleClaimApprove(ctx context.Context, in *claimStepInput) (*claimShowOutput, error) {
	return s.claimStep(ctx, "api.handleClaimApprove", in.IdempotencyKey, func(p *identity.Person, key string) (budget.Claim, error) {
		return s.budget.ApproveClaim(ctx, p, "", in.ID, key)
	})
}

func (s *server) handleClaimDispute(ctx context.Context, in *claimReasonInput) (*claimShowOutput, error) {
	return s.claimStep(ctx, "api.handleClaimDispute", in.IdempotencyKey, func(p *identity.Person, key string) (budget.Claim, error) {
		return s.budget.DisputeClaim(ctx, p, "", in.ID, in.Body.Reason, key)
	})
}

func (s *server) handleClaimReverse(ctx context.Context, in *claimReasonInput) (*claimShowOutput, error) {
	return s.claimStep(ctx, "api.handleClaimReverse", in.IdempotencyKey, func(p *identity.Person, key string) (budget.Claim, error) {
		return s.budget.ReverseClaim(ctx, p, in.ID, in.Body.Reason, key)
	})
}
