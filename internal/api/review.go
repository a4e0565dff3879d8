package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/inwonercloud/inwonercloud/internal/app/review"
)

// Reviews over the API go through the same service as the pages: a review
// needs a delivered request of the token's person (the API has no acting
// for someone), passes a moderator before anyone reads it, and only the
// published reviews of an offering are public.

// reviewRoutes registers the operations on reviews.
func (s *server) reviewRoutes() {
	s.api.OpenAPI().Tags = append(s.api.OpenAPI().Tags,
		&huma.Tag{Name: "Beoordelingen", Description: "Waarderen: beoordelingen van aanbod door inwoners die de hulp kregen, gecontroleerd door een moderator."},
	)
	register(s, http.MethodGet, "/offerings/{id}/reviews", public, offeringReviewsDoc, s.handleOfferingReviews)
	register(s, http.MethodGet, "/reviews", bearer, reviewListDoc, s.handleReviewList)
	register(s, http.MethodPost, "/reviews", bearer, reviewCreateDoc, s.handleReviewCreate)
	register(s, http.MethodPut, "/reviews/{id}", bearer, reviewUpdateDoc, s.handleReviewUpdate)
	register(s, http.MethodDelete, "/reviews/{id}", bearer, reviewDeleteDoc, s.handleReviewDelete)
}

// ReviewAggregate summarises the reviews of an offering that count.
type ReviewAggregate struct {
	Count            int     `json:"count" doc:"Hoeveel beoordelingen meetellen: gepubliceerd en jonger dan 4 jaar." example:"12"`
	Average          float64 `json:"average" doc:"Het gemiddelde cijfer, 1 tot 5; 0 zonder beoordelingen." example:"4.2"`
	Information      float64 `json:"information" doc:"Het gemiddelde voor informatie, 1 tot 5." example:"4.0"`
	Treatment        float64 `json:"treatment" doc:"Het gemiddelde voor bejegening, 1 tot 5." example:"4.5"`
	Result           float64 `json:"result" doc:"Het gemiddelde voor resultaat, 1 tot 5." example:"3.8"`
	RecommendPercent int     `json:"recommendPercent" doc:"Hoeveel procent het aanbod zou aanraden." example:"83"`
	Distribution     []int   `json:"distribution" nullable:"false" doc:"Hoeveel beoordelingen 1, 2, 3, 4 en 5 sterren gaven, in die volgorde." example:"[0,1,1,4,6]"`
}

// PublicReview is a published review as anyone sees it.
type PublicReview struct {
	ID          string     `json:"id" doc:"Het nummer van de beoordeling." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	Pseudonym   string     `json:"pseudonym" doc:"De schuilnaam van de schrijver; leeg als die anoniem wil blijven." example:"Zonnebloem"`
	WrittenAt   time.Time  `json:"writtenAt" doc:"Wanneer de beoordeling is geschreven (UTC)." example:"2025-06-01T12:00:00Z"`
	Overall     int        `json:"overall" minimum:"1" maximum:"5" doc:"Het cijfer, 1 tot 5 sterren." example:"4"`
	Information int        `json:"information" minimum:"1" maximum:"5" doc:"Informatie: was de uitleg duidelijk, 1 tot 5." example:"4"`
	Treatment   int        `json:"treatment" minimum:"1" maximum:"5" doc:"Bejegening: hoe ging men met je om, 1 tot 5." example:"5"`
	Result      int        `json:"result" minimum:"1" maximum:"5" doc:"Resultaat: hielp het, 1 tot 5." example:"3"`
	Recommend   bool       `json:"recommend" doc:"Of de schrijver het aanbod zou aanraden." example:"true"`
	Text        string     `json:"text" doc:"De ervaring in eigen woorden." example:"Fijne hulp, altijd op tijd."`
	Reply       string     `json:"reply" doc:"De reactie van de aanbieder; leeg als er geen is." example:"Dank je wel!"`
	ReplyAt     *time.Time `json:"replyAt" doc:"Wanneer de reactie is geplaatst (UTC); null zonder reactie." example:"2025-06-03T12:00:00Z"`
}

// OfferingReviews is the aggregate and one page of an offering's reviews.
type OfferingReviews struct {
	Aggregate ReviewAggregate `json:"aggregate" doc:"De samenvatting van alle beoordelingen die meetellen."`
	Reviews   []PublicReview  `json:"reviews" nullable:"false" doc:"De beoordelingen op deze pagina, de nieuwste eerst."`
	Total     int             `json:"total" doc:"Hoeveel beoordelingen er op alle pagina's samen staan." example:"12"`
	Page      int             `json:"page" doc:"Het nummer van deze pagina, vanaf 1." example:"1"`
	PageSize  int             `json:"pageSize" doc:"Hoeveel beoordelingen er op een pagina staan." example:"10"`
}

type offeringReviewsInput struct {
	ID   string `path:"id" maxLength:"64" doc:"Het nummer van het aanbod." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	Page int    `query:"page" minimum:"0" maximum:"10000" doc:"Het nummer van de pagina, vanaf 1." example:"1"`
}

type offeringReviewsOutput struct{ Body OfferingReviews }

var offeringReviewsDoc = huma.Operation{
	OperationID: "listOfferingReviews",
	Summary:     "Beoordelingen van aanbod bekijken",
	Description: "Geeft de samenvatting en een pagina van de gepubliceerde beoordelingen van een aanbod, de nieuwste eerst. Alleen beoordelingen die een moderator goedkeurde en die jonger zijn dan 4 jaar. Hiervoor hoef je niet in te loggen. Aanbod dat niet (meer) gepubliceerd is, geeft 404.",
	Tags:        []string{"Beoordelingen"},
	Errors:      []int{http.StatusBadRequest, http.StatusNotFound},
}

func (s *server) handleOfferingReviews(ctx context.Context, in *offeringReviewsInput) (*offeringReviewsOutput, error) {
	const op = "api.handleOfferingReviews"
	if s.reviews == nil || s.market == nil {
		return nil, unavailable(op)
	}
	if _, err := s.market.Offering(ctx, nil, in.ID); err != nil {
		return nil, err
	}
	agg, err := s.reviews.Aggregate(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	page, err := s.reviews.Published(ctx, in.ID, in.Page)
	if err != nil {
		return nil, err
	}
	out := OfferingReviews{Aggregate: ReviewAggregate{Count: agg.Count, Average: agg.Overall, Information: agg.Information,
		Treatment: agg.Treatment, Result: agg.Result, RecommendPercent: agg.RecommendPercent(), Distribution: agg.Distribution[:]},
		Reviews: make([]PublicReview, 0, len(page.Reviews)), Total: page.Total, Page: page.Page, PageSize: review.PageSize}
	for _, r := range page.Reviews {
		out.Reviews = append(out.Reviews, PublicReview{ID: r.ID, Pseudonym: r.Pseudonym, WrittenAt: r.WrittenAt.UTC(), Overall: r.Overall,
			Information: r.Information, Treatment: r.Treatment, Result: r.Result, Recommend: r.Recommend, Text: r.Text,
			Reply: r.Reply, ReplyAt: reviewUTC(r.ReplyAt)})
	}
	return &offeringReviewsOutput{Body: out}, nil
}

func reviewUTC(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// ReviewContent is what a resident writes in a review.
type ReviewContent struct {
	Overall     int    `json:"overall" minimum:"1" maximum:"5" doc:"Je cijfer voor de hulp, 1 (heel slecht) tot 5 (heel goed)." example:"4"`
	Information int    `json:"information" minimum:"1" maximum:"5" doc:"Informatie: was de uitleg duidelijk, 1 tot 5." example:"4"`
	Treatment   int    `json:"treatment" minimum:"1" maximum:"5" doc:"Bejegening: hoe ging men met je om, 1 tot 5." example:"5"`
	Result      int    `json:"result" minimum:"1" maximum:"5" doc:"Resultaat: heeft het geholpen, 1 tot 5." example:"3"`
	Recommend   bool   `json:"recommend" doc:"Of je de hulp zou aanraden." example:"true"`
	Text        string `json:"text" maxLength:"2000" doc:"Je ervaring in eigen woorden, 10 tot 2000 tekens. Noem geen namen van medewerkers en geen persoonlijke gegevens." example:"Fijne hulp, altijd op tijd."`
	Display     string `json:"display" enum:"pseudonym,anonymous" doc:"Hoe je beoordeling getoond wordt: met een schuilnaam of anoniem." example:"pseudonym"`
	Pseudonym   string `json:"pseudonym,omitempty" maxLength:"30" doc:"Je schuilnaam (bij display pseudonym): 2 tot 30 tekens, niet je echte naam." example:"Zonnebloem"`
}

func (c ReviewContent) content() review.Content {
	return review.Content{Overall: c.Overall, Information: c.Information, Treatment: c.Treatment, Result: c.Result,
		Recommend: c.Recommend, Text: c.Text, Display: review.Display(c.Display), Pseudonym: c.Pseudonym}
}

// ReviewInput is a new review of a delivered request.
type ReviewInput struct {
	RequestID string `json:"requestId" maxLength:"64" doc:"Het nummer van je aanvraag die de aanbieder als geleverd meldde." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	ReviewContent
}

// OwnReview is one of the caller's reviews.
type OwnReview struct {
	ID            string        `json:"id" doc:"Het nummer van de beoordeling." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	RequestID     string        `json:"requestId" doc:"De aanvraag die je beoordeelde." example:"01hzx3k5m7q9s1v3x5z7b9d1f4"`
	OfferingID    string        `json:"offeringId" doc:"Het aanbod." example:"01hzx3k5m7q9s1v3x5z7b9d1f5"`
	OfferingTitle string        `json:"offeringTitle" doc:"De naam van het aanbod." example:"Hulp in de huishouding"`
	Status        string        `json:"status" enum:"pending,published,refused,withdrawn" doc:"pending: wacht op de eerste controle; published: staat bij het aanbod; refused: niet geplaatst (pas haar aan); withdrawn: ingetrokken." example:"published"`
	Content       ReviewContent `json:"content" doc:"Je laatste tekst: die op controle wacht, die is afgewezen, of die gepubliceerd is."`
	Pending       bool          `json:"pending" doc:"Of een tekst van je op controle wacht. Bij een gepubliceerde beoordeling blijft tot dan de oude versie staan." example:"false"`
	RefusalReason string        `json:"refusalReason" doc:"Als je laatste tekst is afgewezen: de huisregel die hij brak (staff_names, personal_data, insults of advertising); anders leeg." example:""`
	RefusalNote   string        `json:"refusalNote" doc:"De toelichting van de moderator bij een afwijzing; anders leeg." example:""`
	Counts        bool          `json:"counts" doc:"Of de beoordeling meetelt: gepubliceerd en jonger dan 4 jaar." example:"true"`
	Reply         string        `json:"reply" doc:"De reactie van de aanbieder; leeg als er geen is." example:""`
	CreatedAt     time.Time     `json:"createdAt" doc:"Wanneer je de beoordeling schreef (UTC)." example:"2025-06-01T12:00:00Z"`
}

func ownReviewOf(m review.Mine) OwnReview {
	c := m.Text
	out := OwnReview{ID: m.ID, RequestID: m.RequestID, OfferingID: m.OfferingID, OfferingTitle: m.OfferingTitle, Status: string(m.Status),
		Content: ReviewContent{Overall: c.Overall, Information: c.Information, Treatment: c.Treatment, Result: c.Result,
			Recommend: c.Recommend, Text: c.Text, Display: string(c.Display), Pseudonym: c.Pseudonym},
		Pending: m.Pending, Counts: m.Counts, Reply: m.Reply, CreatedAt: m.CreatedAt.UTC()}
	if out.Content.Display == "" {
		out.Content.Display = string(review.DisplayAnonymous)
	}
	if m.Refusal != nil {
		out.RefusalReason, out.RefusalNote = string(m.Refusal.Reason), m.Refusal.Note
	}
	return out
}

// OwnReviewList is the caller's reviews.
type OwnReviewList struct {
	Reviews []OwnReview `json:"reviews" nullable:"false" doc:"Je beoordelingen, de nieuwste eerst."`
}

type reviewListOutput struct{ Body OwnReviewList }

var reviewListDoc = huma.Operation{
	OperationID: "listOwnReviews",
	Summary:     "Je beoordelingen bekijken",
	Description: "Geeft de beoordelingen die je gaf, met hun stand en, als een tekst is afgewezen, de reden.",
	Tags:        []string{"Beoordelingen"},
}

func (s *server) handleReviewList(ctx context.Context, _ *struct{}) (*reviewListOutput, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if s.reviews == nil {
		return nil, unavailable("api.handleReviewList")
	}
	list, err := s.reviews.Mine(ctx, review.Actor{Person: a.Person})
	if err != nil {
		return nil, err
	}
	out := &reviewListOutput{Body: OwnReviewList{Reviews: make([]OwnReview, 0, len(list))}}
	for _, m := range list {
		out.Body.Reviews = append(out.Body.Reviews, ownReviewOf(m))
	}
	return out, nil
}

type reviewCreateInput struct{ Body ReviewInput }

type reviewShowOutput struct{ Body OwnReview }

var reviewCreateDoc = huma.Operation{
	OperationID:   "createReview",
	Summary:       "Hulp beoordelen",
	Description:   "Beoordeelt hulp die je kreeg: alleen met het nummer van je eigen aanvraag die de aanbieder als geleverd meldde, 1 keer per aanvraag, tot 6 maanden na de levering. Een moderator controleert de beoordeling voordat ze bij het aanbod komt. Zonder geleverde aanvraag van jou geeft dit 404; werk je bij de aanbieder of is het te laat, dan 403; heb je deze aanvraag al beoordeeld, dan 409.",
	Tags:          []string{"Beoordelingen"},
	DefaultStatus: http.StatusCreated,
	Errors:        []int{http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType},
}

func (s *server) handleReviewCreate(ctx context.Context, in *reviewCreateInput) (*reviewShowOutput, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if s.reviews == nil {
		return nil, unavailable("api.handleReviewCreate")
	}
	actor := review.Actor{Person: a.Person}
	r, err := s.reviews.Create(ctx, actor, in.Body.RequestID, in.Body.content())
	if err != nil {
		return nil, camelFields(err)
	}
	m, err := s.reviews.Get(ctx, actor, r.ID)
	if err != nil {
		return nil, err
	}
	return &reviewShowOutput{Body: ownReviewOf(m)}, nil
}

type reviewUpdateInput struct {
	ID   string `path:"id" maxLength:"64" doc:"Het nummer van de beoordeling." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	Body ReviewContent
}

var reviewUpdateDoc = huma.Operation{
	OperationID: "updateReview",
	Summary:     "Je beoordeling aanpassen",
	Description: "Vervangt de tekst en cijfers van je beoordeling. Een moderator controleert de wijziging; tot die is goedgekeurd blijft een gepubliceerde beoordeling staan zoals ze was. Een beoordeling die niet van jou is, geeft 404; een ingetrokken beoordeling 409.",
	Tags:        []string{"Beoordelingen"},
	Errors:      []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType},
}

func (s *server) handleReviewUpdate(ctx context.Context, in *reviewUpdateInput) (*reviewShowOutput, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if s.reviews == nil {
		return nil, unavailable("api.handleReviewUpdate")
	}
	actor := review.Actor{Person: a.Person}
	if _, err := s.reviews.Edit(ctx, actor, in.ID, in.Body.content()); err != nil {
		return nil, camelFields(err)
	}
	m, err := s.reviews.Get(ctx, actor, in.ID)
	if err != nil {
		return nil, err
	}
	return &reviewShowOutput{Body: ownReviewOf(m)}, nil
}

type reviewDeleteInput struct {
	ID string `path:"id" maxLength:"64" doc:"Het nummer van de beoordeling." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
}

var reviewDeleteDoc = huma.Operation{
	OperationID:   "deleteReview",
	Summary:       "Je beoordeling intrekken",
	Description:   "Trekt je beoordeling in: ze verdwijnt meteen bij het aanbod en telt niet meer mee. Dit kan niet ongedaan worden gemaakt, en dezelfde aanvraag kun je daarna niet opnieuw beoordelen. Een beoordeling die niet van jou is, geeft 404; een al ingetrokken beoordeling 409.",
	Tags:          []string{"Beoordelingen"},
	DefaultStatus: http.StatusNoContent,
	Errors:        []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict},
}

func (s *server) handleReviewDelete(ctx context.Context, in *reviewDeleteInput) (*struct{}, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if s.reviews == nil {
		return nil, unavailable("api.handleReviewDelete")
	}
	if err := s.reviews.Withdraw(ctx, review.Actor{Person: a.Person}, in.ID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
