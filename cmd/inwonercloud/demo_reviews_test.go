package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/seed"
)

// offeringLinkRE finds the links to offerings on a search page, in order.
var offeringLinkRE = regexp.MustCompile(`href="/aanbod/[^"?#/]+"[^>]*>([^<]+)<`)

// TestRun_DemoReviews: the demo's marketplace has published reviews: the
// demo provider's household help rates best and leads the sort by
// rating, its page shows the reviews and the provider's reply, and the
// demo resident still has their own delivery to rate.
func TestRun_DemoReviews(t *testing.T) {
	t.Parallel()
	s := start(t, env{"INWONERCLOUD_DATA_DIR": t.TempDir()}, "demo")

	status, body := s.get(t, "/aanbod?sort=rating")
	if status != http.StatusOK {
		t.Fatalf("GET /aanbod?sort=rating: %d", status)
	}
	links := offeringLinkRE.FindAllStringSubmatch(body, -1)
	if len(links) < 2 || links[0][1] != demoHousehold {
		t.Fatalf("sorted by rating the first offerings are %v, want %q first", links, demoHousehold)
	}
	if !strings.Contains(body, "4,3 van 5 (3 beoordelingen)") {
		t.Errorf("the search page does not show the household help's rating")
	}
	for _, l := range links {
		if l[1] == demoMeals {
			t.Errorf("the poorly rated meals are on the first page, above offerings without reviews")
		}
	}

	m := regexp.MustCompile(`href="(/aanbod/[^"?#/]+)"[^>]*>` + regexp.QuoteMeta(demoHousehold) + `<`).FindStringSubmatch(body)
	status, page := s.get(t, m[1])
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d", m[1], status)
	}
	for _, want := range []string{"uit 3 beoordelingen", "Zonnebloem", "Fietser uit Harmelen", "Anoniem",
		"Dank u wel voor uw mooie woorden."} {
		if !strings.Contains(page, want) {
			t.Errorf("the offering page lacks %q", want)
		}
	}
	for _, r := range demoReviewers {
		if strings.Contains(page, r.name) {
			t.Errorf("the offering page names the reviewer %s", r.name)
		}
	}

	// The demo resident has written no review: their delivery waits for them.
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	res, err := hc.PostForm(s.base+"/inloggen", url.Values{"email": {"inwoner@demo.inwonercloud.nl"}, "password": {seed.Password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	res, err = hc.Get(s.base + "/beoordelingen")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(b), "Je hebt nog geen beoordelingen gegeven.") {
		t.Errorf("GET /beoordelingen as the demo resident: %d, want no reviews yet", res.StatusCode)
	}
	// A reviewer cannot log in: they have no password.
	if status, loc, _ := s.login(t, demoReviewers[0].email, seed.Password); status == http.StatusSeeOther && loc == "/" {
		t.Errorf("a background reviewer logged in")
	}
}
