package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// budgetAdminListData is the consultant's list: the budgets of their
// municipality's residents, and the agreements waiting for the
// municipality's approval.
type budgetAdminListData struct {
	Budgets  []budget.View
	Awaiting []budget.Agreement
	Posted   string // the agreement whose form was posted and is shown again
	Key      func() string
}

// budgetAdminListPage loads the consultant's list; the service logs every
// budget it shows under the legal task.
func (s *Server) budgetAdminListPage(r *http.Request, rq *request) (Page, error) {
	if err := requireConsultant(rq); err != nil {
		return Page{}, err
	}
	ctx := r.Context()
	d := budgetAdminListData{Key: newIdempotencyKey}
	var err error
	if d.Budgets, err = s.Budget.BudgetsForConsultant(ctx, rq.person); err != nil {
		return Page{}, err
	}
	if d.Awaiting, err = s.Budget.AgreementsAwaitingMunicipality(ctx, rq.person); err != nil {
		return Page{}, err
	}
	p := s.newPage(rq, r, "budget_admin_list", "budget.admin.title")
	p.Data = d
	return p, nil
}

func (s *Server) handleBudgetAdminList(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.budgetAdminListPage(r, rq)
	if err != nil {
		return err
	}
	return s.show(w, r, p)
}

// municipalityAgreementAction is the municipality's approval or refusal
// of an agreement; a refusal needs a reason.
func (s *Server) municipalityAgreementAction(w http.ResponseWriter, r *http.Request, rq *request, fields map[string]int,
	act func(f Form, key string) (budget.Agreement, error), flash string) error {
	if err := requireConsultant(rq); err != nil {
		return err
	}
	f, err := readForm(r, withKey(fields))
	if err != nil {
		return err
	}
	if !f.HasErrors() {
		key, kerr := formKey(f)
		if kerr != nil {
			err = kerr
		} else if _, err = act(f, key); err == nil {
			s.redirect(w, r, "/beheer/budgetten", flash)
			return nil
		}
	}
	p, perr := s.budgetAdminListPage(r, rq)
	if perr != nil {
		return perr
	}
	p.Form = Form{Values: f.Values, Errors: f.Errors}
	d := p.Data.(budgetAdminListData)
	d.Posted = r.PathValue("id")
	p.Data = d
	if err != nil {
		if err := budgetFormError(&p, err); err != nil {
			return err
		}
	}
	return s.show(w, r, p)
}

func (s *Server) handleBudgetAgreementApprove(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.municipalityAgreementAction(w, r, rq, map[string]int{}, func(_ Form, key string) (budget.Agreement, error) {
		return s.Budget.ApproveAgreement(r.Context(), rq.person, r.PathValue("id"), key)
	}, "flash.budget.agreement_approved")
}

func (s *Server) handleBudgetAgreementReject(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.municipalityAgreementAction(w, r, rq, map[string]int{"reason": budgetReasonLen}, func(f Form, key string) (budget.Agreement, error) {
		return s.Budget.RejectAgreement(r.Context(), rq.person, r.PathValue("id"), f.Values["reason"], key)
	}, "flash.budget.agreement_rejected")
}

// budgetGrantData is the grant form, or the change form on a budget.
type budgetGrantData struct {
	Categories []market.Category // the municipality's, to choose from
	Chosen     map[string]bool
	Key        string
}

// grantCategories reads the chosen categories, keeping only the
// municipality's own.
func grantCategories(r *http.Request, cats []market.Category) ([]string, map[string]bool) {
	chosen := map[string]bool{}
	var ids []string
	for _, c := range r.PostForm["category[]"] {
		if slices.ContainsFunc(cats, func(x market.Category) bool { return x.ID == c }) && !chosen[c] {
			chosen[c] = true
			ids = append(ids, c)
		}
	}
	return ids, chosen
}

func (s *Server) budgetGrantPage(r *http.Request, rq *request) (Page, error) {
	if err := requireConsultant(rq); err != nil {
		return Page{}, err
	}
	cats, err := s.Market.Categories(r.Context(), rq.municipality.ID)
	if err != nil {
		return Page{}, err
	}
	p := s.newPage(rq, r, "budget_grant", "budget.grant.title")
	p.Data = budgetGrantData{Categories: cats, Chosen: map[string]bool{}, Key: newIdempotencyKey()}
	return p, nil
}

func (s *Server) handleBudgetGrantShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.budgetGrantPage(r, rq)
	if err != nil {
		return err
	}
	start := rq.now.In(amsterdam)
	p.Form.Values["period_start"] = dateValue(start)
	p.Form.Values["period_end"] = dateValue(start.AddDate(1, 0, -1))
	return s.show(w, r, p)
}

// handleBudgetGrant records a grant decision for a resident, found by
// e-mail address; a wrong field keeps the input, and a resident outside
// the consultant's municipality gets the same message as an unknown one.
func (s *Server) handleBudgetGrant(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.budgetGrantPage(r, rq)
	if err != nil {
		return err
	}
	f, err := readForm(r, withKey(map[string]int{"resident": identity.MaxEmailLen, "amount": 30,
		"period_start": 10, "period_end": 10, "legal_basis": 4000}))
	if err != nil {
		return err
	}
	d := p.Data.(budgetGrantData)
	in := budget.NewGrant{LegalBasis: strings.TrimSpace(f.Values["legal_basis"])}
	in.CategoryIDs, d.Chosen = grantCategories(r, d.Categories)
	p.Form = f
	if in.ResidentID, err = s.personByEmail(r, f, "resident", "field.budget_resident.required", "field.budget_resident.unknown"); err != nil {
		return err
	}
	in.AmountCents = amountField(f, "amount")
	in.PeriodStart = dateField(f, "period_start")
	in.PeriodEnd = dateField(f, "period_end")
	if !f.HasErrors() {
		key, kerr := formKey(f)
		if kerr == nil {
			var dec budget.Decision
			if dec, err = s.Budget.Grant(r.Context(), rq.person, in, key); err == nil {
				s.redirect(w, r, "/beheer/budgetten/"+dec.BudgetID, "flash.budget.granted")
				return nil
			}
		} else {
			err = kerr
		}
		if uerr := grantError(&p, err); uerr != nil {
			return uerr
		}
	}
	d.Key = newIdempotencyKey()
	p.Data = d
	return s.show(w, r, p)
}

// grantError puts the service's answer on the form; a resident the
// consultant may not decide for is "unknown", as an unknown address.
func grantError(p *Page, err error) error {
	if errs.Is(err, errs.NotFound) {
		p.Form.Errors["resident"] = "field.budget_resident.unknown"
		return nil
	}
	return budgetFormError(p, err)
}

// amountField reads an amount in euros from a form field into cents,
// setting the field's message when it is wrong.
func amountField(f Form, name string) budget.Cents {
	if f.Errors[name] != "" {
		return 0
	}
	c, key := parseEuro(f.Values[name])
	if key != "" {
		f.Errors[name] = key
	}
	return budget.Cents(c)
}

// dateField reads a date (yyyy-mm-dd) from a form field, setting the
// field's message when it is missing or wrong.
func dateField(f Form, name string) (t time.Time) {
	if f.Errors[name] != "" {
		return t
	}
	v := strings.TrimSpace(f.Values[name])
	if v == "" {
		f.Errors[name] = "field.budget_date.required"
		return t
	}
	// A budget's days are calendar days, kept as midnight UTC.
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		f.Errors[name] = "field.budget_date.invalid"
		return t
	}
	return d
}
