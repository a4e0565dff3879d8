package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/seed"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestErrorsAndOperations(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel() // the databases side by side
		k := newKit(t, db)
		anon := k.client()

		t.Run("NotFound", func(t *testing.T) {
			res := scenario{name: "unknown", path: "/bestaat/niet?x=1", status: http.StatusNotFound,
				contains: []string{"Pagina niet gevonden", k.t("error.text.404"), k.t("error.home")}}.run(t, anon)
			// The reference on the page is the request id in the header and the log.
			rid := res.header.Get("X-Request-Id")
			if rid == "" || !strings.Contains(res.text(), rid) {
				t.Errorf("the error page does not show the request id %q", rid)
			}
			if res.header.Get("Cache-Control") != "no-store" {
				t.Errorf("error page Cache-Control %q", res.header.Get("Cache-Control"))
			}
			en := k.client()
			en.header.Set("Accept-Language", "en")
			scenario{name: "unknown en", path: "/bestaat/niet", status: http.StatusNotFound, contains: []string{"Page not found"}}.run(t, en)
		})

		t.Run("Operations", func(t *testing.T) {
			for _, sc := range []scenario{
				{name: "healthz", path: "/healthz", status: http.StatusOK, contains: []string{"ok"}},
				{name: "readyz", path: "/readyz", status: http.StatusOK, contains: []string{"ok"}},
				{name: "security.txt", path: "/.well-known/security.txt", status: http.StatusOK,
					contains: []string{"Contact: mailto:", "Expires: ", "Canonical: " + k.base + "/.well-known/security.txt"}},
				{name: "static licence hidden", path: "/static/vendor/htmx/LICENSE", status: http.StatusNotFound},
				{name: "static unknown", path: "/static/css/nope.css", status: http.StatusNotFound},
			} {
				sc.run(t, anon)
			}
		})

		t.Run("StaticAssets", func(t *testing.T) {
			res := anon.get(t, "/")
			var urls []string
			for _, n := range res.html().all(func(n *node) bool { return n.tag == "link" || n.tag == "script" }) {
				urls = append(urls, n.attr("href")+n.attr("src"))
			}
			if len(urls) < 4 {
				t.Fatalf("page links %d assets: %v", len(urls), urls)
			}
			for _, u := range urls {
				res := anon.get(t, u)
				if res.status != http.StatusOK || !strings.Contains(res.header.Get("Cache-Control"), "immutable") {
					t.Errorf("GET %s: %d, Cache-Control %q", u, res.status, res.header.Get("Cache-Control"))
				}
				if res.header.Get("X-Content-Type-Options") != "nosniff" {
					t.Errorf("GET %s without nosniff", u)
				}
				if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") && !strings.HasPrefix(ct, "text/javascript") && ct != "image/svg+xml" {
					t.Errorf("GET %s: Content-Type %q", u, ct)
				}
				// Without the checksum an asset may not be cached for long.
				bare, _, _ := strings.Cut(u, "?")
				if res := anon.get(t, bare); res.header.Get("Cache-Control") != "no-cache" {
					t.Errorf("GET %s: Cache-Control %q, want no-cache", bare, res.header.Get("Cache-Control"))
				}
			}
		})

		t.Run("TooLarge", func(t *testing.T) {
			body := "email=" + strings.Repeat("a", 2<<20)
			res := anon.postRaw(t, "/inloggen", body)
			if res.status != http.StatusRequestEntityTooLarge || res.h1() != k.t("error.title.too_large") {
				t.Errorf("2 MiB form: %d %q, want 413", res.status, res.h1())
			}
		})

		t.Run("Metrics", func(t *testing.T) {
			// Requests that carry personal data in the URL.
			anon.get(t, "/inloggen?terug=/account&email=anna.mail@example.nl")
			anon.get(t, "/anna.mail@example.nl")
			anon.post(t, "/inloggen", url.Values{"email": {"anna.mail@example.nl"}, "password": {"x"}})
			res := anon.get(t, "/metrics")
			if res.status != http.StatusOK {
				t.Fatalf("metrics: %d", res.status)
			}
			for _, want := range []string{
				`inwonercloud_http_requests_total{code="200",method="GET",route="GET /inloggen"}`,
				`inwonercloud_http_requests_total{code="404",method="GET",route="/"}`,
				`inwonercloud_http_requests_total{code="422",method="POST",route="POST /inloggen"}`,
				`inwonercloud_http_request_duration_seconds_bucket{method="GET",route="GET /inloggen",le="0.005"}`,
			} {
				if !strings.Contains(res.body, want) {
					t.Errorf("metrics lack %s", want)
				}
			}
			for _, line := range strings.Split(res.body, "\n") {
				if !strings.HasPrefix(line, "inwonercloud_") {
					continue
				}
				if strings.ContainsAny(line, "@?") || strings.Contains(line, "anna") {
					t.Errorf("metric with a URL or personal data: %s", line)
				}
			}
		})

		t.Run("LogsHoldNoPersonalData", func(t *testing.T) {
			c := k.login(t, resident)
			c.get(t, "/account?email="+url.QueryEscape(resident))
			k.client().post(t, "/inloggen", url.Values{"email": {"onbekend@example.nl"}, "password": {"x"}})
			log := k.log.String()
			if !strings.Contains(log, `route="GET /account"`) {
				t.Fatalf("requests are not logged by route: %.500s", log)
			}
			if strings.Contains(log, "@") || strings.Contains(log, seed.Password) {
				t.Errorf("the log holds an e-mail address or a password: %s", regexp.MustCompile(`.*@.*`).FindString(log))
			}
		})

		t.Run("NotReadyWithoutDatabase", func(t *testing.T) {
			// Last: it closes the database.
			db.Close()
			scenario{name: "readyz", path: "/readyz", status: http.StatusServiceUnavailable}.run(t, anon)
			scenario{name: "healthz", path: "/healthz", status: http.StatusOK}.run(t, anon)
			res := scenario{name: "page", path: "/inloggen", status: http.StatusInternalServerError,
				contains: []string{k.t("error.title.internal")}, excludes: []string{"sql", "closed", "database"}}.run(t, anon)
			if rid := res.header.Get("X-Request-Id"); !strings.Contains(k.log.String(), "request_id="+rid) {
				t.Errorf("the failure is not logged with its request id %s", rid)
			}
		})
	})
}

func TestCrossOrigin(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel() // the databases side by side
		k := newKit(t, db)
		c := k.as(t, resident)
		foreign := []map[string]string{
			{"Sec-Fetch-Site": "cross-site"},
			{"Sec-Fetch-Site": "same-site"},
			{"Origin": "https://evil.example"},
			{"Origin": "null"},
		}
		for _, h := range foreign {
			for _, sc := range []scenario{
				{name: "profile", method: http.MethodPost, path: "/account", form: url.Values{"name": {"Overgenomen"}, "locale": {"en"}}},
				{name: "logout", method: http.MethodPost, path: "/uitloggen"},
				{name: "end sessions", method: http.MethodPost, path: "/account/sessies/andere-beeindigen"},
				{name: "language", method: http.MethodPost, path: "/taal", form: url.Values{"lang": {"en"}}},
			} {
				sc.header, sc.status = h, http.StatusForbidden
				sc.contains = []string{k.t("error.title.forbidden")}
				sc.run(t, c)
			}
			// Login CSRF: a foreign site cannot log a visitor into its account.
			anon := k.client()
			scenario{name: "login", method: http.MethodPost, path: "/inloggen", header: h, status: http.StatusForbidden,
				form: url.Values{"email": {resident}, "password": {seed.Password}}}.run(t, anon)
			if anon.session() != "" {
				t.Errorf("%v: a cross-origin login started a session", h)
			}
		}
		if p := k.person(t, resident); p.DisplayName != "Anna de Vries" || p.Locale != "nl" {
			t.Errorf("a cross-origin post changed the profile: %q %q", p.DisplayName, p.Locale)
		}
		if res := c.get(t, "/account"); res.status != http.StatusOK || res.html().first(func(n *node) bool { return n.tag == "html" }).attr("lang") != "nl" {
			t.Errorf("after cross-origin posts: %d", res.status)
		}

		// The site's own forms pass, with or without the browser's headers.
		for _, h := range []map[string]string{
			nil,
			{"Sec-Fetch-Site": "same-origin"},
			{"Origin": k.base},
		} {
			scenario{name: "own form", method: http.MethodPost, path: "/account", header: h,
				form: url.Values{"name": {"Anna de Vries"}, "locale": {"nl"}}, status: http.StatusSeeOther, location: "/account"}.run(t, c)
		}
		// GET never changes anything, so it is never refused.
		scenario{name: "cross-site GET", path: "/account", header: map[string]string{"Sec-Fetch-Site": "cross-site"}, status: http.StatusOK}.run(t, c)
	})
}
