package rights

import (
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/story"
	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// SchemaVersion is the version of the export's JSON layout. A change that
// removes or renames a field makes a new major version, one that adds
// fields a new minor version (1.1 added requests and reviews, 1.2 budgets
// and care agreements).
const SchemaVersion = "1.2"

// Bundle is everything the platform holds about one resident, as they
// download it. Field names are the JSON names; times are UTC.
type Bundle struct {
	SchemaVersion string          `json:"schemaVersion" doc:"De versie van de opbouw van dit bestand." example:"1.0"`
	ExportedAt    time.Time       `json:"exportedAt" doc:"Wanneer dit bestand is gemaakt (UTC)."`
	Person        AccountData     `json:"person" doc:"Je account."`
	Sessions      []SessionData   `json:"sessions" nullable:"false" doc:"Je sessies die nu actief zijn, zonder geheimen."`
	Tokens        []TokenData     `json:"tokens" nullable:"false" doc:"Je API-tokens die nu werken, zonder geheimen."`
	Story         StoryHistory    `json:"story" doc:"Je verhaal: elke opgeslagen versie en de reacties."`
	GrantsGiven   []GrantHistory  `json:"grantsGiven" nullable:"false" doc:"De toestemmingen die je gaf, met alle versies."`
	GrantsHeld    []GrantHistory  `json:"grantsReceived" nullable:"false" doc:"De toestemmingen die anderen jou nu geven."`
	MandatesGiven []MandateData   `json:"mandatesGiven" nullable:"false" doc:"De machtigingen voor jou: wie voor jou mag handelen."`
	MandatesHeld  []MandateData   `json:"mandatesHeld" nullable:"false" doc:"De machtigingen die jij nu hebt om voor iemand anders te handelen."`
	AccessLog     []AccessEntry   `json:"accessLog" nullable:"false" doc:"Wie jouw gegevens heeft bekeken of veranderd, het nieuwste eerst."`
	Requests      []RequestData   `json:"requests" nullable:"false" doc:"Je aanvragen op de Marktplaats met je bericht en elke stap, de nieuwste eerst."`
	Reviews       []ReviewData    `json:"reviews" nullable:"false" doc:"Je beoordelingen van aanbod, in elke stand, de nieuwste eerst."`
	Budgets       []BudgetData    `json:"budgets" nullable:"false" doc:"Je budgetten (Eigen budget) met de besluiten van de gemeente, de declaraties en elke boeking."`
	Agreements    []AgreementData `json:"careAgreements" nullable:"false" doc:"Je zorgafspraken met aanbieders, ook voorgestelde en gestopte."`
}

// AccountData is the account.
type AccountData struct {
	ID                 string     `json:"id" doc:"Het nummer van je account."`
	Email              string     `json:"email" doc:"Je e-mailadres."`
	DisplayName        string     `json:"displayName" doc:"Je naam."`
	HomeMunicipalityID string     `json:"homeMunicipalityId" doc:"De gemeente waar je woont (leeg als je geen inwoner bent)."`
	Locale             string     `json:"locale" doc:"De taal van je account."`
	EmailVerifiedAt    *time.Time `json:"emailVerifiedAt" doc:"Wanneer je je e-mailadres bevestigde."`
	SecondFactor       bool       `json:"secondFactor" doc:"Of tweestapsverificatie aan staat."`
	CreatedAt          time.Time  `json:"createdAt" doc:"Wanneer je account is gemaakt."`
	Roles              []RoleData `json:"roles" nullable:"false" doc:"Je rollen."`
}

// RoleData is one role the person holds.
type RoleData struct {
	Role           string `json:"role" doc:"De rol."`
	OrganisationID string `json:"organisationId" doc:"De organisatie, of leeg."`
	MunicipalityID string `json:"municipalityId" doc:"De gemeente, of leeg."`
}

// SessionData is a login session, without its token.
type SessionData struct {
	ID         string    `json:"id" doc:"Het nummer van de sessie."`
	CreatedAt  time.Time `json:"createdAt" doc:"Wanneer je inlogde."`
	LastSeenAt time.Time `json:"lastSeenAt" doc:"Wanneer de sessie het laatst werd gebruikt."`
	ExpiresAt  time.Time `json:"expiresAt" doc:"Wanneer de sessie uiterlijk stopt."`
	UserAgent  string    `json:"userAgent" doc:"De browser."`
}

// TokenData is an API token, without its secret.
type TokenData struct {
	ID         string     `json:"id" doc:"Het nummer van het token."`
	Name       string     `json:"name" doc:"De naam van het token."`
	CreatedAt  time.Time  `json:"createdAt" doc:"Wanneer het token is gemaakt."`
	ExpiresAt  time.Time  `json:"expiresAt" doc:"Tot wanneer het token werkt."`
	LastUsedAt *time.Time `json:"lastUsedAt" doc:"Wanneer het token het laatst is gebruikt."`
}

// StoryHistory is every version of the story and every comment on it.
type StoryHistory struct {
	Versions []StoryVersion `json:"versions" nullable:"false" doc:"Elke opgeslagen versie, de oudste eerst."`
	Comments []CommentData  `json:"comments" nullable:"false" doc:"Reacties van hulpverleners, de oudste eerst."`
}

// StoryVersion is one saved version of the story.
type StoryVersion struct {
	Number      int           `json:"number" doc:"Het nummer van de versie."`
	SavedAt     time.Time     `json:"savedAt" doc:"Wanneer deze versie is opgeslagen."`
	SavedByID   string        `json:"savedById" doc:"Wie opsloeg: jij, of iemand die voor jou mocht handelen."`
	Narrative   string        `json:"narrative" doc:"Je verhaal in je eigen woorden."`
	WhatMatters string        `json:"whatMatters" doc:"Wat vind ik belangrijk."`
	CanDoMyself string        `json:"canDoMyself" doc:"Wat kan ik zelf."`
	WhoHelps    string        `json:"whoHelps" doc:"Wie helpt mij al."`
	WhatINeed   string        `json:"whatINeed" doc:"Wat heb ik nodig."`
	Domains     []DomainEntry `json:"domains" nullable:"false" doc:"Per levensgebied wat je schreef."`
}

// DomainEntry is what the resident wrote about one life domain.
type DomainEntry struct {
	Domain     string     `json:"domain" doc:"Het levensgebied." example:"housing"`
	Text       string     `json:"text" doc:"Wat je schreef."`
	Rating     int        `json:"rating" minimum:"0" maximum:"5" doc:"Hoe het gaat, 1 tot 5; 0 als je het niet zei."`
	WantToTalk bool       `json:"wantToTalk" doc:"Of je hierover wilt praten."`
	ChangedAt  *time.Time `json:"changedAt" doc:"Wanneer dit deel het laatst veranderde."`
}

// CommentData is a comment on a section of the story.
type CommentData struct {
	ID         string    `json:"id" doc:"Het nummer van de reactie."`
	Section    string    `json:"section" doc:"Het deel van je verhaal."`
	AuthorID   string    `json:"authorId" doc:"Wie reageerde."`
	AuthorName string    `json:"authorName" doc:"De naam van wie reageerde."`
	Body       string    `json:"body" doc:"De reactie."`
	CreatedAt  time.Time `json:"createdAt" doc:"Wanneer."`
}

// GrantHistory is a consent grant with its versions.
type GrantHistory struct {
	GrantData
	Versions []GrantData `json:"versions" nullable:"false" doc:"Alle versies van deze toestemming, de oudste eerst."`
}

// GrantData is one version of a consent grant.
type GrantData struct {
	ID              string     `json:"id" doc:"Het nummer van de toestemming."`
	Version         int        `json:"version" doc:"De versie."`
	GrantorID       string     `json:"grantorId" doc:"Wie toestemming gaf."`
	GranteePersonID string     `json:"granteePersonId" doc:"De persoon die toestemming kreeg, of leeg."`
	GranteeOrgID    string     `json:"granteeOrganisationId" doc:"De organisatie die toestemming kreeg, of leeg."`
	Categories      []string   `json:"categories" nullable:"false" doc:"Welke gegevens."`
	Permission      string     `json:"permission" doc:"Lezen, of lezen en reageren."`
	Purpose         string     `json:"purpose" doc:"Waarvoor."`
	ValidFrom       time.Time  `json:"validFrom" doc:"Vanaf wanneer."`
	ValidUntil      time.Time  `json:"validUntil" doc:"Tot wanneer."`
	RevokedAt       *time.Time `json:"revokedAt" doc:"Wanneer ingetrokken."`
	Change          string     `json:"change" doc:"Wat deze versie veranderde."`
	ChangedAt       time.Time  `json:"changedAt" doc:"Wanneer."`
	ChangedByID     string     `json:"changedById" doc:"Door wie."`
}

// MandateData is a mandate given or held.
type MandateData struct {
	ID         string     `json:"id" doc:"Het nummer van de machtiging."`
	ResidentID string     `json:"residentId" doc:"Voor wie gehandeld mag worden."`
	DelegateID string     `json:"delegateId" doc:"Wie mag handelen."`
	Kind       string     `json:"kind" doc:"Soort machtiging."`
	Scope      []string   `json:"scope" nullable:"false" doc:"Waarvoor."`
	ValidFrom  time.Time  `json:"validFrom" doc:"Vanaf wanneer."`
	ValidUntil time.Time  `json:"validUntil" doc:"Tot wanneer."`
	RevokedAt  *time.Time `json:"revokedAt" doc:"Wanneer ingetrokken."`
}

// AccessEntry is one record of the access log about the resident.
type AccessEntry struct {
	At           time.Time `json:"at" doc:"Wanneer (UTC)."`
	EventID      string    `json:"eventId" doc:"Wat er gebeurde."`
	Action       string    `json:"action" doc:"De handeling."`
	Outcome      string    `json:"outcome" doc:"Toegestaan of geweigerd."`
	ActorID      string    `json:"actorId" doc:"Wie."`
	ActorRole    string    `json:"actorRole" doc:"In welke rol."`
	ActorOrgName string    `json:"actorOrganisation" doc:"Voor welke organisatie."`
	OnBehalfOfID string    `json:"onBehalfOfId" doc:"Namens wie."`
	Category     string    `json:"category" doc:"Welke gegevens."`
	Basis        string    `json:"basis" doc:"Op welke grond."`
	ConsentID    string    `json:"consentId" doc:"De toestemming of machtiging."`
	Purpose      string    `json:"purpose" doc:"Waarvoor."`
}

// AccountOf is the export of an account, without secrets.
func AccountOf(p identity.Person) AccountData {
	out := AccountData{ID: p.ID, Email: p.Email, DisplayName: p.DisplayName, HomeMunicipalityID: p.HomeMunicipalityID,
		Locale: p.Locale, EmailVerifiedAt: utcp(p.EmailVerifiedAt), SecondFactor: p.TOTPEnabledAt != nil,
		CreatedAt: p.CreatedAt.UTC(), Roles: []RoleData{}}
	for _, r := range p.Roles {
		out.Roles = append(out.Roles, RoleData{Role: string(r.Role), OrganisationID: r.OrganisationID, MunicipalityID: r.MunicipalityID})
	}
	return out
}

// VersionOf is the export of one story version.
func VersionOf(st story.Story) StoryVersion {
	c := st.Content
	v := StoryVersion{Number: st.Version, SavedAt: st.SavedAt.UTC(), SavedByID: st.SavedByID, Narrative: c.Narrative,
		WhatMatters: c.WhatMatters, CanDoMyself: c.CanDoMyself, WhoHelps: c.WhoHelps, WhatINeed: c.WhatINeed, Domains: []DomainEntry{}}
	for _, d := range story.Domains {
		e, ok := c.Domains[d]
		if !ok {
			continue
		}
		var changed *time.Time
		if !e.ChangedAt.IsZero() {
			changed = utcp(&e.ChangedAt)
		}
		v.Domains = append(v.Domains, DomainEntry{Domain: string(d), Text: e.Text, Rating: e.Rating, WantToTalk: e.WantToTalk, ChangedAt: changed})
	}
	return v
}

// GrantOf is the export of one grant version.
func GrantOf(g consent.Grant) GrantData {
	cats := append([]string{}, g.Categories...)
	return GrantData{ID: g.ID, Version: g.Version, GrantorID: g.GrantorID, GranteePersonID: g.GranteePersonID, GranteeOrgID: g.GranteeOrgID,
		Categories: cats, Permission: string(g.Permission), Purpose: string(g.Purpose), ValidFrom: g.ValidFrom.UTC(),
		ValidUntil: g.ValidUntil.UTC(), RevokedAt: utcp(g.RevokedAt), Change: string(g.Change), ChangedAt: g.ChangedAt.UTC(), ChangedByID: g.ChangedByID}
}

// MandateOf is the export of a mandate.
func MandateOf(m consent.Mandate) MandateData {
	return MandateData{ID: m.ID, ResidentID: m.ResidentID, DelegateID: m.DelegateID, Kind: string(m.Kind), Scope: append([]string{}, m.Scope...),
		ValidFrom: m.ValidFrom.UTC(), ValidUntil: m.ValidUntil.UTC(), RevokedAt: utcp(m.RevokedAt)}
}

// AccessOf is the export of an access-log record.
func AccessOf(r audit.Record) AccessEntry {
	return AccessEntry{At: r.At.UTC(), EventID: r.EventID, Action: string(r.Action), Outcome: string(r.Outcome), ActorID: r.ActorID,
		ActorRole: r.ActorRole, ActorOrgName: r.ActorOrgName, OnBehalfOfID: r.OnBehalfOfID, Category: r.Category, Basis: r.Basis,
		ConsentID: r.ConsentID, Purpose: r.PurposeOfUse}
}

func utcp(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
