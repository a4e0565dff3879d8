package api

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/app/review"
	"github.com/inwonercloud/inwonercloud/internal/app/rights"
	"github.com/inwonercloud/inwonercloud/internal/app/story"
	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/i18n"
)

// Version is the version of the API contract (semantic versioning), sent
// in the API-Version header and in the OpenAPI document. Its major number
// is the one in the path (/api/v1).
const Version = "1.0.0"

// Prefix is the path under which the API is served.
const Prefix = "/api/v1"

// MaxBodyBytes caps a request body; a larger one gets 413.
const MaxBodyBytes = 64 << 10

// Deps are the services and settings the API needs.
type Deps struct {
	Identity *identity.Service
	Tenants  *tenant.Service
	Catalog  *i18n.Catalog
	Log      *slog.Logger // nil discards
	Version  string       // the API version (semver, major 1); "" means Version
	BaseURL  string       // the site's public base URL, e.g. https://inwonercloud.nl

	// The resident's own data (story, consents, mandates, access log,
	// export). Operations on a missing service answer 503.
	Story   *story.Service
	Consent *consent.Service
	Audit   *audit.Log
	Rights  *rights.Service

	// The public marketplace (offerings and categories). Operations on a
	// missing service answer 503.
	Market *market.Service

	// Residents' requests for offerings. Operations on a missing service
	// answer 503.
	Requests *request.Service

	// Reviews of offerings (Waarderen). Operations on a missing service
	// answer 503.
	Reviews *review.Service

	// Budgets, care agreements, claims and the ledger (Eigen budget).
	// Operations on a missing service answer 503.
	Budget *budget.Service
}

// Register mounts the API on mux under /api/v1 (the patterns "/api/v1/"
// and "/api/v1"). It panics on missing services or a bad Deps.Version, as a
// mistake in wiring should stop start-up.
func Register(mux *http.ServeMux, d Deps) {
	h := newServer(d)
	mux.Handle(Prefix+"/", h)
	mux.Handle(Prefix, h)
}

var semverRE = regexp.MustCompile(`^1\.(0|[1-9]\d*)\.(0|[1-9]\d*)$`)

// server is one mounted API.
type server struct {
	identity *identity.Service
	tenants  *tenant.Service
	catalog  *i18n.Catalog
	log      *slog.Logger
	version  string
	baseURL  string
	story    *story.Service
	consent  *consent.Service
	audit    *audit.Log
	rights   *rights.Service
	market   *market.Service
	requests *request.Service
	reviews  *review.Service
	budget   *budget.Service

	mux     *http.ServeMux
	api     huma.API
	openAPI []byte // the served document, marshalled once
}

func newServer(d Deps) http.Handler {
	s := &server{
		identity: d.Identity, tenants: d.Tenants, catalog: d.Catalog, log: d.Log,
		version: d.Version, baseURL: strings.TrimSuffix(d.BaseURL, "/"), mux: http.NewServeMux(),
		story: d.Story, consent: d.Consent, audit: d.Audit, rights: d.Rights, market: d.Market,
		requests: d.Requests, reviews: d.Reviews, budget: d.Budget,
	}
	if d.Identity == nil || d.Tenants == nil || d.Catalog == nil {
		panic("api: Deps.Identity, Deps.Tenants and Deps.Catalog are required")
	}
	if s.version == "" {
		s.version = Version
	}
	if !semverRE.MatchString(s.version) {
		panic(fmt.Sprintf("api: Deps.Version %q is not a 1.x.y version", s.version))
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.api = huma.NewAPI(s.config(), humago.NewAdapter(s.mux, Prefix))
	s.routes()
	s.mux.HandleFunc(Prefix+"/", s.handleUnknown)
	s.mux.HandleFunc(Prefix, s.handleUnknown)
	s.openAPI = s.marshalOpenAPI()
	return s.withVersion(s.withClient(s.mux))
}

// routes registers every operation, in one place.
func (s *server) routes() {
	s.documentOpenAPI() // GET /openapi.json
	register(s, http.MethodGet, "/municipalities", public, municipalityListDoc, s.handleMunicipalityList)
	register(s, http.MethodPost, "/tokens", public, tokenCreateDoc, s.handleTokenCreate)
	register(s, http.MethodGet, "/tokens", bearer, tokenListDoc, s.handleTokenList)
	register(s, http.MethodDelete, "/tokens/{id}", bearer, tokenDeleteDoc, s.handleTokenDelete)
	register(s, http.MethodGet, "/me", bearer, meShowDoc, s.handleMeShow)
	s.residentRoutes() // stories, consents, mandates, access log, export
	s.marketRoutes()   // offerings and categories, public
	s.providerRoutes() // providers (provider.go)
	s.requestRoutes()  // requests for an offering (request.go)
	s.reviewRoutes()   // reviews (review.go)
	s.budgetRoutes()   // budgets, agreements, claims, ledger entries (budget.go)
}

// withVersion sets the API-Version header on every response.
func (s *server) withVersion(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("API-Version", s.version)
		next.ServeHTTP(w, r)
	})
}

type clientKey struct{}

// withClient puts the client's address in the context, for throttling.
// It is the TCP peer: a client chooses its own X-Forwarded-For.
func (s *server) withClient(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, host)))
	})
}

// clientAddr returns the client's address from ctx.
func clientAddr(ctx context.Context) string {
	a, _ := ctx.Value(clientKey{}).(string)
	return a
}

// methods are those a 405 may list as allowed.
var methods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// handleUnknown answers what no operation matches: 405 when the path
// exists for other methods, else 404 — never a redirect.
func (s *server) handleUnknown(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range methods {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != Prefix+"/" && pattern != Prefix && pattern != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) == 0 {
		s.writeProblem(w, r, &Problem{Status: http.StatusNotFound})
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	s.writeProblem(w, r, &Problem{Status: http.StatusMethodNotAllowed})
}
