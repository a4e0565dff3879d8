package jobs

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/prometheus/client_golang/prometheus"
)

// ReconcileAt is the time of day (UTC) of the nightly reconciliation of
// the budget ledger: 02:00 UTC, 03:00 or 04:00 in the Netherlands, when
// hardly anyone moves money.
const ReconcileAt = 2 * time.Hour

// maxLogged is how many account ids an alert names; the count says how
// many there are in all, and `inwonercloud budget reconcile` lists every
// one.
const maxLogged = 20

// Ledger is what the reconciliation needs of the budget service.
type Ledger interface {
	Reconcile(ctx context.Context) (budget.Report, error)
}

// Reconciliation checks the whole budget ledger (budget.Service.Reconcile)
// once shortly after the process starts and then every night at
// ReconcileAt (SECURITY.md §10: "a nightly reconciliation raises alerts").
// When anything differs it logs an operational alert at level ERROR with
// counts and the opaque ids of the accounts, transactions and budgets
// concerned — never a name or any other personal data — and the gauge
// inwonercloud_budget_reconcile_differences holds the number of
// differences the last run found, for the monitoring to alert on. A run
// that fails (the database is away) is tried again at the next tick
// (Interval), and the gauge keeps the last known count;
// inwonercloud_budget_reconcile_last_run_timestamp_seconds shows when a
// run last finished, so a silent job is noticed too.
type Reconciliation struct {
	Ledger Ledger
	Clock  clock.Clock
	Log    *slog.Logger // the operational log; nil: slog.Default

	differences prometheus.Gauge
	lastRun     prometheus.Gauge

	mu   sync.Mutex
	next time.Time // when the next run is due; zero: at once
}

// NewReconciliation returns the nightly reconciliation of the ledger.
func NewReconciliation(l Ledger, clk clock.Clock, log *slog.Logger) *Reconciliation {
	if log == nil {
		log = slog.Default()
	}
	return &Reconciliation{Ledger: l, Clock: clk, Log: log,
		differences: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "inwonercloud_budget_reconcile_differences",
			Help: "Differences the last reconciliation of the budget ledger found; anything above 0 needs an operator.",
		}),
		lastRun: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "inwonercloud_budget_reconcile_last_run_timestamp_seconds",
			Help: "When the last reconciliation of the budget ledger finished (Unix time).",
		}),
	}
}

// Collectors are the job's metrics, for the /metrics registry
// (web.Deps.Metrics).
func (r *Reconciliation) Collectors() []prometheus.Collector {
	return []prometheus.Collector{r.differences, r.lastRun}
}

// Name names the job in the log.
func (r *Reconciliation) Name() string { return "budget reconciliation" }

// Once reconciles the ledger when a run is due (the first call, then
// nightly at ReconcileAt) and returns the number of differences found;
// when no run is due it does nothing.
func (r *Reconciliation) Once(ctx context.Context) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.Clock.Now().UTC()
	if !r.next.IsZero() && now.Before(r.next) {
		return 0, nil
	}
	rep, err := r.Ledger.Reconcile(ctx)
	if err != nil {
		return 0, err // Run logs it; the next tick tries again
	}
	r.next = nextRun(now)
	r.differences.Set(float64(len(rep.Differences)))
	r.lastRun.Set(float64(r.Clock.Now().Unix()))
	if rep.OK() {
		r.Log.InfoContext(ctx, "budget ledger reconciled", "accounts", rep.Accounts, "transactions", rep.Transactions, "entries", rep.Entries)
		return 0, nil
	}
	r.alert(ctx, rep)
	return len(rep.Differences), nil
}

// alert logs what differs: how many of each kind and which accounts,
// transactions and budgets (opaque ids, never personal data).
func (r *Reconciliation) alert(ctx context.Context, rep budget.Report) {
	kinds := map[string]int{}
	var accounts, transactions, budgets []string
	for _, d := range rep.Differences {
		kinds[d.Kind]++
		switch d.Kind {
		case "transaction":
			transactions = appendID(transactions, d.Subject)
		case "budget":
			budgets = appendID(budgets, d.Subject)
		default: // account, negative
			accounts = appendID(accounts, d.Subject)
		}
	}
	r.Log.ErrorContext(ctx, "ALERT: budget ledger does not balance",
		"alert", "budget_reconcile",
		"differences", len(rep.Differences),
		"accountDifferences", kinds["account"], "negativeAccounts", kinds["negative"],
		"unbalancedTransactions", kinds["transaction"], "unbalancedBudgets", kinds["budget"],
		"accounts", accounts, "transactions", transactions, "budgets", budgets,
		"checkedAccounts", rep.Accounts, "checkedTransactions", rep.Transactions, "checkedEntries", rep.Entries,
		"action", "run `inwonercloud budget reconcile` for every difference")
}

// appendID adds id once, up to maxLogged ids.
func appendID(list []string, id string) []string {
	if len(list) >= maxLogged || slices.Contains(list, id) {
		return list
	}
	return append(list, id)
}

// nextRun is the first ReconcileAt after now.
func nextRun(now time.Time) time.Time {
	y, m, d := now.Date()
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Add(ReconcileAt)
	if !t.After(now) {
		t = t.AddDate(0, 0, 1)
	}
	return t
}
