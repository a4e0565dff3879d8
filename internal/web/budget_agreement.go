package web

import (
	"net/http"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// agreementData is a care agreement on the resident's side.
type agreementData struct {
	Agreement budget.Agreement
	Claims    []budget.Claim
	Budgets   []budget.View // the active budgets it may be paid from, when it waits for the resident
	Key       func() string
	Provider  bool // the provider's side: the claim form instead of the resident's choices
}

// CanDecide reports whether the resident accepts or refuses it now.
func (d agreementData) CanDecide() bool {
	return !d.Provider && d.Agreement.Status == budget.AgreementProposed
}

// CanEnd reports whether the resident may end it.
func (d agreementData) CanEnd() bool {
	return !d.Provider && d.Agreement.Status == budget.AgreementActive
}

// CanClaim reports whether the provider may submit claims under it.
func (d agreementData) CanClaim() bool {
	return d.Provider && d.Agreement.Status == budget.AgreementActive
}

// ChooseBudget reports whether the resident picks one of several budgets.
func (d agreementData) ChooseBudget() bool { return len(d.Budgets) > 1 }

// agreementPage loads an agreement of the resident the person is or acts
// for; the provider's side has its own page.
func (s *Server) agreementPage(r *http.Request, rq *request) (Page, error) {
	ctx := r.Context()
	actingFor := budgetActingFor(rq)
	a, err := s.Budget.Agreement(ctx, rq.person, actingFor, r.PathValue("id"))
	if err != nil {
		return Page{}, err
	}
	if a.ResidentID != residentOf(rq) {
		return Page{}, notFoundErr("web.agreementPage")
	}
	d := agreementData{Agreement: a, Key: newIdempotencyKey}
	if d.Claims, err = s.Budget.ClaimsOf(ctx, rq.person, actingFor, a.ID); err != nil {
		return Page{}, err
	}
	if d.CanDecide() {
		all, err := s.Budget.BudgetsOf(ctx, rq.person, actingFor, a.ResidentID)
		if err != nil {
			return Page{}, err
		}
		for _, v := range all {
			if v.Budget.Status == budget.StatusActive {
				d.Budgets = append(d.Budgets, v)
			}
		}
	}
	p := s.newPage(rq, r, "budget_agreement", "budget.agreement.title")
	p.Data = d
	return p, nil
}

func (s *Server) handleBudgetAgreementShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.agreementPage(r, rq)
	if err != nil {
		return err
	}
	return s.show(w, r, p)
}

// agreementAction runs the resident's step on an agreement and shows the
// agreement again; when it cannot be done, with the reason and the input.
func (s *Server) agreementAction(w http.ResponseWriter, r *http.Request, rq *request, fields map[string]int,
	act func(f Form, key string) (budget.Agreement, error), flash string) error {
	f, err := readForm(r, withKey(fields))
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if !f.HasErrors() {
		key, kerr := formKey(f)
		if kerr != nil {
			err = kerr
		} else if _, err = act(f, key); err == nil {
			s.redirect(w, r, "/budget/afspraken/"+id, flash)
			return nil
		}
	}
	p, perr := s.agreementPage(r, rq)
	if perr != nil {
		return perr
	}
	p.Form = Form{Values: f.Values, Errors: f.Errors}
	if err != nil {
		if err := budgetFormError(&p, err); err != nil {
			return err
		}
	}
	return s.show(w, r, p)
}

// handleBudgetAgreementAccept accepts a proposed agreement, which reserves
// its total in the chosen budget (the only active one, when there is one).
// An agreement above the municipality's threshold needs a fresh password
// first.
func (s *Server) handleBudgetAgreementAccept(w http.ResponseWriter, r *http.Request, rq *request) error {
	// Above the municipality's threshold, only with a fresh password (budget_stepup.go).
	if ok, err := s.agreementStepUp(w, r, rq); !ok || err != nil {
		return err
	}
	return s.agreementAction(w, r, rq, map[string]int{"budget": 64}, func(f Form, key string) (budget.Agreement, error) {
		b := f.Values["budget"]
		if b == "" {
			return budget.Agreement{}, errs.E("web.handleBudgetAgreementAccept", errs.Invalid, errs.Fields{"budget": "field.budget_choice.required"})
		}
		return s.Budget.AcceptAgreement(r.Context(), rq.person, budgetActingFor(rq), r.PathValue("id"), b, key)
	}, "flash.budget.agreement_accepted")
}

// handleBudgetAgreementRefuse refuses a proposed agreement with a reason.
func (s *Server) handleBudgetAgreementRefuse(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.agreementAction(w, r, rq, map[string]int{"reason": budgetReasonLen}, func(f Form, key string) (budget.Agreement, error) {
		return s.Budget.RefuseAgreement(r.Context(), rq.person, budgetActingFor(rq), r.PathValue("id"), f.Values["reason"], key)
	}, "flash.budget.agreement_refused")
}

// handleBudgetAgreementEnd ends an active agreement; what it still held
// goes back to the budget.
func (s *Server) handleBudgetAgreementEnd(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.agreementAction(w, r, rq, map[string]int{}, func(_ Form, key string) (budget.Agreement, error) {
		return s.Budget.EndAgreement(r.Context(), rq.person, budgetActingFor(rq), r.PathValue("id"), key)
	}, "flash.budget.agreement_ended")
}
