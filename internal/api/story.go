package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/inwonercloud/inwonercloud/internal/app/rights"
	"github.com/inwonercloud/inwonercloud/internal/app/story"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// The resident's own data over the API goes through the same services as
// the pages, with the same consent checks and access log. A token acts
// only for its own person: the API has no "acting for" — a delegate uses
// the website for that, where the switch is explicit and recorded.

// residentRoutes registers the operations on the resident's own data.
func (s *server) residentRoutes() {
	s.api.OpenAPI().Tags = append(s.api.OpenAPI().Tags,
		&huma.Tag{Name: "Verhaal", Description: "Eigen verhaal: je eigen verhaal, de versies, en wat anderen met jou deelden."},
		&huma.Tag{Name: "Toestemmingen", Description: "Wie mag welke gegevens van je zien, waarvoor en tot wanneer."},
		&huma.Tag{Name: "Machtigingen", Description: "Wie voor je mag handelen, en voor wie jij mag handelen."},
		&huma.Tag{Name: "Toegangslogboek", Description: "Wie jouw gegevens heeft bekeken of veranderd."},
		&huma.Tag{Name: "Export", Description: "Alles wat Inwonercloud over jou bewaart."},
	)
	register(s, http.MethodGet, "/stories/me", bearer, storyShowDoc, s.handleStoryShow)
	register(s, http.MethodPut, "/stories/me", bearer, storyUpdateDoc, s.handleStoryUpdate)
	register(s, http.MethodGet, "/stories/me/versions", bearer, storyVersionsDoc, s.handleStoryVersions)
	register(s, http.MethodGet, "/stories/{residentId}", bearer, storySharedDoc, s.handleStoryShared)
	register(s, http.MethodGet, "/consents", bearer, consentListDoc, s.handleConsentList)
	register(s, http.MethodPost, "/consents", bearer, consentCreateDoc, s.handleConsentCreate)
	register(s, http.MethodGet, "/consents/{id}", bearer, consentShowDoc, s.handleConsentShow)
	register(s, http.MethodDelete, "/consents/{id}", bearer, consentDeleteDoc, s.handleConsentDelete)
	register(s, http.MethodGet, "/mandates", bearer, mandateListDoc, s.handleMandateList)
	register(s, http.MethodPost, "/mandates", bearer, mandateCreateDoc, s.handleMandateCreate)
	register(s, http.MethodDelete, "/mandates/{id}", bearer, mandateDeleteDoc, s.handleMandateDelete)
	register(s, http.MethodGet, "/access-log", bearer, accessLogDoc, s.handleAccessLog)
	register(s, http.MethodGet, "/export", bearer, exportDoc, s.handleExport)
}

// unavailable is the answer of an operation whose service is not wired.
func unavailable(op string) error { return errs.E(op, errs.Unavailable, errs.Key("error.unavailable")) }

// camelFields renames a service's form field names (snake_case) to the
// API's camelCase field names in a validation error; other errors pass.
func camelFields(err error) error {
	f := errs.FieldsOf(err)
	if len(f) == 0 {
		return err
	}
	out := errs.Fields{}
	for k, v := range f {
		parts := strings.Split(k, "_")
		for i := 1; i < len(parts); i++ {
			if parts[i] != "" {
				parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
			}
		}
		out[strings.Join(parts, "")] = v
	}
	return errs.E("api", errs.Invalid, errs.Key("error.invalid"), out)
}

// Story is a resident's story as the caller may see it.
type Story struct {
	ResidentID      string     `json:"residentId" doc:"Van wie het verhaal is." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	Version         int        `json:"version" doc:"Het nummer van de laatste versie; 0 als er nog niets is opgeslagen." example:"3"`
	SavedAt         *time.Time `json:"savedAt" doc:"Wanneer die versie is opgeslagen (UTC); null als er nog niets is." example:"2025-06-01T12:00:00Z"`
	Narrative       string     `json:"narrative" doc:"Het verhaal in eigen woorden." example:"Sinds mijn operatie kan ik niet meer werken."`
	WhatMatters     string     `json:"whatMatters" doc:"Wat vind ik belangrijk." example:"Zelf blijven wonen."`
	CanDoMyself     string     `json:"canDoMyself" doc:"Wat kan ik zelf." example:"Koken en boodschappen doen."`
	WhoHelps        string     `json:"whoHelps" doc:"Wie helpt mij al." example:"Mijn dochter."`
	WhatINeed       string     `json:"whatINeed" doc:"Wat heb ik nodig." example:"Hulp bij de administratie."`
	Domains         []Domain   `json:"domains" nullable:"false" doc:"Per levensgebied wat er staat, voor de levensgebieden die je mag zien."`
	VisibleSections []string   `json:"visibleSections" nullable:"false" doc:"De delen die je mag zien; van de andere delen zie je niets." example:"[\"narrative\",\"finances\"]"`
}

// Domain is one life domain of a story.
type Domain struct {
	Domain     string     `json:"domain" enum:"finances,housing,work,health,mental,family,network,daily,caring,law" doc:"Het levensgebied." example:"finances"`
	Text       string     `json:"text" maxLength:"5000" doc:"Wat er staat, in eigen woorden." example:"Ik heb schulden."`
	Rating     int        `json:"rating" minimum:"0" maximum:"5" doc:"Hoe het gaat: 1 (heel slecht) tot 5 (heel goed); 0 als het niet is gezegd." example:"2"`
	WantToTalk bool       `json:"wantToTalk" doc:"Of de inwoner hierover wil praten." example:"true"`
	ChangedAt  *time.Time `json:"changedAt,omitempty" readOnly:"true" doc:"Wanneer dit deel het laatst veranderde (UTC)." example:"2025-06-01T12:00:00Z"`
}

func storyOf(st story.Story) Story {
	v := rights.VersionOf(st)
	out := Story{ResidentID: st.ResidentID, Version: st.Version, Narrative: v.Narrative, WhatMatters: v.WhatMatters, CanDoMyself: v.CanDoMyself,
		WhoHelps: v.WhoHelps, WhatINeed: v.WhatINeed, Domains: []Domain{}, VisibleSections: append([]string{}, st.Visible...)}
	if st.Version > 0 {
		out.SavedAt = &v.SavedAt
	}
	for _, d := range v.Domains {
		out.Domains = append(out.Domains, Domain{Domain: d.Domain, Text: d.Text, Rating: d.Rating, WantToTalk: d.WantToTalk, ChangedAt: d.ChangedAt})
	}
	return out
}

// StoryInput is a new version of the caller's story.
type StoryInput struct {
	Narrative   string        `json:"narrative,omitempty" maxLength:"20000" doc:"Je verhaal in je eigen woorden." example:"Sinds mijn operatie kan ik niet meer werken."`
	WhatMatters string        `json:"whatMatters,omitempty" maxLength:"5000" doc:"Wat vind ik belangrijk." example:"Zelf blijven wonen."`
	CanDoMyself string        `json:"canDoMyself,omitempty" maxLength:"5000" doc:"Wat kan ik zelf." example:"Koken."`
	WhoHelps    string        `json:"whoHelps,omitempty" maxLength:"5000" doc:"Wie helpt mij al." example:"Mijn dochter."`
	WhatINeed   string        `json:"whatINeed,omitempty" maxLength:"5000" doc:"Wat heb ik nodig." example:"Hulp bij de administratie."`
	Domains     []DomainInput `json:"domains,omitempty" maxItems:"10" doc:"Per levensgebied wat je wilt zeggen. Een levensgebied dat je weglaat, is leeg."`
}

// DomainInput is what the resident says about one life domain.
type DomainInput struct {
	Domain     string `json:"domain" enum:"finances,housing,work,health,mental,family,network,daily,caring,law" doc:"Het levensgebied." example:"finances"`
	Text       string `json:"text,omitempty" maxLength:"5000" doc:"Wat je erover zegt, in je eigen woorden." example:"Ik heb schulden."`
	Rating     int    `json:"rating,omitempty" minimum:"0" maximum:"5" doc:"Hoe het gaat: 1 (heel slecht) tot 5 (heel goed); 0 of weg als je het niet zegt." example:"2"`
	WantToTalk bool   `json:"wantToTalk,omitempty" doc:"Of je hierover wilt praten." example:"true"`
}

type storyShowOutput struct{ Body Story }

var storyShowDoc = huma.Operation{
	OperationID: "getOwnStory",
	Summary:     "Je eigen verhaal bekijken",
	Description: "Geeft de laatste versie van je eigen verhaal, helemaal. Heb je nog niets opgeslagen, dan is het verhaal leeg (versie 0).",
	Tags:        []string{"Verhaal"},
}

func (s *server) handleStoryShow(ctx context.Context, _ *struct{}) (*storyShowOutput, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if s.story == nil {
		return nil, unavailable("api.handleStoryShow")
	}
	rd, err := s.story.Get(ctx, story.Reader{Person: a.Person}, a.Person.ID)
	if err != nil {
		return nil, err
	}
	return &storyShowOutput{Body: storyOf(rd.Story)}, nil
}

type storyUpdateInput struct{ Body StoryInput }

var storyUpdateDoc = huma.Operation{
	OperationID: "updateOwnStory",
	Summary:     "Je eigen verhaal opslaan",
	Description: "Slaat een nieuwe versie van je verhaal op. Oude versies blijven bewaard. Verandert er niets, dan komt er geen nieuwe versie.",
	Tags:        []string{"Verhaal"},
	Errors:      []int{http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType},
}

func (s *server) handleStoryUpdate(ctx context.Context, in *storyUpdateInput) (*storyShowOutput, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if s.story == nil {
		return nil, unavailable("api.handleStoryUpdate")
	}
	c := story.Content{Narrative: in.Body.Narrative, WhatMatters: in.Body.WhatMatters, CanDoMyself: in.Body.CanDoMyself,
		WhoHelps: in.Body.WhoHelps, WhatINeed: in.Body.WhatINeed, Domains: map[story.Domain]story.DomainEntry{}}
	for _, d := range in.Body.Domains {
		if _, dup := c.Domains[story.Domain(d.Domain)]; dup {
			return nil, errs.E("api.handleStoryUpdate", errs.Invalid, errs.Fields{"domains": "field.invalid"})
		}
		c.Domains[story.Domain(d.Domain)] = story.DomainEntry{Text: d.Text, Rating: d.Rating, WantToTalk: d.WantToTalk}
	}
	st, err := s.story.Save(ctx, story.Reader{Person: a.Person}, a.Person.ID, c)
	if err != nil {
		return nil, camelFields(err)
	}
	return &storyShowOutput{Body: storyOf(st)}, nil
}

// StoryVersionInfo describes one saved version.
type StoryVersionInfo struct {
	Number    int       `json:"number" doc:"Het nummer van de versie." example:"2"`
	SavedAt   time.Time `json:"savedAt" doc:"Wanneer de versie is opgeslagen (UTC)." example:"2025-06-01T12:00:00Z"`
	SavedByID string    `json:"savedById" doc:"Wie de versie opsloeg." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	Changed   []string  `json:"changed" nullable:"false" doc:"De delen die in deze versie veranderden." example:"[\"finances\"]"`
}

// StoryVersionList is every version, newest first.
type StoryVersionList struct {
	Versions []StoryVersionInfo `json:"versions" nullable:"false" doc:"Alle versies, de nieuwste eerst."`
}

type storyVersionsOutput struct{ Body StoryVersionList }

var storyVersionsDoc = huma.Operation{
	OperationID: "listOwnStoryVersions",
	Summary:     "De versies van je verhaal bekijken",
	Description: "Geeft alle opgeslagen versies van je verhaal, de nieuwste eerst, met per versie welke delen veranderden.",
	Tags:        []string{"Verhaal"},
}

func (s *server) handleStoryVersions(ctx context.Context, _ *struct{}) (*storyVersionsOutput, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if s.story == nil {
		return nil, unavailable("api.handleStoryVersions")
	}
	list, err := s.story.Versions(ctx, story.Reader{Person: a.Person}, a.Person.ID)
	if err != nil {
		return nil, err
	}
	out := &storyVersionsOutput{Body: StoryVersionList{Versions: make([]StoryVersionInfo, 0, len(list))}}
	for _, v := range list {
		out.Body.Versions = append(out.Body.Versions, StoryVersionInfo{Number: v.Number, SavedAt: v.SavedAt.UTC(), SavedByID: v.SavedByID, Changed: append([]string{}, v.Changed...)})
	}
	return out, nil
}

type storySharedInput struct {
	ResidentID string `path:"residentId" maxLength:"64" doc:"Het nummer van de inwoner." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
}

var storySharedDoc = huma.Operation{
	OperationID: "getSharedStory",
	Summary:     "Een gedeeld verhaal bekijken",
	Description: "Geeft het verhaal van een inwoner die het met jou of je organisatie deelde: alleen de delen waarvoor je nu toestemming hebt. Elke keer dat je het bekijkt, komt in het toegangslogboek van de inwoner. Zonder toestemming krijg je 404, net als voor een inwoner die niet bestaat.",
	Tags:        []string{"Verhaal"},
	Errors:      []int{http.StatusBadRequest, http.StatusNotFound},
}

func (s *server) handleStoryShared(ctx context.Context, in *storySharedInput) (*storyShowOutput, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if s.story == nil {
		return nil, unavailable("api.handleStoryShared")
	}
	rd, err := s.story.Get(ctx, story.Reader{Person: a.Person}, in.ResidentID)
	if err != nil {
		return nil, err
	}
	return &storyShowOutput{Body: storyOf(rd.Story)}, nil
}
