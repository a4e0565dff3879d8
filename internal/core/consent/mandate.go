package consent

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// MandateKind is the kind of relation a mandate records.
type MandateKind string

// The mandate kinds.
const (
	// MandateTrustedPerson: a person the resident chose (a mantelzorger,
	// a family member). Appointed by the resident themselves.
	MandateTrustedPerson MandateKind = "trusted_person"
	// MandateParent: a parent with authority over a minor child. Recorded
	// by staff, who checked the parental authority; it ends at the latest
	// when the year in which the child turns 18 begins.
	MandateParent MandateKind = "parent"
	// MandateLegalRepresentative: a curator, bewindvoerder or mentor
	// appointed by a court. Recorded by staff, naming the legal basis.
	MandateLegalRepresentative MandateKind = "legal_representative"
)

// MandateKinds lists every kind.
var MandateKinds = []MandateKind{MandateTrustedPerson, MandateParent, MandateLegalRepresentative}

// Valid reports whether k is a known kind.
func (k MandateKind) Valid() bool { return slices.Contains(MandateKinds, k) }

// StaffMade reports whether staff, not the resident, record and end
// mandates of this kind.
func (k MandateKind) StaffMade() bool { return k == MandateParent || k == MandateLegalRepresentative }

// LabelKey is the message key of the kind's name.
func (k MandateKind) LabelKey() string { return "consent.mandate_kind." + string(k) }

// Mandate (machtiging) lets a delegate act for a resident within a scope
// of categories, for a period. CategoryConsent in the scope lets the
// delegate grant, extend and revoke consents for the resident; appointing
// other delegates is never in a scope.
type Mandate struct {
	ID             string
	ResidentID     string
	DelegateID     string
	Kind           MandateKind
	Scope          []string // normalised categories
	ChildBirthYear int      // MandateParent: the child's year of birth
	LegalBasis     string   // staff-made kinds: e.g. the court decision
	ValidFrom      time.Time
	ValidUntil     time.Time // first millisecond no longer allowed
	RevokedAt      *time.Time
	RevokedByID    string
	CreatedAt      time.Time
	CreatedByID    string
}

// Live reports whether the mandate may be used at now: not revoked, and
// ValidFrom <= now < ValidUntil.
func (m Mandate) Live(now time.Time) bool {
	return m.RevokedAt == nil && !now.Before(m.ValidFrom) && now.Before(m.ValidUntil)
}

// NewMandate is the form with which a resident appoints a trusted person,
// or staff record a parent or legal representative.
type NewMandate struct {
	ResidentID     string // "" means the actor (for a trusted person)
	DelegateID     string
	Kind           MandateKind
	Scope          []string
	ChildBirthYear int
	LegalBasis     string
	ValidFrom      time.Time // zero or in the past: now
	ValidUntil     time.Time // zero: MandateDefaultDays after ValidFrom (capped for a parent)
}

// Limits on mandates.
const (
	MandateDefaultDays = 365     // a mandate without an end date lasts a year
	MandateMaxDays     = 5 * 365 // at most five years, the court's review period for curatele and bewind
	MaxLegalBasisLen   = 500     // characters
	AdultAge           = 18
)

// adultFrom is the first moment at which a child born in year counts as an
// adult: the start of the year they turn 18. Knowing only the year, this
// ends a parent's mandate early rather than late.
func adultFrom(year int) time.Time { return time.Date(year+AdultAge, 1, 1, 0, 0, 0, 0, time.UTC) }

// validate normalises the new mandate (times, scope, defaults) and checks
// it; cats is the registry the scope is checked against.
func (n *NewMandate) validate(now time.Time, cats *Categories) error {
	f := errs.Fields{}
	n.LegalBasis = strings.TrimSpace(n.LegalBasis)
	n.Scope = normalizeCategories(n.Scope)
	n.ValidFrom, n.ValidUntil = n.ValidFrom.UTC().Truncate(time.Millisecond), n.ValidUntil.UTC().Truncate(time.Millisecond)
	if n.ValidFrom.Before(now) {
		n.ValidFrom = now
	}
	switch {
	case n.DelegateID == "":
		f.Add("delegate", "field.delegate.required")
	case n.DelegateID == n.ResidentID:
		f.Add("delegate", "field.delegate.self")
	}
	if !n.Kind.Valid() {
		f.Add("kind", "field.mandate_kind.invalid")
	}
	if len(n.Scope) == 0 {
		f.Add("scope", "field.scope.required")
	}
	for _, c := range n.Scope {
		if !cats.Known(c) {
			f.Add("scope", "field.scope.unknown")
		}
	}
	limit := now.Add(days(MandateMaxDays))
	if n.Kind == MandateParent {
		switch {
		case n.ChildBirthYear == 0:
			f.Add("birth_year", "field.birth_year.required")
		case n.ChildBirthYear > now.Year():
			f.Add("birth_year", "field.birth_year.invalid")
		case !now.Before(adultFrom(n.ChildBirthYear)):
			f.Add("birth_year", "field.birth_year.not_minor")
		default:
			limit = earlier(limit, adultFrom(n.ChildBirthYear))
		}
	}
	if n.Kind.StaffMade() {
		switch {
		case n.LegalBasis == "":
			f.Add("legal_basis", "field.legal_basis.required")
		case !utf8.ValidString(n.LegalBasis):
			f.Add("legal_basis", "field.invalid_text")
		case utf8.RuneCountInString(n.LegalBasis) > MaxLegalBasisLen:
			f.Add("legal_basis", "field.legal_basis.too_long")
		}
	}
	if n.ValidUntil.IsZero() {
		n.ValidUntil = earlier(n.ValidFrom.Add(days(MandateDefaultDays)), limit)
	}
	switch {
	case !n.ValidFrom.Before(limit):
		f.Add("valid_from", "field.valid_from.too_late")
	case !n.ValidUntil.After(n.ValidFrom):
		f.Add("valid_until", "field.valid_until.before_start")
	case n.ValidUntil.After(limit):
		f.Add("valid_until", "field.valid_until.too_late")
	}
	return f.Err("consent.NewMandate")
}

// earlier returns the earlier of two times.
func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
