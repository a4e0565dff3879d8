package web

import (
	"net/http"

	requestapp "github.com/inwonercloud/inwonercloud/internal/app/request"
)

// requestListData is the resident's list of requests.
type requestListData struct {
	Requests []requestapp.Request
}

// handleRequestList shows the requests of the resident the person is or
// acts for, newest first, each with its state explained.
func (s *Server) handleRequestList(w http.ResponseWriter, r *http.Request, rq *request) error {
	list, err := s.Requests.ForResident(r.Context(), rq.person, requestActingFor(rq))
	if err != nil {
		return err
	}
	p := s.newPage(rq, r, "market_request_list", "request.list.title")
	p.Data = requestListData{Requests: list}
	return s.show(w, r, p)
}
