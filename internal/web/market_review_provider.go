package web

import (
	"net/http"

	"github.com/inwonercloud/inwonercloud/internal/app/review"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// providerReviewData is the provider's list of reviews of their offerings.
type providerReviewData struct {
	Reviews []review.ProviderItem
	Failed  string // the review whose reply had a wrong field
}

// handleProviderReviews shows the published reviews of the offerings of
// the providers the person administers, each with its reply or a form to
// reply once. Anyone else gets the 404 page.
func (s *Server) handleProviderReviews(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.providerReviewPage(r, rq)
	if err != nil {
		return err
	}
	return s.show(w, r, p)
}

func (s *Server) providerReviewPage(r *http.Request, rq *request) (Page, error) {
	list, err := s.Reviews.ForProvider(r.Context(), *rq.person)
	if errs.Is(err, errs.Forbidden) {
		return Page{}, errs.E("web.providerReviews", errs.NotFound, err)
	} else if err != nil {
		return Page{}, err
	}
	p := s.newPage(rq, r, "market_review_provider", "review.provider.title")
	p.Data = providerReviewData{Reviews: list}
	return p, nil
}

// handleProviderReply sends the provider's reply to moderation.
func (s *Server) handleProviderReply(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := readForm(r, map[string]int{"reply": 4 * review.MaxReply})
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if f.Errors["reply"] == "" {
		err = s.Reviews.Reply(r.Context(), *rq.person, id, f.Values["reply"])
		if err == nil {
			s.redirect(w, r, "/aanbieder/beoordelingen", "flash.review_reply_sent")
			return nil
		}
	}
	p, perr := s.providerReviewPage(r, rq)
	if perr != nil {
		return perr
	}
	p.Form = f
	if err != nil {
		if err := formError(&p, err); err != nil {
			return err
		}
	}
	d := p.Data.(providerReviewData)
	d.Failed = id
	p.Data = d
	return s.show(w, r, p)
}
