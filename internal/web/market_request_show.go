package web

import (
	"context"
	"net/http"

	requestapp "github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// requestShowData is one request on the resident's side.
type requestShowData struct {
	Request  requestapp.Request
	Timeline []timelineEntry
}

// CanCancel reports whether the resident may still withdraw the request.
func (d requestShowData) CanCancel() bool { return d.Request.Status.Open() }

// CanAcceptTime reports whether a proposed time waits for the resident.
func (d requestShowData) CanAcceptTime() bool {
	return d.Request.Status == requestapp.StatusTimeProposed
}

// CanReview reports whether the offering may be reviewed: only after
// delivery (the review pages decide the rest).
func (d requestShowData) CanReview() bool { return d.Request.Status == requestapp.StatusDelivered }

// requestShowPage loads the request for the resident's side.
func (s *Server) requestShowPage(r *http.Request, rq *request) (Page, error) {
	req, err := s.Requests.Get(r.Context(), rq.person, requestActingFor(rq), r.PathValue("id"))
	if err != nil {
		return Page{}, err
	}
	// The provider's side has its own page; here only the resident's.
	if req.ResidentID != residentOf(rq) {
		return Page{}, notFoundErr("web.requestShowPage")
	}
	tl, err := s.timeline(r.Context(), req, false)
	if err != nil {
		return Page{}, err
	}
	p := s.newPage(rq, r, "market_request_show", "request.show.title")
	p.Data = requestShowData{Request: req, Timeline: tl}
	return p, nil
}

func (s *Server) handleRequestShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.requestShowPage(r, rq)
	if err != nil {
		return err
	}
	return s.show(w, r, p)
}

// handleRequestAcceptTime is the resident's yes to the proposed time.
func (s *Server) handleRequestAcceptTime(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.requestResidentAction(w, r, rq, s.Requests.AcceptProposedTime, "flash.request.time_accepted")
}

// handleRequestCancel withdraws the request.
func (s *Server) handleRequestCancel(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.requestResidentAction(w, r, rq, s.Requests.Cancel, "flash.request.cancelled")
}

// residentAction is a change the resident's side makes.
type residentAction func(ctx context.Context, actor *identity.Person, actingFor, id string, version int64) (requestapp.Request, error)

// requestResidentAction runs one of the resident's actions on the
// version the form was made for, and shows the page again with the
// reason when it cannot be done.
func (s *Server) requestResidentAction(w http.ResponseWriter, r *http.Request, rq *request, act residentAction, flash string) error {
	f, err := readForm(r, map[string]int{"version": 20})
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	_, err = act(r.Context(), rq.person, requestActingFor(rq), id, formVersion(f))
	if err == nil {
		s.redirect(w, r, "/aanvragen/"+id, flash)
		return nil
	}
	p, perr := s.requestShowPage(r, rq)
	if perr != nil {
		return perr
	}
	if err := formError(&p, err); err != nil {
		return err
	}
	return s.show(w, r, p)
}
