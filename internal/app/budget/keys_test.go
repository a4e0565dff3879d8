package budget_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/i18n"
)

// TestMessageKeys: every message key the service (and its store) can
// return, every mail template and every label key is in the catalogue,
// in Dutch and English, so that no person ever sees a bare key.
func TestMessageKeys(t *testing.T) {
	cat, err := i18n.Load()
	must(t, err)
	keys := map[string]bool{}
	re := regexp.MustCompile(`"((?:error|field)\.[a-z_]+\.[a-z_]+|error\.[a-z_]+)"`)
	text := regexp.MustCompile(`check(?:Text|Amount)\("([a-z_]+)"`)
	files, _ := filepath.Glob("*.go")
	store, _ := filepath.Glob("../../sqlstore/budget*.go")
	for _, f := range append(files, store...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		must(t, err)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = true
		}
		for _, m := range text.FindAllStringSubmatch(string(b), -1) {
			switch {
			case strings.Contains(m[0], "Amount"):
				keys["field."+m[1]+".positive"], keys["field."+m[1]+".too_large"] = true, true
			default:
				keys["field."+m[1]+".required"], keys["field."+m[1]+".too_long"] = true, true
			}
		}
	}
	for _, tmpl := range []string{budget.MailDecisionTemplate, budget.MailResidentTemplate, budget.MailProviderTemplate} {
		keys["mail."+tmpl+".subject"], keys["mail."+tmpl+".body"] = true, true
	}
	for _, k := range []interface{ LabelKey() string }{budget.StatusActive, budget.StatusWithdrawn, budget.KindGrant,
		budget.KindChange, budget.KindWithdrawal, budget.AgreementProposed, budget.AgreementAwaitingMunicipality,
		budget.AgreementActive, budget.AgreementRefused, budget.AgreementEnded, budget.ClaimSubmitted,
		budget.ClaimApproved, budget.ClaimDisputed, budget.ClaimReversed, budget.EntryGrant, budget.EntryReservation,
		budget.EntryRelease, budget.EntryClaimApproval, budget.EntryPayment, budget.EntryReversal} {
		keys[k.LabelKey()] = true
	}
	if len(keys) < 60 {
		t.Fatalf("found only %d keys: the scan is broken", len(keys))
	}
	for k := range keys {
		for _, lang := range []string{"nl", "en"} {
			if !cat.Has(lang, k) {
				t.Errorf("%s: no %q", lang, k)
			}
		}
	}
}
