package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	requestapp "github.com/inwonercloud/inwonercloud/internal/app/request"
)

// providerBudgetData is a provider's side of budgets: the requests paid
// from a budget that still need an agreement, the agreements, the claims
// and the payments.
type providerBudgetData struct {
	Orgs       []orgOption
	Org        orgOption
	Requests   []requestapp.Request // paid from a budget, accepted or delivered, without an open agreement
	Agreements []budget.Agreement
	Claims     []budget.Claim
	Payments   []budget.Entry
	PaidTotal  budget.Cents
	Titles     map[string]string // agreement id → what it is for
}

// handleProviderBudget shows a provider organisation's agreements, claims
// and payments (?organisatie= for a person working for several).
func (s *Server) handleProviderBudget(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	orgs, err := s.providerOrgs(ctx, rq.person)
	if err != nil {
		return err
	}
	org, err := chooseOrg(r, orgs)
	if err != nil {
		return err
	}
	d := providerBudgetData{Orgs: orgs, Org: org, Titles: map[string]string{}}
	if d.Agreements, err = s.Budget.AgreementsForProvider(ctx, rq.person, org.ID); err != nil {
		return err
	}
	open := map[string]bool{}
	for _, a := range d.Agreements {
		d.Titles[a.ID] = a.OfferingTitle
		if !a.Status.Final() {
			open[a.RequestID] = true
		}
	}
	reqs, err := s.Requests.ForProvider(ctx, rq.person, org.ID, requestapp.StatusAccepted, requestapp.StatusDelivered)
	if err != nil {
		return err
	}
	for _, q := range reqs {
		if q.Funding == requestapp.FundingBudget && !open[q.ID] {
			d.Requests = append(d.Requests, q)
		}
	}
	if d.Claims, err = s.Budget.ClaimsForProvider(ctx, rq.person, org.ID); err != nil {
		return err
	}
	if d.Payments, err = s.Budget.PaymentsForProvider(ctx, rq.person, org.ID); err != nil {
		return err
	}
	for _, e := range d.Payments {
		d.PaidTotal += e.AmountCents
	}
	p := s.newPage(rq, r, "budget_provider", "budget.provider.title")
	p.Data = d
	return s.show(w, r, p)
}

// agreementNewData is the provider's proposal form for a request.
type agreementNewData struct {
	Request requestapp.Request
	Unit    string // the offering's unit of price ("uur"), when it has one
	Key     string
}

// agreementNewPage loads the request the agreement is for: only its
// provider's staff reach it (the request service logs the read).
func (s *Server) agreementNewPage(r *http.Request, rq *request, requestID string) (Page, error) {
	ctx := r.Context()
	if requestID == "" {
		return Page{}, notFoundErr("web.agreementNewPage")
	}
	req, err := s.Requests.Get(ctx, rq.person, "", requestID)
	if err != nil {
		return Page{}, err
	}
	if req.ResidentID == rq.person.ID || !slices.Contains(requestOrgs(rq.person), req.ProviderOrgID) {
		return Page{}, notFoundErr("web.agreementNewPage")
	}
	p := s.newPage(rq, r, "budget_agreement_new", "budget.agreement_new.title")
	d := agreementNewData{Request: req, Key: newIdempotencyKey()}
	if v, err := s.Market.Offering(ctx, nil, req.OfferingID); err == nil {
		d.Unit = v.Offering.Unit
		if v.Offering.PriceCents > 0 {
			p.Form.Values["unit_price"] = euroInput(v.Offering.PriceCents)
		}
	}
	p.Form.Values["what"] = req.OfferingTitle
	p.Form.Values["from"] = monthValue(rq.now.In(amsterdam))
	p.Form.Values["until"] = monthValue(rq.now.In(amsterdam).AddDate(0, 5, 0))
	p.Data = d
	return p, nil
}

func (s *Server) handleAgreementNewShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.agreementNewPage(r, rq, r.URL.Query().Get("aanvraag"))
	if err != nil {
		return err
	}
	return s.show(w, r, p)
}

// handleAgreementCreate proposes the agreement to the resident; wrong
// fields are shown at the fields with the input kept.
func (s *Server) handleAgreementCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := readForm(r, withKey(map[string]int{"aanvraag": 64, "what": 1000, "frequency": 200, "unit_price": 30,
		"units": 10, "from": 10, "until": 10}))
	if err != nil {
		return err
	}
	p, err := s.agreementNewPage(r, rq, f.Values["aanvraag"])
	if err != nil {
		return err
	}
	p.Form = f
	in := budget.NewAgreement{RequestID: f.Values["aanvraag"], What: strings.TrimSpace(f.Values["what"]), Frequency: strings.TrimSpace(f.Values["frequency"])}
	if f.Errors["unit_price"] == "" {
		c, key := parseEuro(f.Values["unit_price"])
		if key != "" {
			f.Errors["unit_price"] = key
		}
		in.UnitPriceCents = budget.Cents(c)
	}
	if f.Errors["units"] == "" {
		n, err := strconv.Atoi(strings.TrimSpace(f.Values["units"]))
		switch {
		case strings.TrimSpace(f.Values["units"]) == "":
			f.Errors["units"] = "field.budget_units.required"
		case err != nil || n < 1 || n > 1000:
			f.Errors["units"] = "field.budget_units.invalid"
		}
		in.UnitsPerMonth = n
	}
	for _, fld := range []string{"from", "until"} {
		if f.Errors[fld] != "" {
			continue
		}
		m, ok := parseMonth(f.Values[fld])
		switch {
		case strings.TrimSpace(f.Values[fld]) == "":
			f.Errors[fld] = "field.budget_month.required"
		case !ok:
			f.Errors[fld] = "field.budget_month.invalid"
		}
		if fld == "from" {
			in.From = m
		} else {
			in.Until = m
		}
	}
	if !f.HasErrors() {
		key, kerr := formKey(f)
		if kerr == nil {
			var a budget.Agreement
			if a, err = s.Budget.ProposeAgreement(r.Context(), rq.person, in, key); err == nil {
				s.redirect(w, r, "/aanbieder/afspraken/"+a.ID, "flash.budget.agreement_proposed")
				return nil
			}
		} else {
			err = kerr
		}
		if err := budgetFormError(&p, err); err != nil {
			return err
		}
	}
	return s.show(w, r, p)
}

// providerAgreementPage loads an agreement of one of the person's
// provider organisations.
func (s *Server) providerAgreementPage(r *http.Request, rq *request) (Page, error) {
	ctx := r.Context()
	a, err := s.Budget.Agreement(ctx, rq.person, "", r.PathValue("id"))
	if err != nil {
		return Page{}, err
	}
	if a.ResidentID == rq.person.ID || !slices.Contains(requestOrgs(rq.person), a.ProviderOrgID) {
		return Page{}, notFoundErr("web.providerAgreementPage")
	}
	d := agreementData{Agreement: a, Key: newIdempotencyKey, Provider: true}
	if d.Claims, err = s.Budget.ClaimsOf(ctx, rq.person, "", a.ID); err != nil {
		return Page{}, err
	}
	p := s.newPage(rq, r, "budget_agreement", "budget.agreement.title")
	p.Form.Values["period"] = monthValue(rq.now.In(amsterdam))
	p.Data = d
	return p, nil
}

func (s *Server) handleProviderAgreementShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.providerAgreementPage(r, rq)
	if err != nil {
		return err
	}
	return s.show(w, r, p)
}

// handleProviderClaimSubmit submits the claim for one month.
func (s *Server) handleProviderClaimSubmit(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := readForm(r, withKey(map[string]int{"period": 10, "description": 2000, "amount": 30}))
	if err != nil {
		return err
	}
	p, err := s.providerAgreementPage(r, rq)
	if err != nil {
		return err
	}
	p.Form = f
	id := r.PathValue("id")
	in := budget.NewClaim{AgreementID: id, Description: strings.TrimSpace(f.Values["description"])}
	if f.Errors["period"] == "" {
		m, ok := parseMonth(f.Values["period"])
		switch {
		case strings.TrimSpace(f.Values["period"]) == "":
			f.Errors["period"] = "field.budget_month.required"
		case !ok:
			f.Errors["period"] = "field.budget_month.invalid"
		default:
			in.Period = budget.PeriodOf(m)
		}
	}
	if f.Errors["amount"] == "" {
		c, key := parseEuro(f.Values["amount"])
		if key != "" {
			f.Errors["amount"] = key
		}
		in.AmountCents = budget.Cents(c)
	}
	if !f.HasErrors() {
		key, kerr := formKey(f)
		if kerr == nil {
			if _, err = s.Budget.SubmitClaim(r.Context(), rq.person, in, key); err == nil {
				s.redirect(w, r, "/aanbieder/afspraken/"+id, "flash.budget.claim_submitted")
				return nil
			}
		} else {
			err = kerr
		}
		if err := budgetFormError(&p, err); err != nil {
			return err
		}
	}
	return s.show(w, r, p)
}
