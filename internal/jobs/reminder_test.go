package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/story"
	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/jobs"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// fakeMailer keeps what it was asked to send, and can fail.
type fakeMailer struct {
	mu   sync.Mutex
	sent []identity.Mail
	fail bool
}

func (f *fakeMailer) Send(_ context.Context, m identity.Mail) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail {
		return errors.New("smtp down")
	}
	f.sent = append(f.sent, m)
	return nil
}

// people reads persons from the store.
type people struct{ db *sqlstore.DB }

func (p people) Person(ctx context.Context, id string) (identity.Person, error) {
	return p.db.FindPersonByID(ctx, id)
}

func TestReminder_Once(t *testing.T) {
	t.Parallel()
	_ = story.Category // the story's categories are registered by importing it
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
		svc, err := consent.NewService(db, audit.NewLog(db, clk), clk, consent.Options{})
		if err != nil {
			t.Fatal(err)
		}
		m := sqltest.Municipality(t, db, "woerden")
		anna := sqltest.Citizen(t, db, m, "anna@example.nl")
		carla := sqltest.Staff(t, db, m, identity.RoleProfessional, "carla@example.nl")
		g, err := svc.Grant(ctx, anna, consent.NewGrant{GranteePersonID: carla.ID, Categories: []string{"story"},
			Permission: consent.PermissionRead, Purpose: consent.PurposeSupportPlan, ValidUntil: clk.Now().Add(30 * 24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		mailer := &fakeMailer{}
		r := &jobs.Reminder{Grants: svc, People: people{db}, Mailer: mailer, Clock: clk, BaseURL: "https://woerden.example/"}

		// 30 days before the end: nothing due.
		if n, err := r.Once(ctx); err != nil || n != 0 {
			t.Fatalf("30 days before: sent %d, err %v; want 0, nil", n, err)
		}
		// 13 days before the end: due, but the mail fails; not marked.
		clk.Advance(17 * 24 * time.Hour)
		mailer.fail = true
		if n, err := r.Once(ctx); err == nil || n != 0 {
			t.Fatalf("mail down: sent %d, err %v; want 0 and an error", n, err)
		}
		// The next tick sends it, exactly once.
		mailer.fail = false
		if n, err := r.Once(ctx); err != nil || n != 1 {
			t.Fatalf("13 days before: sent %d, err %v; want 1, nil", n, err)
		}
		if n, err := r.Once(ctx); err != nil || n != 0 {
			t.Fatalf("again: sent %d, err %v; want 0, nil", n, err)
		}
		if len(mailer.sent) != 1 {
			t.Fatalf("sent %d mails, want 1", len(mailer.sent))
		}
		mail := mailer.sent[0]
		if mail.To != anna.Email || mail.Template != "consent_expiring" || mail.Data["Link"] != "https://woerden.example/delen/"+g.ID {
			t.Errorf("mail = %+v", mail)
		}
		// Only a link: no name, no grantee, nothing shared.
		for k, v := range mail.Data {
			if k != "Link" || strings.Contains(v, carla.ID) {
				t.Errorf("mail data %q = %q: only the link may be in it", k, v)
			}
		}
		// Extending makes it due again before the new end.
		if _, err := svc.Extend(ctx, anna, g.ID, clk.Now().Add(100*24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if n, _ := r.Once(ctx); n != 0 {
			t.Errorf("right after extending: sent %d, want 0", n)
		}
		clk.Advance(90 * 24 * time.Hour)
		if n, err := r.Once(ctx); err != nil || n != 1 {
			t.Errorf("before the new end: sent %d, err %v; want 1", n, err)
		}
	})
}

func TestRun_StopsOnCancel(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := clock.NewFake(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
		svc, err := consent.NewService(db, audit.NewLog(db, clk), clk, consent.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			jobs.Run(ctx, sqltestLog(t), &jobs.Reminder{Grants: svc, People: people{db}, Mailer: &fakeMailer{}, Clock: clk})
			close(done)
		}()
		cancel()
		<-done // Run returns once the context ends; the test would hang otherwise.
	})
}

func sqltestLog(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
