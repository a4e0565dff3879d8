package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/api"
	"github.com/inwonercloud/inwonercloud/internal/app/market/marketseed"
	"github.com/inwonercloud/inwonercloud/internal/app/request/requestseed"
	"github.com/inwonercloud/inwonercloud/internal/app/rights"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/jobs"
	"github.com/inwonercloud/inwonercloud/internal/seed"
	"github.com/inwonercloud/inwonercloud/internal/web"
)

// serve runs the HTTP server until ctx ends, then lets running requests
// finish (up to INWONERCLOUD_SHUTDOWN_TIMEOUT).
func serve(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer, demo bool) error {
	a, err := open(ctx, getenv, stderr, demo)
	if err != nil {
		return err
	}
	defer a.Close()
	if a.vault == nil {
		return errNoKEK
	}
	deps := web.Deps{
		Config: a.cfg, Identity: a.identity, Tenants: a.tenants, Catalog: a.catalog,
		DB: a.db, Clock: a.clock, Log: a.log, API: apiRoutes(a),
		Audit: a.audit, Consent: a.consent, Story: a.story, Vault: a.vault,
		Market: a.market, Requests: a.request, Exchange: a.exchange, Reviews: a.review,
		Budget: a.budget,
	}
	if demo {
		seeded, err := seed.Demo(ctx, a.identity, a.tenants, a.db)
		if err != nil {
			return err
		}
		if seeded {
			if err := seedMarket(ctx, a); err != nil {
				return err
			}
			if err := requestseed.Demo(ctx, a.request, a.market, a.db); err != nil {
				return err
			}
			if err := seedBudgetDemo(ctx, a); err != nil { // demo_budget.go
				return err
			}
			if err := seedReviews(ctx, a); err != nil { // demo_reviews.go
				return err
			}
			a.log.Info("demo data seeded")
		}
		deps.Demo = demoInfo()
	}
	// The ratings and the search index are built before the first
	// request, not by it.
	if err := a.review.Warm(ctx); err != nil {
		return fmt.Errorf("reviews: %w", err)
	}
	if err := a.market.Warm(ctx); err != nil {
		return fmt.Errorf("market: %w", err)
	}
	// The budget ledger is reconciled shortly after the start and then
	// nightly; differences are an ERROR alert and a gauge on /metrics.
	reconcile := jobs.NewReconciliation(a.budget, a.clock, a.log)
	deps.Metrics = reconcile.Collectors()
	srv, err := web.New(deps)
	if err != nil {
		return err
	}
	// Background jobs: one goroutine that reminds residents of consents
	// about to end, keeps the marketplace fresh and reconciles the budget
	// ledger (internal/jobs); it stops when serve returns.
	jobsCtx, stopJobs := context.WithCancel(ctx)
	defer stopJobs()
	go a.review.Run(jobsCtx) // the ratings follow other nodes' reviews
	go jobs.Run(jobsCtx, a.log,
		&jobs.Reminder{Grants: a.consent, People: a.identity, Mailer: a.mailer, Clock: a.clock, BaseURL: a.cfg.BaseURL.String()},
		// Offerings not checked for 12 months: flag, mail the provider, later hide.
		&jobs.Freshness{Market: a.market, Staff: a.db, Mailer: a.mailer, Clock: a.clock, BaseURL: a.cfg.BaseURL.String()},
		reconcile)
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return fmt.Errorf("INWONERCLOUD_ADDR %q: %w", a.cfg.Addr, err)
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	mode := "serve"
	if demo {
		mode = "demo"
	}
	a.log.Info("listening", "mode", mode, "addr", ln.Addr().String(), "database", a.db.Dialect())
	if demo {
		fmt.Fprintf(stdout, "Inwonercloud demo: %s (log in as inwoner@demo.inwonercloud.nl / %s)\n", a.cfg.BaseURL, seed.Password)
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.log.Info("shutting down: finishing running requests", "timeout", a.cfg.ShutdownMax.String())
	sctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownMax)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func demoInfo() *web.DemoInfo {
	d := &web.DemoInfo{Password: seed.Password, TOTPSecret: seed.TOTPSecret}
	for _, acc := range seed.Accounts {
		d.Accounts = append(d.Accounts, web.DemoAccount{Email: acc.Email, Name: acc.Name, Role: acc.Role, Staff: acc.Role.Staff()})
	}
	return d
}

// apiRoutes wires the JSON API onto the site's mux.
func apiRoutes(a *app) func(*http.ServeMux) {
	return func(mux *http.ServeMux) {
		api.Register(mux, api.Deps{Identity: a.identity, Tenants: a.tenants, Catalog: a.catalog,
			Log: a.log, BaseURL: a.cfg.BaseURL.String(),
			Story: a.story, Consent: a.consent, Audit: a.audit, Market: a.market, Requests: a.request,
			Reviews: a.review, Budget: a.budget,
			Rights: rights.NewService(rights.Deps{Tx: a.db, Accounts: a.identity, Consents: a.consent, Stories: a.story, Reviews: a.review,
				Requests: a.request, Budgets: a.budget, Log: a.audit, Vault: a.vault, Clock: a.clock, Events: a.log}),
		})
	}
}

// demoOfferings is how many offerings the demo seeds: enough for filters
// and pages to mean something, few enough to read.
const demoOfferings = 60

// seedMarket fills the demo's marketplace in Woerden and Oudewater with a
// fixed, deterministic set of published offerings.
func seedMarket(ctx context.Context, a *app) error {
	var munis []tenant.Municipality
	for _, slug := range []string{"woerden", "oudewater"} {
		m, err := a.tenants.MunicipalityBySlug(ctx, slug)
		if err != nil {
			return fmt.Errorf("demo market: %s: %w", slug, err)
		}
		munis = append(munis, m)
	}
	if _, err := marketseed.Seed(ctx, a.db, a.clock.Now(), munis, demoOfferings, 1); err != nil {
		return fmt.Errorf("demo market: %w", err)
	}
	return seedPortalDemo(ctx, a, munis[0]) // the demo provider's own offerings (demo_portal.go)
}
