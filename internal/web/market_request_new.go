package web

import (
	"net/http"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	requestapp "github.com/inwonercloud/inwonercloud/internal/app/request"
)

// requestNewData is the form to request an offering.
type requestNewData struct {
	Offering market.Offering
	Fundings []requestapp.Funding // the ways to pay that fit; a choice when more than one
}

// Choice reports whether the resident chooses how to pay.
func (d requestNewData) Choice() bool { return len(d.Fundings) > 1 }

// requestNewPage builds the form page for a published offering; anything
// else is the normal 404.
func (s *Server) requestNewPage(r *http.Request, rq *request) (Page, error) {
	v, err := s.Market.Offering(r.Context(), nil, r.PathValue("id"))
	if err != nil {
		return Page{}, err
	}
	p := s.newPage(rq, r, "market_request_new", "request.new.title")
	p.Data = requestNewData{Offering: v.Offering, Fundings: requestapp.FundingsFor(v.Offering.CostType)}
	return p, nil
}

func (s *Server) handleRequestNewShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.requestNewPage(r, rq)
	if err != nil {
		return err
	}
	return s.show(w, r, p)
}

// handleRequestCreate sends the request and shows it; bad input shows the
// form again with the input kept.
func (s *Server) handleRequestCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.requestNewPage(r, rq)
	if err != nil {
		return err
	}
	f, err := readForm(r, map[string]int{"message": requestapp.MaxMessageLen, "funding": 40})
	if err != nil {
		return err
	}
	p.Form = f
	if !f.HasErrors() {
		req, err := s.Requests.Create(r.Context(), rq.person, requestActingFor(rq), r.PathValue("id"), f.Values["message"],
			requestapp.Funding(f.Values["funding"]))
		if err == nil {
			s.redirect(w, r, "/aanvragen/"+req.ID, "flash.request.sent")
			return nil
		}
		if err := formError(&p, err); err != nil {
			return err
		}
	}
	return s.show(w, r, p)
}
