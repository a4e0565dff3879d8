package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/seed"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// syncBuffer collects output that a running server writes from several
// goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// env is an environment for run: the given variables, nothing else.
type env map[string]string

func (e env) get(name string) string { return e[name] }

// with returns a copy of e with more variables.
func (e env) with(kv ...string) env {
	out := env{}
	for k, v := range e {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// result is what one run of the command gave.
type result struct {
	stdout, stderr string
	err            error
}

// runCmd runs the command to the end with stdin as its input.
func runCmd(t *testing.T, e env, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr syncBuffer
	err := run(context.Background(), args, e.get, strings.NewReader(stdin), &stdout, &stderr)
	return result{stdout.String(), stderr.String(), err}
}

// databases returns an environment per database the tests run on: SQLite
// in a fresh data directory, and a fresh PostgreSQL schema when configured.
func databases(t *testing.T) map[string]env {
	t.Helper()
	dbs := map[string]env{}
	for _, d := range sqltest.Dialects() {
		switch d {
		case "sqlite":
			dbs[d] = env{"INWONERCLOUD_DATA_DIR": t.TempDir()}
		case "postgres":
			dbs[d] = env{"INWONERCLOUD_DATA_DIR": t.TempDir(), "INWONERCLOUD_DATABASE_URL": sqltest.NewSchema(t)}
		}
	}
	return dbs
}

func TestRun_Usage(t *testing.T) {
	t.Parallel()
	e := env{"INWONERCLOUD_DATA_DIR": t.TempDir()}
	for _, tc := range []struct {
		name    string
		args    []string
		wantErr string // "" for success
	}{
		{"NoArgs", nil, "no command given"},
		{"Unknown", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"TenantNoSubcommand", []string{"tenant"}, "tenant: want create or list"},
		{"TenantUnknownSubcommand", []string{"tenant", "delete"}, `tenant: unknown subcommand "delete"`},
		{"UserNoSubcommand", []string{"user"}, "user: want create or reset-mfa"},
		{"UserUnknownFlag", []string{"user", "create", "--bogus"}, "bogus"},
		{"Help", []string{"help"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCmd(t, e, "", tc.args...)
			if tc.wantErr == "" {
				if r.err != nil || !strings.Contains(r.stdout, "usage: inwonercloud") {
					t.Errorf("err %v, stdout %q", r.err, r.stdout)
				}
				return
			}
			if r.err == nil || !strings.Contains(r.err.Error(), tc.wantErr) {
				t.Errorf("err = %v, want one containing %q", r.err, tc.wantErr)
			}
		})
	}
	if r := runCmd(t, e, ""); !strings.Contains(r.stderr, "usage: inwonercloud") {
		t.Errorf("no usage on stderr without a command: %q", r.stderr)
	}
}

func TestRun_BadEnvironment(t *testing.T) {
	t.Parallel()
	base := env{"INWONERCLOUD_DATA_DIR": t.TempDir()}
	for _, tc := range []struct{ name, value string }{
		{"INWONERCLOUD_ADDR", "nonsense"},
		{"INWONERCLOUD_ADDR", "127.0.0.1:99999"},
		{"INWONERCLOUD_DATABASE_URL", "mysql://localhost/x"},
		{"INWONERCLOUD_BASE_URL", "localhost:8080"},
		{"INWONERCLOUD_LOG_LEVEL", "loud"},
		{"INWONERCLOUD_SHUTDOWN_TIMEOUT", "soon"},
		{"INWONERCLOUD_SMTP_PORT", "0"},
	} {
		for _, args := range [][]string{{"serve"}, {"demo"}, {"migrate"}, {"tenant", "list"}, {"user", "reset-mfa", "--email", "x@example.nl"}} {
			r := runCmd(t, base.with(tc.name, tc.value), "", args...)
			if r.err == nil || !strings.Contains(r.err.Error(), tc.name) {
				t.Errorf("%s=%q, %v: err = %v, want one naming %s", tc.name, tc.value, args, r.err, tc.name)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(base["INWONERCLOUD_DATA_DIR"], "inwonercloud.db")); err == nil {
		t.Errorf("a bad configuration still created the database")
	}
}

func TestRun_Migrate(t *testing.T) {
	t.Parallel()
	for name, e := range databases(t) {
		t.Run(name, func(t *testing.T) {
			r := runCmd(t, e, "", "migrate")
			if r.err != nil || r.stdout != "database ("+name+") is up to date\n" {
				t.Fatalf("migrate: %v, %q", r.err, r.stdout)
			}
			r = runCmd(t, e, "", "migrate", "status")
			lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
			if r.err != nil || len(lines) == 0 || lines[0] == "" {
				t.Fatalf("migrate status: %v, %q", r.err, r.stdout)
			}
			for _, l := range lines {
				if !strings.HasSuffix(l, "applied") || !strings.HasPrefix(l, "0") {
					t.Errorf("status line %q, want a numbered, applied migration", l)
				}
			}
			// Again: nothing to do, same answer.
			if r := runCmd(t, e, "", "migrate"); r.err != nil || !strings.Contains(r.stdout, "up to date") {
				t.Errorf("second migrate: %v %q", r.err, r.stdout)
			}
			if name == "sqlite" {
				if _, err := os.Stat(filepath.Join(e["INWONERCLOUD_DATA_DIR"], "inwonercloud.db")); err != nil {
					t.Errorf("no database file in the data directory: %v", err)
				}
			}
		})
	}
}

func TestRun_TenantAndUser(t *testing.T) {
	t.Parallel()
	for name, e := range databases(t) {
		t.Run(name, func(t *testing.T) {
			r := runCmd(t, e, "", "tenant", "create", "--slug", "test", "--name", "Test")
			if r.err != nil || !strings.Contains(r.stdout, "municipality test created") {
				t.Fatalf("tenant create: %v %q", r.err, r.stdout)
			}
			r = runCmd(t, e, "", "tenant", "list")
			if r.err != nil || !strings.Contains(r.stdout, "\ttest\tTest\t") {
				t.Fatalf("tenant list: %v %q", r.err, r.stdout)
			}
			for _, args := range [][]string{
				{"tenant", "create", "--slug", "test", "--name", "Again"}, // taken
				{"tenant", "create", "--slug", "Not A Slug", "--name", "X"},
				{"tenant", "create", "--slug", "x2", "--name", "X", "--theme", "pink"},
			} {
				if r := runCmd(t, e, "", args...); r.err == nil {
					t.Errorf("%v succeeded", args)
				}
			}

			const email = "jo@example.nl"
			r = runCmd(t, e, "lente fiets koffie boom\n", "user", "create", "--email", email, "--name", "Jo de Wit", "--role", "professional@test", "--password-stdin")
			if r.err != nil || !strings.Contains(r.stdout, "person "+email+" created") || !strings.Contains(r.stdout, "second factor") {
				t.Fatalf("user create: %v %q %q", r.err, r.stdout, r.stderr)
			}
			// The account works with that password, and asks for a second factor.
			a, err := open(context.Background(), e.get, io.Discard, false)
			if err != nil {
				t.Fatal(err)
			}
			res, err := a.identity.Login(context.Background(), identity.Credentials{Email: email, Password: "lente fiets koffie boom", Address: "192.0.2.1"}, "test")
			a.Close()
			if err != nil || !res.NeedsEnrolment || !res.Person.Has(identity.RoleProfessional) {
				t.Errorf("login of the created user: %v, enrolment %v, roles %+v", err, res.NeedsEnrolment, res.Person.Roles)
			}

			for _, tc := range []struct {
				name, stdin string
				args        []string
			}{
				{"Taken", "lente fiets koffie boom\n", []string{"--email", email, "--name", "Jo", "--role", "professional@test", "--password-stdin"}},
				{"UnknownRole", "", []string{"--email", "a@example.nl", "--name", "A", "--role", "wizard@test"}},
				{"UnknownMunicipality", "", []string{"--email", "a@example.nl", "--name", "A", "--role", "professional@nowhere"}},
				{"NoPasswordOnStdin", "", []string{"--email", "a@example.nl", "--name", "A", "--role", "professional@test", "--password-stdin"}},
				{"WeakPassword", "wachtwoord\n", []string{"--email", "a@example.nl", "--name", "A", "--role", "professional@test", "--password-stdin"}},
				{"ScopedRoleWithoutMunicipality", "", []string{"--email", "a@example.nl", "--name", "A", "--role", "professional"}},
			} {
				if r := runCmd(t, e, tc.stdin, append([]string{"user", "create"}, tc.args...)...); r.err == nil {
					t.Errorf("user create %s succeeded: %q", tc.name, r.stdout)
				}
			}

			// Without SMTP no invitation can go out: the command says so
			// instead of claiming it was mailed, and creates nobody.
			r = runCmd(t, e, "", "user", "create", "--email", "invite@example.nl", "--name", "I", "--role", "professional@test")
			if r.err == nil || !strings.Contains(r.err.Error(), "INWONERCLOUD_SMTP_HOST") {
				t.Errorf("user create without password or SMTP: %v %q", r.err, r.stdout)
			}

			r = runCmd(t, e, "", "user", "reset-mfa", "--email", " JO@example.nl ")
			if r.err != nil || !strings.Contains(r.stdout, "second factor of "+email+" removed") {
				t.Errorf("reset-mfa: %v %q", r.err, r.stdout)
			}
			r = runCmd(t, e, "", "user", "reset-mfa", "--email", "nobody@example.nl")
			if r.err == nil || !strings.Contains(r.err.Error(), "no person") {
				t.Errorf("reset-mfa of an unknown address: %v", r.err)
			}
		})
	}
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// server is a run of demo or serve in the background.
type server struct {
	base   string
	stdout *syncBuffer
	stderr *syncBuffer
	stop   context.CancelFunc
	done   chan error
}

// start runs the command until the test stops it, and waits until /readyz
// answers 200.
func start(t *testing.T, e env, command string) *server {
	t.Helper()
	addr := freeAddr(t)
	s := &server{base: "http://" + addr, stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan error, 1)}
	e = e.with("INWONERCLOUD_ADDR", addr, "INWONERCLOUD_BASE_URL", s.base, "INWONERCLOUD_SHUTDOWN_TIMEOUT", "5s")
	ctx, cancel := context.WithCancel(context.Background())
	s.stop = cancel
	go func() { s.done <- run(ctx, []string{command}, e.get, strings.NewReader(""), s.stdout, s.stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(30 * time.Second):
		}
	})
	for range 600 {
		select {
		case err := <-s.done:
			t.Fatalf("%s stopped before it was ready: %v\n%s", command, err, s.stderr.String())
		default:
		}
		res, err := http.Get(s.base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		time.Sleep(50 * time.Millisecond) // waiting for a server to start, not for time to pass
	}
	t.Fatalf("%s did not get ready in 30 s\n%s", command, s.stderr.String())
	return nil
}

// shutdown stops the server and returns what run returned.
func (s *server) shutdown(t *testing.T) error {
	t.Helper()
	s.stop()
	select {
	case err := <-s.done:
		s.done <- err // for the cleanup
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("run did not return after its context ended")
		return nil
	}
}

// get fetches a page without following redirects.
func (s *server) get(t *testing.T, path string) (int, string) {
	t.Helper()
	res, err := http.Get(s.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// login posts the login form and returns the status and Location.
func (s *server) login(t *testing.T, email, password string) (int, string, string) {
	t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.PostForm(s.base+"/inloggen", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(b)
}

// resultCountRE finds "N resultaten" on a search page.
var resultCountRE = regexp.MustCompile(`[0-9]+ resultaten`)

func TestRun_Demo(t *testing.T) {
	t.Parallel()
	e := env{"INWONERCLOUD_DATA_DIR": t.TempDir()}
	s := start(t, e, "demo")
	if !strings.Contains(s.stdout.String(), "Inwonercloud demo: "+s.base) {
		t.Errorf("stdout %q does not say where the demo runs", s.stdout.String())
	}
	if status, body := s.get(t, "/"); status != http.StatusOK || !strings.Contains(body, "Welkom bij Inwonercloud") || !strings.Contains(body, "Woerden") {
		t.Errorf("GET /: %d, Dutch start page of Woerden expected: %.300s", status, body)
	}
	if status, body := s.get(t, "/inloggen"); status != http.StatusOK || !strings.Contains(body, "Demo-accounts") || !strings.Contains(body, seed.Password) {
		t.Errorf("GET /inloggen: %d, want the demo accounts", status)
	}
	if status, loc, body := s.login(t, seed.Accounts[0].Email, seed.Password); status != http.StatusSeeOther || loc != "/" {
		t.Errorf("demo resident login: %d to %q: %.300s", status, loc, body)
	}
	if status, _ := s.get(t, "/demo/outbox"); status != http.StatusOK {
		t.Errorf("GET /demo/outbox: %d", status)
	}
	// The marketplace is seeded and searchable without logging in.
	if status, body := s.get(t, "/aanbod?q=huishoudelijke+hulp"); status != http.StatusOK || !strings.Contains(body, "Hulp bij het huishouden") {
		t.Errorf("GET /aanbod?q=huishoudelijke+hulp: %d, want the seeded offerings: %.300s", status, body)
	}
	_, all := s.get(t, "/aanbod")
	offerings := resultCountRE.FindString(all)
	if offerings == "" {
		t.Errorf("GET /aanbod shows no result count")
	}
	if err := s.shutdown(t); err != nil {
		t.Errorf("run returned %v after its context ended, want nil", err)
	}
	if !strings.Contains(s.stderr.String(), "demo data seeded") {
		t.Errorf("first start did not seed: %s", s.stderr.String())
	}

	// A second start on the same data keeps it and does not seed again.
	s = start(t, e, "demo")
	if strings.Contains(s.stderr.String(), "demo data seeded") {
		t.Errorf("second start seeded again")
	}
	if status, loc, _ := s.login(t, seed.Accounts[0].Email, seed.Password); status != http.StatusSeeOther || loc != "/" {
		t.Errorf("demo resident login after restart: %d to %q", status, loc)
	}
	if _, all := s.get(t, "/aanbod"); resultCountRE.FindString(all) != offerings {
		t.Errorf("after a restart the marketplace shows %q, want %q as before", resultCountRE.FindString(all), offerings)
	}
	if err := s.shutdown(t); err != nil {
		t.Errorf("second run returned %v", err)
	}
}

func TestRun_Serve(t *testing.T) {
	t.Parallel()
	for name, e := range databases(t) {
		t.Run(name, func(t *testing.T) {
			if r := runCmd(t, e, "", "migrate"); r.err != nil {
				t.Fatalf("migrate: %v", r.err)
			}
			e = e.with("INWONERCLOUD_KEK_FILE", kekFile(t)) // see keys_test.go
			s := start(t, e, "serve")
			status, body := s.get(t, "/inloggen")
			if status != http.StatusOK || strings.Contains(body, "Demo-accounts") || strings.Contains(body, seed.Password) {
				t.Errorf("GET /inloggen on serve: %d, demo accounts shown: %v", status, strings.Contains(body, "Demo-accounts"))
			}
			if status, loc, body := s.login(t, seed.Accounts[0].Email, seed.Password); status != http.StatusUnprocessableEntity || loc != "" || !strings.Contains(body, "Inloggen lukt niet") {
				t.Errorf("demo login on serve: %d to %q, want 422 Inloggen lukt niet", status, loc)
			}
			if status, _ := s.get(t, "/demo/outbox"); status != http.StatusNotFound {
				t.Errorf("GET /demo/outbox on serve: %d, want 404", status)
			}
			if err := s.shutdown(t); err != nil {
				t.Errorf("run returned %v after its context ended, want nil", err)
			}
			if strings.Contains(s.stderr.String(), "seeded") {
				t.Errorf("serve seeded the database")
			}
			if !strings.Contains(s.stderr.String(), `"database":"`+name+`"`) {
				t.Errorf("the start-up log does not name the database %s: %.500s", name, s.stderr.String())
			}
		})
	}
}
