package web

import (
	"net/http"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// budgetAdminData is one budget on the consultant's side: its figures,
// the decisions so far (newest first) and the forms for a change and a
// withdrawal, each a new decision.
type budgetAdminData struct {
	View        budget.View
	Decisions   []decisionRow
	Categories  []market.Category
	Chosen      map[string]bool
	ChangeKey   string
	WithdrawKey string
	Claims      []budget.Claim // paid or to be paid from the budget
	Posted      string         // the claim whose reversal form was posted and is shown again
	Key         func() string  // a fresh idempotency key per reversal form
}

// Active reports whether the budget can still be changed or withdrawn.
func (d budgetAdminData) Active() bool { return d.View.Budget.Status == budget.StatusActive }

// budgetAdminPage loads a budget as the consultant may see it (under the
// legal task, logged); the change form starts from the decision in force.
func (s *Server) budgetAdminPage(r *http.Request, rq *request, id string) (Page, error) {
	if err := requireConsultant(rq); err != nil {
		return Page{}, err
	}
	ctx := r.Context()
	v, err := s.Budget.Budget(ctx, rq.person, "", id)
	if err != nil {
		return Page{}, err
	}
	decisions, err := s.Budget.Decisions(ctx, rq.person, "", id)
	if err != nil {
		return Page{}, err
	}
	cats, err := s.Market.Categories(ctx, v.Budget.MunicipalityID)
	if err != nil {
		return Page{}, err
	}
	names := map[string]string{}
	for _, c := range cats {
		names[c.ID] = c.Name
	}
	d := budgetAdminData{View: v, Categories: cats, Chosen: map[string]bool{}, ChangeKey: newIdempotencyKey(), WithdrawKey: newIdempotencyKey(), Key: newIdempotencyKey}
	if d.Claims, err = s.Budget.ClaimsForBudget(ctx, rq.person, "", id); err != nil {
		return Page{}, err
	}
	for i := len(decisions) - 1; i >= 0; i-- {
		d.Decisions = append(d.Decisions, decisionRow{Decision: decisions[i], Categories: namesOf(decisions[i].CategoryIDs, names)})
	}
	for _, c := range v.Budget.CategoryIDs {
		d.Chosen[c] = true
	}
	p := s.newPage(rq, r, "budget_admin_show", "budget.admin_show.title")
	p.Form.Values["amount"] = euroInput(int64(v.Balance.Granted))
	p.Form.Values["period_end"] = dateValue(v.Budget.PeriodEnd)
	p.Data = d
	return p, nil
}

func (s *Server) handleBudgetAdminShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.budgetAdminPage(r, rq, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.show(w, r, p)
}

// handleBudgetChange records a decision that changes the amount, the end
// of the period or what the budget may be spent on.
func (s *Server) handleBudgetChange(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.budgetAdminPage(r, rq, r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := readForm(r, withKey(map[string]int{"amount": 30, "period_end": 10, "legal_basis": 4000}))
	if err != nil {
		return err
	}
	d := p.Data.(budgetAdminData)
	in := budget.GrantChange{LegalBasis: strings.TrimSpace(f.Values["legal_basis"])}
	in.CategoryIDs, d.Chosen = grantCategories(r, d.Categories)
	p.Form = f
	in.AmountCents = amountField(f, "amount")
	in.PeriodEnd = dateField(f, "period_end")
	id := r.PathValue("id")
	if !f.HasErrors() {
		key, kerr := formKey(f)
		if kerr == nil {
			if _, err = s.Budget.ChangeGrant(r.Context(), rq.person, id, in, key); err == nil {
				s.redirect(w, r, "/beheer/budgetten/"+id, "flash.budget.changed")
				return nil
			}
		} else {
			err = kerr
		}
		if err := budgetFormError(&p, err); err != nil {
			return err
		}
	}
	p.Data = d
	return s.show(w, r, p)
}

// handleBudgetWithdraw records the decision that ends the budget; what is
// neither spent nor reserved goes back.
func (s *Server) handleBudgetWithdraw(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.budgetAdminPage(r, rq, r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := readForm(r, withKey(map[string]int{"withdraw_basis": 4000}))
	if err != nil {
		return err
	}
	// The change form keeps its own starting values.
	for k, v := range f.Values {
		p.Form.Values[k] = v
	}
	p.Form.Errors = f.Errors
	id := r.PathValue("id")
	if !f.HasErrors() {
		key, kerr := formKey(f)
		if kerr == nil {
			if _, err = s.Budget.Withdraw(r.Context(), rq.person, id, strings.TrimSpace(f.Values["withdraw_basis"]), key); err == nil {
				s.redirect(w, r, "/beheer/budgetten/"+id, "flash.budget.withdrawn")
				return nil
			}
		} else {
			err = kerr
		}
		// The withdrawal's grounds have their own field on this page.
		if k := errs.FieldsOf(err)["legal_basis"]; k != "" {
			err = errs.E("web.handleBudgetWithdraw", errs.Invalid, errs.Key("error.invalid"), errs.Fields{"withdraw_basis": k})
		}
		if err := budgetFormError(&p, err); err != nil {
			return err
		}
	}
	return s.show(w, r, p)
}

// handleBudgetClaimReverse corrects an approved claim by a reversal: the
// payment's entries are booked back, and the amount is reserved for the
// agreement again. The reason is kept with the claim.
func (s *Server) handleBudgetClaimReverse(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := requireConsultant(rq); err != nil {
		return err
	}
	f, err := readForm(r, withKey(map[string]int{"reason": budgetReasonLen, "budget": 64}))
	if err != nil {
		return err
	}
	if !f.HasErrors() {
		key, kerr := formKey(f)
		if kerr != nil {
			err = kerr
		} else {
			var c budget.Claim
			if c, err = s.Budget.ReverseClaim(r.Context(), rq.person, r.PathValue("id"), f.Values["reason"], key); err == nil {
				s.redirect(w, r, "/beheer/budgetten/"+c.BudgetID, "flash.budget.claim_reversed")
				return nil
			}
		}
	}
	p, perr := s.budgetAdminPage(r, rq, f.Values["budget"])
	if perr != nil {
		if err != nil {
			return err
		}
		return perr
	}
	for k, v := range f.Values {
		p.Form.Values[k] = v
	}
	p.Form.Errors = f.Errors
	d := p.Data.(budgetAdminData)
	d.Posted = r.PathValue("id")
	p.Data = d
	if err != nil {
		if err := budgetFormError(&p, err); err != nil {
			return err
		}
	}
	return s.show(w, r, p)
}
