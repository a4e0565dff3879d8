package web

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/app/market"
	requestapp "github.com/inwonercloud/inwonercloud/internal/app/request"
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
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/prometheus/client_golang/prometheus"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Deps are what the web layer needs.
type Deps struct {
	Config   config.Config
	Identity *identity.Service
	Tenants  *tenant.Service
	Catalog  *i18n.Catalog
	DB       *sqlstore.DB // for readiness and, in demo mode, the outbox page
	Clock    clock.Clock
	Log      *slog.Logger
	// Demo lists the demo accounts on the login page; nil outside demo mode.
	Demo *DemoInfo
	// API registers the JSON API on the mux; nil leaves it out.
	API func(mux *http.ServeMux)

	// The privacy core and the apps.
	Audit   *audit.Log       // the access log, for the resident's own view
	Consent *consent.Service // grants, mandates and the policy decision point
	Story   *story.Service   // Eigen verhaal
	Vault   *vault.Vault     // residents' data keys, destroyed on erasure
	Market  *market.Service  // Marktplaats: offerings and their search
	// Requests are residents' requests for offerings (aanvragen); nil
	// without a vault, like Story.
	Requests *requestapp.Service
	// Exchange imports and exports offerings as HSDS JSON and CSV.
	Exchange *market.Exchange
	// Reviews is Waarderen: reviews of offerings and their moderation;
	// nil leaves the review pages out.
	Reviews *review.Service
	// Budget is the Eigen budget: grants, agreements, claims and the
	// ledger; nil leaves the budget pages out.
	Budget *budget.Service
	// Metrics are more collectors for /metrics, such as the background
	// jobs' (jobs.Reconciliation.Collectors).
	Metrics []prometheus.Collector
}

// DemoInfo is what the login page shows in demo mode.
type DemoInfo struct {
	Password   string
	TOTPSecret string
	Accounts   []DemoAccount
}

// DemoAccount is one demo login.
type DemoAccount struct {
	Email string
	Name  string
	Role  identity.Role
	Staff bool
}

// Server is the HTTP front of the platform.
type Server struct {
	Deps
	tmpl    *templates
	static  *staticFiles
	metrics *metrics
	handler http.Handler
}

// New checks the templates and assets and builds the handler.
func New(d Deps) (*Server, error) {
	tmpl, err := parseTemplates(templateFS)
	if err != nil {
		return nil, err
	}
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	st, err := newStaticFiles(sub)
	if err != nil {
		return nil, err
	}
	s := &Server{Deps: d, tmpl: tmpl, static: st, metrics: newMetrics()}
	if err := registerAll(s.metrics.reg, d.Metrics); err != nil {
		return nil, err
	}
	s.handler = s.routes()
	return s, nil
}

// registerAll adds collectors to the /metrics registry.
func registerAll(reg *prometheus.Registry, cs []prometheus.Collector) error {
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// ready reports whether the database answers.
func (s *Server) ready(ctx context.Context) error { return s.DB.Ping(ctx) }
