package web

import (
	"net/http"

	"github.com/inwonercloud/inwonercloud/internal/app/review"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// reviewNewPage checks that the person may review the delivered request
// and starts the form; a refusal (no delivered request of theirs, too
// late, already reviewed, their own provider) is the error page with its
// reason.
func (s *Server) reviewNewPage(r *http.Request, rq *request) (Page, error) {
	reqID := r.PathValue("id")
	d, err := s.Reviews.Eligible(r.Context(), reviewActor(rq), reqID)
	if err != nil {
		return Page{}, err
	}
	title := ""
	if v, err := s.Market.Offering(r.Context(), nil, d.OfferingID); err == nil {
		title = v.Offering.Title
	} else if !errs.Is(err, errs.NotFound) {
		return Page{}, err
	}
	p := s.newPage(rq, r, "market_review_form", "review.new.title")
	p.Data = newReviewFormData(false, "/aanvragen/"+reqID+"/beoordelen", title)
	return p, nil
}

// handleReviewNewShow shows the empty review form.
func (s *Server) handleReviewNewShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.reviewNewPage(r, rq)
	if err != nil {
		return err
	}
	p.Form.Values["display"] = string(review.DisplayAnonymous)
	return s.show(w, r, p)
}

// handleReviewCreate stores the review for moderation; wrong fields show
// the form again with the input kept, and nothing is stored.
func (s *Server) handleReviewCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.reviewNewPage(r, rq)
	if err != nil {
		return err
	}
	f, c, err := readReview(r)
	if err != nil {
		return err
	}
	p.Form = f
	if !f.HasErrors() {
		_, err := s.Reviews.Create(r.Context(), reviewActor(rq), r.PathValue("id"), c)
		if err == nil {
			s.redirect(w, r, "/beoordelingen", "flash.review_sent")
			return nil
		}
		if err := formError(&p, err); err != nil {
			return err
		}
	}
	return s.show(w, r, p)
}
