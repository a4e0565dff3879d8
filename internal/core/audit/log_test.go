package audit_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

var errBoom = errors.New("boom")

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// read is an event of actor reading subject's data.
func read(actor, subject string) audit.Event {
	return audit.Event{EventID: "story.read", Action: audit.ActionRead, Outcome: audit.Allowed,
		ActorID: actor, ActorRole: "professional", SubjectID: subject, Category: "story", Basis: "consent"}
}

// chain returns every record in the store, in sequence order.
func chain(tb testing.TB, db *sqlstore.DB) []audit.Record {
	tb.Helper()
	list, err := db.FindAuditChain(context.Background(), 0, math.MaxInt64, math.MaxInt32)
	must(tb, err)
	return list
}

// verify runs Verify and fails the test unless the chain is intact with
// the given number of records.
func verify(tb testing.TB, log *audit.Log, records int) {
	tb.Helper()
	rep, err := log.Verify(context.Background())
	must(tb, err)
	if diff := cmp.Diff(audit.Report{Checked: records}, rep); diff != "" {
		tb.Errorf("Verify (-want +got):\n%s", diff)
	}
}

func TestLog_Record_RoundTrip(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		// The clock has sub-millisecond parts; the log keeps milliseconds.
		clk := clock.NewFake(sqltest.Epoch.Add(1500*time.Microsecond + 7))
		log := audit.NewLog(db, clk)
		e := fullEvent()
		e.At = time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC) // the caller's time is ignored
		// Every field is set, so the round trip covers every column.
		v := reflect.ValueOf(e)
		for i := range v.NumField() {
			if v.Field(i).IsZero() {
				t.Fatalf("fixture leaves %s empty", v.Type().Field(i).Name)
			}
		}
		must(t, log.Record(ctx, e))

		want := audit.Record{Event: e, Seq: 1, PrevHash: audit.Genesis}
		want.At = sqltest.Epoch.Add(time.Millisecond)
		want.Hash = want.ComputeHash()
		got, total, err := log.ForSubject(ctx, e.SubjectID, time.Time{}, time.Time{}, 10, 0)
		must(t, err)
		if diff := cmp.Diff([]audit.Record{want}, got); diff != "" || total != 1 {
			t.Errorf("ForSubject: total %d, records (-want +got):\n%s", total, diff)
		}
		if diff := cmp.Diff([]audit.Record{want}, chain(t, db)); diff != "" {
			t.Errorf("chain (-want +got):\n%s", diff)
		}
		verify(t, log, 1)
	})
}

func TestLog_Record_Chain(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		clk := clock.NewFake(sqltest.Epoch)
		log := audit.NewLog(db, clk)
		verify(t, log, 0) // an empty log is intact

		for i := range 3 {
			must(t, log.Record(ctx, read(fmt.Sprintf("actor-%d", i+1), "subject")))
			clk.Advance(time.Second)
		}
		got := chain(t, db)
		if len(got) != 3 {
			t.Fatalf("%d records, want 3", len(got))
		}
		prev := audit.Genesis
		for i, r := range got {
			if r.Seq != int64(i+1) || r.PrevHash != prev || r.Hash != r.ComputeHash() || len(r.Hash) != 64 {
				t.Errorf("record %d: seq %d, prev %s (want %s), hash %s (computed %s)", i, r.Seq, r.PrevHash, prev, r.Hash, r.ComputeHash())
			}
			if want := sqltest.Epoch.Add(time.Duration(i) * time.Second); !r.At.Equal(want) || r.ActorID != fmt.Sprintf("actor-%d", i+1) {
				t.Errorf("record %d: at %v actor %s, want %v actor-%d", i, r.At, r.ActorID, want, i+1)
			}
			prev = r.Hash
		}
		head, err := db.FindAuditHead(ctx)
		must(t, err)
		if want := (audit.Head{Seq: 3, Hash: prev}); head != want {
			t.Errorf("head = %+v, want %+v", head, want)
		}
		verify(t, log, 3)
	})
}

func TestLog_Record_ErrBadEvent(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		log := audit.NewLog(db, clock.NewFake(sqltest.Epoch))
		for _, tc := range []struct {
			name   string
			change func(*audit.Event)
			want   string
		}{
			{"NoEventID", func(e *audit.Event) { e.EventID = "" }, "no EventID"},
			{"UnknownAction", func(e *audit.Event) { e.Action = "peek" }, `unknown Action "peek"`},
			{"UnknownOutcome", func(e *audit.Event) { e.Outcome = "" }, `unknown Outcome ""`},
			{"NoActor", func(e *audit.Event) { e.ActorID = "" }, "no ActorID"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := read("actor", "subject")
				tc.change(&e)
				err := log.Record(t.Context(), e)
				// A bad event is the calling service's defect, not the person's input.
				if err == nil || errs.KindOf(err) != errs.Other || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("Record = %v (kind %v), want an internal error naming %q", err, errs.KindOf(err), tc.want)
				}
			})
		}
		if got := chain(t, db); len(got) != 0 {
			t.Errorf("bad events were stored: %+v", got)
		}
	})
}

// TestLog_Record_CleansText stores what a client may send in a header:
// bytes that are not UTF-8, and NUL, which PostgreSQL refuses in text.
func TestLog_Record_CleansText(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		log := audit.NewLog(db, clock.NewFake(sqltest.Epoch))
		e := read("actor", "subject")
		e.NetworkAddress = "192.0.2.1\xff\x00x"
		e.ActorName = "Zoë"
		must(t, log.Record(t.Context(), e))
		got := chain(t, db)
		if len(got) != 1 || got[0].NetworkAddress != "192.0.2.1\uFFFD\uFFFDx" || got[0].ActorName != "Zoë" {
			t.Errorf("stored %q and %q, want the bad bytes replaced and valid text kept", got[0].NetworkAddress, got[0].ActorName)
		}
		verify(t, log, 1)
	})
}

// TestLog_Record_InTx records inside a business transaction: the change and
// its audit record commit, or roll back, together.
func TestLog_Record_InTx(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		log := audit.NewLog(db, clock.NewFake(sqltest.Epoch))
		change := func(slug string, fail bool) error {
			return db.InTx(ctx, func(ctx context.Context) error {
				m := tenant.Municipality{ID: id.New(), Slug: slug, Name: slug, Theme: "default", CreatedAt: sqltest.Epoch}
				if err := db.CreateMunicipality(ctx, &m); err != nil {
					return err
				}
				if err := log.Record(ctx, read("actor", slug)); err != nil {
					return err
				}
				if fail {
					return errBoom
				}
				return nil
			})
		}
		exists := func(slug string) bool {
			_, err := db.FindMunicipalityBySlug(ctx, slug)
			return err == nil
		}

		if err := change("rolledback", true); !errors.Is(err, errBoom) {
			t.Fatalf("InTx = %v, want the error of fn", err)
		}
		if exists("rolledback") || len(chain(t, db)) != 0 {
			t.Errorf("a rolled-back change left its municipality (%v) or %d audit records", exists("rolledback"), len(chain(t, db)))
		}
		must(t, change("committed", false))
		got := chain(t, db)
		// The rolled-back record took no sequence number: no gap.
		if !exists("committed") || len(got) != 1 || got[0].Seq != 1 || got[0].SubjectID != "committed" {
			t.Errorf("after commit: municipality %v, records %+v; want both, the record as seq 1", exists("committed"), got)
		}
		verify(t, log, 1)
	})
}

// TestLog_Record_Concurrent appends from many goroutines at once: the
// chain must neither fork nor leave gaps.
func TestLog_Record_Concurrent(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		log := audit.NewLog(db, clock.NewFake(sqltest.Epoch))
		const workers, each = 50, 4
		var wg sync.WaitGroup
		errc := make(chan error, workers*each)
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					errc <- log.Record(ctx, read(fmt.Sprintf("actor-%d-%d", w, i), "subject"))
				}
			})
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			must(t, err)
		}
		got := chain(t, db)
		seen := map[string]bool{}
		for i, r := range got {
			if r.Seq != int64(i+1) {
				t.Fatalf("record %d has seq %d: gap or fork", i, r.Seq)
			}
			seen[r.ActorID] = true
		}
		if len(got) != workers*each || len(seen) != workers*each {
			t.Errorf("%d records of %d actors, want %d of each", len(got), len(seen), workers*each)
		}
		audit.SetBatch(log, 7) // walk the chain across many batches
		verify(t, log, workers*each)
	})
}

func TestLog_ForSubject(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		clk := clock.NewFake(sqltest.Epoch)
		log := audit.NewLog(db, clk)
		// Anna's data is read at 0, 1, 2, 2 (same millisecond), 3 hours;
		// Bram's in between.
		for _, step := range []struct {
			advance time.Duration
			event   audit.Event
		}{
			{0, read("a1", "anna")},
			{0, read("b1", "bram")},
			{time.Hour, read("a2", "anna")},
			{time.Hour, read("a3", "anna")},
			{0, read("a4", "anna")},
			{time.Hour, read("a5", "anna")},
		} {
			clk.Advance(step.advance)
			must(t, log.Record(ctx, step.event))
		}
		h := func(n int) time.Time { return sqltest.Epoch.Add(time.Duration(n) * time.Hour) }
		none := time.Time{}

		for _, tc := range []struct {
			name          string
			subject       string
			from, to      time.Time
			limit, offset int
			want          []string // actor ids, in order
			total         int
		}{
			{"NewestFirst", "anna", none, none, 10, 0, []string{"a5", "a4", "a3", "a2", "a1"}, 5},
			{"OtherSubject", "bram", none, none, 10, 0, []string{"b1"}, 1},
			{"Unknown", "nobody", none, none, 10, 0, nil, 0},
			{"FromInclusive", "anna", h(2), none, 10, 0, []string{"a5", "a4", "a3"}, 3},
			{"ToExclusive", "anna", none, h(2), 10, 0, []string{"a2", "a1"}, 2},
			{"Period", "anna", h(1), h(3), 10, 0, []string{"a4", "a3", "a2"}, 3},
			{"FirstPage", "anna", none, none, 2, 0, []string{"a5", "a4"}, 5},
			{"SecondPage", "anna", none, none, 2, 2, []string{"a3", "a2"}, 5},
			{"PastTheEnd", "anna", none, none, 2, 6, nil, 5},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, total, err := log.ForSubject(ctx, tc.subject, tc.from, tc.to, tc.limit, tc.offset)
				must(t, err)
				var actors []string
				for _, r := range got {
					actors = append(actors, r.ActorID)
					if r.SubjectID != tc.subject {
						t.Errorf("record %d is about %q", r.Seq, r.SubjectID)
					}
				}
				if diff := cmp.Diff(tc.want, actors); diff != "" || total != tc.total {
					t.Errorf("total %d (want %d), actors (-want +got):\n%s", total, tc.total, diff)
				}
			})
		}

		for _, tc := range []struct {
			name          string
			subject       string
			from, to      time.Time
			limit, offset int
			field         string
		}{
			{"ErrNoSubject", "", none, none, 10, 0, "subject_id"},
			{"ErrPeriodReversed", "anna", h(2), h(1), 10, 0, "to"},
			{"ErrLimitZero", "anna", none, none, 0, 0, "limit"},
			{"ErrLimitTooLarge", "anna", none, none, audit.MaxPage + 1, 0, "limit"},
			{"ErrNegativeOffset", "anna", none, none, 10, -1, "offset"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, _, err := log.ForSubject(ctx, tc.subject, tc.from, tc.to, tc.limit, tc.offset)
				if !errs.Is(err, errs.Invalid) || errs.FieldsOf(err)[tc.field] == "" {
					t.Errorf("ForSubject = %v, want Invalid with a message for %s", err, tc.field)
				}
			})
		}
	})
}
