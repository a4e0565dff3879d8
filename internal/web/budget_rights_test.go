package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/app/rights"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/seed"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// TestBudget_ExportAndErase: anna's downloads hold her budget, its
// decision, claim and bookings, and her care agreements; erasure through
// the page is refused with the reason while her claim waits and her
// agreements run, and goes through once they are settled, keeping the
// budget's records.
func TestBudget_ExportAndErase(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := context.Background()
		k := newKit(t, db)
		k.seedMarket(t)
		f := k.budgetFixtures(t)
		annaP := k.person(t, resident)
		c := k.fresh(t, resident)

		r := c.download(t, "/account/gegevens/export.json")
		if r.status != http.StatusOK {
			t.Fatalf("export.json: %d", r.status)
		}
		var b rights.Bundle
		if err := json.Unmarshal([]byte(r.body), &b); err != nil {
			t.Fatal(err)
		}
		if len(b.Budgets) != 1 || b.Budgets[0].ID != f.budget.Budget.ID || b.Budgets[0].GrantedCents != 125000 ||
			len(b.Budgets[0].Decisions) != 1 || len(b.Budgets[0].Claims) != 1 || len(b.Budgets[0].LedgerEntries) != 4 {
			t.Fatalf("budgets in the export: %+v", b.Budgets)
		}
		if len(b.Agreements) != 2 {
			t.Errorf("%d agreements, want the running one and the proposal", len(b.Agreements))
		}
		r = c.download(t, "/account/gegevens/export.html")
		if r.status != http.StatusOK {
			t.Fatalf("export.html: %d", r.status)
		}
		for _, want := range []string{k.t("rights.doc.budgets"), "€ 1.250,00", "€ -840,00", "Wmo 2015 art. 2.3.6", "8 keer hulp in huis.",
			k.t("budget.claim.status.submitted"), k.t("rights.doc.agreements"), "Hulp bij het huishouden.", "Begeleiding bij de administratie.",
			k.t("budget.entry.reservation")} {
			if !strings.Contains(r.body, want) {
				t.Errorf("export.html lacks %q", want)
			}
		}
		if r := c.get(t, "/account/gegevens"); !strings.Contains(r.text(), k.t("rights.export.part.budget")) {
			t.Error("the export page does not say the budget is in it")
		}

		// Erasure waits for the money matters.
		if r := c.get(t, "/account/verwijderen"); !strings.Contains(r.text(), k.t("rights.erase.kept_budget")) {
			t.Error("the erase page does not say what is kept of a budget")
		}
		erase := url.Values{"password": {seed.Password}, "confirm": {"yes"}}
		r = c.post(t, "/account/verwijderen", erase)
		if r.status == http.StatusOK || r.alert() != k.t("rights.erase.budget_open") {
			t.Fatalf("erase with a claim waiting: %d %q", r.status, r.alert())
		}
		k.person(t, resident) // still there
		if _, err := k.budget.ApproveClaim(ctx, &annaP, "", f.claim.ID, id.Token()); err != nil {
			t.Fatal(err)
		}
		if _, err := k.budget.EndAgreement(ctx, &annaP, "", f.agreement.ID, id.Token()); err != nil {
			t.Fatal(err)
		}
		if _, err := k.budget.RefuseAgreement(ctx, &annaP, "", f.proposal.ID, "Niet meer nodig.", id.Token()); err != nil {
			t.Fatal(err)
		}
		r = c.post(t, "/account/verwijderen", erase)
		if r.status != http.StatusOK || r.h1() != k.t("rights.erase.done_title") || !strings.Contains(r.text(), k.t("rights.erase.done_budget")) {
			t.Fatalf("erase once settled: %d %q %q", r.status, r.h1(), r.alert())
		}
		if _, err := k.identity.Person(ctx, annaP.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("anna after erasure: %v", err)
		}
		if got, err := db.FindBudget(ctx, f.budget.Budget.ID); err != nil || got.Status != budget.StatusActive {
			t.Errorf("the budget after erasure: %+v %v", got, err)
		}
		if entries, err := db.FindEntriesByBudget(ctx, f.budget.Budget.ID); err != nil || len(entries) < 8 {
			t.Errorf("the ledger after erasure: %d entries, %v", len(entries), err)
		}
	})
}
