package request

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// Category is the consent category of requests: a mandate whose scope
// covers it lets a delegate act on the resident's requests, and the grant
// a request makes to its provider names it.
const Category = "request"

// Status is where a request is in its life.
type Status string

// The statuses of a request.
const (
	StatusSent         Status = "sent"          // the resident asked; the provider has not answered
	StatusAccepted     Status = "accepted"      // the provider will do it (at ProposedTime when set)
	StatusTimeProposed Status = "time_proposed" // the provider proposes ProposedTime; the resident decides
	StatusDeclined     Status = "declined"      // the provider will not do it; see Reason (final)
	StatusCancelled    Status = "cancelled"     // the resident withdrew it (final)
	StatusDelivered    Status = "delivered"     // the provider did it (final)
)

// Statuses lists every status in the order of the life of a request.
var Statuses = []Status{StatusSent, StatusTimeProposed, StatusAccepted, StatusDelivered, StatusDeclined, StatusCancelled}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Final reports whether nothing can happen to a request in s any more.
func (s Status) Final() bool {
	return s == StatusDelivered || s == StatusDeclined || s == StatusCancelled
}

// Open reports whether the request still waits for something.
func (s Status) Open() bool { return s.Valid() && !s.Final() }

// next is the state machine: from a status, the statuses a request may
// go to.
var next = map[Status][]Status{
	StatusSent:         {StatusAccepted, StatusTimeProposed, StatusDeclined, StatusCancelled},
	StatusTimeProposed: {StatusAccepted, StatusDeclined, StatusCancelled},
	StatusAccepted:     {StatusDelivered, StatusCancelled},
}

// CanGo reports whether a request in s may go to to.
func (s Status) CanGo(to Status) bool { return slices.Contains(next[s], to) }

// LabelKey is the message key of the status's short name.
func (s Status) LabelKey() string { return "request.status." + string(s) }

// Funding says how the resident will pay for what they request.
type Funding string

// The ways to pay. The budget app (issue 6) pays FundingBudget requests
// from the resident's personal budget.
const (
	FundingUnknown      Funding = ""             // not said
	FundingFree         Funding = "free"         // it costs nothing
	FundingMunicipality Funding = "municipality" // the municipality pays (open service, or tailored after a decision)
	FundingBudget       Funding = "budget"       // from the resident's own (personal) budget
	FundingSelf         Funding = "self"         // the resident pays the provider themselves
)

// FundingsFor returns the ways to pay that fit an offering's cost type.
// With one, it is chosen for the resident; with more, they choose.
func FundingsFor(c market.CostType) []Funding {
	switch c {
	case market.CostFree:
		return []Funding{FundingFree}
	case market.CostOpenService, market.CostTailored:
		return []Funding{FundingMunicipality}
	case market.CostOwnBudget, market.CostPerUnit:
		return []Funding{FundingBudget, FundingSelf}
	}
	return []Funding{FundingUnknown}
}

// LabelKey is the message key of the way to pay.
func (f Funding) LabelKey() string {
	if f == FundingUnknown {
		return "request.funding.unknown"
	}
	return "request.funding." + string(f)
}

// Request is a resident's request (aanvraag) for an offering.
type Request struct {
	ID            string
	OfferingID    string
	ProviderOrgID string
	ResidentID    string
	CreatedByID   string // the resident, or the delegate acting for them
	OfferingTitle string // as it was when asked
	ProviderName  string // read-only: the provider organisation's name
	ResidentName  string // read-only: the resident's display name ("" once erased)
	Message       string
	Status        Status
	ProposedTime  *time.Time // the provider's proposed time (time_proposed), the agreed time once accepted
	Reason        string     // the provider's reason when declining
	Funding       Funding
	DeliveredAt   *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Version       int64 // 1 when sent; one more with every change

	// Events is the timeline, oldest first; filled by Get only.
	Events []Event
}

// Event is one step in the timeline of a request.
type Event struct {
	RequestID    string
	Status       Status // the status the request went to
	At           time.Time
	ByID         string     // who made the change
	ProposedTime *time.Time // the time proposed or agreed, if any
}

// Limits, in characters.
const (
	MaxMessageLen = 2000
	MaxReasonLen  = 1000
)

// checkText returns the message key of what is wrong with a multi-line
// text field, or "": "field.<name>.required" or ".too_long", or
// "field.invalid_text".
func checkText(name, s string, required bool, max int) string {
	switch {
	case strings.TrimSpace(s) == "":
		if required {
			return "field." + name + ".required"
		}
	case !utf8.ValidString(s):
		return "field.invalid_text"
	case strings.ContainsFunc(s, func(r rune) bool {
		return (r < 0x20 && r != '\n' && r != '\r' && r != '\t') || r == 0x7f
	}):
		return "field.invalid_text"
	case utf8.RuneCountInString(s) > max:
		return "field." + name + ".too_long"
	}
	return ""
}

// fieldErr is an Invalid error for one field.
func fieldErr(op, field, key string) error {
	return errs.Fields{field: key}.Err(op)
}
