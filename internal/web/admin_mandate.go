package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// The mandate registration page: a consultant or municipality admin
// records that a parent may act for their minor child, or that a curator,
// bewindvoerder or mentor may act for a resident (consent.Appoint under
// the legal task MandateRegistration). The consent service has no query
// for the mandates a staff member registered, so the page lists none;
// the resident and the delegate see them on their own mandates page.

// adminMandatePath is the page and the form's action.
const adminMandatePath = "/beheer/machtigingen"

// adminMandateKinds are the kinds staff record; trusted persons are
// appointed by residents themselves.
var adminMandateKinds = []consent.MandateKind{consent.MandateParent, consent.MandateLegalRepresentative}

type adminMandateData struct {
	Kinds   []consent.MandateKind
	Scopes  []string
	Chosen  map[string]bool
	MinDate string
	MaxDate string
}

// requireRegistrar answers NotFound to anyone who is not a consultant or
// admin of the request's municipality, so the page's existence does not
// leak. The consent service checks again, against the resident's home
// municipality.
func requireRegistrar(rq *request) error {
	m := rq.municipality.ID
	if !rq.person.HasIn(identity.RoleConsultant, m) && !rq.person.HasIn(identity.RoleTenantAdmin, m) {
		return errs.E("web.requireRegistrar", errs.NotFound)
	}
	return nil
}

func (s *Server) adminMandatePage(r *http.Request, rq *request, chosen []string) Page {
	p := s.newPage(rq, r, "admin_mandate", "adminmandate.title")
	d := adminMandateData{Kinds: adminMandateKinds, Scopes: mandateScopes, Chosen: map[string]bool{},
		MinDate: dateValue(rq.now.AddDate(0, 0, 1)), MaxDate: dateValue(rq.now.AddDate(0, 0, consent.MandateMaxDays))}
	for _, c := range chosen {
		d.Chosen[c] = true
	}
	p.Data = d
	return p
}

func (s *Server) handleAdminMandateShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := requireRegistrar(rq); err != nil {
		return err
	}
	return s.show(w, r, s.adminMandatePage(r, rq, mandateScopes))
}

// handleAdminMandateCreate records a parent or legal-representative
// mandate. Both persons are found by e-mail address; an address without
// an account, or a resident outside the staff member's municipality, gets
// a message at the field and no more detail.
func (s *Server) handleAdminMandateCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := requireRegistrar(rq); err != nil {
		return err
	}
	if !s.requireFreshAuth(w, r, rq, adminMandatePath) {
		return nil
	}
	f, err := readForm(r, map[string]int{
		"resident": identity.MaxEmailLen, "delegate": identity.MaxEmailLen, "kind": 40, "birth_year": 10,
		"legal_basis": consent.MaxLegalBasisLen, "valid_until": 10,
	})
	if err != nil {
		return err
	}
	var chosen []string
	for _, c := range r.PostForm["scope[]"] {
		if len(c) <= 80 && !strings.ContainsFunc(c, isControl) {
			chosen = append(chosen, c)
		}
	}
	p := s.adminMandatePage(r, rq, chosen)
	p.Form = f
	in := consent.NewMandate{Kind: consent.MandateKind(f.Values["kind"]), Scope: chosen, LegalBasis: f.Values["legal_basis"]}
	if in.ResidentID, err = s.personByEmail(r, f, "resident", "adminmandate.resident_required", "adminmandate.resident_unknown"); err != nil {
		return err
	}
	if in.DelegateID, err = s.personByEmail(r, f, "delegate", "adminmandate.delegate_required", "field.delegate.unknown"); err != nil {
		return err
	}
	switch in.Kind {
	case consent.MandateParent:
		if v := strings.TrimSpace(f.Values["birth_year"]); v != "" && f.Errors["birth_year"] == "" {
			if y, err := strconv.Atoi(v); err == nil && y > 1900 {
				in.ChildBirthYear = y
			} else {
				f.Errors["birth_year"] = "field.birth_year.invalid"
			}
		}
	case consent.MandateLegalRepresentative:
	default:
		f.Errors["kind"] = "field.mandate_kind.invalid"
	}
	if v := f.Values["valid_until"]; v != "" {
		if t, ok := parseDate(v); ok {
			in.ValidUntil = t
		} else {
			f.Errors["valid_until"] = "field.date.invalid"
		}
	}
	if len(chosen) == 0 {
		f.Errors["scope"] = "adminmandate.scope_required"
	}
	if f.Errors["legal_basis"] == "field.too_long" {
		f.Errors["legal_basis"] = "field.legal_basis.too_long"
	}
	if f.HasErrors() {
		return s.show(w, r, p)
	}
	_, err = s.Consent.Appoint(r.Context(), *rq.person, in)
	switch {
	case err == nil:
		s.redirect(w, r, adminMandatePath, "flash.adminmandate_registered")
		return nil
	case errs.Is(err, errs.NotFound):
		// A resident of another municipality: the same message as an
		// unknown address.
		f.Errors["resident"] = "adminmandate.resident_unknown"
	default:
		if err := formError(&p, err); err != nil {
			return err
		}
	}
	return s.show(w, r, p)
}

// personByEmail finds the person whose address is in the form field, or
// sets the field's message; it returns "" when there is none.
func (s *Server) personByEmail(r *http.Request, f Form, field, requiredKey, unknownKey string) (string, error) {
	email := strings.ToLower(strings.TrimSpace(f.Values[field]))
	switch {
	case f.Errors[field] != "":
		return "", nil
	case email == "":
		f.Errors[field] = requiredKey
		return "", nil
	}
	p, err := s.DB.FindPersonByEmail(r.Context(), email)
	if errs.Is(err, errs.NotFound) {
		f.Errors[field] = unknownKey
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return p.ID, nil
}
