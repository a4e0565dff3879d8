package market_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
)

func TestTerms(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text string
		want []string
	}{
		// Word forms meet in one stem; stop words go.
		{"huishoudelijke hulp", []string{"huishoud", "hulp"}},
		{"hulp in de huishouding", []string{"hulp", "huishoud"}},
		{"Schulden", []string{"schuld"}},
		{"eenzaam eenzaamheid", []string{"eenzam", "eenzam"}},
		{"gezin gezinnen", []string{"gezin", "gezin"}},
		{"huis huizen", []string{"huis", "huis"}},
		{"financieel financiële", []string{"financiel", "financiel"}},
		// Accents are ignored.
		{"Taalcafé cafe", []string{"taalcaf", "tal", "caf", "caf"}},
		// Compounds bring their parts, in canonical form.
		{"schuldhulpverlening", []string{"schuldhulpverlen", "schuld", "hulp", "verlen"}},
		{"mantelzorgers", []string{"mantelzorger", "mantel", "zorg"}},
		{"vrijwilligerswerk", []string{"vrijwilligerswerk", "vrijwilliger", "werk"}},
		// No false splits: be+geleiding, kind+eren.
		{"begeleiding kinderen", []string{"begeleid", "kinder"}},
		{"3441 AB", []string{"3441", "ab"}},
		{"de het een", nil},
	} {
		if got := market.Terms(tc.text); !cmp.Equal(got, tc.want, cmpopts.EquateEmpty()) {
			t.Errorf("Terms(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestOpeningHours_OpenAt(t *testing.T) {
	t.Parallel()
	h := market.Weekdays(9*60, 17*60)
	for _, tc := range []struct {
		utc  string
		want bool
	}{
		{"2026-03-02T07:59:00Z", false}, // Monday 08:59 CET
		{"2026-03-02T08:00:00Z", true},  // 09:00 CET
		{"2026-03-02T15:59:00Z", true},  // 16:59 CET
		{"2026-03-02T16:00:00Z", false}, // 17:00 CET
		{"2026-07-06T07:00:00Z", true},  // Monday 09:00 CEST
		{"2026-07-06T15:00:00Z", false}, // 17:00 CEST
		{"2026-03-07T10:00:00Z", false}, // Saturday
	} {
		at := mustTime(t, tc.utc)
		if got := h.OpenAt(at); got != tc.want {
			t.Errorf("OpenAt(%s) = %v, want %v", tc.utc, got, tc.want)
		}
	}
}
