package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/api"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/i18n"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
)

// password is the one password of every test account; each account costs
// an argon2 hash (about 100 ms), so tests make few.
const password = "lente fiets koffie boom"

// kit is a running API on a fresh database, with the services behind it.
type kit struct {
	t        *testing.T
	clock    *clock.Fake
	identity *identity.Service
	tenants  *tenant.Service
	mail     *fakeMailer
	log      *logBuffer
	srv      *httptest.Server
	woerden  tenant.Municipality
}

// newKit mounts the API on a fresh mux over db.
func newKit(t *testing.T, db *sqlstore.DB) *kit {
	t.Helper()
	k := &kit{t: t, clock: clock.NewFake(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)), mail: &fakeMailer{}, log: &logBuffer{}}
	log := slog.New(slog.NewTextHandler(k.log, nil))
	k.identity = identity.NewService(db, k.clock, k.mail, "https://inwonercloud.example", log)
	k.tenants = tenant.NewService(db, k.clock)
	var err error
	k.woerden, err = k.tenants.CreateMunicipality(context.Background(), nil, tenant.Municipality{Slug: "woerden", Name: "Woerden"})
	if err != nil {
		t.Fatal(err)
	}
	k.srv = serve(t, api.Deps{Identity: k.identity, Tenants: k.tenants, Catalog: catalog(t), Log: log, BaseURL: "https://inwonercloud.example"})
	return k
}

// serve mounts the API on a fresh mux behind a test server.
func serve(t *testing.T, d api.Deps) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	api.Register(mux, d)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func catalog(t *testing.T) *i18n.Catalog {
	t.Helper()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// resident creates a verified resident of Woerden.
func (k *kit) resident(email, name string) identity.Person {
	k.t.Helper()
	p, err := k.identity.CreatePerson(context.Background(), identity.NewPerson{
		Email: email, DisplayName: name, Password: password, HomeMunicipalityID: k.woerden.ID, Locale: "nl",
		Roles: []identity.RoleAssignment{{Role: identity.RoleCitizen, MunicipalityID: k.woerden.ID}},
	})
	if err != nil {
		k.t.Fatal(err)
	}
	return p
}

// staff creates a consultant of Woerden with a second factor, and returns
// the person and the authenticator secret.
func (k *kit) staff(email, name string) (identity.Person, string) {
	k.t.Helper()
	ctx := context.Background()
	p, err := k.identity.CreatePerson(ctx, identity.NewPerson{
		Email: email, DisplayName: name, Password: password, Locale: "nl",
		Roles: []identity.RoleAssignment{{Role: identity.RoleConsultant, MunicipalityID: k.woerden.ID}},
	})
	if err != nil {
		k.t.Fatal(err)
	}
	setup, err := k.identity.BeginTOTP(ctx, p.ID)
	if err != nil {
		k.t.Fatal(err)
	}
	if _, _, err := k.identity.ConfirmTOTP(ctx, p.ID, "", k.code(setup.Secret)); err != nil {
		k.t.Fatal(err)
	}
	return p, setup.Secret
}

// code is the next authenticator code of secret: the clock moves on one
// 30-second step first, as a code is accepted only once.
func (k *kit) code(secret string) string {
	k.t.Helper()
	k.clock.Advance(30 * time.Second)
	c, err := identity.TOTPCode(secret, k.clock.Now())
	if err != nil {
		k.t.Fatal(err)
	}
	return c
}

// token logs in through the API and returns the new token.
func (k *kit) token(email, code string) api.TokenCreated {
	k.t.Helper()
	body := `{"email":"` + email + `","password":"` + password + `","code":"` + code + `"}`
	res := k.do(request{method: "POST", path: "/api/v1/tokens", body: body})
	if res.status != http.StatusCreated {
		k.t.Fatalf("token for %s: status %d: %s", email, res.status, res.body)
	}
	var tc api.TokenCreated
	res.decode(k.t, &tc)
	return tc
}

// scenario is one request and what its response must show.
type scenario struct {
	name string
	request
	status   int
	contains []string // in the body
	excludes []string // not in the body
	headers  map[string]string
}

// check runs sc as a subtest. Every response must carry API-Version, and
// every error must be problem+json with its status in the body.
func (k *kit) check(t *testing.T, sc scenario) {
	t.Helper()
	t.Run(sc.name, func(t *testing.T) {
		t.Helper()
		res := do(t, k.srv, sc.request)
		checkResponse(t, res, sc)
	})
}

func checkResponse(t *testing.T, res response, sc scenario) {
	t.Helper()
	if res.status != sc.status {
		t.Errorf("status = %d, want %d; body: %s", res.status, sc.status, res.body)
	}
	if got := res.header.Get("API-Version"); got != api.Version {
		t.Errorf("API-Version = %q, want %q", got, api.Version)
	}
	if res.status >= 400 {
		if ct := res.header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("Content-Type = %q, want application/problem+json", ct)
		}
		var p api.Problem
		res.decode(t, &p)
		if p.Status != res.status || p.Title == "" || p.Detail == "" || p.Type == "" || p.Code == "" {
			t.Errorf("problem lacks a member or has the wrong status: %s", res.body)
		}
	}
	if res.status == http.StatusUnauthorized && !strings.HasPrefix(res.header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("401 without WWW-Authenticate: Bearer (got %q)", res.header.Get("WWW-Authenticate"))
	}
	for _, s := range sc.contains {
		if !strings.Contains(res.body, s) {
			t.Errorf("body does not contain %q: %s", s, res.body)
		}
	}
	for _, s := range sc.excludes {
		if strings.Contains(res.body, s) {
			t.Errorf("body contains %q: %s", s, res.body)
		}
	}
	for h, want := range sc.headers {
		if got := res.header.Get(h); got != want {
			t.Errorf("header %s = %q, want %q", h, got, want)
		}
	}
}

// request is one HTTP request to the API.
type request struct {
	method, path string
	token        string            // sent as a bearer token when not empty
	header       map[string]string // more headers
	body         string
}

// response is what came back.
type response struct {
	status int
	header http.Header
	body   string
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("decode %q: %v", r.body, err)
	}
}

// do sends req to the kit's server, never following a redirect.
func (k *kit) do(req request) response {
	k.t.Helper()
	return do(k.t, k.srv, req)
}

func do(t *testing.T, srv *httptest.Server, req request) response {
	t.Helper()
	var body io.Reader
	if req.body != "" {
		body = strings.NewReader(req.body)
	}
	r, err := http.NewRequest(req.method, srv.URL+req.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if req.body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if req.token != "" {
		r.Header.Set("Authorization", "Bearer "+req.token)
	}
	for k, v := range req.header {
		r.Header.Set(k, v)
	}
	client := *srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := client.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

// fakeMailer keeps mail instead of sending it.
type fakeMailer struct {
	mu   sync.Mutex
	sent []identity.Mail
}

func (m *fakeMailer) Send(_ context.Context, mail identity.Mail) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, mail)
	return nil
}

// logBuffer collects log output, safe for concurrent handlers.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
