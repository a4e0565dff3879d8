package web

import (
	"net/http"

	"github.com/inwonercloud/inwonercloud/internal/app/review"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// reviewQueueData is the moderators' queue.
type reviewQueueData struct {
	Items   []review.QueueItem
	Reasons []review.Reason
	Stars   []int
	// Failed is the item whose decision had wrong fields, with the form
	// shown again at that item.
	Failed string
}

// handleReviewQueue shows the texts awaiting moderation in the
// municipalities where the person moderates, without their authors.
// Anyone else gets the 404 page.
func (s *Server) handleReviewQueue(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.reviewQueuePage(r, rq)
	if err != nil {
		return err
	}
	return s.show(w, r, p)
}

func (s *Server) reviewQueuePage(r *http.Request, rq *request) (Page, error) {
	items, err := s.Reviews.Queue(r.Context(), *rq.person)
	if errs.Is(err, errs.Forbidden) {
		return Page{}, errs.E("web.reviewQueue", errs.NotFound, err)
	} else if err != nil {
		return Page{}, err
	}
	p := s.newPage(rq, r, "market_review_queue", "review.queue.title")
	p.Data = reviewQueueData{Items: items, Reasons: review.Reasons, Stars: []int{1, 2, 3, 4, 5}}
	return p, nil
}

// handleReviewDecide approves or refuses one text: decision=approve, or
// decision=refuse with a house rule (reason) and an optional note.
func (s *Server) handleReviewDecide(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := readForm(r, map[string]int{"decision": 10, "reason": 20, "note": 4 * review.MaxNote})
	if err != nil {
		return err
	}
	subID := r.PathValue("id")
	switch f.Values["decision"] {
	case "approve":
		err = s.Reviews.Approve(r.Context(), *rq.person, subID)
	case "refuse":
		err = s.Reviews.Refuse(r.Context(), *rq.person, subID, review.Reason(f.Values["reason"]), f.Values["note"])
	default:
		err = errs.E("web.handleReviewDecide", errs.Invalid, errs.Key("error.bad_request"))
	}
	if err == nil {
		flash := "flash.review_approved"
		if f.Values["decision"] == "refuse" {
			flash = "flash.review_refused"
		}
		s.redirect(w, r, "/beheer/beoordelingen", flash)
		return nil
	}
	p, perr := s.reviewQueuePage(r, rq)
	if perr != nil {
		return perr
	}
	p.Form = f
	if err := formError(&p, err); err != nil {
		return err
	}
	d := p.Data.(reviewQueueData)
	d.Failed = subID
	p.Data = d
	return s.show(w, r, p)
}
