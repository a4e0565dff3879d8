package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	requestapp "github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/app/review"
	"github.com/inwonercloud/inwonercloud/internal/app/story"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// The consent pages: a resident (or a delegate acting for them, with a
// mandate whose scope covers "consent") lists, makes, extends and revokes
// grants, and reads each grant's receipt. The consent service decides who
// may; a grant the actor may not see does not exist for them (404).

// grantRow is a grant as the pages show it.
type grantRow struct {
	consent.Receipt
	Grantee string // the person's or organisation's name
	Status  string // message key: consent.status.live, .expired, .revoked, .future
}

// statusKey is the message key of a grant's state at now.
func statusKey(g consent.Grant, now time.Time) string {
	switch {
	case g.RevokedAt != nil:
		return "consent.status.revoked"
	case g.Live(now):
		return "consent.status.live"
	case now.Before(g.ValidFrom):
		return "consent.status.future"
	}
	return "consent.status.expired"
}

// categoryKey is the message key of a data category's name in words.
func categoryKey(c string) string {
	switch {
	case c == story.Category:
		return "consent.section.whole"
	case strings.HasPrefix(c, story.Category+":"):
		return "consent.section." + strings.TrimPrefix(c, story.Category+":")
	case c == consent.CategoryConsent:
		return "consent.section.consent"
	case c == requestapp.Category, c == review.Category, c == budget.Category:
		return "consent.section." + c
	}
	return "consent.section.other"
}

// names resolves the display names of persons and organisations for one
// page, each looked up once; someone who no longer exists is "deleted".
type names struct {
	s      *Server
	ctx    context.Context
	lang   string
	people map[string]string
}

func (s *Server) names(r *http.Request, rq *request) *names {
	return &names{s: s, ctx: r.Context(), lang: rq.lang, people: map[string]string{}}
}

func (n *names) person(id string) string {
	if id == "" {
		return ""
	}
	if v, ok := n.people[id]; ok {
		return v
	}
	v := n.s.Catalog.T(n.lang, "accesslog.deleted_account", nil)
	if p, err := n.s.Identity.Person(n.ctx, id); err == nil {
		v = p.DisplayName
	}
	n.people[id] = v
	return v
}

func (n *names) organisation(id string) string {
	if id == "" {
		return ""
	}
	if v, ok := n.people["org:"+id]; ok {
		return v
	}
	v := n.s.Catalog.T(n.lang, "accesslog.deleted_organisation", nil)
	if o, err := n.s.Tenants.Organisation(n.ctx, id); err == nil {
		v = o.Name
	}
	n.people["org:"+id] = v
	return v
}

func (n *names) grantee(g consent.Grant) string {
	if g.GranteeOrgID != "" {
		return n.organisation(g.GranteeOrgID)
	}
	return n.person(g.GranteePersonID)
}

// consentListData is the overview of a resident's grants.
type consentListData struct {
	Grants      []grantRow
	ActingFor   bool
	CategoryKey func(string) string
	PersonName  func(string) string
}

func (s *Server) handleConsentList(w http.ResponseWriter, r *http.Request, rq *request) error {
	list, err := s.Consent.GrantsBy(r.Context(), *rq.person, residentOf(rq))
	if err != nil {
		return err
	}
	n := s.names(r, rq)
	d := consentListData{ActingFor: residentOf(rq) != rq.person.ID, CategoryKey: categoryKey, PersonName: n.person}
	for _, rc := range list {
		d.Grants = append(d.Grants, grantRow{Receipt: rc, Grantee: n.grantee(rc.Grant), Status: statusKey(rc.Grant, rq.now)})
	}
	p := s.newPage(rq, r, "consent", "consent.title")
	p.Data = d
	return s.show(w, r, p)
}

// consentShowData is one grant's receipt.
type consentShowData struct {
	grantRow
	CategoryKey func(string) string
	PersonName  func(string) string
	MaxDate     string
}

func (s *Server) handleConsentShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.newPage(rq, r, "consent_show", "consent_show.title")
	return s.showReceipt(w, r, rq, p, r.PathValue("id"))
}

// showReceipt renders a grant's receipt, with the extension form in p.
func (s *Server) showReceipt(w http.ResponseWriter, r *http.Request, rq *request, p Page, id string) error {
	rc, err := s.Consent.Receipt(r.Context(), *rq.person, id)
	if err != nil {
		return err
	}
	n := s.names(r, rq)
	if p.Form.Values["valid_until"] == "" {
		p.Form.Values["valid_until"] = dateValue(rq.now.AddDate(0, 0, consent.DefaultPolicy.DefaultDays))
	}
	p.Data = consentShowData{
		grantRow:    grantRow{Receipt: rc, Grantee: n.grantee(rc.Grant), Status: statusKey(rc.Grant, rq.now)},
		CategoryKey: categoryKey, PersonName: n.person,
		MaxDate: dateValue(rq.now.AddDate(0, 0, consent.DefaultPolicy.MaxDays)),
	}
	return s.show(w, r, p)
}

func (s *Server) handleConsentExtend(w http.ResponseWriter, r *http.Request, rq *request) error {
	id := r.PathValue("id")
	if !s.requireFreshAuth(w, r, rq, "/delen/"+id) {
		return nil
	}
	p := s.newPage(rq, r, "consent_show", "consent_show.title")
	f, err := readForm(r, map[string]int{"valid_until": 10})
	if err != nil {
		return err
	}
	p.Form = f
	until, ok := parseDate(f.Values["valid_until"])
	if !ok && f.Errors["valid_until"] == "" {
		f.Errors["valid_until"] = "field.date.invalid"
	}
	if !f.HasErrors() {
		_, err := s.Consent.Extend(r.Context(), *rq.person, id, until)
		if err == nil {
			s.redirect(w, r, "/delen/"+id, "flash.consent_extended")
			return nil
		}
		if err := formError(&p, err); err != nil {
			return err
		}
	}
	return s.showReceipt(w, r, rq, p, id)
}

// handleConsentRevoke ends a grant at once. Revoking never needs the
// password again: taking data back must be as easy as possible.
func (s *Server) handleConsentRevoke(w http.ResponseWriter, r *http.Request, rq *request) error {
	id := r.PathValue("id")
	if _, err := s.Consent.Revoke(r.Context(), *rq.person, id); err != nil {
		if errs.Is(err, errs.Conflict) {
			s.redirect(w, r, "/delen/"+id, "")
			return nil
		}
		return err
	}
	s.redirect(w, r, "/delen/"+id, "flash.consent_revoked")
	return nil
}

// dateValue is a day in the Netherlands as an <input type="date"> value.
func dateValue(t time.Time) string { return t.In(amsterdam).Format(time.DateOnly) }

// parseDate reads an <input type="date"> value as the start of that day in
// the Netherlands.
func parseDate(v string) (time.Time, bool) {
	t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(v), amsterdam)
	return t, err == nil
}
