package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	requestapp "github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// marketRequestRoutes registers the requests for offerings (aanvragen):
// the resident's side under /aanvragen and the offering's page, the
// provider's under /aanbieder/aanvragen. Without a request service (no
// vault) there are none.
func (s *Server) marketRequestRoutes(mux *http.ServeMux) {
	if s.Requests == nil {
		return
	}
	mux.Handle("GET /aanbod/{id}/aanvragen", s.page(loggedIn, s.handleRequestNewShow))
	mux.Handle("POST /aanbod/{id}/aanvragen", s.page(loggedIn, s.handleRequestCreate))
	mux.Handle("GET /aanvragen", s.page(loggedIn, s.handleRequestList))
	mux.Handle("GET /aanvragen/{id}", s.page(loggedIn, s.handleRequestShow))
	mux.Handle("POST /aanvragen/{id}/tijd-accepteren", s.page(loggedIn, s.handleRequestAcceptTime))
	mux.Handle("POST /aanvragen/{id}/annuleren", s.page(loggedIn, s.handleRequestCancel))
	mux.Handle("GET /aanbieder/aanvragen", s.page(loggedIn, s.handleProviderRequestList))
	mux.Handle("GET /aanbieder/aanvragen/{id}", s.page(loggedIn, s.handleProviderRequestShow))
	mux.Handle("POST /aanbieder/aanvragen/{id}/accepteren", s.page(loggedIn, s.handleProviderRequestAccept))
	mux.Handle("POST /aanbieder/aanvragen/{id}/tijd-voorstellen", s.page(loggedIn, s.handleProviderRequestPropose))
	mux.Handle("POST /aanbieder/aanvragen/{id}/afwijzen", s.page(loggedIn, s.handleProviderRequestDecline))
	mux.Handle("POST /aanbieder/aanvragen/{id}/geleverd", s.page(loggedIn, s.handleProviderRequestDeliver))
}

// requestActingFor is the resident a delegate acts for in this session
// ("" when the person acts for themselves).
func requestActingFor(rq *request) string {
	if rq.session != nil && rq.session.ActingFor != "" {
		return rq.session.ActingFor
	}
	return ""
}

// timelineEntry is one step of a request's timeline as a page shows it.
type timelineEntry struct {
	requestapp.Event
	Who string // the name of who did it, or the provider's name
	Key string // the message key of the step
}

// timeline names who made each step: the resident's side by person, the
// provider's side by person for the provider and by the organisation's
// name for the resident.
func (s *Server) timeline(ctx context.Context, r requestapp.Request, forProvider bool) ([]timelineEntry, error) {
	names := map[string]string{}
	out := make([]timelineEntry, 0, len(r.Events))
	prev := requestapp.Status("")
	for _, e := range r.Events {
		te := timelineEntry{Event: e, Key: "request.event." + string(e.Status)}
		if e.Status == requestapp.StatusAccepted && prev == requestapp.StatusTimeProposed {
			te.Key = "request.event.time_accepted" // the resident took the proposed time
		}
		providerStep := e.Status == requestapp.StatusTimeProposed || e.Status == requestapp.StatusDeclined ||
			e.Status == requestapp.StatusDelivered || (e.Status == requestapp.StatusAccepted && prev == requestapp.StatusSent)
		if providerStep && !forProvider {
			te.Who = r.ProviderName
		} else {
			n, err := s.personName(ctx, names, e.ByID)
			if err != nil {
				return nil, err
			}
			te.Who = n
		}
		out = append(out, te)
		prev = e.Status
	}
	return out, nil
}

// requestOrgs lists the organisations whose requests p answers: where p
// holds provider_admin or professional, each once, in the order held.
func requestOrgs(p *identity.Person) []string {
	var out []string
	for _, a := range p.Roles {
		if a.OrganisationID != "" && (a.Role == identity.RoleProviderAdmin || a.Role == identity.RoleProfessional) &&
			!slices.Contains(out, a.OrganisationID) {
			out = append(out, a.OrganisationID)
		}
	}
	return out
}

// formVersion reads the version a form was made for; a missing or bad one
// is 0, which never matches and so answers that the request changed.
func formVersion(f Form) int64 {
	v, err := strconv.ParseInt(f.Values["version"], 10, 64)
	if err != nil {
		return 0
	}
	return v
}

// notFoundErr is the answer for a page that does not exist for the person.
func notFoundErr(op string) error { return errs.E(op, errs.NotFound, errs.Key("error.not_found")) }
