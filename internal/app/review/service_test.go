package review_test

import (
	"strings"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/review"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

var (
	noDelivery  = problem{Kind: errs.NotFound, Key: "error.review.no_delivery"}
	ownProvider = problem{Kind: errs.Forbidden, Key: "error.review.own_provider"}
	tooLate     = problem{Kind: errs.Forbidden, Key: "error.review.too_late"}
	exists      = problem{Kind: errs.Conflict, Key: "error.review.exists"}
	notFound    = problem{Kind: errs.NotFound, Key: "error.not_found"}
)

func TestService_Create(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		w := newWorld(t, db)

		t.Run("OK", func(t *testing.T) {
			req := w.delivered(t, w.anna, "", w.free)
			if _, err := w.svc.Eligible(ctx, own(w.anna), req.ID); err != nil {
				t.Fatalf("Eligible: %v", err)
			}
			r, err := w.svc.Create(ctx, own(w.anna), req.ID, content(4))
			must(t, err)
			if r.Status != review.StatusPending || r.AuthorID != w.anna.ID || r.OfferingID != w.free.ID || r.ProviderOrgID != w.zorg.ID {
				t.Errorf("created %+v", r)
			}
			// Nobody sees it before a moderator approved it.
			page, err := w.svc.Published(ctx, w.free.ID, 1)
			must(t, err)
			if page.Total != 0 || w.svc.RatingOf(w.free.ID).Count != 0 {
				t.Errorf("unmoderated review is public: %+v", page)
			}
			mine, err := w.svc.Mine(ctx, own(w.anna))
			must(t, err)
			if len(mine) != 1 || !mine[0].Pending || mine[0].Text.Pseudonym != "Zonnebloem" || mine[0].OfferingTitle != w.free.Title {
				t.Errorf("mine = %+v", mine)
			}
			// Once per delivery.
			_, err = w.svc.Create(ctx, own(w.anna), req.ID, content(5))
			wantProblem(t, err, exists)
			_, err = w.svc.Eligible(ctx, own(w.anna), req.ID)
			wantProblem(t, err, exists)
		})
		t.Run("ErrNoDelivery", func(t *testing.T) {
			_, err := w.svc.Create(ctx, own(w.anna), "01hzx3k5m7q9s1v3x5z7b9d1f3", content(5))
			wantProblem(t, err, noDelivery)
			// Requested and accepted, not delivered.
			r, err := w.requests.Create(ctx, &w.bert, "", w.lin.ID, "Graag een maatje.", "")
			must(t, err)
			_, err = w.svc.Create(ctx, own(w.bert), r.ID, content(5))
			wantProblem(t, err, noDelivery)
			r, err = w.requests.Accept(ctx, &w.linieAdmin, r.ID, r.Version)
			must(t, err)
			_, err = w.svc.Create(ctx, own(w.bert), r.ID, content(5))
			wantProblem(t, err, noDelivery)
		})
		t.Run("ErrSomeoneElsesDelivery", func(t *testing.T) {
			req := w.delivered(t, w.anna, "", w.lin)
			for _, p := range []identity.Person{w.bert, w.linieAdmin, w.mod, w.gemAdmin} {
				_, err := w.svc.Create(ctx, own(p), req.ID, content(5))
				wantProblem(t, err, noDelivery)
			}
			// A delegate without a mandate cannot act for anna.
			_, err := w.svc.Create(ctx, review.Actor{Person: w.bert, ActingFor: w.anna.ID}, req.ID, content(5))
			if !errs.Is(err, errs.NotFound) {
				t.Errorf("bert acting for anna: %v", err)
			}
		})
		t.Run("ErrOwnProvider", func(t *testing.T) {
			p := sqltest.Citizen(t, db, w.woerden, "later-hired@example.nl")
			req := w.delivered(t, p, "", w.free)
			p = w.addRole(t, p, identity.RoleProfessional, w.zorg)
			_, err := w.svc.Create(ctx, own(p), req.ID, content(5))
			wantProblem(t, err, ownProvider)
			// Also when the role is in the store but not in the session's person.
			p.Roles = p.Roles[:len(p.Roles)-1]
			delegate := sqltest.Citizen(t, db, w.woerden, "helper@example.nl")
			_, err = w.consent.Appoint(ctx, p, consentMandate(delegate.ID))
			must(t, err)
			_, err = w.svc.Create(ctx, review.Actor{Person: delegate, ActingFor: p.ID}, req.ID, content(5))
			wantProblem(t, err, ownProvider)
		})
		t.Run("ErrTooLate", func(t *testing.T) {
			p := sqltest.Citizen(t, db, w.woerden, "late@example.nl")
			req := w.delivered(t, p, "", w.lin)
			deadline := req.DeliveredAt.AddDate(0, review.ReviewWindowMonths, 0)
			w.setClock(deadline.Add(-time.Minute))
			if _, err := w.svc.Eligible(ctx, own(p), req.ID); err != nil {
				t.Fatalf("a minute before six months: %v", err)
			}
			w.setClock(deadline)
			_, err := w.svc.Create(ctx, own(p), req.ID, content(4))
			wantProblem(t, err, tooLate)
			w.setClock(req.DeliveredAt.Add(time.Hour))
		})
		t.Run("ErrFields", func(t *testing.T) {
			req := w.delivered(t, w.bert, "", w.free)
			c := review.Content{Overall: 6, Information: 0, Treatment: 3, Result: -1, Text: "Kort", Display: review.DisplayPseudonym, Pseudonym: "x"}
			_, err := w.svc.Create(ctx, own(w.bert), req.ID, c)
			wantProblem(t, err, problem{Kind: errs.Invalid, Key: "error.invalid", Fields: map[string]string{
				"overall": "field.review.score", "information": "field.review.score", "result": "field.review.score",
				"text": "field.review.text_short", "pseudonym": "field.review.pseudonym_length"}})
			for pseudonym, key := range map[string]string{
				"bert de Boer": "field.review.pseudonym_personal", "Bel 0612345678": "field.review.pseudonym_personal",
				"me@mail": "field.review.pseudonym_chars", "": "field.review.pseudonym_required",
			} {
				c := content(4)
				c.Pseudonym = pseudonym
				_, err := w.svc.Create(ctx, own(w.bert), req.ID, c)
				wantProblem(t, err, problem{Kind: errs.Invalid, Key: "error.invalid", Fields: map[string]string{"pseudonym": key}})
			}
			c = content(4)
			c.Text = strings.Repeat("a", review.MaxText+1)
			c.Display = "naam"
			_, err = w.svc.Create(ctx, own(w.bert), req.ID, c)
			wantProblem(t, err, problem{Kind: errs.Invalid, Key: "error.invalid", Fields: map[string]string{
				"text": "field.review.text_long", "display": "field.review.display"}})
			// Nothing was stored: the delivery can still be reviewed.
			if _, err := w.svc.Eligible(ctx, own(w.bert), req.ID); err != nil {
				t.Errorf("after failed attempts: %v", err)
			}
		})
		t.Run("Delegate", func(t *testing.T) {
			req := w.delivered(t, w.carla, w.anna.ID, w.lin)
			r, err := w.svc.Create(ctx, review.Actor{Person: w.carla, ActingFor: w.anna.ID}, req.ID, content(3))
			must(t, err)
			if r.AuthorID != w.anna.ID || r.WrittenByID != w.carla.ID {
				t.Errorf("author %s written by %s", r.AuthorID, r.WrittenByID)
			}
			recs, _, err := w.log.ForSubject(ctx, w.anna.ID, time.Time{}, w.clock.Now().Add(time.Hour), 100, 0)
			must(t, err)
			logged := false
			for _, rec := range recs {
				logged = logged || (rec.Category == review.Category && rec.ActorID == w.carla.ID)
			}
			if !logged {
				t.Error("the delegate's review is not in anna's access log")
			}
		})
	})
}

func TestService_Moderation(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		w := newWorld(t, db)
		req := w.delivered(t, w.anna, "", w.free)
		r, err := w.svc.Create(ctx, own(w.anna), req.ID, content(4))
		must(t, err)
		it := w.pending(t, r.ID)

		t.Run("QueueHidesAuthor", func(t *testing.T) {
			if it.Submission.SubmittedBy != "" || it.OfferingTitle != w.free.Title || it.Submission.Content.Text != content(4).Text ||
				it.Submission.Kind != review.KindReview {
				t.Errorf("queue item %+v", it)
			}
		})
		t.Run("ErrNotModerator", func(t *testing.T) {
			_, err := w.svc.Queue(ctx, w.gemAdmin)
			wantProblem(t, err, problem{Kind: errs.Forbidden, Key: "error.forbidden"})
			q, err := w.svc.Queue(ctx, w.oudeMod)
			must(t, err)
			if len(q) != 0 {
				t.Errorf("Oudewater's moderator sees Woerden's queue: %+v", q)
			}
			wantProblem(t, w.svc.Approve(ctx, w.oudeMod, it.Submission.ID), notFound)
			wantProblem(t, w.svc.Approve(ctx, w.zorgAdmin, it.Submission.ID), problem{Kind: errs.Forbidden, Key: "error.forbidden"})
		})
		t.Run("ErrRefuseNeedsReason", func(t *testing.T) {
			err := w.svc.Refuse(ctx, w.mod, it.Submission.ID, "boring", strings.Repeat("n", review.MaxNote+1))
			wantProblem(t, err, problem{Kind: errs.Invalid, Key: "error.invalid", Fields: map[string]string{
				"reason": "field.review.reason", "note": "field.review.note_long"}})
		})
		t.Run("RefuseThenFixThenApprove", func(t *testing.T) {
			must(t, w.svc.Refuse(ctx, w.mod, it.Submission.ID, review.ReasonStaffNames, "Laat de naam van de medewerker weg."))
			wantProblem(t, w.svc.Approve(ctx, w.mod, it.Submission.ID), problem{Kind: errs.Conflict, Key: "error.review.decided"})
			m, err := w.svc.Get(ctx, own(w.anna), r.ID)
			must(t, err)
			if m.Status != review.StatusRefused || m.Refusal == nil || m.Refusal.Reason != review.ReasonStaffNames ||
				m.Refusal.Note != "Laat de naam van de medewerker weg." || m.Text.Text != content(4).Text {
				t.Fatalf("after refusal the author sees %+v (refusal %+v)", m, m.Refusal)
			}
			if page, _ := w.svc.Published(ctx, w.free.ID, 1); page.Total != 0 {
				t.Error("a refused review is public")
			}
			c := content(4)
			c.Text = "De medewerker was vriendelijk en kwam op tijd."
			_, err = w.svc.Edit(ctx, own(w.anna), r.ID, c)
			must(t, err)
			must(t, w.svc.Approve(ctx, w.mod, w.pending(t, r.ID).Submission.ID))
			page, err := w.svc.Published(ctx, w.free.ID, 1)
			must(t, err)
			if page.Total != 1 || page.Reviews[0].Text != c.Text || page.Reviews[0].Pseudonym != "Zonnebloem" || page.Reviews[0].Overall != 4 {
				t.Errorf("published page %+v", page)
			}
			if got := w.svc.RatingOf(w.free.ID); got.Count != 1 || got.Average != 4 {
				t.Errorf("RatingOf = %+v", got)
			}
		})
		t.Run("ErrModeratorOwnReview", func(t *testing.T) {
			m := sqltest.Person(t, db, sqltest.PersonSpec{Email: "both@example.nl", Home: w.woerden.ID, Roles: []identity.RoleAssignment{
				sqltest.Role(identity.RoleCitizen, w.woerden), sqltest.Role(identity.RoleModerator, w.woerden)}})
			req := w.delivered(t, m, "", w.lin)
			mr, err := w.svc.Create(ctx, own(m), req.ID, content(5))
			must(t, err)
			q, err := w.svc.Queue(ctx, m)
			must(t, err)
			for _, x := range q {
				if x.Submission.ReviewID == mr.ID {
					t.Error("a moderator sees their own review in the queue")
				}
			}
			wantProblem(t, w.svc.Approve(ctx, m, w.pending(t, mr.ID).Submission.ID), problem{Kind: errs.Forbidden, Key: "error.review.own_text"})
		})
	})
}

func consentMandate(delegateID string) consent.NewMandate {
	return consent.NewMandate{DelegateID: delegateID, Kind: consent.MandateTrustedPerson, Scope: []string{review.Category}}
}
