package web

import "testing"

// TestParseEuro: amounts are read the Dutch way, strictly; anything that
// could be read two ways is refused, never guessed.
func TestParseEuro(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in    string
		cents int64
		key   string
	}{
		{"1.250,00", 125000, ""},
		{"1250", 125000, ""},
		{"1250,5", 125050, ""},
		{"€ 1.250", 125000, ""},
		{" 7,50 ", 750, ""},
		{"0,01", 1, ""},
		{"1.000.000,00", 100000000, ""},
		{"10.000.000,00", 1000000000, ""},
		{"", 0, "field.budget_amount.required"},
		{"€", 0, "field.budget_amount.required"},
		{"1250.00", 0, "field.budget_amount.invalid"},
		{"1,250", 0, "field.budget_amount.invalid"},
		{"1.25", 0, "field.budget_amount.invalid"},
		{"12.50,00", 0, "field.budget_amount.invalid"},
		{"1.2500", 0, "field.budget_amount.invalid"},
		{"1250,", 0, "field.budget_amount.invalid"},
		{",50", 0, "field.budget_amount.invalid"},
		{"12a", 0, "field.budget_amount.invalid"},
		{"1 250", 0, "field.budget_amount.invalid"},
		{"+5", 0, "field.budget_amount.invalid"},
		{"-5", 0, "field.budget_amount.positive"},
		{"0", 0, "field.budget_amount.positive"},
		{"0,00", 0, "field.budget_amount.positive"},
		{"10.000.000,01", 0, "field.budget_amount.too_large"},
		{"99999999999999999999", 0, "field.budget_amount.invalid"},
	} {
		cents, key := parseEuro(tc.in)
		if cents != tc.cents || key != tc.key {
			t.Errorf("parseEuro(%q) = %d, %q; want %d, %q", tc.in, cents, key, tc.cents, tc.key)
		}
	}
	for cents, want := range map[int64]string{125000: "1250,00", 750: "7,50", 1: "0,01"} {
		if got := euroInput(cents); got != want {
			t.Errorf("euroInput(%d) = %q, want %q", cents, got, want)
		}
		if back, key := parseEuro(want); back != cents || key != "" {
			t.Errorf("parseEuro(euroInput(%d)) = %d, %q", cents, back, key)
		}
	}
}
