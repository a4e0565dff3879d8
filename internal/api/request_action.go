package api

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// requestActionRoutes registers the steps of a request: the provider's
// answers and the resident's choices, each on the version the caller saw
// (409 when the request changed meanwhile or the step is not possible in
// its state).
func (s *server) requestActionRoutes() {
	register(s, http.MethodPost, "/requests/{id}/accept", bearer, requestAcceptDoc, s.handleRequestAccept)
	register(s, http.MethodPost, "/requests/{id}/propose-time", bearer, requestProposeDoc, s.handleRequestPropose)
	register(s, http.MethodPost, "/requests/{id}/decline", bearer, requestDeclineDoc, s.handleRequestDecline)
	register(s, http.MethodPost, "/requests/{id}/deliver", bearer, requestDeliverDoc, s.handleRequestDeliver)
	register(s, http.MethodPost, "/requests/{id}/accept-proposed-time", bearer, requestAcceptTimeDoc, s.handleRequestAcceptTime)
	register(s, http.MethodPost, "/requests/{id}/cancel", bearer, requestCancelDoc, s.handleRequestCancel)
}

// RequestStep is the version of the request the caller saw.
type RequestStep struct {
	Version int64 `json:"version" minimum:"1" doc:"De versie van de aanvraag die je zag." example:"1"`
}

type requestStepInput struct {
	ID   string `path:"id" maxLength:"64" doc:"Het nummer van de aanvraag." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	Body RequestStep
}

// RequestProposal is another time the provider proposes.
type RequestProposal struct {
	Version      int64     `json:"version" minimum:"1" doc:"De versie van de aanvraag die je zag." example:"1"`
	ProposedTime time.Time `json:"proposedTime" doc:"De tijd die je voorstelt (UTC), in de toekomst." example:"2025-06-03T08:30:00Z"`
}

type requestProposeInput struct {
	ID   string `path:"id" maxLength:"64" doc:"Het nummer van de aanvraag." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	Body RequestProposal
}

// RequestDecline is the provider's no, with the reason.
type RequestDecline struct {
	Version int64  `json:"version" minimum:"1" doc:"De versie van de aanvraag die je zag." example:"1"`
	Reason  string `json:"reason" maxLength:"1000" doc:"Waarom je de aanvraag niet aanneemt; de inwoner leest dit." example:"We hebben op dit moment geen plek. Probeer het over een maand opnieuw."`
}

type requestDeclineInput struct {
	ID   string `path:"id" maxLength:"64" doc:"Het nummer van de aanvraag." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	Body RequestDecline
}

var stepErrors = []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType}

func stepDoc(id, summary, description string) huma.Operation {
	return huma.Operation{OperationID: id, Summary: summary, Description: description, Tags: []string{"Aanvragen"}, Errors: slices.Clone(stepErrors)}
}

var (
	requestAcceptDoc = stepDoc("acceptRequest", "Aanvraag aannemen",
		"De aanbieder neemt een verstuurde aanvraag aan. De inwoner krijgt een e-mail zonder persoonsgegevens.")
	requestProposeDoc = stepDoc("proposeRequestTime", "Andere tijd voorstellen",
		"De aanbieder stelt bij een verstuurde aanvraag een andere tijd voor; de inwoner neemt die aan of annuleert.")
	requestDeclineDoc = stepDoc("declineRequest", "Aanvraag afwijzen",
		"De aanbieder wijst een aanvraag af, met een reden die de inwoner leest.")
	requestDeliverDoc = stepDoc("deliverRequest", "Aanvraag geleverd",
		"De aanbieder zet een aangenomen aanvraag op geleverd. Daarna kan de inwoner het aanbod beoordelen.")
	requestAcceptTimeDoc = stepDoc("acceptRequestProposedTime", "Voorgestelde tijd aannemen",
		"De inwoner neemt de tijd aan die de aanbieder voorstelde; de aanvraag is dan aangenomen.")
	requestCancelDoc = stepDoc("cancelRequest", "Aanvraag annuleren",
		"De inwoner annuleert een aanvraag die nog niet klaar is.")
)

// step runs one step as the token's person and answers the request as it is now.
func (s *server) step(ctx context.Context, op string, fn func(p *identity.Person) (request.Request, error)) (*requestShowOutput, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if s.requests == nil {
		return nil, unavailable(op)
	}
	r, err := fn(&a.Person)
	if err != nil {
		return nil, requestFields(err)
	}
	return &requestShowOutput{Body: requestOf(r)}, nil
}

func (s *server) handleRequestAccept(ctx context.Context, in *requestStepInput) (*requestShowOutput, error) {
	return s.step(ctx, "api.handleRequestAccept", func(p *identity.Person) (request.Request, error) {
		return s.requests.Accept(ctx, p, in.ID, in.Body.Version)
	})
}

func (s *server) handleRequestPropose(ctx context.Context, in *requestProposeInput) (*requestShowOutput, error) {
	return s.step(ctx, "api.handleRequestPropose", func(p *identity.Person) (request.Request, error) {
		return s.requests.ProposeTime(ctx, p, in.ID, in.Body.Version, in.Body.ProposedTime)
	})
}

func (s *server) handleRequestDecline(ctx context.Context, in *requestDeclineInput) (*requestShowOutput, error) {
	return s.step(ctx, "api.handleRequestDecline", func(p *identity.Person) (request.Request, error) {
		return s.requests.Decline(ctx, p, in.ID, in.Body.Version, in.Body.Reason)
	})
}

func (s *server) handleRequestDeliver(ctx context.Context, in *requestStepInput) (*requestShowOutput, error) {
	return s.step(ctx, "api.handleRequestDeliver", func(p *identity.Person) (request.Request, error) {
		return s.requests.Deliver(ctx, p, in.ID, in.Body.Version)
	})
}

func (s *server) handleRequestAcceptTime(ctx context.Context, in *requestStepInput) (*requestShowOutput, error) {
	return s.step(ctx, "api.handleRequestAcceptTime", func(p *identity.Person) (request.Request, error) {
		return s.requests.AcceptProposedTime(ctx, p, "", in.ID, in.Body.Version)
	})
}

func (s *server) handleRequestCancel(ctx context.Context, in *requestStepInput) (*requestShowOutput, error) {
	return s.step(ctx, "api.handleRequestCancel", func(p *identity.Person) (request.Request, error) {
		return s.requests.Cancel(ctx, p, "", in.ID, in.Body.Version)
	})
}

// firstProviderOrg is the first organisation in which p answers requests
// (provider_admin or professional), or "".
func firstProviderOrg(p *identity.Person) string {
	for _, a := range p.Roles {
		if a.OrganisationID != "" && (a.Role == identity.RoleProviderAdmin || a.Role == identity.RoleProfessional) {
			return a.OrganisationID
		}
	}
	return ""
}
