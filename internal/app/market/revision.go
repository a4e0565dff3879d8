package market

import "time"

// RevisionStatus is where a proposed change is.
type RevisionStatus string

// The statuses of a revision. At most one revision of an offering is
// pending; a new change by the provider replaces its content.
const (
	RevisionPending  RevisionStatus = "pending"
	RevisionApproved RevisionStatus = "approved"
	RevisionRefused  RevisionStatus = "refused"
)

// Revision is a proposed change to a published (or hidden) offering. The
// offering keeps showing its approved content until a municipality admin
// approves the revision, which copies Content into the offering, or
// refuses it with a reason the provider sees.
type Revision struct {
	ID            string
	OfferingID    string
	Content       Content
	Status        RevisionStatus
	RefusalReason string
	ProposedByID  string
	ProposedAt    time.Time
	DecidedByID   string
	DecidedAt     *time.Time
}
