package rights

import (
	"context"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/app/review"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Requests is what the service needs of the requests app: the resident's
// own requests for the export, and deleting them on erasure.
type Requests interface {
	Export(ctx context.Context, actor identity.Person) ([]request.Request, error)
	Erase(ctx context.Context, residentID string) error
}

// Reviews is what the service needs of the review service: the
// resident's reviews for the export, and deleting them on erasure.
type Reviews interface {
	Mine(ctx context.Context, a review.Actor) ([]review.Mine, error)
	Erase(ctx context.Context, residentID string) error
}

// RequestData is one of the resident's requests for an offering on the
// marketplace, with its timeline.
type RequestData struct {
	ID            string              `json:"id" doc:"Het nummer van de aanvraag."`
	OfferingID    string              `json:"offeringId" doc:"Het aanbod dat je aanvroeg."`
	OfferingTitle string              `json:"offeringTitle" doc:"De naam van het aanbod toen je het aanvroeg."`
	ProviderID    string              `json:"providerId" doc:"De aanbieder."`
	ProviderName  string              `json:"providerName" doc:"De naam van de aanbieder."`
	CreatedByID   string              `json:"createdById" doc:"Wie de aanvraag deed: jij, of iemand die voor jou mocht handelen."`
	Status        string              `json:"status" doc:"Hoe het ervoor staat." example:"delivered"`
	Message       string              `json:"message" doc:"Je bericht aan de aanbieder."`
	DeclineReason string              `json:"declineReason" doc:"De reden van de aanbieder als die de aanvraag afwees, anders leeg."`
	Funding       string              `json:"funding" doc:"Hoe je betaalt."`
	ProposedTime  *time.Time          `json:"proposedTime" doc:"De voorgestelde of afgesproken tijd."`
	DeliveredAt   *time.Time          `json:"deliveredAt" doc:"Wanneer de aanbieder de hulp leverde."`
	CreatedAt     time.Time           `json:"createdAt" doc:"Wanneer je de aanvraag deed."`
	UpdatedAt     time.Time           `json:"updatedAt" doc:"Wanneer de aanvraag het laatst veranderde."`
	Timeline      []RequestEventEntry `json:"timeline" nullable:"false" doc:"Elke stap van de aanvraag, de oudste eerst."`
}

// RequestEventEntry is one step in the timeline of a request.
type RequestEventEntry struct {
	Status       string     `json:"status" doc:"De stand na deze stap."`
	At           time.Time  `json:"at" doc:"Wanneer."`
	ByID         string     `json:"byId" doc:"Wie de stap zette."`
	ProposedTime *time.Time `json:"proposedTime" doc:"De voorgestelde of afgesproken tijd, als die er was."`
}

// ReviewData is one of the resident's reviews of an offering.
type ReviewData struct {
	ID               string             `json:"id" doc:"Het nummer van de beoordeling."`
	RequestID        string             `json:"requestId" doc:"De aanvraag waar de beoordeling over gaat."`
	OfferingID       string             `json:"offeringId" doc:"Het aanbod."`
	OfferingTitle    string             `json:"offeringTitle" doc:"De naam van het aanbod."`
	WrittenByID      string             `json:"writtenById" doc:"Wie de beoordeling schreef: jij, of iemand die voor jou mocht handelen."`
	Status           string             `json:"status" doc:"Hoe het ervoor staat." example:"published"`
	AwaitsModeration bool               `json:"awaitsModeration" doc:"Of je laatste tekst nog gecontroleerd wordt."`
	Latest           ReviewContentData  `json:"latest" doc:"Je laatste tekst met cijfers: gepubliceerd, in controle of geweigerd."`
	Published        *ReviewContentData `json:"published" doc:"Wat iedereen nu ziet, of leeg als de beoordeling niet gepubliceerd is."`
	RefusalReason    string             `json:"refusalReason" doc:"De huisregel waarom je laatste tekst werd geweigerd, anders leeg." example:"personal_data"`
	RefusalNote      string             `json:"refusalNote" doc:"De toelichting van de moderator bij een weigering."`
	ProviderReply    string             `json:"providerReply" doc:"De gepubliceerde reactie van de aanbieder."`
	CreatedAt        time.Time          `json:"createdAt" doc:"Wanneer je de beoordeling schreef."`
	PublishedAt      *time.Time         `json:"publishedAt" doc:"Wanneer de beoordeling voor het eerst werd gepubliceerd."`
	UpdatedAt        time.Time          `json:"updatedAt" doc:"Wanneer de beoordeling het laatst veranderde."`
	WithdrawnAt      *time.Time         `json:"withdrawnAt" doc:"Wanneer je de beoordeling introk."`
}

// ReviewContentData is the scores and text of a review.
type ReviewContentData struct {
	Overall     int    `json:"overall" minimum:"0" maximum:"5" doc:"Het totaalcijfer, 1 tot 5."`
	Information int    `json:"information" minimum:"0" maximum:"5" doc:"Informatie, 1 tot 5."`
	Treatment   int    `json:"treatment" minimum:"0" maximum:"5" doc:"Bejegening, 1 tot 5."`
	Result      int    `json:"result" minimum:"0" maximum:"5" doc:"Resultaat, 1 tot 5."`
	Recommend   bool   `json:"recommend" doc:"Of je het aanraadt."`
	Text        string `json:"text" doc:"Je tekst."`
	Display     string `json:"display" doc:"Onder een schuilnaam of anoniem." example:"pseudonym"`
	Pseudonym   string `json:"pseudonym" doc:"Je schuilnaam, of leeg als je anoniem bent."`
}

// RequestOf is the export of a request with its timeline.
func RequestOf(r request.Request) RequestData {
	out := RequestData{ID: r.ID, OfferingID: r.OfferingID, OfferingTitle: r.OfferingTitle, ProviderID: r.ProviderOrgID,
		ProviderName: r.ProviderName, CreatedByID: r.CreatedByID, Status: string(r.Status), Message: r.Message,
		DeclineReason: r.Reason, Funding: string(r.Funding), ProposedTime: utcp(r.ProposedTime), DeliveredAt: utcp(r.DeliveredAt),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Timeline: []RequestEventEntry{}}
	for _, e := range r.Events {
		out.Timeline = append(out.Timeline, RequestEventEntry{Status: string(e.Status), At: e.At.UTC(), ByID: e.ByID, ProposedTime: utcp(e.ProposedTime)})
	}
	return out
}

// ReviewOf is the export of one of the resident's reviews.
func ReviewOf(m review.Mine) ReviewData {
	r := m.Review
	out := ReviewData{ID: r.ID, RequestID: r.RequestID, OfferingID: r.OfferingID, OfferingTitle: m.OfferingTitle,
		WrittenByID: r.WrittenByID, Status: string(r.Status), AwaitsModeration: m.Pending, Latest: reviewContentOf(m.Text),
		ProviderReply: r.Reply, CreatedAt: r.CreatedAt.UTC(), PublishedAt: utcp(r.PublishedAt), UpdatedAt: r.UpdatedAt.UTC(),
		WithdrawnAt: utcp(r.WithdrawnAt)}
	if r.Status == review.StatusPublished {
		c := reviewContentOf(r.Content)
		out.Published = &c
	}
	if m.Refusal != nil {
		out.RefusalReason, out.RefusalNote = string(m.Refusal.Reason), m.Refusal.Note
	}
	return out
}

func reviewContentOf(c review.Content) ReviewContentData {
	return ReviewContentData{Overall: c.Overall, Information: c.Information, Treatment: c.Treatment, Result: c.Result,
		Recommend: c.Recommend, Text: c.Text, Display: string(c.Display), Pseudonym: c.Pseudonym}
}

// market adds the resident's requests and reviews to the bundle.
func (s *Service) market(ctx context.Context, p identity.Person, b *Bundle) error {
	if s.d.Requests != nil {
		list, err := s.d.Requests.Export(ctx, p)
		if err != nil {
			return err
		}
		for _, r := range list {
			b.Requests = append(b.Requests, RequestOf(r))
		}
	}
	if s.d.Reviews != nil {
		list, err := s.d.Reviews.Mine(ctx, review.Actor{Person: p})
		if err != nil {
			return err
		}
		for _, m := range list {
			b.Reviews = append(b.Reviews, ReviewOf(m))
		}
	}
	return nil
}
