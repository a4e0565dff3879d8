package consent

import (
	"context"
	"slices"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// Permission is what a grant lets the grantee do with the data it covers.
type Permission string

// The permissions.
const (
	// PermissionRead allows reading the covered categories, their comment
	// categories included.
	PermissionRead Permission = "read"
	// PermissionReadComment allows what PermissionRead allows, and adding
	// comments: action create on "<c>:comment" for every covered category
	// c. It does not allow changing or deleting anything.
	PermissionReadComment Permission = "read_comment"
)

// Permissions lists every permission.
var Permissions = []Permission{PermissionRead, PermissionReadComment}

// Valid reports whether p is a known permission.
func (p Permission) Valid() bool { return slices.Contains(Permissions, p) }

// LabelKey is the message key of the permission's name.
func (p Permission) LabelKey() string { return "consent.permission." + string(p) }

// Purpose is why the resident shares: the purpose of use that every access
// under the grant is logged with.
type Purpose string

// The purposes.
const (
	PurposeSupportPlan  Purpose = "support_plan"  // een ondersteuningsplan maken of uitvoeren
	PurposeAssessment   Purpose = "assessment"    // onderzoek naar ondersteuning (keukentafelgesprek, Wmo/Jeugdwet)
	PurposeCareDelivery Purpose = "care_delivery" // zorg of ondersteuning verlenen
	PurposeInformalCare Purpose = "informal_care" // mantelzorg: een naaste die helpt
)

// Purposes lists every purpose, in the order a form shows them.
var Purposes = []Purpose{PurposeSupportPlan, PurposeAssessment, PurposeCareDelivery, PurposeInformalCare}

// Valid reports whether p is a known purpose.
func (p Purpose) Valid() bool { return slices.Contains(Purposes, p) }

// LabelKey is the message key of the purpose's name.
func (p Purpose) LabelKey() string { return "consent.purpose." + string(p) }

// Change is what a version of a grant changed.
type Change string

// The changes.
const (
	ChangeCreate Change = "create"
	ChangeExtend Change = "extend"
	ChangeRevoke Change = "revoke"
)

// Grant is a resident's consent (toestemming) for one grantee — a person
// or an organisation — to use some categories of their data for one
// purpose, for a period. Every change makes a new version; the versions
// are kept. See doc.go for the mapping onto a FHIR Consent.
type Grant struct {
	ID              string
	Version         int    // 1 when created; one more with each change
	GrantorID       string // the resident whose data it is
	GranteePersonID string // exactly one of GranteePersonID and GranteeOrgID
	GranteeOrgID    string
	Categories      []string // normalised: sorted, none covered by another
	Permission      Permission
	Purpose         Purpose
	ValidFrom       time.Time // first millisecond of use
	ValidUntil      time.Time // first millisecond no longer allowed
	RevokedAt       *time.Time
	CreatedAt       time.Time
	CreatedByID     string // the resident, or the delegate who acted for them

	// Of the version at hand.
	Change      Change
	ChangedAt   time.Time
	ChangedByID string

	// RemindedAt is when the resident was reminded of the coming expiry;
	// not part of the versions, and cleared when the grant is extended.
	RemindedAt *time.Time
}

// Live reports whether the grant allows access at now: not revoked, and
// ValidFrom <= now < ValidUntil.
func (g Grant) Live(now time.Time) bool {
	return g.RevokedAt == nil && !now.Before(g.ValidFrom) && now.Before(g.ValidUntil)
}

// permits reports whether the grant's categories and permission allow the
// request (Live is checked apart).
func (g Grant) permits(req Request) bool {
	switch req.Action {
	case audit.ActionRead:
		return coversAny(g.Categories, req.Category)
	case audit.ActionCreate:
		base, comment := cutComment(req.Category)
		return comment && g.Permission == PermissionReadComment && coversAny(g.Categories, base)
	}
	return false
}

// Receipt is a grant with all its versions, oldest first: what the
// resident agreed to, and every change since.
type Receipt struct {
	Grant    Grant
	Versions []Grant
}

// NewGrant is the form with which a resident, or a delegate acting for
// them, shares data.
type NewGrant struct {
	GrantorID       string // the resident; "" means the actor
	GranteePersonID string
	GranteeOrgID    string
	Categories      []string
	Permission      Permission
	Purpose         Purpose
	ValidFrom       time.Time // zero or in the past: now
	ValidUntil      time.Time // zero: ValidFrom + the policy's DefaultDays
}

// Policy bounds how long a grant may last, per municipality.
type Policy struct {
	DefaultDays int // a grant without an end date lasts this long
	MaxDays     int // a grant (or an extension, counted from now) lasts at most this long
}

// DefaultPolicy applies where a municipality has set none: 90 days by
// default, at most one year (SECURITY.md §6).
var DefaultPolicy = Policy{DefaultDays: 90, MaxDays: 365}

// Validate checks that the policy makes sense: 1 <= DefaultDays <= MaxDays.
func (p Policy) Validate() error {
	if p.DefaultDays < 1 || p.MaxDays < p.DefaultDays {
		return errs.E("consent.Policy", errs.Invalid, errs.Fields{"policy": "field.policy.invalid"})
	}
	return nil
}

// PolicySource looks up a municipality's consent policy; the municipality
// settings that hold it belong to another package.
type PolicySource interface {
	// ConsentPolicy returns the policy of a municipality; an errs.NotFound
	// means it has none, and DefaultPolicy applies.
	ConsentPolicy(ctx context.Context, municipalityID string) (Policy, error)
}

// days is n days as a duration; the platform counts in UTC, so a day is
// 24 hours.
func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

// checkPeriod adds the field errors of a validity period. now is the time
// of the change; the period may last at most MaxDays from the later of now
// and from.
func checkPeriod(f errs.Fields, from, until, now time.Time, p Policy) {
	start := from
	if start.Before(now) {
		start = now
	}
	switch {
	case from.After(now.Add(days(p.MaxDays))):
		f.Add("valid_from", "field.valid_from.too_late")
	case !until.After(now):
		f.Add("valid_until", "field.valid_until.past")
	case !until.After(from):
		f.Add("valid_until", "field.valid_until.before_start")
	case until.Sub(start) > days(p.MaxDays):
		f.Add("valid_until", "field.valid_until.too_late")
	}
}
