package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/app/story"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

// consentNewData is what the sharing form offers.
type consentNewData struct {
	Organisations []tenant.Organisation
	Categories    []string // "story", then "story:<section>"
	Chosen        map[string]bool
	Permissions   []consent.Permission
	Purposes      []consent.Purpose
	CategoryKey   func(string) string
	MaxDate       string
	MinDate       string
}

func (s *Server) consentNewPage(r *http.Request, rq *request, chosen []string) (Page, error) {
	p := s.newPage(rq, r, "consent_new", "consent_new.title")
	orgs, err := s.Tenants.Organisations(r.Context(), rq.municipality.ID)
	if err != nil {
		return p, err
	}
	orgs = slices.DeleteFunc(orgs, func(o tenant.Organisation) bool { return o.Kind == tenant.OrgPlatform })
	d := consentNewData{
		Organisations: orgs, Categories: []string{story.Category}, Chosen: map[string]bool{},
		Permissions: consent.Permissions, Purposes: consent.Purposes, CategoryKey: categoryKey,
		MinDate: dateValue(rq.now.AddDate(0, 0, 1)), MaxDate: dateValue(rq.now.AddDate(0, 0, consent.DefaultPolicy.MaxDays)),
	}
	for _, sec := range story.Sections() {
		d.Categories = append(d.Categories, story.SectionCategory(sec))
	}
	for _, c := range chosen {
		d.Chosen[c] = true
	}
	p.Data = d
	return p, nil
}

func (s *Server) handleConsentNewShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	if !s.requireFreshAuth(w, r, rq) {
		return nil
	}
	p, err := s.consentNewPage(r, rq, nil)
	if err != nil {
		return err
	}
	p.Form.Values["permission"] = string(consent.PermissionRead)
	p.Form.Values["valid_until"] = dateValue(rq.now.AddDate(0, 0, consent.DefaultPolicy.DefaultDays))
	return s.show(w, r, p)
}

// handleConsentCreate shares data. The grantee is a professional named by
// e-mail address, or an organisation working in the municipality. An
// address of nobody, or of someone who is no professional, gets the same
// message, so the form reveals nothing about who has an account.
func (s *Server) handleConsentCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if !s.requireFreshAuth(w, r, rq, "/delen/nieuw") {
		return nil
	}
	f, err := readForm(r, map[string]int{"grantee_email": 254, "organisation": 64, "permission": 40, "purpose": 40, "valid_until": 10})
	if err != nil {
		return err
	}
	var chosen []string
	for _, c := range r.PostForm["categories[]"] {
		if len(c) <= 80 && !strings.ContainsFunc(c, isControl) {
			chosen = append(chosen, c)
		}
	}
	p, err := s.consentNewPage(r, rq, chosen)
	if err != nil {
		return err
	}
	p.Form = f
	in := consent.NewGrant{
		GrantorID: residentOf(rq), GranteeOrgID: f.Values["organisation"], Categories: chosen,
		Permission: consent.Permission(f.Values["permission"]), Purpose: consent.Purpose(f.Values["purpose"]),
	}
	if email := strings.TrimSpace(f.Values["grantee_email"]); email != "" && f.Errors["grantee_email"] == "" {
		if in.GranteeOrgID != "" {
			f.Errors["grantee"] = "field.grantee.ambiguous"
		} else if pid, ok := s.professionalByEmail(r, email); ok {
			in.GranteePersonID = pid
		} else {
			f.Errors["grantee"] = "field.grantee.not_professional"
		}
	}
	if v := f.Values["valid_until"]; v != "" {
		if t, ok := parseDate(v); ok {
			in.ValidUntil = t
		} else {
			f.Errors["valid_until"] = "field.date.invalid"
		}
	}
	if f.HasErrors() {
		// The service checks the rest only when it can store; say now
		// what else is missing, so the person fixes it in one go.
		for name, key := range map[string]string{"categories": "field.categories.required", "permission": "field.permission.required", "purpose": "field.purpose.required"} {
			if f.Errors[name] == "" && (name == "categories" && len(chosen) == 0 || name != "categories" && f.Values[name] == "") {
				f.Errors[name] = key
			}
		}
		return s.show(w, r, p)
	}
	g, err := s.Consent.Grant(r.Context(), *rq.person, in)
	if err == nil {
		s.redirect(w, r, "/delen/"+g.ID, "flash.consent_granted")
		return nil
	}
	if err := formError(&p, err); err != nil {
		return err
	}
	return s.show(w, r, p)
}

// professionalByEmail finds a person by e-mail address who can receive a
// grant: someone holding a professional or consultant role.
func (s *Server) professionalByEmail(r *http.Request, email string) (string, bool) {
	p, err := s.DB.FindPersonByEmail(r.Context(), strings.ToLower(email))
	if err != nil {
		return "", false
	}
	for _, role := range consent.GranteeRoles {
		if p.Has(role) {
			return p.ID, true
		}
	}
	return "", false
}
