package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/seed"
)

// client is a browser: it keeps cookies, does not follow redirects (so a
// test sees the 303 and its Location), and checks every HTML page it gets.
type client struct {
	k      *kit
	hc     *http.Client
	header http.Header // sent with every request
}

func (k *kit) client() *client {
	jar, _ := cookiejar.New(nil) // never fails without options
	return &client{k: k, header: http.Header{}, hc: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}}
}

// login returns a client logged in as email with the demo password (and the
// demo code for staff).
func (k *kit) login(tb testing.TB, email string) *client {
	tb.Helper()
	c := k.client()
	c.login(tb, email, seed.Password)
	return c
}

// as returns a client holding a fresh session of email in state (active
// unless given), made straight in the store. It is the fixture for tests
// whose subject is not logging in: a real login costs an argon2 check
// (about 0.35 s under -race), and TestLogin covers it.
func (k *kit) as(tb testing.TB, email string, state ...identity.SessionState) *client {
	tb.Helper()
	p := k.person(tb, email)
	now := k.clock.Now()
	tok := id.Token()
	s := identity.Session{
		ID: id.New(), TokenHash: id.Hash(tok), PersonID: p.ID, State: identity.StateActive,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(p.SessionLifetime()), UserAgent: "Go-http-client/1.1",
	}
	if len(state) > 0 {
		s.State = state[0]
	}
	if err := k.db.CreateSession(context.Background(), &s); err != nil {
		tb.Fatal(err)
	}
	c := k.client()
	u, _ := url.Parse(k.base)
	c.hc.Jar.SetCookies(u, []*http.Cookie{{Name: "ic_session", Value: tok, Path: "/", HttpOnly: true}})
	return c
}

// login logs the client in, through the code page when the account needs it.
func (c *client) login(tb testing.TB, email, password string) {
	tb.Helper()
	res := c.post(tb, "/inloggen", url.Values{"email": {email}, "password": {password}})
	if res.status != http.StatusSeeOther {
		tb.Fatalf("login %s: status %d, want 303; alert %q", email, res.status, res.alert())
	}
	if strings.HasPrefix(res.location(), "/inloggen/code") {
		res = c.post(tb, "/inloggen/code", url.Values{"code": {c.k.code(tb)}, "terug": {"/"}})
		if res.status != http.StatusSeeOther {
			tb.Fatalf("code for %s: status %d, want 303; %s", email, res.status, res.fieldError("code"))
		}
	}
	if res.location() != "/" {
		tb.Fatalf("login %s: redirected to %q, want /", email, res.location())
	}
}

// session is the value of the session cookie, "" when there is none.
func (c *client) session() string {
	u, _ := url.Parse(c.k.base)
	for _, ck := range c.hc.Jar.Cookies(u) {
		if ck.Name == "ic_session" {
			return ck.Value
		}
	}
	return ""
}

func (c *client) get(tb testing.TB, path string) *response {
	tb.Helper()
	req, err := http.NewRequest(http.MethodGet, c.k.base+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return c.do(tb, req)
}

func (c *client) post(tb testing.TB, path string, form url.Values) *response {
	tb.Helper()
	return c.postRaw(tb, path, form.Encode())
}

// postRaw posts a form body exactly as given, e.g. with invalid UTF-8.
func (c *client) postRaw(tb testing.TB, path, body string) *response {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, c.k.base+path, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(tb, req)
}

// do sends req with the client's headers and checks an HTML answer with
// checkPage.
func (c *client) do(tb testing.TB, req *http.Request) *response {
	tb.Helper()
	for k, vs := range c.header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	res, err := c.hc.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	r := &response{tb: tb, status: res.StatusCode, header: res.Header, body: string(b)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") && (res.StatusCode < 300 || res.StatusCode >= 400) {
		r.doc = parseHTML(tb, r.body)
		checkPage(tb, c.k.catalog, req, r)
	}
	return r
}

// response is a read response; doc is set for HTML.
type response struct {
	tb     testing.TB
	status int
	header http.Header
	body   string
	doc    *node
}

func (r *response) location() string { return r.header.Get("Location") }

// html returns the parsed page, failing when the answer was not HTML.
func (r *response) html() *node {
	r.tb.Helper()
	if r.doc == nil {
		r.tb.Fatalf("not an HTML page (Content-Type %q): %.300s", r.header.Get("Content-Type"), r.body)
	}
	return r.doc
}

// text is the visible text of the page's main content.
func (r *response) text() string {
	r.tb.Helper()
	if m := r.html().byID("inhoud"); m != nil {
		return m.text()
	}
	return r.html().text()
}

// h1 is the text of the page's first heading.
func (r *response) h1() string {
	r.tb.Helper()
	if h := r.html().first(func(n *node) bool { return n.tag == "h1" }); h != nil {
		return h.text()
	}
	return ""
}

// alert is the text of the error alert above a form ("" when none).
func (r *response) alert() string {
	if r.doc == nil {
		return ""
	}
	a := r.doc.first(func(n *node) bool {
		return n.attr("role") == "alert" && strings.Contains(n.attr("class"), "utrecht-alert--error") && n.first(func(n *node) bool { return n.tag == "ul" }) == nil
	})
	if a == nil {
		return ""
	}
	return a.text()
}

// flash is the text of the one-time status message ("" when none).
func (r *response) flash() string {
	if r.doc == nil {
		return ""
	}
	if a := r.doc.first(func(n *node) bool { return n.attr("role") == "status" }); a != nil {
		return a.text()
	}
	return ""
}

// fieldError is the message shown next to a form field ("" when none).
func (r *response) fieldError(name string) string {
	if r.doc == nil {
		return ""
	}
	if e := r.doc.byID("f-" + strings.ReplaceAll(name, ".", "-") + "-error"); e != nil {
		return e.text()
	}
	return ""
}

// scenario is one request and what its answer must show.
type scenario struct {
	name     string
	method   string // GET when empty
	path     string
	form     url.Values
	header   map[string]string
	status   int
	location string   // for redirects: the exact Location
	contains []string // in the page text (or the body when not HTML)
	excludes []string
}

// run sends sc with c and checks the answer.
func (sc scenario) run(t *testing.T, c *client) *response {
	t.Helper()
	method := sc.method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if sc.form != nil {
		body = strings.NewReader(sc.form.Encode())
	}
	req, err := http.NewRequest(method, c.k.base+sc.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if sc.form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range sc.header {
		req.Header.Set(k, v)
	}
	res := c.do(t, req)
	if res.status != sc.status {
		t.Errorf("%s: %s %s: status %d, want %d; location %q; %.300s", sc.name, method, sc.path, res.status, sc.status, res.location(), res.body)
	}
	if sc.location != "" && res.location() != sc.location {
		t.Errorf("%s: %s %s: Location %q, want %q", sc.name, method, sc.path, res.location(), sc.location)
	}
	text := res.body
	if res.doc != nil {
		text = res.doc.text()
	}
	for _, s := range sc.contains {
		if !strings.Contains(text, s) {
			t.Errorf("%s: %s %s: page does not contain %q: %.500s", sc.name, method, sc.path, s, text)
		}
	}
	for _, s := range sc.excludes {
		if strings.Contains(text, s) {
			t.Errorf("%s: %s %s: page contains %q", sc.name, method, sc.path, s)
		}
	}
	return res
}
