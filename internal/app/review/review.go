package review

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// Limits and windows.
const (
	MaxText            = 2000 // characters of a review's text
	MinText            = 10   // a review explains its scores in a few words at least
	MaxReply           = 2000 // characters of a provider's reply
	MaxNote            = 500  // characters of a moderator's note
	MinPseudonym       = 2
	MaxPseudonym       = 30
	ReviewWindowMonths = 6 // a review is written within six months of the delivery
	CountYears         = 4 // a review counts (and shows) for four years
)

// Status is where a review is in its life.
type Status string

// The statuses of a review.
const (
	StatusPending   Status = "pending"   // never published; its first text awaits a moderator
	StatusPublished Status = "published" // visible to everyone (an edit may await a moderator)
	StatusRefused   Status = "refused"   // never published; its text was refused (the author may edit it)
	StatusWithdrawn Status = "withdrawn" // withdrawn by its author: gone for good
)

// Display is how a review names its author.
type Display string

// The display choices.
const (
	DisplayPseudonym Display = "pseudonym"
	DisplayAnonymous Display = "anonymous"
)

// Content is what the author writes: the scores, the text and how they
// are named. Every score is 1 to 5.
type Content struct {
	Overall     int
	Information int // was the information clear
	Treatment   int // how were you treated
	Result      int // did it help
	Recommend   bool
	Text        string
	Display     Display
	Pseudonym   string // with DisplayPseudonym
}

// Normalize trims the text and pseudonym; an anonymous review has none.
func (c *Content) Normalize() {
	c.Text = strings.TrimSpace(strings.ReplaceAll(c.Text, "\r\n", "\n"))
	c.Pseudonym = strings.Join(strings.Fields(c.Pseudonym), " ")
	if c.Display != DisplayPseudonym {
		c.Pseudonym = ""
	}
}

// Validate checks the content; the form fields are overall, information,
// treatment, result, text, display and pseudonym. authorName is the
// author's real name, which a pseudonym may not contain ("" skips it).
func (c Content) Validate(authorName string) error {
	f := errs.Fields{}
	for field, v := range map[string]int{"overall": c.Overall, "information": c.Information, "treatment": c.Treatment, "result": c.Result} {
		if v < 1 || v > 5 {
			f.Add(field, "field.review.score")
		}
	}
	switch n := utf8.RuneCountInString(c.Text); {
	case !utf8.ValidString(c.Text) || strings.ContainsFunc(c.Text, badControl):
		f.Add("text", "field.review.text_invalid")
	case strings.TrimSpace(c.Text) == "":
		f.Add("text", "field.review.text_required")
	case n < MinText:
		f.Add("text", "field.review.text_short")
	case n > MaxText:
		f.Add("text", "field.review.text_long")
	}
	switch c.Display {
	case DisplayAnonymous:
	case DisplayPseudonym:
		if k := pseudonymKey(c.Pseudonym, authorName); k != "" {
			f.Add("pseudonym", k)
		}
	default:
		f.Add("display", "field.review.display")
	}
	return f.Err("review.Content.Validate")
}

// pseudonymKey checks a pseudonym: 2 to 30 letters, digits, spaces and
// . - _ ', no e-mail address or telephone number, and not the author's
// own first or last name.
func pseudonymKey(p, authorName string) string {
	n := utf8.RuneCountInString(p)
	switch {
	case p == "":
		return "field.review.pseudonym_required"
	case n < MinPseudonym || n > MaxPseudonym:
		return "field.review.pseudonym_length"
	case strings.ContainsFunc(p, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(" .-_'", r)
	}):
		return "field.review.pseudonym_chars"
	case digitsInRow(p) >= 5:
		return "field.review.pseudonym_personal"
	}
	lp := strings.ToLower(p)
	for _, part := range strings.Fields(strings.ToLower(authorName)) {
		if utf8.RuneCountInString(part) >= 3 && strings.Contains(lp, part) {
			return "field.review.pseudonym_personal"
		}
	}
	return ""
}

func digitsInRow(s string) int {
	best, run := 0, 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			run++
			best = max(best, run)
		} else if r != ' ' && r != '-' {
			run = 0
		}
	}
	return best
}

// badControl is a control character other than a line break or tab.
func badControl(r rune) bool {
	return (r < 0x20 && r != '\n' && r != '\r' && r != '\t') || r == 0x7f
}

// Reason is the house rule a refused text broke.
type Reason string

// The house rules.
const (
	ReasonStaffNames   Reason = "staff_names"   // names a staff member
	ReasonPersonalData Reason = "personal_data" // holds personal data (of anyone)
	ReasonInsults      Reason = "insults"       // insults or threatens
	ReasonAdvertising  Reason = "advertising"   // advertises
)

// Reasons lists the house rules in the order the moderator sees them.
var Reasons = []Reason{ReasonStaffNames, ReasonPersonalData, ReasonInsults, ReasonAdvertising}

// Valid reports whether r is a house rule.
func (r Reason) Valid() bool {
	for _, x := range Reasons {
		if r == x {
			return true
		}
	}
	return false
}

// Review is one resident's review of one delivered request. Content is
// the published content (zero until first published).
type Review struct {
	ID            string
	RequestID     string
	OfferingID    string
	ProviderOrgID string
	AuthorID      string
	WrittenByID   string // the author, or the delegate who wrote it for them
	Status        Status
	Content       Content
	DeliveredAt   time.Time
	CreatedAt     time.Time // first written; the age that counts
	PublishedAt   *time.Time
	UpdatedAt     time.Time
	WithdrawnAt   *time.Time
	Reply         string // the provider's published reply, "" when none
	ReplyAt       *time.Time
	Version       int64
}

// Counts reports whether the review counts (and shows) at now: published
// and younger than CountYears.
func (r Review) Counts(now time.Time) bool {
	return r.Status == StatusPublished && now.Before(r.CreatedAt.AddDate(CountYears, 0, 0))
}

// Kind is what a submission is.
type Kind string

// The kinds of submission.
const (
	KindReview Kind = "review" // the first text of a review
	KindEdit   Kind = "edit"   // a change to a published review
	KindReply  Kind = "reply"  // the provider's reply
)

// Part is the group of a kind of which one text per review may await a
// moderator: "content" (a review or an edit) or "reply".
func (k Kind) Part() string {
	if k == KindReply {
		return "reply"
	}
	return "content"
}

// SubmissionStatus is where a submission is.
type SubmissionStatus string

// The statuses of a submission.
const (
	SubmissionPending   SubmissionStatus = "pending"
	SubmissionApproved  SubmissionStatus = "approved"
	SubmissionRefused   SubmissionStatus = "refused"
	SubmissionCancelled SubmissionStatus = "cancelled" // replaced by an edit, or the review was withdrawn
)

// Submission is a text awaiting (or past) moderation: the content of a
// review or an edit, or a reply (Content.Text only).
type Submission struct {
	ID          string
	ReviewID    string
	Kind        Kind
	Status      SubmissionStatus
	Content     Content
	SubmittedBy string
	SubmittedAt time.Time
	Reason      Reason
	Note        string
	DecidedBy   string
	DecidedAt   *time.Time
}
