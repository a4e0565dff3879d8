package web

import (
	"net/http"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// The municipality's budget rule: whether care agreements above an amount
// need a consultant's approval before they run. Set by a municipality
// admin (tenant_admin) of the municipality the page is for.

// budgetSettingsData is the settings form with the rule in force.
type budgetSettingsData struct {
	Settings budget.Settings
}

func (s *Server) budgetSettingsPage(r *http.Request, rq *request) (Page, error) {
	if !rq.person.HasIn(identity.RoleTenantAdmin, rq.municipality.ID) {
		return Page{}, notFoundErr("web.budgetSettingsPage")
	}
	st, err := s.Budget.Settings(r.Context(), rq.municipality.ID)
	if err != nil {
		return Page{}, err
	}
	p := s.newPage(rq, r, "budget_settings", "budget.settings.title")
	p.Data = budgetSettingsData{Settings: st}
	if st.ApprovalRequired {
		p.Form.Values["approval_required"] = "1"
		p.Form.Values["approval_above"] = euroInput(int64(st.ApprovalAboveCents))
	}
	return p, nil
}

func (s *Server) handleBudgetSettingsShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.budgetSettingsPage(r, rq)
	if err != nil {
		return err
	}
	return s.show(w, r, p)
}

// handleBudgetSettings saves the rule; an amount is needed only when
// approval is required (0 means every agreement).
func (s *Server) handleBudgetSettings(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.budgetSettingsPage(r, rq)
	if err != nil {
		return err
	}
	f, err := readForm(r, map[string]int{"approval_required": 1, "approval_above": 30})
	if err != nil {
		return err
	}
	p.Form = f
	in := budget.Settings{MunicipalityID: rq.municipality.ID, ApprovalRequired: f.Values["approval_required"] == "1"}
	if v := f.Values["approval_above"]; in.ApprovalRequired && f.Errors["approval_above"] == "" {
		c, key := parseEuro(v)
		if key == "field.budget_amount.positive" && !startsWithMinus(v) {
			key = "" // zero: every agreement needs approval
		}
		if key != "" {
			f.Errors["approval_above"] = key
		}
		in.ApprovalAboveCents = budget.Cents(c)
	}
	if !f.HasErrors() {
		if _, err = s.Budget.SetSettings(r.Context(), rq.person, in); err == nil {
			s.redirect(w, r, "/beheer/budget-instellingen", "flash.budget.settings_saved")
			return nil
		}
		if err := budgetFormError(&p, err); err != nil {
			return err
		}
	}
	return s.show(w, r, p)
}

// startsWithMinus reports whether an amount was typed negative.
func startsWithMinus(v string) bool {
	for _, r := range v {
		if r == ' ' || r == '€' {
			continue
		}
		return r == '-'
	}
	return false
}
