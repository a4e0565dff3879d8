package budget

import (
	"fmt"
	"slices"
	"time"
)

// Category is the consent category of budgets: a mandate whose scope
// covers it lets a delegate manage the resident's budget, and the legal
// task of consultants names it.
const Category = "budget"

// Cents is an amount of money in euro cents. Money is never a float.
type Cents int64

// String formats the amount as euros with a comma, e.g. "1.234,50"
// without a currency sign; negative amounts get a leading minus.
func (c Cents) String() string {
	sign := ""
	v := int64(c)
	if v < 0 {
		sign, v = "-", -v
	}
	euros, cents := v/100, v%100
	s := fmt.Sprintf("%d", euros)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return fmt.Sprintf("%s%s,%02d", sign, s, cents)
}

// MaxAmount is the largest amount a decision, agreement or claim may name:
// ten million euro, far above any real budget, far below overflow.
const MaxAmount Cents = 1_000_000_000

// Status is where a budget is in its life.
type Status string

// The statuses of a budget.
const (
	StatusActive    Status = "active"    // granted; may be spent within its period
	StatusWithdrawn Status = "withdrawn" // withdrawn by a decision (final)
)

// LabelKey is the message key of the status's short name.
func (s Status) LabelKey() string { return "budget.status." + string(s) }

// Budget is a resident's personal budget. Its money is in the ledger.
type Budget struct {
	ID             string
	ResidentID     string
	MunicipalityID string
	ConsultantID   string // the consultant who made the first grant
	PeriodStart    time.Time
	PeriodEnd      time.Time // the last day it may be spent (inclusive)
	Status         Status
	CategoryIDs    []string // eligible marketplace categories, from the last decision
	OfferingIDs    []string // eligible offerings, from the last decision; both empty: any budget offering
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Version        int64

	ResidentName string // read-only: the resident's display name ("" once erased)
}

// Eligible reports whether an offering in the given categories may be paid
// from the budget.
func (b Budget) Eligible(offeringID string, categoryIDs []string) bool {
	if len(b.CategoryIDs) == 0 && len(b.OfferingIDs) == 0 {
		return true
	}
	if slices.Contains(b.OfferingIDs, offeringID) {
		return true
	}
	return slices.ContainsFunc(categoryIDs, func(c string) bool { return slices.Contains(b.CategoryIDs, c) })
}

// Covers reports whether the day t is within the budget's period.
func (b Budget) Covers(t time.Time) bool {
	d := day(t)
	return !d.Before(day(b.PeriodStart)) && !d.After(day(b.PeriodEnd))
}

// DecisionKind says what a decision does.
type DecisionKind string

// The kinds of decision.
const (
	KindGrant      DecisionKind = "grant"      // the first decision: a new budget
	KindChange     DecisionKind = "change"     // a new amount, period or eligibility
	KindWithdrawal DecisionKind = "withdrawal" // the budget ends; what is not spent or reserved goes back
)

// LabelKey is the message key of the kind's name.
func (k DecisionKind) LabelKey() string { return "budget.decision." + string(k) }

// Decision is a consultant's decision on a budget. It is never edited.
type Decision struct {
	ID          string
	BudgetID    string
	Kind        DecisionKind
	AmountCents Cents // the granted amount after this decision (0 for a withdrawal)
	DeltaCents  Cents // what it moved: + granted more, − granted less
	PeriodStart time.Time
	PeriodEnd   time.Time
	CategoryIDs []string
	OfferingIDs []string
	LegalBasis  string // the law and reasons in words, shown to the resident
	DecidedByID string
	DecidedAt   time.Time
	Supersedes  string // the decision it replaces ("" for a grant)
	TxID        string // the ledger transaction it made ("" when it moved nothing)
}

// Balance is what a budget holds, derived from the ledger. Granted =
// Available + Reserved + Spent always holds.
type Balance struct {
	Granted   Cents // what the decisions granted, net
	Available Cents // granted, not reserved or spent: what is left
	Reserved  Cents // held for agreements
	Spent     Cents // approved claims (paid or to be paid)
	Paid      Cents // payment instructions to providers
}

// View is a budget with its balance and the decision in force.
type View struct {
	Budget   Budget
	Balance  Balance
	Decision Decision // the last decision
}

// AgreementStatus is where an agreement is in its life.
type AgreementStatus string

// The statuses of an agreement.
const (
	AgreementProposed             AgreementStatus = "proposed"              // the provider proposed; the resident decides
	AgreementAwaitingMunicipality AgreementStatus = "awaiting_municipality" // accepted and reserved; the municipality decides
	AgreementActive               AgreementStatus = "active"                // in force: claims may be made
	AgreementRefused              AgreementStatus = "refused"               // refused by the resident or the municipality (final)
	AgreementEnded                AgreementStatus = "ended"                 // ended; what was left is released (final)
)

// LabelKey is the message key of the status's short name.
func (s AgreementStatus) LabelKey() string { return "budget.agreement.status." + string(s) }

// Final reports whether nothing can happen to the agreement any more.
func (s AgreementStatus) Final() bool { return s == AgreementRefused || s == AgreementEnded }

// Agreement is a care agreement (zorgovereenkomst) between a resident and
// a provider, paid from the resident's budget.
type Agreement struct {
	ID             string
	BudgetID       string // set when the resident accepts
	RequestID      string
	OfferingID     string
	ProviderOrgID  string
	ResidentID     string
	What           string // what is delivered
	Frequency      string // how often, in words ("twee ochtenden per week")
	UnitPriceCents Cents
	UnitsPerMonth  int
	From           time.Time // first month (the first day of it)
	Until          time.Time // last month (the first day of it)
	TotalCents     Cents     // UnitPriceCents × UnitsPerMonth × months: what is reserved
	ReservedCents  Cents     // what is still reserved for it (derived from the ledger)
	SpentCents     Cents     // approved claims under it (derived from the ledger)
	Status         AgreementStatus
	Reason         string // why it was refused
	ProposedByID   string
	AcceptedByID   string
	AcceptedAt     *time.Time
	DecidedByID    string // the consultant who approved or refused it
	DecidedAt      *time.Time
	EndedAt        *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Version        int64

	OfferingTitle string // read-only
	ProviderName  string // read-only
}

// Months is the number of months the agreement runs, both ends included.
func (a Agreement) Months() int { return monthsBetween(a.From, a.Until) }

// Covers reports whether a claim for period ("2026-11") falls within the
// agreement.
func (a Agreement) Covers(period string) bool {
	p, err := ParsePeriod(period)
	return err == nil && !p.Before(a.From) && !p.After(a.Until)
}

// ClaimStatus is where a claim is in its life.
type ClaimStatus string

// The statuses of a claim.
const (
	ClaimSubmitted ClaimStatus = "submitted" // the resident decides
	ClaimApproved  ClaimStatus = "approved"  // approved and paid from the budget
	ClaimDisputed  ClaimStatus = "disputed"  // the resident does not agree; may still be approved
	ClaimReversed  ClaimStatus = "reversed"  // an approval corrected by the municipality (final)
)

// LabelKey is the message key of the status's short name.
func (s ClaimStatus) LabelKey() string { return "budget.claim.status." + string(s) }

// Claim is a provider's claim (declaratie) for one month under an
// agreement.
type Claim struct {
	ID             string
	AgreementID    string
	BudgetID       string
	ProviderOrgID  string
	ResidentID     string
	Period         string // "2026-11"
	Description    string // what was delivered
	AmountCents    Cents
	Status         ClaimStatus
	DisputeReason  string
	SubmittedByID  string
	SubmittedAt    time.Time
	DecidedByID    string // who approved or disputed it last
	DecidedAt      *time.Time
	TxID           string // the approval's ledger transaction
	ReversalTxID   string // the correction's ledger transaction
	ReversalReason string // why the municipality reversed it
	Version        int64
}

// EntryKind is the kind of movement an entry belongs to.
type EntryKind string

// The kinds of entry.
const (
	EntryGrant         EntryKind = "grant"
	EntryReservation   EntryKind = "reservation"
	EntryRelease       EntryKind = "release"
	EntryClaimApproval EntryKind = "claim_approval"
	EntryPayment       EntryKind = "payment"
	EntryReversal      EntryKind = "reversal"
)

// LabelKey is the message key of the kind's name.
func (k EntryKind) LabelKey() string { return "budget.entry." + string(k) }

// Entry is one immutable line of the ledger.
type Entry struct {
	ID          string
	TxID        string // the movement; the entries of one TxID sum to zero
	Seq         int64  // the order of writing, over the whole ledger
	Account     string
	BudgetID    string
	AgreementID string // "" when not about an agreement
	ClaimID     string // "" when not about a claim
	AmountCents Cents  // signed
	Kind        EntryKind
	ReversalOf  string // for a reversal: the TxID it reverses
	CreatedByID string
	CreatedAt   time.Time
}

// Account names. Every account belongs to one budget, so that movements
// of different budgets never wait for each other; the sign of a balance is
// fixed: only funding is below zero.
func fundingAccount(budgetID string) string   { return "budget:" + budgetID + ":funding" }
func availableAccount(budgetID string) string { return "budget:" + budgetID + ":available" }
func payableAccount(budgetID string) string   { return "budget:" + budgetID + ":payable" }

// reservedAccount holds what is reserved for one agreement.
func reservedAccount(budgetID, agreementID string) string {
	return "budget:" + budgetID + ":reserved:" + agreementID
}

// paidAccount holds the payment instructions to one provider.
func paidAccount(budgetID, orgID string) string { return "budget:" + budgetID + ":paid:" + orgID }

// MonthFigures are a budget's movements in one month, for the overview's
// chart and table.
type MonthFigures struct {
	Month     string // "2026-11"
	Granted   Cents  // net granted in the month
	Reserved  Cents  // net reserved in the month (reservations − releases − approvals)
	Spent     Cents  // approved claims in the month, net of reversals
	Available Cents  // what was left at the end of the month
}

// Settings are a municipality's rules for budgets.
type Settings struct {
	MunicipalityID     string
	ApprovalRequired   bool  // agreements above ApprovalAboveCents need a consultant's approval
	ApprovalAboveCents Cents // the threshold, when ApprovalRequired
	UpdatedByID        string
	UpdatedAt          time.Time
}

// Needs reports whether an agreement of total needs the municipality's
// approval.
func (s Settings) Needs(total Cents) bool { return s.ApprovalRequired && total > s.ApprovalAboveCents }

// Report is the outcome of Reconcile.
type Report struct {
	Accounts     int          // accounts checked
	Transactions int          // ledger transactions checked
	Entries      int          // entries checked
	Differences  []Difference // empty when all is well
	CheckedAt    time.Time
}

// OK reports whether nothing was wrong.
func (r Report) OK() bool { return len(r.Differences) == 0 }

// Difference is one thing Reconcile found wrong.
type Difference struct {
	Kind     string // "account" (kept balance ≠ entries), "transaction" (entries do not sum to zero), "negative" (an account below zero that may not be), "budget" (granted ≠ available + reserved + spent)
	Subject  string // the account, transaction or budget
	Expected Cents
	Actual   Cents
}

func (d Difference) String() string {
	return fmt.Sprintf("%s %s: expected %d, found %d", d.Kind, d.Subject, d.Expected, d.Actual)
}

// day is the date of t at midnight UTC.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// monthOf is the first day of t's month, UTC.
func monthOf(t time.Time) time.Time {
	y, m, _ := t.UTC().Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
}

// monthsBetween counts the months from from to until, both included.
func monthsBetween(from, until time.Time) int {
	f, u := monthOf(from), monthOf(until)
	n := (u.Year()-f.Year())*12 + int(u.Month()-f.Month()) + 1
	return max(n, 0)
}

// ParsePeriod reads a claim period "2026-11" as the first day of the month.
func ParsePeriod(s string) (time.Time, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

// PeriodOf is the claim period of the month of t.
func PeriodOf(t time.Time) string { return t.UTC().Format("2006-01") }
