package audit

import (
	"context"
	"time"
)

// Action is what was done with the data (NEN 7513 EventActionCode).
type Action string

// The actions.
const (
	ActionCreate Action = "create"
	ActionRead   Action = "read"
	ActionUpdate Action = "update"
	ActionDelete Action = "delete"
	ActionShare  Action = "share"
	ActionExport Action = "export"
	ActionSearch Action = "search"
)

// Outcome is whether the access was allowed (NEN 7513 EventOutcomeIndicator).
type Outcome string

// The outcomes.
const (
	Allowed Outcome = "allowed"
	Denied  Outcome = "denied"
)

// Event is one access to a resident's personal data, with the fields NEN
// 7513 asks for. The service that grants or refuses the access fills it
// in; the Recorder adds the time, the sequence number and the hash chain.
type Event struct {
	// Event: the processing activity, e.g. "story.read", and what was done.
	EventID string
	Action  Action
	Outcome Outcome

	// Actor: who did it, in which role and organisation.
	ActorID         string // the person's opaque id
	ActorName       string // the display name at the time, so the resident can read the log
	ActorRole       string // the role the actor used
	ActorOrgID      string // the organisation the actor acted for, if any
	ActorOrgName    string
	NetworkAddress  string // the client address (IP) or device
	OnBehalfOfID    string // the responsible person when a delegate acted for someone
	OnBehalfOfName  string
	PurposeOfUse    string // why, from the consent's purpose list or a named legal task
	MunicipalityID  string // AuditEnterpriseSiteID: the tenant
	SourceID        string // AuditSourceID: the instance that served the request
	TraceID, SpanID string // W3C trace context, when known
	SubjectID       string // ParticipantObjectID: the resident whose data it is (never a BSN)
	Category        string // which data: a data category or section, e.g. "story:finances"
	ObjectID        string // the record touched, if one
	Sensitivity     string // e.g. "normal", "special" (AVG art. 9 data)
	Basis           string // autorisatieProtocol: "own", "consent", "mandate", "legal_task:<name>"
	ConsentID       string // toestemmingsProfiel: the consent or mandate id ...
	ConsentVersion  int    // ... and its version
	Emergency       bool   // noodknop: access under an emergency rule
	At              time.Time
}

// Recorder appends events to the access log.
type Recorder interface {
	Record(ctx context.Context, e Event) error
}

// Valid reports whether a is one of the actions.
func (a Action) Valid() bool {
	switch a {
	case ActionCreate, ActionRead, ActionUpdate, ActionDelete, ActionShare, ActionExport, ActionSearch:
		return true
	}
	return false
}

// Valid reports whether o is one of the outcomes.
func (o Outcome) Valid() bool { return o == Allowed || o == Denied }
