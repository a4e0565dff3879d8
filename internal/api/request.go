package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// Requests over the API follow the request service: a resident asks for
// a published offering and sees their own requests; a provider's staff
// see and answer the requests for their organisation, each read logged
// in the resident's access log. The API acts for the token's person only,
// never for someone they hold a mandate of. The steps a request goes
// through are sub-resources (POST /requests/{id}/accept and so on), as
// the NL API Design Rules ask for operations that are not CRUD.

// requestRoutes registers the operations on requests.
func (s *server) requestRoutes() {
	s.api.OpenAPI().Tags = append(s.api.OpenAPI().Tags,
		&huma.Tag{Name: "Aanvragen", Description: "Aanvragen van inwoners voor aanbod, en de antwoorden van de aanbieder."},
	)
	register(s, http.MethodGet, "/requests", bearer, requestListDoc, s.handleRequestList)
	register(s, http.MethodPost, "/requests", bearer, requestCreateDoc, s.handleRequestCreate)
	register(s, http.MethodGet, "/requests/{id}", bearer, requestShowDoc, s.handleRequestShow)
	s.requestActionRoutes() // request_action.go
}

// Request is a request for an offering.
type Request struct {
	ID            string         `json:"id" doc:"Het nummer van de aanvraag." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	OfferingID    string         `json:"offeringId" doc:"Het aanbod dat is aangevraagd." example:"01hzx3k5m7q9s1v3x5z7b9d1f4"`
	OfferingTitle string         `json:"offeringTitle" doc:"De naam van het aanbod toen het werd aangevraagd." example:"Hulp bij het huishouden"`
	ProviderOrgID string         `json:"providerOrganisationId" doc:"De aanbieder." example:"01hzx3k5m7q9s1v3x5z7b9d1f5"`
	ProviderName  string         `json:"providerName" doc:"De naam van de aanbieder." example:"Thuiszorg Het Groene Hart"`
	ResidentID    string         `json:"residentId" doc:"De inwoner voor wie de aanvraag is." example:"01hzx3k5m7q9s1v3x5z7b9d1f6"`
	ResidentName  string         `json:"residentName" doc:"De naam van de inwoner; leeg als het account is verwijderd." example:"Anna de Vries"`
	CreatedByID   string         `json:"createdById" doc:"Wie de aanvraag verstuurde: de inwoner, of iemand met een machtiging." example:"01hzx3k5m7q9s1v3x5z7b9d1f6"`
	Message       string         `json:"message" doc:"Het bericht van de inwoner." example:"Ik zoek hulp bij het schoonmaken, het liefst op dinsdag."`
	Status        string         `json:"status" enum:"sent,time_proposed,accepted,delivered,declined,cancelled" doc:"De stand: verstuurd, andere tijd voorgesteld, aangenomen, geleverd, afgewezen of geannuleerd." example:"sent"`
	ProposedTime  *time.Time     `json:"proposedTime" doc:"De tijd die de aanbieder voorstelt, of de afgesproken tijd (UTC); null als er geen is." example:"2025-06-03T08:30:00Z"`
	Reason        string         `json:"reason" doc:"Waarom de aanbieder afwees; leeg als niet afgewezen." example:"We hebben op dit moment geen plek."`
	Funding       string         `json:"funding" enum:"unknown,free,municipality,budget,self" doc:"Hoe het betaald wordt: onbekend, gratis, door de gemeente, uit het eigen budget (pgb) of door de inwoner zelf." example:"budget"`
	DeliveredAt   *time.Time     `json:"deliveredAt" doc:"Wanneer de aanbieder de hulp leverde (UTC); null als nog niet." example:"2025-06-10T15:00:00Z"`
	CreatedAt     time.Time      `json:"createdAt" doc:"Wanneer de aanvraag is verstuurd (UTC)." example:"2025-06-01T12:00:00Z"`
	UpdatedAt     time.Time      `json:"updatedAt" doc:"Wanneer de aanvraag het laatst veranderde (UTC)." example:"2025-06-02T09:00:00Z"`
	Version       int64          `json:"version" doc:"De versie; stuur die mee als je de aanvraag verandert." example:"1"`
	Events        []RequestEvent `json:"events" nullable:"false" doc:"Wat er gebeurde, de oudste stap eerst; alleen gevuld als je één aanvraag opvraagt."`
}

// RequestEvent is one step of a request.
type RequestEvent struct {
	Status       string     `json:"status" enum:"sent,time_proposed,accepted,delivered,declined,cancelled" doc:"De stand na deze stap." example:"accepted"`
	At           time.Time  `json:"at" doc:"Wanneer (UTC)." example:"2025-06-02T09:00:00Z"`
	ByID         string     `json:"byId" doc:"Wie de stap zette." example:"01hzx3k5m7q9s1v3x5z7b9d1f7"`
	ProposedTime *time.Time `json:"proposedTime" doc:"De voorgestelde of afgesproken tijd bij deze stap (UTC); null als er geen is." example:"2025-06-03T08:30:00Z"`
}

func requestOf(r request.Request) Request {
	out := Request{
		ID: r.ID, OfferingID: r.OfferingID, OfferingTitle: r.OfferingTitle, ProviderOrgID: r.ProviderOrgID, ProviderName: r.ProviderName,
		ResidentID: r.ResidentID, ResidentName: r.ResidentName, CreatedByID: r.CreatedByID, Message: r.Message,
		Status: string(r.Status), ProposedTime: utcPtr(r.ProposedTime), Reason: r.Reason, Funding: string(r.Funding),
		DeliveredAt: utcPtr(r.DeliveredAt), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version,
		Events: []RequestEvent{},
	}
	if out.Funding == "" {
		out.Funding = "unknown"
	}
	for _, e := range r.Events {
		out.Events = append(out.Events, RequestEvent{Status: string(e.Status), At: e.At.UTC(), ByID: e.ByID, ProposedTime: utcPtr(e.ProposedTime)})
	}
	return out
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// RequestList is a list of requests.
type RequestList struct {
	Requests []Request `json:"requests" nullable:"false" doc:"De aanvragen, de nieuwste eerst."`
}

type requestListInput struct {
	Role         string `query:"role" enum:"resident,provider" default:"resident" doc:"resident: jouw eigen aanvragen; provider: de aanvragen voor de organisatie waar je werkt (als beheerder of hulpverlener van een aanbieder)." example:"resident"`
	Organisation string `query:"organisationId" maxLength:"64" doc:"Met role=provider: de organisatie; leeg is de eerste aanbieder waar je werkt." example:"01hzx3k5m7q9s1v3x5z7b9d1f5"`
	Status       string `query:"status" maxLength:"20" doc:"Met role=provider: alleen aanvragen in deze stand (sent, time_proposed, accepted, delivered, declined of cancelled)." example:"sent"`
}

type requestListOutput struct{ Body RequestList }

var requestListDoc = huma.Operation{
	OperationID: "listRequests",
	Summary:     "Aanvragen bekijken",
	Description: "Geeft je eigen aanvragen, of (met role=provider) de aanvragen voor de aanbieder waar je werkt. Elke aanvraag die een aanbieder zo ziet, komt in het toegangslogboek van de inwoner.",
	Tags:        []string{"Aanvragen"},
	Errors:      []int{http.StatusBadRequest, http.StatusForbidden},
}

func (s *server) handleRequestList(ctx context.Context, in *requestListInput) (*requestListOutput, error) {
	const op = "api.handleRequestList"
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if s.requests == nil {
		return nil, unavailable(op)
	}
	var list []request.Request
	if in.Role == "provider" {
		org := in.Organisation
		if org == "" {
			org = firstProviderOrg(&a.Person)
		}
		var statuses []request.Status
		if in.Status != "" {
			statuses = append(statuses, request.Status(in.Status))
		}
		if org == "" {
			return nil, errs.E(op, errs.Forbidden, errs.Key("error.request.provider_only"))
		}
		list, err = s.requests.ForProvider(ctx, &a.Person, org, statuses...)
	} else {
		if in.Status != "" || in.Organisation != "" {
			return nil, errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"status": "field.request_status.invalid"})
		}
		list, err = s.requests.ForResident(ctx, &a.Person, "")
	}
	if err != nil {
		return nil, err
	}
	out := &requestListOutput{Body: RequestList{Requests: []Request{}}}
	for _, r := range list {
		out.Body.Requests = append(out.Body.Requests, requestOf(r))
	}
	return out, nil
}

// RequestInput is a new request.
type RequestInput struct {
	OfferingID string `json:"offeringId" maxLength:"64" doc:"Het aanbod dat je aanvraagt; het moet gepubliceerd zijn." example:"01hzx3k5m7q9s1v3x5z7b9d1f4"`
	Message    string `json:"message" maxLength:"2000" doc:"Waarvoor je hulp wilt, kort." example:"Ik zoek hulp bij het schoonmaken, het liefst op dinsdag."`
	Funding    string `json:"funding,omitempty" enum:"free,municipality,budget,self" doc:"Hoe je betaalt; alleen nodig als het aanbod een keuze laat (eigen budget of zelf betalen)." example:"budget"`
}

type requestCreateInput struct{ Body RequestInput }

type requestShowOutput struct{ Body Request }

var requestCreateDoc = huma.Operation{
	OperationID:   "createRequest",
	Summary:       "Aanbod aanvragen",
	Description:   "Vraagt gepubliceerd aanbod aan met een kort bericht. De aanvraag wordt gedeeld met de aanbieder (een toestemming voor de categorie request), en de aanbieder krijgt een e-mail zonder persoonsgegevens. Aanbod van je eigen organisatie aanvragen kan niet (403).",
	Tags:          []string{"Aanvragen"},
	DefaultStatus: http.StatusCreated,
	Errors:        []int{http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType},
}

func (s *server) handleRequestCreate(ctx context.Context, in *requestCreateInput) (*requestShowOutput, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if s.requests == nil {
		return nil, unavailable("api.handleRequestCreate")
	}
	r, err := s.requests.Create(ctx, &a.Person, "", in.Body.OfferingID, in.Body.Message, request.Funding(in.Body.Funding))
	if err != nil {
		return nil, requestFields(err)
	}
	return &requestShowOutput{Body: requestOf(r)}, nil
}

type requestIDInput struct {
	ID string `path:"id" maxLength:"64" doc:"Het nummer van de aanvraag." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
}

var requestShowDoc = huma.Operation{
	OperationID: "getRequest",
	Summary:     "Een aanvraag bekijken",
	Description: "Geeft een aanvraag met wat er gebeurde. Voor de inwoner en voor de aanbieder; wanneer de aanbieder kijkt, komt dat in het toegangslogboek van de inwoner. Voor ieder ander geeft dit 404.",
	Tags:        []string{"Aanvragen"},
	Errors:      []int{http.StatusBadRequest, http.StatusNotFound},
}

func (s *server) handleRequestShow(ctx context.Context, in *requestIDInput) (*requestShowOutput, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if s.requests == nil {
		return nil, unavailable("api.handleRequestShow")
	}
	r, err := s.requests.Get(ctx, &a.Person, "", in.ID)
	if err != nil {
		return nil, err
	}
	return &requestShowOutput{Body: requestOf(r)}, nil
}

// requestFields renames the service's field names to the API's.
func requestFields(err error) error {
	f := errs.FieldsOf(err)
	if len(f) == 0 {
		return err
	}
	names := map[string]string{"proposed_time": "proposedTime"}
	out := errs.Fields{}
	for k, v := range f {
		if n, ok := names[k]; ok {
			k = n
		}
		out[k] = v
	}
	return errs.E("api", errs.Invalid, errs.Key("error.invalid"), out)
}
