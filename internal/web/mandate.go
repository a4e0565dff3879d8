package web

import (
	"net/http"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	requestapp "github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/app/review"
	"github.com/inwonercloud/inwonercloud/internal/app/story"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// The mandate pages: a resident appoints a trusted person (mantelzorger)
// who may act for them within a scope until an end date, and revokes the
// mandate; a delegate sees the mandates they hold and switches to acting
// for one of those residents (POST /namens, see actingfor.go).

// mandateScopes are the categories a resident can put in a trusted
// person's scope: the story, their consents (sharing for them), their
// requests for offerings, their reviews, and their budget.
var mandateScopes = []string{story.Category, consent.CategoryConsent, requestapp.Category, review.Category, budget.Category}

// mandateRow is a mandate with the other person's name.
type mandateRow struct {
	consent.Mandate
	Other string // the delegate (given) or the resident (held)
	Live  bool
}

type mandateData struct {
	Given       []mandateRow
	Held        []mandateRow
	ActingFor   string
	CategoryKey func(string) string
}

func (s *Server) handleMandateList(w http.ResponseWriter, r *http.Request, rq *request) error {
	given, err := s.Consent.MandatesOf(r.Context(), *rq.person, rq.person.ID)
	if err != nil {
		return err
	}
	held, err := s.Consent.MandatesFor(r.Context(), *rq.person)
	if err != nil {
		return err
	}
	n := s.names(r, rq)
	d := mandateData{CategoryKey: categoryKey}
	if rq.session != nil {
		d.ActingFor = rq.session.ActingFor
	}
	for _, m := range given {
		d.Given = append(d.Given, mandateRow{Mandate: m, Other: n.person(m.DelegateID), Live: m.Live(rq.now)})
	}
	for _, m := range held {
		d.Held = append(d.Held, mandateRow{Mandate: m, Other: n.person(m.ResidentID), Live: m.Live(rq.now)})
	}
	p := s.newPage(rq, r, "mandate", "mandate.title")
	p.Data = d
	return s.show(w, r, p)
}

type mandateNewData struct {
	Scopes      []string
	Chosen      map[string]bool
	CategoryKey func(string) string
	MinDate     string
	MaxDate     string
}

func (s *Server) mandateNewPage(r *http.Request, rq *request, chosen []string) Page {
	p := s.newPage(rq, r, "mandate_new", "mandate_new.title")
	d := mandateNewData{Scopes: mandateScopes, Chosen: map[string]bool{}, CategoryKey: categoryKey,
		MinDate: dateValue(rq.now.AddDate(0, 0, 1)), MaxDate: dateValue(rq.now.AddDate(0, 0, consent.MandateMaxDays))}
	for _, c := range chosen {
		d.Chosen[c] = true
	}
	p.Data = d
	return p
}

func (s *Server) handleMandateNewShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	if !s.requireFreshAuth(w, r, rq) {
		return nil
	}
	p := s.mandateNewPage(r, rq, nil)
	p.Form.Values["valid_until"] = dateValue(rq.now.AddDate(0, 0, consent.MandateDefaultDays))
	return s.show(w, r, p)
}

// handleMandateCreate appoints a trusted person by e-mail address. An
// address without an account gets the service's "unknown" message; the
// form says no more than that.
func (s *Server) handleMandateCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if !s.requireFreshAuth(w, r, rq, "/machtigingen/nieuw") {
		return nil
	}
	f, err := readForm(r, map[string]int{"delegate": 254, "valid_until": 10})
	if err != nil {
		return err
	}
	var chosen []string
	for _, c := range r.PostForm["scope[]"] {
		if len(c) <= 80 && !strings.ContainsFunc(c, isControl) {
			chosen = append(chosen, c)
		}
	}
	p := s.mandateNewPage(r, rq, chosen)
	p.Form = f
	in := consent.NewMandate{Kind: consent.MandateTrustedPerson, Scope: chosen}
	switch email := strings.TrimSpace(f.Values["delegate"]); {
	case f.Errors["delegate"] != "":
	case email == "":
		f.Errors["delegate"] = "field.delegate.required"
	default:
		if dp, err := s.DB.FindPersonByEmail(r.Context(), strings.ToLower(email)); err == nil {
			in.DelegateID = dp.ID
		} else if errs.Is(err, errs.NotFound) {
			f.Errors["delegate"] = "field.delegate.unknown"
		} else {
			return err
		}
	}
	if v := f.Values["valid_until"]; v != "" {
		if t, ok := parseDate(v); ok {
			in.ValidUntil = t
		} else {
			f.Errors["valid_until"] = "field.date.invalid"
		}
	}
	if len(chosen) == 0 && f.Errors["scope"] == "" {
		f.Errors["scope"] = "field.scope.required"
	}
	if f.HasErrors() {
		return s.show(w, r, p)
	}
	if _, err := s.Consent.Appoint(r.Context(), *rq.person, in); err == nil {
		s.redirect(w, r, "/machtigingen", "flash.mandate_appointed")
		return nil
	} else if err := formError(&p, err); err != nil {
		return err
	}
	return s.show(w, r, p)
}

// handleMandateRevoke ends a mandate, by the resident or the delegate.
func (s *Server) handleMandateRevoke(w http.ResponseWriter, r *http.Request, rq *request) error {
	m, err := s.Consent.RevokeMandate(r.Context(), *rq.person, r.PathValue("id"))
	if err != nil && !errs.Is(err, errs.Conflict) {
		return err
	}
	if err == nil && rq.session != nil && rq.session.ActingFor == m.ResidentID && m.DelegateID == rq.person.ID {
		if _, err := s.Identity.ActFor(r.Context(), rq.token, ""); err != nil {
			return err
		}
	}
	s.redirect(w, r, "/machtigingen", "flash.mandate_revoked")
	return nil
}
