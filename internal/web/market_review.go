package web

import (
	"net/http"
	"strconv"

	"github.com/inwonercloud/inwonercloud/internal/app/review"
)

// marketReviewRoutes registers Waarderen: the resident's reviews under
// /beoordelingen (written from a delivered request), the moderators' queue
// under /beheer/beoordelingen and the providers' replies under
// /aanbieder/beoordelingen. The published reviews show on the offering's
// page (market_offering.go). Without a review service there are none.
func (s *Server) marketReviewRoutes(mux *http.ServeMux) {
	if s.Reviews == nil {
		return
	}
	mux.Handle("GET /aanvragen/{id}/beoordelen", s.page(loggedIn, s.handleReviewNewShow))
	mux.Handle("POST /aanvragen/{id}/beoordelen", s.page(loggedIn, s.handleReviewCreate))
	mux.Handle("GET /beoordelingen", s.page(loggedIn, s.handleReviewList))
	mux.Handle("GET /beoordelingen/{id}/bewerken", s.page(loggedIn, s.handleReviewEditShow))
	mux.Handle("POST /beoordelingen/{id}/bewerken", s.page(loggedIn, s.handleReviewEdit))
	mux.Handle("POST /beoordelingen/{id}/intrekken", s.page(loggedIn, s.handleReviewWithdraw))
	mux.Handle("GET /beheer/beoordelingen", s.page(loggedIn, s.handleReviewQueue))
	mux.Handle("POST /beheer/beoordelingen/{id}", s.page(loggedIn, s.handleReviewDecide))
	mux.Handle("GET /aanbieder/beoordelingen", s.page(loggedIn, s.handleProviderReviews))
	mux.Handle("POST /aanbieder/beoordelingen/{id}/reactie", s.page(loggedIn, s.handleProviderReply))
}

// reviewActor is the resident whose reviews the person handles: themselves,
// or the resident they act for.
func reviewActor(rq *request) review.Actor {
	return review.Actor{Person: *rq.person, ActingFor: requestActingFor(rq)}
}

// reviewFields are the review form's fields with their longest accepted
// value; the text may be longer than allowed so the service can say by
// how much it is too long.
var reviewFields = map[string]int{
	"overall": 1, "information": 1, "treatment": 1, "result": 1, "recommend": 3,
	"text": 4 * review.MaxText, "display": 10, "pseudonym": 4 * review.MaxPseudonym,
}

// reviewScoreFields are the four scores, in the order of the form.
var reviewScoreFields = []string{"overall", "information", "treatment", "result"}

// reviewFieldOrder is the order of the form's fields, for the error summary.
const reviewFieldOrder = "overall information treatment result recommend text display pseudonym"

// readReview reads the review form; wrong input is a field error on the
// form, and scores that are not 1 to 5 are left to the service to report.
func readReview(r *http.Request) (Form, review.Content, error) {
	f, err := readForm(r, reviewFields)
	if err != nil {
		return f, review.Content{}, err
	}
	for _, name := range reviewScoreFields {
		if _, bad := f.Errors[name]; bad {
			f.Errors[name] = "field.review.score"
		}
	}
	if _, bad := f.Errors["recommend"]; bad {
		f.Errors["recommend"] = "field.review.recommend"
	}
	n := func(name string) int {
		v, _ := strconv.Atoi(f.Values[name]) // not a number: 0, which the service refuses
		return v
	}
	c := review.Content{Overall: n("overall"), Information: n("information"), Treatment: n("treatment"), Result: n("result"),
		Recommend: f.Values["recommend"] == "yes", Text: f.Values["text"], Display: review.Display(f.Values["display"]),
		Pseudonym: f.Values["pseudonym"]}
	if v := f.Values["recommend"]; v != "yes" && v != "no" && f.Errors["recommend"] == "" {
		f.Errors["recommend"] = "field.review.recommend"
	}
	// The service checks again; checking here too shows every wrong field
	// at once.
	check := c
	check.Normalize()
	f.merge(check.Validate(""))
	return f, c, nil
}

// reviewValues fills a form with a review's content.
func reviewValues(f Form, c review.Content) {
	for name, v := range map[string]int{"overall": c.Overall, "information": c.Information, "treatment": c.Treatment, "result": c.Result} {
		if v > 0 {
			f.Values[name] = strconv.Itoa(v)
		}
	}
	f.Values["recommend"] = "no"
	if c.Recommend {
		f.Values["recommend"] = "yes"
	}
	f.Values["text"], f.Values["display"], f.Values["pseudonym"] = c.Text, string(c.Display), c.Pseudonym
}

// reviewFormData is what the review form shows.
type reviewFormData struct {
	Edit          bool   // editing a review rather than writing one
	Action        string // where the form posts
	OfferingTitle string
	Published     bool               // editing a published review: it stays visible until the change is approved
	Refusal       *review.Submission // the last text was refused: why
	Scores        []string           // the score fields, in order
	Stars         []int              // 1 to 5
	Reasons       []review.Reason    // the house rules, shown before the form
	FieldOrder    string
}

func newReviewFormData(edit bool, action, title string) reviewFormData {
	return reviewFormData{Edit: edit, Action: action, OfferingTitle: title, Scores: reviewScoreFields,
		Stars: []int{1, 2, 3, 4, 5}, Reasons: review.Reasons, FieldOrder: reviewFieldOrder}
}
