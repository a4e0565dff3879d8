package jobs_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/jobs"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
	"github.com/prometheus/client_golang/prometheus"
)

// eachRaw runs fn once per database with the store and a second, raw
// connection to the same database: what someone with database rights
// could do behind the application's back.
func eachRaw(t *testing.T, fn func(t *testing.T, db *sqlstore.DB, raw *sql.DB)) {
	for _, d := range sqltest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			var dbURL, path, driver, dsn string
			if d == "sqlite" {
				path = filepath.Join(t.TempDir(), "test.db")
				driver, dsn = "sqlite", "file:"+path+"?_pragma=busy_timeout(10000)"
			} else {
				dbURL = sqltest.NewSchema(t)
				driver, dsn = "pgx", dbURL
			}
			db, err := sqlstore.Open(ctx, dbURL, path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { raw.Close() })
			fn(t, db, raw)
		})
	}
}

// gauge reads a metric of the job by name.
func gauge(t *testing.T, job *jobs.Reconciliation, name string) float64 {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(job.Collectors()...)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() == name {
			return f.GetMetric()[0].GetGauge().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

// TestReconciliation: the job reconciles at its first run, then not again
// until the night; a running balance changed behind the application's
// back is found at the next nightly run, logged as an ERROR alert with
// counts and account ids — not the resident — and the gauge shows it.
func TestReconciliation(t *testing.T) {
	t.Parallel()
	eachRaw(t, func(t *testing.T, db *sqlstore.DB, raw *sql.DB) {
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2026, 11, 28, 15, 0, 0, 0, time.UTC))
		svc := budget.NewService(db, nil, nil, nil, clk, budget.Options{})
		m := sqltest.Municipality(t, db, "woerden")
		anna := sqltest.Citizen(t, db, m, "anna.reconcile@example.org")

		// A grant of € 50,00, written the way the service writes it.
		now := clk.Now()
		b := budget.Budget{ID: id.New(), ResidentID: anna.ID, MunicipalityID: m.ID, ConsultantID: id.New(),
			PeriodStart: now, PeriodEnd: now.AddDate(1, 0, 0), Status: budget.StatusActive, CreatedAt: now, UpdatedAt: now, Version: 1}
		tx := id.New()
		if err := db.InTx(ctx, func(ctx context.Context) error {
			if err := db.CreateBudget(ctx, b); err != nil {
				return err
			}
			return db.AppendEntries(ctx, []budget.Entry{
				{ID: id.New(), TxID: tx, Account: "budget:" + b.ID + ":funding", BudgetID: b.ID, AmountCents: -5000, Kind: budget.EntryGrant, CreatedByID: "x", CreatedAt: now},
				{ID: id.New(), TxID: tx, Account: "budget:" + b.ID + ":available", BudgetID: b.ID, AmountCents: 5000, Kind: budget.EntryGrant, CreatedByID: "x", CreatedAt: now},
			})
		}); err != nil {
			t.Fatal(err)
		}

		var logs bytes.Buffer
		job := jobs.NewReconciliation(svc, clk, slog.New(slog.NewJSONHandler(&logs, nil)))
		if n, err := job.Once(ctx); err != nil || n != 0 {
			t.Fatalf("first run on a sound ledger: %d, %v", n, err)
		}
		if strings.Contains(logs.String(), `"level":"ERROR"`) || !strings.Contains(logs.String(), "budget ledger reconciled") {
			t.Fatalf("log of a sound ledger: %s", logs.String())
		}
		if got := gauge(t, job, "inwonercloud_budget_reconcile_differences"); got != 0 {
			t.Fatalf("differences gauge on a sound ledger: %v", got)
		}
		if got := gauge(t, job, "inwonercloud_budget_reconcile_last_run_timestamp_seconds"); got != float64(now.Unix()) {
			t.Fatalf("last run gauge: %v, want %d", got, now.Unix())
		}

		// A running balance changed behind the application's back.
		account := "budget:" + b.ID + ":available"
		if _, err := raw.Exec(`UPDATE budget_accounts SET balance_cents = 7000 WHERE account = $1`, account); err != nil {
			t.Fatal(err)
		}
		logs.Reset()
		clk.Advance(time.Hour) // 16:00: the night has not come
		if n, err := job.Once(ctx); err != nil || n != 0 || logs.Len() != 0 {
			t.Fatalf("a run before the night: %d, %v, %s", n, err, logs.String())
		}
		clk.Advance(10*time.Hour + time.Minute) // 02:01 the next day
		n, err := job.Once(ctx)
		if err != nil || n != 1 {
			t.Fatalf("nightly run on a tampered ledger: %d, %v", n, err)
		}
		var alert map[string]any
		if err := json.Unmarshal(logs.Bytes(), &alert); err != nil {
			t.Fatalf("alert is not one JSON line: %v %s", err, logs.String())
		}
		accounts, _ := alert["accounts"].([]any)
		if alert["level"] != "ERROR" || alert["alert"] != "budget_reconcile" || alert["differences"] != 1.0 || alert["accountDifferences"] != 1.0 ||
			len(accounts) != 1 || accounts[0] != account {
			t.Fatalf("alert: %s", logs.String())
		}
		for _, personal := range []string{anna.ID, anna.Email, anna.DisplayName} {
			if personal != "" && strings.Contains(logs.String(), personal) {
				t.Errorf("the alert holds personal data %q: %s", personal, logs.String())
			}
		}
		if got := gauge(t, job, "inwonercloud_budget_reconcile_differences"); got != 1 {
			t.Fatalf("differences gauge after tampering: %v", got)
		}
		// Not again the same night.
		clk.Advance(time.Hour)
		if n, err := job.Once(ctx); err != nil || n != 0 {
			t.Fatalf("second run the same night: %d, %v", n, err)
		}
	})
}
