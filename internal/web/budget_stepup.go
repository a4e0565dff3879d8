package web

import (
	"net/http"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
)

// Step-up for spending (SECURITY.md §4, "budget spend above the tenant
// threshold"). The municipality's threshold is the one amount its
// budget settings hold: the total above which a care agreement needs a
// consultant's approval (budget.Settings.Needs). The same amount marks a
// spend as large: accepting an agreement whose total is above it, or
// approving a claim whose amount is above it, needs a password entered in
// the last five minutes (requireFreshAuth). A municipality that requires
// no approval has set no threshold, and no step-up is asked. One amount
// for both keeps the rule a tenant admin sets in one place, and the
// settings page says so.
//
// The check runs before the form is handled: when the password is too
// old, nothing moves and the person is sent to confirm it, and back to the
// page with the form (a budget, an agreement), which they post again
// with a fresh idempotency key.

// spendStepUp reports whether the handler may go on: true when the amount
// is not above the municipality's threshold or the password is fresh;
// false after redirecting to the step-up page with back as the way back.
// When the budget cannot be read the handler goes on, and the service
// refuses the action itself (nothing moves).
func (s *Server) spendStepUp(w http.ResponseWriter, r *http.Request, rq *request, budgetID string, amount budget.Cents, back string) (bool, error) {
	if rq.session != nil && rq.session.FreshAuth(rq.now) {
		return true, nil
	}
	v, err := s.Budget.Budget(r.Context(), rq.person, budgetActingFor(rq), budgetID)
	if err != nil {
		return true, nil
	}
	st, err := s.Budget.Settings(r.Context(), v.Budget.MunicipalityID)
	if err != nil {
		return false, err
	}
	if !st.Needs(amount) {
		return true, nil
	}
	return s.requireFreshAuth(w, r, rq, back), nil
}

// claimStepUp is spendStepUp for approving a claim; back is the budget's
// page, where the claim's form is.
func (s *Server) claimStepUp(w http.ResponseWriter, r *http.Request, rq *request) (bool, error) {
	c, err := s.Budget.Claim(r.Context(), rq.person, budgetActingFor(rq), r.PathValue("id"))
	if err != nil {
		return true, nil // the approval itself answers (not found, not allowed)
	}
	return s.spendStepUp(w, r, rq, c.BudgetID, c.AmountCents, "/budget/"+c.BudgetID)
}

// agreementStepUp is spendStepUp for accepting an agreement into the
// budget the form chose; back is the agreement's page.
func (s *Server) agreementStepUp(w http.ResponseWriter, r *http.Request, rq *request) (bool, error) {
	id := r.PathValue("id")
	a, err := s.Budget.Agreement(r.Context(), rq.person, budgetActingFor(rq), id)
	if err != nil {
		return true, nil
	}
	if err := r.ParseForm(); err != nil {
		return true, nil // readForm reports it
	}
	return s.spendStepUp(w, r, rq, r.PostForm.Get("budget"), a.TotalCents, "/budget/afspraken/"+id)
}
