package i18n_test

import (
	"sort"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/i18n"
)

func TestCatalog_SameKeysInEveryLanguage(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	nl, en := c.Keys("nl"), c.Keys("en")
	if len(nl) < 50 {
		t.Fatalf("Dutch catalogue has only %d keys", len(nl))
	}
	var missing []string
	for k := range nl {
		if !en[k] {
			missing = append(missing, "en:"+k)
		}
	}
	for k := range en {
		if !nl[k] {
			missing = append(missing, "nl:"+k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("keys missing in a language: %v", missing)
	}
}

func TestCatalog_T(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	got := c.T("nl", "mail.invite.body", map[string]string{"Name": "Anna", "Link": "https://x/y"})
	if want := "Hallo Anna,"; got[:len(want)] != want {
		t.Errorf("nl body starts %q, want %q", got[:20], want)
	}
	if got := c.T("en", "field.email.required", nil); got != "Enter your email address." {
		t.Errorf("en = %q", got)
	}
	if got := c.T("xx", "field.email.required", nil); got != "Vul je e-mailadres in." {
		t.Errorf("unknown language should fall back to Dutch, got %q", got)
	}
	if got := c.T("nl", "no.such.key", nil); got != "no.such.key" {
		t.Errorf("missing key = %q, want the key itself", got)
	}
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct{ header, want string }{
		{"", "nl"},
		{"en-GB,en;q=0.9", "en"},
		{"nl-NL,nl;q=0.9,en;q=0.8", "nl"},
		{"de-DE", "nl"},
		{"de-DE,en;q=0.5", "en"},
		{"!!garbage", "nl"},
	} {
		if got := i18n.Match(tc.header); got != tc.want {
			t.Errorf("Match(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}
