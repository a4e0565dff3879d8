package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/app/review"
	"github.com/inwonercloud/inwonercloud/internal/app/story"
	"github.com/inwonercloud/inwonercloud/internal/config"
	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/core/vault"
	"github.com/inwonercloud/inwonercloud/internal/i18n"
	"github.com/inwonercloud/inwonercloud/internal/mail"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
)

// app is the wired platform: configuration, database and services.
type app struct {
	cfg      config.Config
	log      *slog.Logger
	db       *sqlstore.DB
	catalog  *i18n.Catalog
	clock    clock.Clock
	identity *identity.Service
	tenants  *tenant.Service
	mailOK   bool // some transport delivers mail

	vault *vault.Vault // nil without a key file (INWONERCLOUD_KEK_FILE); serve refuses that
	keys  *sqlstore.DB // the key store when it is not db, else nil

	mailer  *mail.Sender
	audit   *audit.Log
	consent *consent.Service
	story   *story.Service // nil without a vault
	market  *market.Service
	request *request.Service // nil without a vault
	review  *review.Service  // Waarderen; also the marketplace's ratings
	budget  *budget.Service  // Eigen budget; nil without a vault (it needs the requests)

	exchange *market.Exchange // imports and exports offerings (HSDS JSON and CSV)
}

// open reads the configuration, opens and migrates the database and builds
// the services.
func open(ctx context.Context, getenv func(string) string, stderr io.Writer, demo bool) (*app, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return nil, err
	}
	cfg.Demo = demo
	if demo && cfg.DefaultMunicipality == "" {
		cfg.DefaultMunicipality = "woerden"
	}
	log := newLogger(cfg, stderr)
	kek, err := loadKEK(cfg, demo)
	if err != nil {
		return nil, err
	}
	db, err := sqlstore.Open(ctx, cfg.DatabaseURL, cfg.SQLitePath())
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	cat, err := i18n.Load()
	if err != nil {
		db.Close()
		return nil, err
	}
	clk := clock.Real{}
	v, keys, err := openVault(ctx, cfg, db, kek, clk, log)
	if err != nil {
		db.Close()
		return nil, err
	}
	var transports []mail.Transport
	if cfg.SMTP.Host != "" {
		transports = append(transports, mail.NewSMTP(cfg.SMTP, log))
	}
	if demo {
		transports = append(transports, mail.Outbox{DB: db, Clock: clk})
	}
	if len(transports) == 0 {
		log.Warn("no SMTP server configured (INWONERCLOUD_SMTP_HOST): e-mail cannot be delivered")
	}
	sender := mail.NewSender(cat, transports...)
	a := &app{
		cfg: cfg, log: log, db: db, catalog: cat, clock: clk,
		identity: identity.NewService(db, clk, sender, cfg.BaseURL.String(), log),
		tenants:  tenant.NewService(db, clk),
		mailOK:   len(transports) > 0,
		mailer:   sender,
		vault:    v,
		keys:     keys,
		audit:    audit.NewLog(db, clk),
	}
	if a.consent, err = consent.NewService(db, a.audit, clk, consent.Options{
		// Consultants decide on and follow the budgets of their residents.
		LegalTasks: []consent.LegalTask{budget.LegalTask},
	}); err != nil {
		a.Close()
		return nil, err
	}
	// Reviews rank the marketplace's search and check deliveries with the
	// requests app, which needs the marketplace: the requests are reached
	// when a review asks, after all three are built.
	a.review = review.NewService(db, a.consent, review.FromRequests(func() review.Requests {
		if a.request == nil {
			return nil
		}
		return a.request
	}), clk, review.Options{
		// A new rating shows in the next search, not after the result
		// cache's lifetime. a.market is set before any review is written.
		RatingsChanged: func() { a.market.RatingsChanged() },
	})
	a.market = market.NewService(db, clk, market.Options{Ratings: a.review})
	a.exchange = market.NewExchange(a.market, db, a.tenants, clk)
	if v != nil {
		a.story = story.NewService(db, a.consent, v, clk)
		a.request = request.NewService(db, a.consent, a.market, v, clk,
			request.Options{Mailer: sender, BaseURL: cfg.BaseURL.String(), Log: log})
		a.budget = budget.NewService(db, a.consent, a.request, a.market, clk,
			budget.Options{Mailer: sender, BaseURL: cfg.BaseURL.String(), Log: log})
	}
	return a, nil
}

func (a *app) Close() error {
	if a.keys != nil {
		a.keys.Close()
	}
	return a.db.Close()
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Demo {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
