package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/seed"
)

// TestRun_DemoBudget: the demo resident finds a real budget at /budget —
// € 2.400,00 granted, the meals agreement with the demo provider
// reserving € 900,00, and this month's claim waiting for approval — and
// the ledger the demo made reconciles: soon after the start /metrics
// shows a finished reconciliation that found no difference.
func TestRun_DemoBudget(t *testing.T) {
	t.Parallel()
	s := start(t, env{"INWONERCLOUD_DATA_DIR": t.TempDir()}, "demo")

	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	res, err := hc.PostForm(s.base+"/inloggen", url.Values{"email": {"inwoner@demo.inwonercloud.nl"}, "password": {seed.Password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	res, err = hc.Get(s.base + "/budget")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	page := string(b)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Request.URL.Path, "/budget/") {
		t.Fatalf("GET /budget as the demo resident: %d at %s, want the one budget", res.StatusCode, res.Request.URL.Path)
	}
	for _, want := range []string{"€ 2.400,00", "€ 900,00", demoMealsOffering, "20 warme maaltijden bezorgd.", "Goedkeuren en € 150,00 betalen",
		"Wmo 2015 artikel 2.3.6"} {
		if !strings.Contains(page, want) {
			t.Errorf("the demo budget lacks %q", want)
		}
	}

	last := regexp.MustCompile(`(?m)^inwonercloud_budget_reconcile_last_run_timestamp_seconds (\S+)$`)
	diffs := regexp.MustCompile(`(?m)^inwonercloud_budget_reconcile_differences (\S+)$`)
	deadline := time.Now().Add(10 * time.Second)
	for {
		status, body := s.get(t, "/metrics")
		if status != http.StatusOK {
			t.Fatalf("GET /metrics: %d", status)
		}
		m, d := last.FindStringSubmatch(body), diffs.FindStringSubmatch(body)
		if m == nil || d == nil {
			t.Fatalf("/metrics lacks the reconciliation gauges")
		}
		if m[1] != "0" {
			if d[1] != "0" {
				t.Errorf("the demo ledger has %s differences", d[1])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no reconciliation finished within 10 s of the start")
		}
		time.Sleep(100 * time.Millisecond)
	}
}
