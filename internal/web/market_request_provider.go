package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	requestapp "github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// providerRequestListData is the list of an organisation's requests.
type providerRequestListData struct {
	Orgs     []orgOption // the organisations the person answers for
	OrgID    string      // the one shown
	OrgName  string
	Status   string // the state filtered on; "" for all
	Statuses []requestapp.Status
	Requests []requestapp.Request
}

// orgOption is an organisation to choose.
type orgOption struct{ ID, Name string }

// handleProviderRequestList shows the requests sent to the person's
// organisation, filtered by state (?status=) and, for a person working
// for several, by organisation (?organisatie=).
func (s *Server) handleProviderRequestList(w http.ResponseWriter, r *http.Request, rq *request) error {
	const op = "web.handleProviderRequestList"
	ctx := r.Context()
	// Only provider organisations receive requests (not, say, the
	// social team a professional works in).
	var d providerRequestListData
	for _, o := range requestOrgs(rq.person) {
		prov, err := s.Market.Provider(ctx, o)
		if errs.Is(err, errs.NotFound) {
			continue
		} else if err != nil {
			return err
		}
		d.Orgs = append(d.Orgs, orgOption{ID: o, Name: prov.Name})
	}
	if len(d.Orgs) == 0 {
		return errs.E(op, errs.Forbidden, errs.Key("error.request.provider_only"))
	}
	d.Statuses, d.OrgID, d.OrgName = requestapp.Statuses, d.Orgs[0].ID, d.Orgs[0].Name
	q := r.URL.Query()
	if o := q.Get("organisatie"); o != "" {
		i := slices.IndexFunc(d.Orgs, func(x orgOption) bool { return x.ID == o })
		if i < 0 {
			return notFoundErr(op)
		}
		d.OrgID, d.OrgName = o, d.Orgs[i].Name
	}
	p := s.newPage(rq, r, "market_request_provider_list", "request.provider.list.title")
	var statuses []requestapp.Status
	if st := q.Get("status"); st != "" {
		if !requestapp.Status(st).Valid() {
			p.Form.Errors["status"] = "field.request_status.invalid"
		} else {
			statuses = []requestapp.Status{requestapp.Status(st)}
		}
		d.Status = st
		p.Form.Values["status"] = st
	}
	list, err := s.Requests.ForProvider(ctx, rq.person, d.OrgID, statuses...)
	if err != nil {
		return err
	}
	d.Requests = list
	p.Data = d
	return s.show(w, r, p)
}

// providerRequestData is one request on the provider's side.
type providerRequestData struct {
	Request  requestapp.Request
	Timeline []timelineEntry
	MinDate  string // today, the earliest date to propose (yyyy-mm-dd)
}

// CanAccept reports whether the provider may accept or propose a time.
func (d providerRequestData) CanAccept() bool { return d.Request.Status == requestapp.StatusSent }

// CanDecline reports whether the provider may still decline.
func (d providerRequestData) CanDecline() bool {
	return d.Request.Status == requestapp.StatusSent || d.Request.Status == requestapp.StatusTimeProposed
}

// CanDeliver reports whether the request waits to be delivered.
func (d providerRequestData) CanDeliver() bool { return d.Request.Status == requestapp.StatusAccepted }

// providerRequestPage loads the request for the provider's side. Every
// load is a read the resident's access log shows.
func (s *Server) providerRequestPage(r *http.Request, rq *request) (Page, error) {
	req, err := s.Requests.Get(r.Context(), rq.person, "", r.PathValue("id"))
	if err != nil {
		return Page{}, err
	}
	if req.ResidentID == rq.person.ID {
		return Page{}, notFoundErr("web.providerRequestPage") // the resident's own page is /aanvragen
	}
	tl, err := s.timeline(r.Context(), req, true)
	if err != nil {
		return Page{}, err
	}
	p := s.newPage(rq, r, "market_request_provider_show", "request.provider.show.title")
	p.Data = providerRequestData{Request: req, Timeline: tl, MinDate: rq.now.In(amsterdam).Format("2006-01-02")}
	return p, nil
}

func (s *Server) handleProviderRequestShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.providerRequestPage(r, rq)
	if err != nil {
		return err
	}
	return s.show(w, r, p)
}

// providerAction is a change the provider's side makes; f is the posted form.
type providerAction func(ctx context.Context, actor *identity.Person, id string, version int64, f Form) (requestapp.Request, error)

// providerRequestAction runs a provider's action on the version the form
// was made for; a wrong field or a change meanwhile shows the page again
// with the message, and the input kept.
func (s *Server) providerRequestAction(w http.ResponseWriter, r *http.Request, rq *request, fields map[string]int, act providerAction, flash string) error {
	fields["version"] = 20
	f, err := readForm(r, fields)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if !f.HasErrors() {
		_, err = act(r.Context(), rq.person, id, formVersion(f), f)
		if err == nil {
			s.redirect(w, r, "/aanbieder/aanvragen/"+id, flash)
			return nil
		}
	}
	p, perr := s.providerRequestPage(r, rq)
	if perr != nil {
		return perr
	}
	p.Form = Form{Values: f.Values, Errors: f.Errors}
	if err != nil {
		if err := formError(&p, err); err != nil {
			return err
		}
	}
	return s.show(w, r, p)
}

func (s *Server) handleProviderRequestAccept(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.providerRequestAction(w, r, rq, map[string]int{}, func(ctx context.Context, actor *identity.Person, id string, v int64, _ Form) (requestapp.Request, error) {
		return s.Requests.Accept(ctx, actor, id, v)
	}, "flash.request.accepted")
}

func (s *Server) handleProviderRequestDeliver(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.providerRequestAction(w, r, rq, map[string]int{}, func(ctx context.Context, actor *identity.Person, id string, v int64, _ Form) (requestapp.Request, error) {
		return s.Requests.Deliver(ctx, actor, id, v)
	}, "flash.request.delivered")
}

func (s *Server) handleProviderRequestDecline(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.providerRequestAction(w, r, rq, map[string]int{"reason": requestapp.MaxReasonLen}, func(ctx context.Context, actor *identity.Person, id string, v int64, f Form) (requestapp.Request, error) {
		return s.Requests.Decline(ctx, actor, id, v, f.Values["reason"])
	}, "flash.request.declined")
}

// handleProviderRequestPropose proposes another time, from a date and a
// time of day in the Netherlands.
func (s *Server) handleProviderRequestPropose(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.providerRequestAction(w, r, rq, map[string]int{"date": 10, "time": 5}, func(ctx context.Context, actor *identity.Person, id string, v int64, f Form) (requestapp.Request, error) {
		at, err := proposedTime(f.Values["date"], f.Values["time"])
		if err != nil {
			return requestapp.Request{}, err
		}
		return s.Requests.ProposeTime(ctx, actor, id, v, at)
	}, "flash.request.time_proposed")
}

// proposedTime reads a date (yyyy-mm-dd) and a time of day (hh:mm) in
// the Netherlands; the errors name the fields of the form.
func proposedTime(date, clock string) (time.Time, error) {
	const op = "web.proposedTime"
	f := errs.Fields{}
	date, clock = strings.TrimSpace(date), strings.TrimSpace(clock)
	d, derr := time.ParseInLocation("2006-01-02", date, amsterdam)
	switch {
	case date == "":
		f.Add("date", "field.proposed_date.required")
	case derr != nil:
		f.Add("date", "field.proposed_date.invalid")
	}
	c, cerr := time.Parse("15:04", clock)
	switch {
	case clock == "":
		f.Add("time", "field.proposed_clock.required")
	case cerr != nil:
		f.Add("time", "field.proposed_clock.invalid")
	}
	if err := f.Err(op); err != nil {
		return time.Time{}, err
	}
	return time.Date(d.Year(), d.Month(), d.Day(), c.Hour(), c.Minute(), 0, 0, amsterdam), nil
}
