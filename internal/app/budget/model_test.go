package budget_test

import (
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
)

func TestCents_String(t *testing.T) {
	for c, want := range map[budget.Cents]string{0: "0,00", 5: "0,05", 123456: "1.234,56", -100050: "-1.000,50", 100_000_000_000: "1.000.000.000,00"} {
		if got := c.String(); got != want {
			t.Errorf("%d: %q, want %q", int64(c), got, want)
		}
	}
}

func TestAgreement_MonthsAndCovers(t *testing.T) {
	a := budget.Agreement{From: day(11, 1), Until: day(11, 1).AddDate(0, 3, 0)}
	if a.Months() != 4 {
		t.Errorf("months = %d", a.Months())
	}
	for period, want := range map[string]bool{"2026-10": false, "2026-11": true, "2027-02": true, "2027-03": false, "2026-13": false, "x": false} {
		if got := a.Covers(period); got != want {
			t.Errorf("covers %s = %v", period, got)
		}
	}
}

func TestBudget_Eligible(t *testing.T) {
	any := budget.Budget{}
	if !any.Eligible("o1", nil) {
		t.Error("a budget without limits pays nothing")
	}
	b := budget.Budget{CategoryIDs: []string{"c1"}, OfferingIDs: []string{"o2"}}
	for _, tc := range []struct {
		offering string
		cats     []string
		want     bool
	}{{"o1", []string{"c1"}, true}, {"o2", nil, true}, {"o3", []string{"c2"}, false}} {
		if got := b.Eligible(tc.offering, tc.cats); got != tc.want {
			t.Errorf("%s %v: %v", tc.offering, tc.cats, got)
		}
	}
}
