package review_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/app/review"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestService_EditWithdraw(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		w := newWorld(t, db)
		r := w.publishReview(t, w.anna, w.free, content(4))

		t.Run("EditWaitsPublishedStays", func(t *testing.T) {
			c := content(2)
			c.Text = "Achteraf viel het toch tegen, de hulp kwam vaak te laat."
			c.Display = review.DisplayAnonymous
			_, err := w.svc.Edit(ctx, own(w.anna), r.ID, c)
			must(t, err)
			page, err := w.svc.Published(ctx, w.free.ID, 1)
			must(t, err)
			if page.Total != 1 || page.Reviews[0].Overall != 4 || page.Reviews[0].Text != content(4).Text {
				t.Fatalf("while the edit waits the page shows %+v", page.Reviews)
			}
			m, err := w.svc.Get(ctx, own(w.anna), r.ID)
			must(t, err)
			if !m.Pending || m.Text.Overall != 2 || m.Status != review.StatusPublished {
				t.Errorf("author sees %+v", m)
			}
			it := w.pending(t, r.ID)
			if it.Submission.Kind != review.KindEdit || it.Published.Text != content(4).Text {
				t.Errorf("queue item %+v", it)
			}
			must(t, w.svc.Approve(ctx, w.mod, it.Submission.ID))
			page, err = w.svc.Published(ctx, w.free.ID, 1)
			must(t, err)
			if got := page.Reviews[0]; got.Overall != 2 || got.Text != c.Text || !got.Anonymous() {
				t.Errorf("after approval the page shows %+v", got)
			}
			if got := w.svc.RatingOf(w.free.ID); got.Average != 2 {
				t.Errorf("RatingOf after the edit = %+v", got)
			}
		})
		t.Run("RefusedEditKeepsPublished", func(t *testing.T) {
			c := content(1)
			c.Text = "Bel gerust 06-12345678 voor meer info."
			_, err := w.svc.Edit(ctx, own(w.anna), r.ID, c)
			must(t, err)
			must(t, w.svc.Refuse(ctx, w.mod, w.pending(t, r.ID).Submission.ID, review.ReasonPersonalData, ""))
			page, err := w.svc.Published(ctx, w.free.ID, 1)
			must(t, err)
			if page.Reviews[0].Overall != 2 {
				t.Errorf("a refused edit changed the public review: %+v", page.Reviews[0])
			}
			m, err := w.svc.Get(ctx, own(w.anna), r.ID)
			must(t, err)
			if m.Refusal == nil || m.Refusal.Reason != review.ReasonPersonalData || m.Status != review.StatusPublished {
				t.Errorf("author sees %+v", m)
			}
		})
		t.Run("ErrOthers", func(t *testing.T) {
			_, err := w.svc.Edit(ctx, own(w.bert), r.ID, content(5))
			wantProblem(t, err, notFound)
			wantProblem(t, w.svc.Withdraw(ctx, own(w.bert), r.ID), notFound)
			_, err = w.svc.Get(ctx, own(w.zorgAdmin), r.ID)
			wantProblem(t, err, notFound)
		})
		t.Run("Withdraw", func(t *testing.T) {
			// A pending edit goes with it.
			_, err := w.svc.Edit(ctx, own(w.anna), r.ID, content(5))
			must(t, err)
			must(t, w.svc.Withdraw(ctx, own(w.anna), r.ID))
			page, err := w.svc.Published(ctx, w.free.ID, 1)
			must(t, err)
			if page.Total != 0 || w.svc.RatingOf(w.free.ID).Count != 0 {
				t.Errorf("a withdrawn review still shows or counts: %+v", page)
			}
			q, err := w.svc.Queue(ctx, w.mod)
			must(t, err)
			if len(q) != 0 {
				t.Errorf("queue keeps %d items of a withdrawn review", len(q))
			}
			m, err := w.svc.Get(ctx, own(w.anna), r.ID)
			must(t, err)
			if m.Status != review.StatusWithdrawn || m.Text.Text != "" || m.Content.Text != "" {
				t.Errorf("withdrawn review keeps its text: %+v", m)
			}
			_, err = w.svc.Edit(ctx, own(w.anna), r.ID, content(5))
			wantProblem(t, err, problem{Kind: errs.Conflict, Key: "error.review.withdrawn"})
			wantProblem(t, w.svc.Withdraw(ctx, own(w.anna), r.ID), problem{Kind: errs.Conflict, Key: "error.review.withdrawn"})
			_, err = w.svc.Create(ctx, own(w.anna), r.RequestID, content(5))
			wantProblem(t, err, exists)
		})
	})
}

func TestService_Reply(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		w := newWorld(t, db)
		r := w.publishReview(t, w.anna, w.free, content(3))

		list, err := w.svc.ForProvider(ctx, w.zorgAdmin)
		must(t, err)
		if len(list) != 1 || list[0].ID != r.ID || list[0].AuthorID != "" || list[0].RequestID != "" || !list[0].CanReply() {
			t.Fatalf("provider sees %+v", list)
		}
		wantProblem(t, w.svc.Reply(ctx, w.linieAdmin, r.ID, "Dank je wel."), notFound)
		wantProblem(t, w.svc.Reply(ctx, w.zorgAdmin, r.ID, "  "), problem{Kind: errs.Invalid, Key: "error.invalid",
			Fields: map[string]string{"reply": "field.review.reply_required"}})
		must(t, w.svc.Reply(ctx, w.zorgAdmin, r.ID, "Wat vervelend, Jan de Vries belt je."))
		wantProblem(t, w.svc.Reply(ctx, w.zorgAdmin, r.ID, "Nog iets."), problem{Kind: errs.Conflict, Key: "error.review.reply_pending"})
		must(t, w.svc.Refuse(ctx, w.mod, w.pending(t, r.ID).Submission.ID, review.ReasonStaffNames, ""))
		list, err = w.svc.ForProvider(ctx, w.zorgAdmin)
		must(t, err)
		if list[0].ReplyRefusal == nil || list[0].ReplyRefusal.Reason != review.ReasonStaffNames || !list[0].CanReply() {
			t.Fatalf("after refusal the provider sees %+v", list[0])
		}
		// After a refusal the provider may try again, once.
		must(t, w.svc.Reply(ctx, w.zorgAdmin, r.ID, "Dank voor je beoordeling. We bellen je graag."))
		if page, _ := w.svc.Published(ctx, w.free.ID, 1); page.Reviews[0].Reply != "" {
			t.Error("an unmoderated reply is public")
		}
		must(t, w.svc.Approve(ctx, w.mod, w.pending(t, r.ID).Submission.ID))
		page, err := w.svc.Published(ctx, w.free.ID, 1)
		must(t, err)
		if page.Reviews[0].Reply != "Dank voor je beoordeling. We bellen je graag." || page.Reviews[0].ReplyAt == nil {
			t.Errorf("published reply %+v", page.Reviews[0])
		}
		wantProblem(t, w.svc.Reply(ctx, w.zorgAdmin, r.ID, "Nog iets."), problem{Kind: errs.Conflict, Key: "error.review.reply_exists"})
		_, err = w.svc.ForProvider(ctx, w.anna)
		wantProblem(t, err, problem{Kind: errs.Forbidden, Key: "error.forbidden"})
	})
}

func TestService_Aggregate(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		w := newWorld(t, db)
		start := w.clock.Now()
		for i, overall := range []int{5, 4, 4, 2} {
			p := sqltest.Citizen(t, db, w.woerden, "r"+string(rune('a'+i))+"@example.nl")
			c := content(overall)
			c.Information, c.Recommend = overall, overall >= 4
			w.publishReview(t, p, w.free, c)
		}
		got, err := w.svc.Aggregate(ctx, w.free.ID)
		must(t, err)
		want := review.Aggregate{Count: 4, Overall: 3.75, Information: 3.75, Treatment: 5, Result: 3, Recommend: 3, Distribution: [5]int{0, 1, 0, 2, 1}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("aggregate (-want +got):\n%s", diff)
		}
		if got.RecommendPercent() != 75 {
			t.Errorf("RecommendPercent = %d", got.RecommendPercent())
		}
		if r := w.svc.RatingOf(w.free.ID); r != (market.Rating{Count: 4, Average: 3.75}) {
			t.Errorf("RatingOf = %+v", r)
		}

		// Four years after they were written, reviews stop counting and
		// showing — with no write in between, from memory.
		w.setClock(start.AddDate(review.CountYears, 0, 0).Add(-time.Minute))
		if r := w.svc.RatingOf(w.free.ID); r.Count != 4 {
			t.Errorf("just under four years: RatingOf = %+v", r)
		}
		w.setClock(start.AddDate(review.CountYears, 0, 0).Add(time.Hour))
		if r := w.svc.RatingOf(w.free.ID); r.Count != 0 {
			t.Errorf("after four years: RatingOf = %+v", r)
		}
		page, err := w.svc.Published(ctx, w.free.ID, 1)
		must(t, err)
		if page.Total != 0 {
			t.Errorf("after four years the page shows %d reviews", page.Total)
		}
		list, err := w.svc.ForProvider(ctx, w.zorgAdmin)
		must(t, err)
		if len(list) != 0 {
			t.Errorf("after four years the provider can still reply to %d reviews", len(list))
		}
	})
}

// TestService_RatingSort: the marketplace's sort by rating reads RatingOf,
// and one 5-star review does not beat many reviews averaging 4.5.
func TestService_RatingSort(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		w := newWorld(t, db)
		// "Hulp in de huishouding" sorts before "Maatjesproject" by title,
		// and a plain mean (5 against 4.5) would put it first too.
		w.publishReview(t, w.anna, w.free, content(5))
		for i := range 10 {
			p := sqltest.Citizen(t, db, w.woerden, "m"+string(rune('a'+i))+"@example.nl")
			w.publishReview(t, p, w.lin, content(4+i%2))
		}
		if r := w.svc.RatingOf(w.lin.ID); r.Count != 10 || r.Average != 4.5 {
			t.Fatalf("RatingOf(lin) = %+v", r)
		}
		res, err := w.market.Search(ctx, nil, market.Query{MunicipalityID: w.woerden.ID, Sort: market.SortRating})
		must(t, err)
		var titles []string
		for _, h := range res.Hits {
			titles = append(titles, h.Offering.Title)
		}
		if diff := cmp.Diff([]string{w.lin.Title, w.free.Title}, titles); diff != "" {
			t.Errorf("sorted by rating (-want +got):\n%s", diff)
		}
		if res.Hits[0].Rating != (market.Rating{Count: 10, Average: 4.5}) {
			t.Errorf("hit rating %+v", res.Hits[0].Rating)
		}
	})
}

func TestService_Erase(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		w := newWorld(t, db)
		w.publishReview(t, w.anna, w.free, content(5))
		w.publishReview(t, w.bert, w.free, content(3))
		must(t, w.svc.Erase(ctx, w.anna.ID))
		mine, err := w.svc.Mine(ctx, own(w.anna))
		must(t, err)
		if len(mine) != 0 {
			t.Errorf("after erasure anna has %d reviews", len(mine))
		}
		got, err := w.svc.Aggregate(ctx, w.free.ID)
		must(t, err)
		if got.Count != 1 || got.Overall != 3 {
			t.Errorf("aggregate after erasure %+v", got)
		}
	})
}

// BenchmarkRatingOf is the cost of one rating lookup, which a search sorted
// by rating pays for every match.
func BenchmarkRatingOf(b *testing.B) {
	db := sqltest.Open(b, "sqlite")
	svc := review.NewService(db, nil, nil, clock.NewFake(sqltest.Epoch), review.Options{})
	if err := svc.Warm(b.Context()); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		svc.RatingOf("01hzx3k5m7q9s1v3x5z7b9d1f3")
	}
}
