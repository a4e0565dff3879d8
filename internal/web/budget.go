package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// The Eigen budget pages. The resident — or a trusted person acting for
// them under a mandate that covers "budget" — follows their budget under
// /budget: what was granted, reserved, spent and left, the decisions, the
// care agreements the providers proposed, and the claims to approve or
// dispute. A provider proposes agreements on requests paid from a budget
// and submits claims under /aanbieder/budget and /aanbieder/afspraken. A
// consultant grants, changes and withdraws budgets and approves agreements
// above the municipality's threshold under /beheer/budgetten.
//
// Every form that moves money carries an idempotency key, made when the
// form is rendered: a double click or a browser retry posts the same key,
// and the budget service moves the money once. Who may see what is decided
// by the service (consent.Check); a page never decides it.

// budgetRoutes registers the budget pages; without a budget service there
// are none.
func (s *Server) budgetRoutes(mux *http.ServeMux) {
	if s.Budget == nil {
		return
	}
	// The resident, or a delegate acting for them.
	mux.Handle("GET /budget", s.page(loggedIn, s.handleBudgetList))
	mux.Handle("GET /budget/{id}", s.page(loggedIn, s.handleBudgetShow))
	mux.Handle("GET /budget/overzicht/{id}", s.page(loggedIn, s.handleBudgetStatement))
	mux.Handle("POST /budget/declaraties/{id}/goedkeuren", s.page(loggedIn, s.handleBudgetClaimApprove))
	mux.Handle("POST /budget/declaraties/{id}/betwisten", s.page(loggedIn, s.handleBudgetClaimDispute))
	mux.Handle("GET /budget/afspraken/{id}", s.page(loggedIn, s.handleBudgetAgreementShow))
	mux.Handle("POST /budget/afspraken/{id}/accepteren", s.page(loggedIn, s.handleBudgetAgreementAccept))
	mux.Handle("POST /budget/afspraken/{id}/weigeren", s.page(loggedIn, s.handleBudgetAgreementRefuse))
	mux.Handle("POST /budget/afspraken/{id}/beeindigen", s.page(loggedIn, s.handleBudgetAgreementEnd))

	// The provider.
	mux.Handle("GET /aanbieder/budget", s.page(loggedIn, s.handleProviderBudget))
	mux.Handle("GET /aanbieder/afspraken/nieuw", s.page(loggedIn, s.handleAgreementNewShow))
	mux.Handle("POST /aanbieder/afspraken/nieuw", s.page(loggedIn, s.handleAgreementCreate))
	mux.Handle("GET /aanbieder/afspraken/{id}", s.page(loggedIn, s.handleProviderAgreementShow))
	mux.Handle("POST /aanbieder/afspraken/{id}/declareren", s.page(loggedIn, s.handleProviderClaimSubmit))

	// The consultant.
	mux.Handle("GET /beheer/budgetten", s.page(loggedIn, s.handleBudgetAdminList))
	mux.Handle("GET /beheer/budgetten/nieuw", s.page(loggedIn, s.handleBudgetGrantShow))
	mux.Handle("POST /beheer/budgetten/nieuw", s.page(loggedIn, s.handleBudgetGrant))
	mux.Handle("GET /beheer/budgetten/{id}", s.page(loggedIn, s.handleBudgetAdminShow))
	mux.Handle("POST /beheer/budgetten/{id}/wijzigen", s.page(loggedIn, s.handleBudgetChange))
	mux.Handle("POST /beheer/budgetten/{id}/intrekken", s.page(loggedIn, s.handleBudgetWithdraw))
	mux.Handle("POST /beheer/afspraken/{id}/goedkeuren", s.page(loggedIn, s.handleBudgetAgreementApprove))
	mux.Handle("POST /beheer/afspraken/{id}/afwijzen", s.page(loggedIn, s.handleBudgetAgreementReject))
	mux.Handle("POST /beheer/declaraties/{id}/terugdraaien", s.page(loggedIn, s.handleBudgetClaimReverse))

	// The municipality admin: when agreements need the municipality's approval.
	mux.Handle("GET /beheer/budget-instellingen", s.page(loggedIn, s.handleBudgetSettingsShow))
	mux.Handle("POST /beheer/budget-instellingen", s.page(loggedIn, s.handleBudgetSettings))
}

// budgetActingFor is the resident a delegate acts for in this session
// ("" when the person acts for themselves).
func budgetActingFor(rq *request) string { return requestActingFor(rq) }

// requireConsultant lets only a consultant through; for anyone else the
// consultant's pages do not exist.
func requireConsultant(rq *request) error {
	if !rq.person.Has(identity.RoleConsultant) {
		return notFoundErr("web.requireConsultant")
	}
	return nil
}

// formKey is the idempotency key a money form posted; a missing one is
// refused before anything moves, as the form did not come from our page.
func formKey(f Form) (string, error) {
	k := strings.TrimSpace(f.Values[idempotencyField])
	if k == "" || f.Errors[idempotencyField] != "" {
		return "", errs.E("web.formKey", errs.Invalid, errs.Key("error.budget.form_expired"))
	}
	return k, nil
}

// withKey adds the idempotency key to the fields a form reads.
func withKey(fields map[string]int) map[string]int {
	fields[idempotencyField] = 100
	return fields
}

// monthRow is a month of a budget's figures, with its name.
type monthRow struct {
	budget.MonthFigures
	Label string // "november 2026"
}

// monthLabel names a month ("2026-11") in the page's language.
func (s *Server) monthLabel(lang, period string) string {
	t, err := budget.ParsePeriod(period)
	if err != nil {
		return period
	}
	return s.Catalog.T(lang, "budget.month."+t.Format("1"), nil) + " " + t.Format("2006")
}

// categoryNames maps a municipality's marketplace categories by id, for
// naming what a budget may be spent on.
func (s *Server) categoryNames(ctx context.Context, municipalityID string) (map[string]string, error) {
	cats, err := s.Market.Categories(ctx, municipalityID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(cats))
	for _, c := range cats {
		out[c.ID] = c.Name
	}
	return out, nil
}

// namesOf lists the names of ids that are known, in the given order.
func namesOf(ids []string, names map[string]string) []string {
	var out []string
	for _, id := range ids {
		if n, ok := names[id]; ok {
			out = append(out, n)
		}
	}
	return out
}

// providerOrgs are the provider organisations the person works for (as
// provider admin or professional), each with its name.
func (s *Server) providerOrgs(ctx context.Context, p *identity.Person) ([]orgOption, error) {
	var out []orgOption
	for _, o := range requestOrgs(p) {
		prov, err := s.Market.Provider(ctx, o)
		if errs.Is(err, errs.NotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, orgOption{ID: o, Name: prov.Name})
	}
	return out, nil
}

// chooseOrg picks the organisation a provider page shows: ?organisatie=
// when it is one of the person's, else the first.
func chooseOrg(r *http.Request, orgs []orgOption) (orgOption, error) {
	if len(orgs) == 0 {
		return orgOption{}, errs.E("web.chooseOrg", errs.Forbidden, errs.Key("error.request.provider_only"))
	}
	o := r.URL.Query().Get("organisatie")
	if o == "" {
		return orgs[0], nil
	}
	i := slices.IndexFunc(orgs, func(x orgOption) bool { return x.ID == o })
	if i < 0 {
		return orgOption{}, notFoundErr("web.chooseOrg")
	}
	return orgs[i], nil
}

// parseMonth reads a month as "2026-11" (what <input type="month"> sends)
// or "11-2026" (what a person types where the browser has no picker).
func parseMonth(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	for _, layout := range []string{"2006-01", "01-2006", "1-2006"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// monthValue writes a month for an <input type="month">.
func monthValue(t time.Time) string { return t.Format("2006-01") }

// budgetFieldNames renames the budget service's field names to the names
// of the form fields that show them; nil when err has no field errors.
func budgetFieldNames(err error) error {
	fields := errs.FieldsOf(err)
	if len(fields) == 0 {
		return nil
	}
	out := errs.Fields{}
	for k, v := range fields {
		if n, ok := budgetFormNames[k]; ok {
			k = n
		}
		out[k] = v
	}
	return errs.E("web.budgetFieldNames", errs.Invalid, errs.Key("error.invalid"), out)
}

// budgetFormNames maps the service's field names to the forms'.
var budgetFormNames = map[string]string{"units_per_month": "units", "offerings": "category"}

// budgetFormError is formError after renaming the service's field names
// to the form's.
func budgetFormError(p *Page, err error) error {
	if e := budgetFieldNames(err); e != nil {
		err = e
	}
	return formError(p, err)
}
