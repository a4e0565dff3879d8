package jobs

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Interval is how often the runner looks for work.
const Interval = 15 * time.Minute

// ReminderWindow is how long before a grant ends its resident is reminded.
const ReminderWindow = 14 * 24 * time.Hour

// Grants is what the reminder needs of the consent service.
type Grants interface {
	DueForReminder(ctx context.Context, now time.Time, within time.Duration) ([]consent.Grant, error)
	MarkReminded(ctx context.Context, grantID string) error
}

// People finds the resident to mail.
type People interface {
	Person(ctx context.Context, id string) (identity.Person, error)
}

// Mailer sends a templated mail; *mail.Sender is one.
type Mailer interface {
	Send(ctx context.Context, m identity.Mail) error
}

// Reminder mails residents whose grants end within ReminderWindow.
type Reminder struct {
	Grants  Grants
	People  People
	Mailer  Mailer
	Clock   clock.Clock
	BaseURL string // the site's address
}

// RemindTemplate is the mail template: mail.consent_expiring.subject/.body.
const RemindTemplate = "consent_expiring"

// Once sends every reminder that is due now and returns how many went
// out. It goes on after a failed mail, and returns the first error.
func (r *Reminder) Once(ctx context.Context) (int, error) {
	due, err := r.Grants.DueForReminder(ctx, r.Clock.Now(), ReminderWindow)
	if err != nil {
		return 0, err
	}
	sent := 0
	var first error
	keep := func(err error) {
		if first == nil {
			first = err
		}
	}
	for _, g := range due {
		p, err := r.People.Person(ctx, g.GrantorID)
		if err != nil {
			keep(err)
			continue
		}
		// Only a link: the mail says nothing about what is shared or with whom.
		m := identity.Mail{To: p.Email, Locale: p.Locale, Template: RemindTemplate,
			Data: map[string]string{"Link": strings.TrimRight(r.BaseURL, "/") + "/delen/" + g.ID}}
		if err := r.Mailer.Send(ctx, m); err != nil {
			keep(err)
			continue
		}
		if err := r.Grants.MarkReminded(ctx, g.ID); err != nil {
			keep(err)
			continue
		}
		sent++
	}
	return sent, first
}

// Job is one kind of background work: Once does what is due now and
// returns how many things it did (mails sent).
type Job interface {
	Name() string
	Once(ctx context.Context) (int, error)
}

// Name names the job in the log.
func (r *Reminder) Name() string { return "consent reminders" }

// Run does the work of every job at once and then every Interval until
// ctx ends. It is meant to run in one goroutine of the serve process:
//
//	go jobs.Run(ctx, log, reminder, freshness)
func Run(ctx context.Context, log *slog.Logger, work ...Job) {
	t := time.NewTicker(Interval)
	defer t.Stop()
	for {
		for _, j := range work {
			if n, err := j.Once(ctx); err != nil && !errors.Is(err, context.Canceled) {
				log.ErrorContext(ctx, "job failed", "job", j.Name(), "done", n, "err", err)
			} else if n > 0 {
				log.InfoContext(ctx, "job done", "job", j.Name(), "count", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
