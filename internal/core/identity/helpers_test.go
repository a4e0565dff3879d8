package identity_test

import (
	"context"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// baseURL prefixes the links the service mails.
const baseURL = "https://inwonercloud.test"

// newPassword is a password that passes CheckNewPassword; hashing it costs
// an argon2id run, so tests set it sparingly.
const newPassword = "Lange-Zomeravond-7"

// fakeMailer records the mail the service sends.
type fakeMailer struct {
	mu   sync.Mutex
	sent []identity.Mail
}

func (f *fakeMailer) Send(_ context.Context, m identity.Mail) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, m)
	return nil
}

// To returns the mail sent to addr, oldest first.
func (f *fakeMailer) To(addr string) []identity.Mail {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []identity.Mail
	for _, m := range f.sent {
		if m.To == addr {
			out = append(out, m)
		}
	}
	return out
}

// Templates returns the templates of the mail sent to addr, oldest first.
func (f *fakeMailer) Templates(addr string) []string {
	var out []string
	for _, m := range f.To(addr) {
		out = append(out, m.Template)
	}
	return out
}

// Count returns how many mails were sent in all.
func (f *fakeMailer) Count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.sent)
}

// env is an identity service on a real database, with a fake clock and a
// fake mailer of its own.
type env struct {
	db    *sqlstore.DB
	clock *clock.Fake
	mail  *fakeMailer
	svc   *identity.Service
}

func newEnv(t *testing.T, db *sqlstore.DB) *env {
	t.Helper()
	e := &env{db: db, clock: clock.NewFake(sqltest.Epoch), mail: &fakeMailer{}}
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	e.svc = identity.NewService(db, e.clock, e.mail, baseURL+"/", log)
	return e
}

// creds returns the kit password credentials of email from address.
func creds(email, address string) identity.Credentials {
	return identity.Credentials{Email: email, Password: sqltest.Password, Address: address}
}

// login logs email in with the kit password and fails the test otherwise.
func (e *env) login(t *testing.T, email string) identity.LoginResult {
	t.Helper()
	res, err := e.svc.Login(t.Context(), creds(email, "192.0.2.10"), "Firefox")
	if err != nil {
		t.Fatalf("Login(%s): %v", email, err)
	}
	return res
}

// loginActive logs p in, passing the second factor when p needs one, and
// returns the token of the active session.
func (e *env) loginActive(t *testing.T, p identity.Person) string {
	t.Helper()
	res := e.login(t, p.Email)
	if res.Session.State == identity.StateActive {
		return res.Token
	}
	tok, _, err := e.svc.VerifySecondFactor(t.Context(), res.Token, e.code(t, p.TOTPSecret))
	if err != nil {
		t.Fatalf("VerifySecondFactor(%s): %v", p.Email, err)
	}
	return tok
}

// code returns the current TOTP code for secret.
func (e *env) code(t *testing.T, secret string) string {
	t.Helper()
	c, err := identity.TOTPCode(secret, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wrongCode returns a six-digit code that is not accepted now (nor in the
// steps either side, which the service allows for clock drift).
func (e *env) wrongCode(t *testing.T, secret string) string {
	t.Helper()
	var valid []string
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		c, err := identity.TOTPCode(secret, e.clock.Now().Add(d))
		if err != nil {
			t.Fatal(err)
		}
		valid = append(valid, c)
	}
	for _, c := range []string{"000000", "111111", "222222", "333333"} {
		if !slices.Contains(valid, c) {
			return c
		}
	}
	t.Fatal("no wrong code found")
	return ""
}

// alive reports whether token authenticates a session; any other error
// than Unauthorized fails the test.
func (e *env) alive(t *testing.T, token string) bool {
	t.Helper()
	_, err := e.svc.Authenticate(t.Context(), token)
	if err != nil && !errs.Is(err, errs.Unauthorized) {
		t.Fatalf("Authenticate: %v", err)
	}
	return err == nil
}

// person reads p back from the store.
func (e *env) person(t *testing.T, id string) identity.Person {
	t.Helper()
	p, err := e.db.FindPersonByID(t.Context(), id)
	if err != nil {
		t.Fatalf("FindPersonByID: %v", err)
	}
	return p
}

// problem is what a person notices of an error: its kind, message key and
// field errors.
type problem struct {
	Kind   errs.Kind
	Key    string
	Fields map[string]string
}

// wantProblem fails the test unless err is the problem want.
func wantProblem(t testing.TB, err error, want problem) {
	t.Helper()
	if err == nil {
		t.Fatalf("error = nil, want %+v", want)
	}
	got := problem{Kind: errs.KindOf(err), Key: errs.KeyOf(err), Fields: errs.FieldsOf(err)}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("error %v (-want +got):\n%s", err, diff)
	}
}

// Problems the tests expect often.
var (
	loginFailed  = problem{Kind: errs.Unauthorized, Key: "error.login_failed"}
	loginLocked  = problem{Kind: errs.TooMany, Key: "error.login_locked"}
	linkInvalid  = problem{Kind: errs.NotFound, Key: "error.link_invalid"}
	codeWrong    = problem{Kind: errs.Invalid, Fields: map[string]string{"code": "field.code.wrong"}}
	unauthorized = problem{Kind: errs.Unauthorized}
)

// linkToken returns the token of the link in m, checking that the link
// points at the site and at path.
func linkToken(t *testing.T, m identity.Mail, path string) string {
	t.Helper()
	link := m.Data["Link"]
	if !strings.HasPrefix(link, baseURL+path+"?") {
		t.Fatalf("link in %s mail = %q, want %s%s?token=…", m.Template, link, baseURL, path)
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	tok := u.Query().Get("token")
	if tok == "" {
		t.Fatalf("link in %s mail has no token: %q", m.Template, link)
	}
	return tok
}

// lastMail returns the last mail to addr and checks its template.
func (e *env) lastMail(t *testing.T, addr, template string) identity.Mail {
	t.Helper()
	ms := e.mail.To(addr)
	if len(ms) == 0 {
		t.Fatalf("no mail to %s, want %s", addr, template)
	}
	m := ms[len(ms)-1]
	if m.Template != template {
		t.Fatalf("last mail to %s is %s, want %s (all: %v)", addr, m.Template, template, e.mail.Templates(addr))
	}
	return m
}
