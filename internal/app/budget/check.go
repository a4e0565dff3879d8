package budget

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// Limits on the texts, in characters.
const (
	MaxLegalBasisLen   = 4000
	MaxWhatLen         = 500
	MaxFrequencyLen    = 200
	MaxDescriptionLen  = 1000
	MaxReasonLen       = 1000
	MaxUnitsPerMonth   = 1000
	MaxAgreementMonths = 120
)

// checkText returns the field key of what is wrong with a text, or "".
// name is the field's key stem, e.g. "budget_legal_basis".
func checkText(name, v string, required bool, maxLen int) string {
	switch {
	case required && strings.TrimSpace(v) == "":
		return "field." + name + ".required"
	case utf8.RuneCountInString(v) > maxLen:
		return "field." + name + ".too_long"
	}
	return ""
}

// checkAmount returns the field key of what is wrong with an amount.
func checkAmount(name string, v Cents) string {
	switch {
	case v <= 0:
		return "field." + name + ".positive"
	case v > MaxAmount:
		return "field." + name + ".too_large"
	}
	return ""
}

// checkPeriod adds what is wrong with a period to f.
func checkPeriod(f errs.Fields, start, end time.Time) {
	if start.IsZero() {
		f.Add("period_start", "field.budget_period_start.required")
	}
	switch {
	case end.IsZero():
		f.Add("period_end", "field.budget_period_end.required")
	case !start.IsZero() && day(end).Before(day(start)):
		f.Add("period_end", "field.budget_period_end.before_start")
	}
}

// cleanIDs trims ids and drops empty ones and duplicates.
func cleanIDs(in []string) []string {
	var out []string
	for _, v := range in {
		v = strings.TrimSpace(v)
		if v != "" && !contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
