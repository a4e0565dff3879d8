package web

import (
	"encoding/csv"
	"net/http"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
)

// budgetListData is the resident's budgets.
type budgetListData struct {
	Budgets   []budget.View
	Proposals []budget.Agreement // agreements a provider proposed, waiting for the resident
}

// handleBudgetList shows the budgets of the resident the person is or
// acts for; with exactly one budget and nothing else to decide it goes
// straight to that budget.
func (s *Server) handleBudgetList(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	list, err := s.Budget.BudgetsOf(ctx, rq.person, budgetActingFor(rq), residentOf(rq))
	if err != nil {
		return err
	}
	agreements, err := s.Budget.AgreementsOf(ctx, rq.person, budgetActingFor(rq))
	if err != nil {
		return err
	}
	d := budgetListData{Budgets: list}
	for _, a := range agreements {
		if a.Status == budget.AgreementProposed {
			d.Proposals = append(d.Proposals, a)
		}
	}
	if len(list) == 1 && len(d.Proposals) == 0 {
		http.Redirect(w, r, "/budget/"+list[0].Budget.ID, http.StatusSeeOther)
		return nil
	}
	p := s.newPage(rq, r, "budget_list", "budget.list.title")
	p.Data = d
	return s.show(w, r, p)
}

// budgetShowData is the overview of one budget.
type budgetShowData struct {
	View       budget.View
	Months     []monthRow
	Chart      budgetChart
	Decisions  []decisionRow // newest first
	Agreements []budget.Agreement
	Proposals  []budget.Agreement // proposed, to accept for this budget
	Awaiting   []budget.Claim     // submitted or disputed: the resident decides
	Decided    []budget.Claim     // approved or reversed
	Providers  map[string]string  // agreement id → provider name, for claims
	Posted     string             // the claim whose form was posted and is shown again
	Key        func() string      // a fresh idempotency key per form
}

// decisionRow is a decision with what it allows in words.
type decisionRow struct {
	budget.Decision
	Categories []string // names of the eligible categories; none: any budget offering
}

// budgetShowPage loads the overview; the service decides whether the
// person may see it (404 and an access-log entry if not).
func (s *Server) budgetShowPage(r *http.Request, rq *request, id string) (Page, error) {
	ctx := r.Context()
	actingFor := budgetActingFor(rq)
	v, err := s.Budget.Budget(ctx, rq.person, actingFor, id)
	if err != nil {
		return Page{}, err
	}
	months, err := s.Budget.Months(ctx, rq.person, actingFor, id)
	if err != nil {
		return Page{}, err
	}
	decisions, err := s.Budget.Decisions(ctx, rq.person, actingFor, id)
	if err != nil {
		return Page{}, err
	}
	claims, err := s.Budget.ClaimsForBudget(ctx, rq.person, actingFor, id)
	if err != nil {
		return Page{}, err
	}
	agreements, err := s.Budget.AgreementsOf(ctx, rq.person, actingFor)
	if err != nil {
		return Page{}, err
	}
	names, err := s.categoryNames(ctx, v.Budget.MunicipalityID)
	if err != nil {
		return Page{}, err
	}
	d := budgetShowData{View: v, Providers: map[string]string{}, Key: newIdempotencyKey}
	for _, m := range months {
		d.Months = append(d.Months, monthRow{MonthFigures: m, Label: s.monthLabel(rq.lang, m.Month)})
	}
	d.Chart = newBudgetChart(d.Months)
	for i := len(decisions) - 1; i >= 0; i-- {
		d.Decisions = append(d.Decisions, decisionRow{Decision: decisions[i], Categories: namesOf(decisions[i].CategoryIDs, names)})
	}
	for _, a := range agreements {
		d.Providers[a.ID] = a.ProviderName
		switch {
		case a.BudgetID == id:
			d.Agreements = append(d.Agreements, a)
		case a.Status == budget.AgreementProposed && v.Budget.Status == budget.StatusActive:
			d.Proposals = append(d.Proposals, a)
		}
	}
	for _, c := range claims {
		if c.Status == budget.ClaimSubmitted || c.Status == budget.ClaimDisputed {
			d.Awaiting = append(d.Awaiting, c)
		} else {
			d.Decided = append(d.Decided, c)
		}
	}
	p := s.newPage(rq, r, "budget_show", "budget.show.title")
	p.Data = d
	return p, nil
}

func (s *Server) handleBudgetShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.budgetShowPage(r, rq, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.show(w, r, p)
}

// handleBudgetStatement downloads the budget's statement as CSV, with
// semicolons and a byte-order mark, as spreadsheet programs in the
// Netherlands open it.
func (s *Server) handleBudgetStatement(w http.ResponseWriter, r *http.Request, rq *request) error {
	id := r.PathValue("id")
	rows, err := s.Budget.Statement(r.Context(), rq.person, budgetActingFor(rq), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="budget-overzicht.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("\ufeff"))
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	for _, row := range rows {
		_ = cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// claimAction runs the resident's decision on a claim and returns to the
// budget; a refusal (not enough left, a changed claim) shows the budget
// again with the reason, and the input kept.
func (s *Server) claimAction(w http.ResponseWriter, r *http.Request, rq *request, fields map[string]int,
	act func(f Form, key string) (budget.Claim, error), flash string) error {
	fields["budget"] = 64
	f, err := readForm(r, withKey(fields))
	if err != nil {
		return err
	}
	budgetID := f.Values["budget"]
	if !f.HasErrors() {
		key, kerr := formKey(f)
		if kerr != nil {
			err = kerr
		} else {
			var c budget.Claim
			if c, err = act(f, key); err == nil {
				s.redirect(w, r, "/budget/"+c.BudgetID+"#declaraties", flash)
				return nil
			}
		}
	}
	p, perr := s.budgetShowPage(r, rq, budgetID)
	if perr != nil {
		if err != nil {
			return err
		}
		return perr
	}
	p.Form = Form{Values: f.Values, Errors: f.Errors}
	p.Form.Values["claim"] = r.PathValue("id")
	d := p.Data.(budgetShowData)
	d.Posted = r.PathValue("id")
	p.Data = d
	if err != nil {
		if err := budgetFormError(&p, err); err != nil {
			return err
		}
	}
	return s.show(w, r, p)
}

// handleBudgetClaimApprove approves a claim: the amount is paid to the
// provider from what the agreement reserved. A claim above the
// municipality's threshold needs a fresh password first.
func (s *Server) handleBudgetClaimApprove(w http.ResponseWriter, r *http.Request, rq *request) error {
	// Above the municipality's threshold, only with a fresh password (budget_stepup.go).
	if ok, err := s.claimStepUp(w, r, rq); !ok || err != nil {
		return err
	}
	return s.claimAction(w, r, rq, map[string]int{}, func(_ Form, key string) (budget.Claim, error) {
		return s.Budget.ApproveClaim(r.Context(), rq.person, budgetActingFor(rq), r.PathValue("id"), key)
	}, "flash.budget.claim_approved")
}

// handleBudgetClaimDispute disputes a claim with a reason the provider
// reads; nothing is paid.
func (s *Server) handleBudgetClaimDispute(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.claimAction(w, r, rq, map[string]int{"reason": budgetReasonLen}, func(f Form, key string) (budget.Claim, error) {
		return s.Budget.DisputeClaim(r.Context(), rq.person, budgetActingFor(rq), r.PathValue("id"), f.Values["reason"], key)
	}, "flash.budget.claim_disputed")
}

// budgetReasonLen is the longest reason (a dispute, a refusal) in characters.
const budgetReasonLen = 1000
