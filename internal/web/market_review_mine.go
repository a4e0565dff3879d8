package web

import (
	"net/http"

	"github.com/inwonercloud/inwonercloud/internal/app/review"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// reviewListData is the resident's list of reviews.
type reviewListData struct {
	Reviews []review.Mine
}

// handleReviewList shows the reviews of the resident the person is or acts
// for: each with its state, the moderator's reason when refused, and the
// actions that fit.
func (s *Server) handleReviewList(w http.ResponseWriter, r *http.Request, rq *request) error {
	list, err := s.Reviews.Mine(r.Context(), reviewActor(rq))
	if err != nil {
		return err
	}
	p := s.newPage(rq, r, "market_review_list", "review.list.title")
	p.Data = reviewListData{Reviews: list}
	return s.show(w, r, p)
}

// reviewEditPage loads one of the resident's reviews for the edit form.
func (s *Server) reviewEditPage(r *http.Request, rq *request) (Page, review.Mine, error) {
	m, err := s.Reviews.Get(r.Context(), reviewActor(rq), r.PathValue("id"))
	if err != nil {
		return Page{}, review.Mine{}, err
	}
	if m.Status == review.StatusWithdrawn {
		return Page{}, m, errs.E("web.reviewEditPage", errs.Conflict, errs.Key("error.review.withdrawn"))
	}
	p := s.newPage(rq, r, "market_review_form", "review.edit.title")
	d := newReviewFormData(true, "/beoordelingen/"+m.ID+"/bewerken", m.OfferingTitle)
	d.Published, d.Refusal = m.Status == review.StatusPublished, m.Refusal
	p.Data = d
	return p, m, nil
}

// handleReviewEditShow shows the edit form with the author's latest text.
func (s *Server) handleReviewEditShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, m, err := s.reviewEditPage(r, rq)
	if err != nil {
		return err
	}
	reviewValues(p.Form, m.Text)
	return s.show(w, r, p)
}

// handleReviewEdit sends the changed review to moderation.
func (s *Server) handleReviewEdit(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, m, err := s.reviewEditPage(r, rq)
	if err != nil {
		return err
	}
	f, c, err := readReview(r)
	if err != nil {
		return err
	}
	p.Form = f
	if !f.HasErrors() {
		_, err := s.Reviews.Edit(r.Context(), reviewActor(rq), m.ID, c)
		if err == nil {
			s.redirect(w, r, "/beoordelingen", "flash.review_edited")
			return nil
		}
		if err := formError(&p, err); err != nil {
			return err
		}
	}
	return s.show(w, r, p)
}

// handleReviewWithdraw withdraws a review for good.
func (s *Server) handleReviewWithdraw(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.Reviews.Withdraw(r.Context(), reviewActor(rq), r.PathValue("id")); err != nil {
		return err
	}
	s.redirect(w, r, "/beoordelingen", "flash.review_withdrawn")
	return nil
}
