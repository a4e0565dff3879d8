package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/seed"
)

// TestRun_DemoPortal: in the demo, the provider admin finds their
// organisation's offerings in the portal, and the municipality admin
// finds what awaits approval and the category tree.
func TestRun_DemoPortal(t *testing.T) {
	t.Parallel()
	s := start(t, env{"INWONERCLOUD_DATA_DIR": t.TempDir()}, "demo")
	clients := map[string]*http.Client{}
	for _, c := range []struct {
		email, path string
		want        []string
	}{
		{"aanbieder@demo.inwonercloud.nl", "/aanbieder", []string{"Thuiszorg Het Groene Hart", "Warme maaltijd van Het Groene Hart",
			"Klussendienst van Het Groene Hart", "Concept", "Wacht op goedkeuring", "Gepubliceerd", "01234567"}},
		{"beheer@demo.inwonercloud.nl", "/beheer/aanbod", []string{"Wijkverpleging van Het Groene Hart", "Warme maaltijd van Het Groene Hart", "Wijziging", "Nieuw aanbod"}},
		{"beheer@demo.inwonercloud.nl", "/beheer/categorieen", []string{"Huishoudelijke hulp", "Wonen en huishouden"}},
	} {
		// A code counts once: each account logs in once.
		hc, ok := clients[c.email]
		if !ok {
			hc = staffLogin(t, s, c.email)
			clients[c.email] = hc
		}
		res, err := hc.Get(s.base + c.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s GET %s: %d", c.email, c.path, res.StatusCode)
		}
		for _, w := range c.want {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s GET %s lacks %q", c.email, c.path, w)
			}
		}
	}
}

// staffLogin logs a demo staff account in with the demo password and
// authenticator code, and returns a client holding the session.
func staffLogin(t *testing.T, s *server, email string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.PostForm(s.base+"/inloggen", url.Values{"email": {email}, "password": {seed.Password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	code, err := identity.TOTPCode(seed.TOTPSecret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	res, err = hc.PostForm(s.base+"/inloggen/code", url.Values{"code": {code}, "terug": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("login %s: %d to %q", email, res.StatusCode, res.Header.Get("Location"))
	}
	return hc
}
