package budget_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestService_Grant(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		in := budget.NewGrant{ResidentID: w.anna.ID, AmountCents: 1_200_000, PeriodStart: day(1, 1), PeriodEnd: day(12, 31),
			CategoryIDs: []string{w.category}, LegalBasis: "Wmo 2015 art. 2.3.6"}
		t.Run("OK", func(t *testing.T) {
			d, err := w.svc.Grant(ctx, &w.consult, in, key())
			must(t, err)
			if d.Kind != budget.KindGrant || d.AmountCents != 1_200_000 || d.DeltaCents != 1_200_000 || d.TxID == "" {
				t.Fatalf("decision = %+v", d)
			}
			v, err := w.svc.Budget(ctx, &w.anna, "", d.BudgetID)
			must(t, err)
			want := budget.Balance{Granted: 1_200_000, Available: 1_200_000}
			if diff := cmp.Diff(want, v.Balance); diff != "" {
				t.Errorf("balance (-want +got):\n%s", diff)
			}
			if v.Budget.MunicipalityID != w.woerden.ID || v.Budget.ConsultantID != w.consult.ID || v.Decision.ID != d.ID {
				t.Errorf("view = %+v", v)
			}
			if got := w.mail.take(); len(got) != 1 || got[0] != "anna@example.nl budget_decision https://example.test/budget/"+d.BudgetID {
				t.Errorf("mail = %q", got)
			}
		})
		t.Run("ErrFields", func(t *testing.T) {
			_, err := w.svc.Grant(ctx, &w.consult, budget.NewGrant{ResidentID: w.anna.ID, AmountCents: -5,
				PeriodStart: day(6, 1), PeriodEnd: day(5, 1)}, key())
			wantProblem(t, err, invalid(map[string]string{"amount": "field.budget_amount.positive",
				"period_end": "field.budget_period_end.before_start", "legal_basis": "field.budget_legal_basis.required"}))
		})
		t.Run("ErrKeyRequired", func(t *testing.T) {
			_, err := w.svc.Grant(ctx, &w.consult, in, " ")
			wantProblem(t, err, problem{Kind: errs.Invalid, Key: "error.budget.key_required",
				Fields: map[string]string{"idempotency_key": "field.idempotency_key.required"}})
		})
		t.Run("ErrOtherMunicipality", func(t *testing.T) {
			// A consultant of Oudewater cannot decide on a resident of
			// Woerden: to them she does not exist, and the look is logged.
			_, err := w.svc.Grant(ctx, &w.consultOW, in, key())
			wantProblem(t, err, invalid(map[string]string{"resident": "field.budget_resident.unknown"}))
		})
		t.Run("ErrNotConsultant", func(t *testing.T) {
			for _, p := range []*identity.Person{&w.gemAdmin, &w.zorgAdmin, &w.anna} {
				_, err := w.svc.Grant(ctx, p, in, key())
				wantProblem(t, err, problem{Kind: errs.Forbidden, Key: "error.budget.consultant_only"})
			}
		})
		t.Run("ErrNotResident", func(t *testing.T) {
			in := in
			in.ResidentID = w.zorgAdmin.ID
			_, err := w.svc.Grant(ctx, &w.consult, in, key())
			wantProblem(t, err, invalid(map[string]string{"resident": "field.budget_resident.unknown"}))
		})
		log := w.accessLog(t, w.anna)
		if !containsLine(log, w.consult.ID+" create budget allowed legal_task:budget_decision") ||
			!containsLine(log, w.consultOW.ID+" create budget denied") {
			t.Errorf("access log = %q", log)
		}
		w.reconciled(t)
	})
}

func containsLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}
