package consent_test

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestCovers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		granted, requested string
		want               bool
	}{
		{"story", "story", true},
		{"story", "story:finances", true},
		{"story", "story:finances:comment", true},
		{"story", "story:comment", true},
		{"story:finances", "story:finances", true},
		{"story:finances", "story:finances:comment", true},
		{"story:finances", "story", false},
		{"story:finances", "story:housing", false},
		{"story:finances", "story:comment", false},
		{"story", "storyline", false},
		{"story", "dossier", false},
		{"story:fin", "story:finances", false},
		{"", "story", false},
		{"", "", false},
	} {
		if got := consent.Covers(tc.granted, tc.requested); got != tc.want {
			t.Errorf("Covers(%q, %q) = %v, want %v", tc.granted, tc.requested, got, tc.want)
		}
	}
}

func TestCategories_Register(t *testing.T) {
	t.Parallel()
	c := consent.NewCategories()
	for _, tc := range []struct {
		name, parent string
		ok           bool
	}{
		{"story", "", true},
		{"story", "", true}, // again: a no-op
		{"story:finances", "story", true},
		{"story:finances:debts", "story:finances", true},
		{"self_test", "", true},
		{"dossier2", "", true},
		{"story:housing", "", false},         // wrong parent
		{"story:housing", "dossier2", false}, // wrong parent
		{"budget:claims", "budget", false},   // parent not registered
		{"story:comment", "story", false},    // reserved
		{"comment", "", false},               // reserved
		{"Story", "", false},
		{"", "", false},
		{"story:", "story", false},
		{":story", "", false},
		{"story finances", "", false},
		{"1story", "", false},
		{"verhaal-leven", "", false},
		{"consent:grants", "consent", false}, // nothing below consent
		{"a234567890123456789012345678901234567890", "", true},
		{"a2345678901234567890123456789012345678901", "", false},
	} {
		err := c.Register(tc.name, tc.parent)
		if (err == nil) != tc.ok {
			t.Errorf("Register(%q, %q) = %v, want ok %v", tc.name, tc.parent, err, tc.ok)
		}
	}
	want := []string{"a234567890123456789012345678901234567890", "consent", "dossier2", "self_test", "story", "story:finances", "story:finances:debts"}
	if diff := cmp.Diff(want, c.Names()); diff != "" {
		t.Errorf("Names (-want +got):\n%s", diff)
	}
	for name, want := range map[string]bool{"story": true, "consent": false, "story:comment": false, "diary": false} {
		if got := c.Grantable(name); got != want {
			t.Errorf("Grantable(%q) = %v, want %v", name, got, want)
		}
	}
	if !c.Known("consent") || c.Known("diary") {
		t.Error("Known is wrong")
	}
}

func TestCategories_Concurrent(t *testing.T) {
	t.Parallel()
	c := consent.NewCategories()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = c.Register("story", "")
			_ = c.Register([]string{"a", "b", "c", "d", "e", "f", "g", "h"}[i], "")
			_ = c.Known("story")
			_ = c.Names()
		}()
	}
	wg.Wait()
	if len(c.Names()) != 10 {
		t.Errorf("Names = %v", c.Names())
	}
}

func TestRegisterCategory_Panics(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("RegisterCategory with a bad name did not panic")
		}
	}()
	consent.RegisterCategory("Bad Name", "")
}

func TestLabelKeys(t *testing.T) {
	t.Parallel()
	got := []string{consent.PermissionReadComment.LabelKey(), consent.PurposeInformalCare.LabelKey(), consent.MandateLegalRepresentative.LabelKey()}
	want := []string{"consent.permission.read_comment", "consent.purpose.informal_care", "consent.mandate_kind.legal_representative"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("label keys (-want +got):\n%s", diff)
	}
	for _, p := range consent.Purposes {
		if !p.Valid() {
			t.Errorf("purpose %q not valid", p)
		}
	}
	if consent.Purpose("marketing").Valid() || consent.Permission("write").Valid() || consent.MandateKind("friend").Valid() {
		t.Error("unknown values count as valid")
	}
}

func TestLive(t *testing.T) {
	t.Parallel()
	from, until := sqltest.Epoch, sqltest.Epoch.Add(time.Hour)
	revoked := sqltest.Epoch.Add(time.Minute)
	for _, tc := range []struct {
		name    string
		now     time.Time
		revoked *time.Time
		want    bool
	}{
		{"BeforeStart", from.Add(-time.Millisecond), nil, false},
		{"AtStart", from, nil, true},
		{"1msBeforeEnd", until.Add(-time.Millisecond), nil, true},
		{"AtEnd", until, nil, false},
		{"AfterEnd", until.Add(time.Millisecond), nil, false},
		{"Revoked", from.Add(time.Second), &revoked, false},
		{"RevokedLater", from, &revoked, false}, // a revocation is final, whenever asked
	} {
		g := consent.Grant{ValidFrom: from, ValidUntil: until, RevokedAt: tc.revoked}
		m := consent.Mandate{ValidFrom: from, ValidUntil: until, RevokedAt: tc.revoked}
		if got := g.Live(tc.now); got != tc.want {
			t.Errorf("%s: Grant.Live = %v, want %v", tc.name, got, tc.want)
		}
		if got := m.Live(tc.now); got != tc.want {
			t.Errorf("%s: Mandate.Live = %v, want %v", tc.name, got, tc.want)
		}
	}
}
