package web

import (
	"strconv"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/core/id"
)

// maxEuroCents caps an amount typed into a budget form: ten million euros,
// far above any personal budget, and far below where int64 cents overflow.
const maxEuroCents = 10_000_000_00

// parseEuro reads an amount in euros as a person in the Netherlands types
// it — "1.250,00", "1250", "1250,5", "€ 1.250" — into whole cents. It is
// strict: a dot is only a thousands separator between groups of three
// digits, a comma only the decimal sign with one or two decimals, so
// "1250.00" or "1,250" is refused rather than guessed at. It answers the
// message key of what is wrong ("" when the amount is good); the amount
// must be more than zero.
func parseEuro(s string) (int64, string) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimPrefix(s, "€"))
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(s, "EUR"), "eur"))
	if s == "" {
		return 0, "field.budget_amount.required"
	}
	if strings.HasPrefix(s, "-") {
		return 0, "field.budget_amount.positive"
	}
	whole, frac, hasComma := strings.Cut(s, ",")
	if hasComma && (len(frac) < 1 || len(frac) > 2 || !allDigits(frac)) {
		return 0, "field.budget_amount.invalid"
	}
	if strings.Contains(whole, ".") {
		groups := strings.Split(whole, ".")
		if len(groups[0]) < 1 || len(groups[0]) > 3 {
			return 0, "field.budget_amount.invalid"
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, "field.budget_amount.invalid"
			}
		}
		whole = strings.Join(groups, "")
	}
	if whole == "" || !allDigits(whole) || len(whole) > 12 {
		return 0, "field.budget_amount.invalid"
	}
	euros, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, "field.budget_amount.invalid"
	}
	var cents int64
	if hasComma {
		if len(frac) == 1 {
			frac += "0"
		}
		c, _ := strconv.ParseInt(frac, 10, 64) // two digits, checked above
		cents = c
	}
	total := euros*100 + cents
	switch {
	case total <= 0:
		return 0, "field.budget_amount.positive"
	case total > maxEuroCents:
		return 0, "field.budget_amount.too_large"
	}
	return total, ""
}

// allDigits reports whether s holds only the digits 0–9 (and something).
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// euroInput writes cents as an amount to put back in a form field, the way
// parseEuro reads it: "1250,00".
func euroInput(cents int64) string {
	return strconv.FormatInt(cents/100, 10) + "," + leftPad2(cents%100)
}

func leftPad2(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// idempotencyField is the name of the hidden field that carries a money
// form's idempotency key.
const idempotencyField = "idempotency_key"

// newIdempotencyKey is the key a money-moving form gets when it is
// rendered: the same form posted twice (a double click, a browser retry)
// carries the same key, so the service moves the money once. A form shown
// again after a mistake keeps its key, as nothing moved yet.
func newIdempotencyKey() string { return id.Token() }
