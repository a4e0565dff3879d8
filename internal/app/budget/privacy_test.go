package budget_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// TestService_WhoSeesWhat is the must-never-happen "anyone but the
// resident, their mandate holder, the provider of that agreement or their
// consultant seeing a budget": NotFound, and a denied entry in the
// resident's access log.
func TestService_WhoSeesWhat(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		b := w.grant(t, 100_000)
		a := w.agreement(t, b, 1000, 2, day(6, 1))
		c := w.claim(t, a, "2026-03", 2000)
		reads := map[string]func(p *identity.Person, actingFor string) error{
			"budget": func(p *identity.Person, f string) error { _, err := w.svc.Budget(ctx, p, f, b.ID); return err },
			"entries": func(p *identity.Person, f string) error {
				_, err := w.svc.Entries(ctx, p, f, b.ID)
				return err
			},
			"statement": func(p *identity.Person, f string) error {
				_, err := w.svc.Statement(ctx, p, f, b.ID)
				return err
			},
			"budgets_of": func(p *identity.Person, f string) error {
				_, err := w.svc.BudgetsOf(ctx, p, f, w.anna.ID)
				return err
			},
			"agreement": func(p *identity.Person, f string) error { _, err := w.svc.Agreement(ctx, p, f, a.ID); return err },
			"claims":    func(p *identity.Person, f string) error { _, err := w.svc.ClaimsOf(ctx, p, f, a.ID); return err },
			"claim":     func(p *identity.Person, f string) error { _, err := w.svc.Claim(ctx, p, f, c.ID); return err },
		}
		all := []string{"budget", "entries", "statement", "budgets_of", "agreement", "claims", "claim"}
		for _, tc := range []struct {
			name      string
			who       *identity.Person
			actingFor string
			sees      []string // the rest is NotFound
		}{
			{"resident", &w.anna, "", all},
			{"mandate holder", &w.carla, w.anna.ID, all},
			{"consultant", &w.consult, "", all},
			{"provider admin", &w.zorgAdmin, "", []string{"agreement", "claims", "claim"}},
			{"provider professional", &w.zorgPro, "", []string{"agreement", "claims", "claim"}},
			{"mandate without budget", &w.dirk, w.anna.ID, nil},
			{"other resident", &w.bert, "", nil},
			{"delegate of someone else", &w.carla, "", nil},
			{"consultant elsewhere", &w.consultOW, "", nil},
			{"other provider", &w.linieAdm, "", nil},
			{"municipality admin", &w.gemAdmin, "", nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				for _, what := range all {
					err := reads[what](tc.who, tc.actingFor)
					if contains(tc.sees, what) {
						if err != nil {
							t.Errorf("%s: %v, want it shown", what, err)
						}
					} else if !errs.Is(err, errs.NotFound) {
						t.Errorf("%s: error = %v, want NotFound", what, err)
					}
				}
			})
		}
		// Every refusal is in anna's access log, as denied.
		log := w.accessLog(t, w.anna)
		for _, p := range []identity.Person{w.bert, w.consultOW, w.linieAdm, w.gemAdmin} {
			if !containsLine(log, p.ID+" read budget denied") {
				t.Errorf("no denial of %s in the access log %q", p.Email, log)
			}
		}
		if !containsLine(log, w.dirk.ID+" read budget denied for "+w.anna.ID) {
			t.Errorf("no denial of dirk in the access log %q", log)
		}
		for _, line := range []string{
			w.consult.ID + " read budget allowed legal_task:budget_decision",
			w.carla.ID + " read budget allowed for " + w.anna.ID + " mandate",
			w.zorgAdmin.ID + " read request allowed consent",
		} {
			if !containsLine(log, line) {
				t.Errorf("access log lacks %q: %q", line, log)
			}
		}
		for _, line := range log {
			if len(line) > len(w.anna.ID) && line[:len(w.anna.ID)] == w.anna.ID {
				t.Errorf("anna's own read was logged: %q", line)
			}
		}

		// When anna revokes the request grant, the provider sees nothing
		// more of the agreement, and cannot claim.
		receipts, err := w.consent.GrantsBy(ctx, w.anna, w.anna.ID)
		must(t, err)
		for _, r := range receipts {
			if r.Grant.GranteeOrgID == w.zorg.ID {
				_, err := w.consent.Revoke(ctx, w.anna, r.Grant.ID)
				must(t, err)
			}
		}
		if _, err := w.svc.Agreement(ctx, &w.zorgAdmin, "", a.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("agreement after revoke: %v", err)
		}
		list, err := w.svc.AgreementsForProvider(ctx, &w.zorgAdmin, w.zorg.ID)
		must(t, err)
		if len(list) != 0 {
			t.Errorf("provider still lists %d agreements", len(list))
		}
		_, err = w.svc.SubmitClaim(ctx, &w.zorgAdmin, claimIn(a.ID, "2026-03"), key())
		wantProblem(t, err, notFound)
	})
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func claimIn(agreementID, period string) budget.NewClaim {
	return budget.NewClaim{AgreementID: agreementID, Period: period, Description: fmt.Sprintf("Zorg in %s.", period), AmountCents: 100}
}
