package budget_test

import (
	"context"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestService_Lists(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		b := w.grant(t, 100_000)
		a := w.agreement(t, b, 1000, 2, day(6, 1))
		c := w.claim(t, a, "2026-03", 2000)

		views, err := w.svc.BudgetsForConsultant(ctx, &w.consult)
		must(t, err)
		if len(views) != 1 || views[0].Budget.ID != b.ID || views[0].Balance.Reserved != 8000 || views[0].Budget.ResidentName == "" {
			t.Errorf("consultant's budgets = %+v", views)
		}
		views, err = w.svc.BudgetsForConsultant(ctx, &w.consultOW)
		must(t, err)
		if len(views) != 0 {
			t.Errorf("Oudewater's consultant sees %d budgets", len(views))
		}
		_, err = w.svc.BudgetsForConsultant(ctx, &w.zorgAdmin)
		wantProblem(t, err, problem{Kind: errs.Forbidden, Key: "error.budget.consultant_only"})

		list, err := w.svc.AgreementsForProvider(ctx, &w.zorgPro, w.zorg.ID)
		must(t, err)
		if len(list) != 1 || list[0].ID != a.ID || list[0].ReservedCents != 8000 || list[0].OfferingTitle != "Begeleiding thuis" {
			t.Errorf("provider's agreements = %+v", list)
		}
		_, err = w.svc.AgreementsForProvider(ctx, &w.linieAdm, w.zorg.ID)
		wantProblem(t, err, problem{Kind: errs.Forbidden, Key: "error.forbidden"})
		claims, err := w.svc.ClaimsForProvider(ctx, &w.zorgAdmin, w.zorg.ID)
		must(t, err)
		if len(claims) != 1 || claims[0].ID != c.ID {
			t.Errorf("provider's claims = %+v", claims)
		}
		claims, err = w.svc.ClaimsForBudget(ctx, &w.carla, w.anna.ID, b.ID)
		must(t, err)
		if len(claims) != 1 || claims[0].Status != budget.ClaimSubmitted {
			t.Errorf("budget's claims = %+v", claims)
		}
		mine, err := w.svc.AgreementsOf(ctx, &w.carla, w.anna.ID)
		must(t, err)
		if len(mine) != 1 || mine[0].SpentCents != 0 {
			t.Errorf("anna's agreements = %+v", mine)
		}
		ofBudget, err := w.svc.AgreementsOfBudget(ctx, &w.consult, "", b.ID)
		must(t, err)
		if len(ofBudget) != 1 {
			t.Errorf("budget's agreements = %+v", ofBudget)
		}
	})
}

func TestService_ProposeAgreement(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		r := w.request(t)
		ok := budget.NewAgreement{RequestID: r.ID, What: "Begeleiding", Frequency: "wekelijks", UnitPriceCents: 100,
			UnitsPerMonth: 2, From: day(3, 1), Until: day(4, 1)}
		t.Run("ErrFields", func(t *testing.T) {
			_, err := w.svc.ProposeAgreement(ctx, &w.zorgAdmin, budget.NewAgreement{RequestID: r.ID, UnitsPerMonth: 0,
				UnitPriceCents: budget.MaxAmount + 1, From: day(5, 1), Until: day(4, 1)}, key())
			wantProblem(t, err, invalid(map[string]string{"what": "field.agreement_what.required",
				"frequency": "field.agreement_frequency.required", "unit_price": "field.agreement_unit_price.too_large",
				"units_per_month": "field.agreement_units.range", "until": "field.agreement_until.before_from"}))
		})
		t.Run("ErrNotTheProvider", func(t *testing.T) {
			_, err := w.svc.ProposeAgreement(ctx, &w.linieAdm, ok, key())
			wantProblem(t, err, notFound)
			_, err = w.svc.ProposeAgreement(ctx, &w.anna, ok, key())
			wantProblem(t, err, problem{Kind: errs.Forbidden, Key: "error.budget.provider_only"})
		})
		t.Run("ErrNotAccepted", func(t *testing.T) {
			r2, err := w.requests.Create(ctx, &w.anna, "", w.offering.ID, "Nog een vraag.", request.FundingBudget)
			must(t, err)
			in := ok
			in.RequestID = r2.ID
			_, err = w.svc.ProposeAgreement(ctx, &w.zorgAdmin, in, key())
			wantProblem(t, err, problem{Kind: errs.Conflict, Key: "error.budget.request_not_accepted"})
		})
		t.Run("ErrSelfFunded", func(t *testing.T) {
			r3, err := w.requests.Create(ctx, &w.bert, "", w.offering.ID, "Ik betaal zelf.", request.FundingSelf)
			must(t, err)
			_, err = w.requests.Accept(ctx, &w.zorgAdmin, r3.ID, r3.Version)
			must(t, err)
			in := ok
			in.RequestID = r3.ID
			_, err = w.svc.ProposeAgreement(ctx, &w.zorgAdmin, in, key())
			wantProblem(t, err, problem{Kind: errs.Invalid, Key: "error.budget.not_budget_request"})
		})
		t.Run("OKAndReplay", func(t *testing.T) {
			k := key()
			a, err := w.svc.ProposeAgreement(ctx, &w.zorgAdmin, ok, k)
			must(t, err)
			again, err := w.svc.ProposeAgreement(ctx, &w.zorgAdmin, ok, k)
			must(t, err)
			if again.ID != a.ID {
				t.Errorf("replay made another agreement: %s, %s", a.ID, again.ID)
			}
			// Without a budget, there is nothing to accept it from.
			_, err = w.svc.AcceptAgreement(ctx, &w.anna, "", a.ID, "", key())
			wantProblem(t, err, problem{Kind: errs.Invalid, Key: "error.budget.no_budget", Fields: map[string]string{"budget": "field.agreement_budget.none"}})
			b := w.grant(t, 50_000)
			a, err = w.svc.AcceptAgreement(ctx, &w.anna, "", a.ID, "", key())
			must(t, err)
			if a.BudgetID != b.ID || a.Status != budget.AgreementActive {
				t.Errorf("accepted = %+v", a)
			}
		})
	})
}

func TestService_Settings(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		st, err := w.svc.Settings(ctx, w.woerden.ID)
		must(t, err)
		if st.ApprovalRequired || st.Needs(1_000_000) {
			t.Errorf("default settings = %+v", st)
		}
		_, err = w.svc.SetSettings(ctx, &w.consult, budget.Settings{MunicipalityID: w.woerden.ID, ApprovalRequired: true})
		wantProblem(t, err, problem{Kind: errs.Forbidden, Key: "error.forbidden"})
		_, err = w.svc.SetSettings(ctx, &w.gemAdmin, budget.Settings{MunicipalityID: w.oudewater.ID, ApprovalRequired: true})
		wantProblem(t, err, problem{Kind: errs.Forbidden, Key: "error.forbidden"})
		_, err = w.svc.SetSettings(ctx, &w.gemAdmin, budget.Settings{MunicipalityID: w.woerden.ID, ApprovalRequired: true, ApprovalAboveCents: -1})
		wantProblem(t, err, invalid(map[string]string{"approval_above": "field.budget_approval_above.range"}))
		_, err = w.svc.SetSettings(ctx, &w.gemAdmin, budget.Settings{MunicipalityID: w.woerden.ID, ApprovalRequired: true, ApprovalAboveCents: 50_000})
		must(t, err)
		st, err = w.svc.Settings(ctx, w.woerden.ID)
		must(t, err)
		if !st.Needs(50_001) || st.Needs(50_000) || st.UpdatedByID != w.gemAdmin.ID {
			t.Errorf("settings = %+v", st)
		}
	})
}
