package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

const exchangeAdmin = "beheer@demo.inwonercloud.nl" // Woerden's tenant_admin in the demo accounts

// upload posts a file to the import form as a browser does (multipart).
func (c *client) upload(tb testing.TB, format, name string, data []byte) *response {
	tb.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if err := mw.WriteField("format", format); err != nil {
		tb.Fatal(err)
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		tb.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.k.base+"/beheer/aanbod/uitwisselen", &body)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(tb, req)
}

// exchangeCategories gives Woerden the categories the test files name.
func exchangeCategories(t *testing.T, k *kit) {
	t.Helper()
	for _, name := range []string{"Huishoudelijke hulp", "Schuldhulp"} {
		if _, err := k.market.CreateCategory(context.Background(), nil, market.Category{MunicipalityID: k.muni["woerden"].ID, Name: name}); err != nil {
			t.Fatal(err)
		}
	}
}

const exchangeCSV = "id,organization_name,organization_kvk,name,summary,description,application_process,cost_option,kind,categories," +
	"location_address,location_postal_code,location_city,location_wheelchair\n" +
	"w-1,Thuiszorg Het Groene Hart,12345678,Schoonmaakhulp aan huis,Wij maken schoon.,Een vaste hulp komt langs.,Bel ons.,free,professional,huishoudelijke-hulp,Rijnstraat 1,3441 AA,Woerden,ja\n" +
	"w-2,Thuiszorg Het Groene Hart,12345678,Tuinhulp,Wij maken uw tuin netjes.,Een hovenier komt langs.,Bel ons.,free,professional,Tuinonderhoud,,,,\n" +
	"w-3,Thuiszorg Het Groene Hart,12345678,Budgetcoach,Hulp met geld.,Een coach helpt.,Bel ons.,free,professional,schuldhulp,Rijnstraat 1 | Kerkplein 3,3441 AA | 34,Woerden | Woerden,ja | nee\n"

// TestMarketExchange_Import: Woerden's admin uploads a CSV file; the good
// row is published at once, the bad rows are listed by line with the
// field and a Dutch reason, and the export gives the offering back.
func TestMarketExchange_Import(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		exchangeCategories(t, k)
		admin := k.as(t, exchangeAdmin)

		// The approval pages register GET /beheer/aanbod/{id} on the same
		// mux (a conflicting pattern would panic when the kit starts); the
		// literal path must still reach this page, not an offering "uitwisselen".
		page := admin.get(t, "/beheer/aanbod/uitwisselen")
		if page.status != http.StatusOK || page.h1() != k.t("marketexchange.title") {
			t.Fatalf("page: status %d, heading %q", page.status, page.h1())
		}
		for _, href := range []string{"/beheer/aanbod/export.json", "/beheer/aanbod/export.csv"} {
			if page.html().first(func(n *node) bool { return n.tag == "a" && n.attr("href") == href }) == nil {
				t.Errorf("no link to %s", href)
			}
		}
		if f := page.html().form("/beheer/aanbod/uitwisselen"); f == nil || f.attr("enctype") != "multipart/form-data" {
			t.Errorf("no multipart upload form")
		}

		res := admin.upload(t, "csv", "sociale-kaart.csv", []byte(exchangeCSV))
		if res.status != http.StatusOK {
			t.Fatalf("import: status %d: %s", res.status, res.text())
		}
		if want := k.catalog.T("nl", "marketexchange.report.counts", map[string]any{"Created": 1, "Updated": 0, "Refused": 2}); !strings.Contains(res.text(), want) {
			t.Errorf("report lacks %q: %s", want, res.text())
		}
		table := res.html().first(func(n *node) bool { return n.tag == "table" })
		if table == nil {
			t.Fatal("no table of refused lines")
		}
		caption := table.first(func(n *node) bool { return n.tag == "caption" })
		if caption == nil || strings.TrimSpace(caption.text()) != k.t("marketexchange.report.caption") {
			t.Errorf("table caption %v", caption)
		}
		var rows []string
		for _, tr := range table.all(func(n *node) bool { return n.tag == "tr" })[1:] {
			rows = append(rows, strings.Join(strings.Fields(tr.text()), " "))
		}
		want := []string{
			"3 categories " + k.catalog.T("nl", "hsds.error.category_unknown", map[string]any{"Name": "Tuinonderhoud", "Municipality": "Woerden"}),
			"4 location_postal_code[2] " + k.t("hsds.field.postcode.invalid"),
		}
		if strings.Join(rows, "\n") != strings.Join(want, "\n") {
			t.Errorf("refused rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
		}

		// The good row is on the marketplace for everyone; the bad ones are not.
		found := k.client().get(t, "/aanbod?q=schoonmaakhulp")
		if titles := resultTitles(found); len(titles) != 1 || titles[0] != "Schoonmaakhulp aan huis" {
			t.Errorf("search after import: %q", titles)
		}
		if titles := resultTitles(k.client().get(t, "/aanbod?q=budgetcoach")); len(titles) != 0 {
			t.Errorf("a refused row is on the marketplace: %q", titles)
		}

		// The export gives it back, as a download.
		csv := admin.get(t, "/beheer/aanbod/export.csv")
		if csv.status != http.StatusOK || !strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(csv.header.Get("Content-Disposition"), "attachment") ||
			!strings.HasPrefix(csv.body, "id,organization_name,organization_kvk") || !strings.Contains(csv.body, "w-1,Thuiszorg Het Groene Hart,12345678") {
			t.Errorf("CSV export: status %d, %v\n%s", csv.status, csv.header, csv.body)
		}
		js := admin.get(t, "/beheer/aanbod/export.json")
		if js.status != http.StatusOK || !strings.Contains(js.body, `"hsds_version": "3.0"`) || !strings.Contains(js.body, `"id": "w-1"`) {
			t.Errorf("JSON export: status %d\n%s", js.status, js.body)
		}

		// The same file again: updated, not doubled.
		res = admin.upload(t, "", "sociale-kaart.csv", []byte(exchangeCSV))
		if want := k.catalog.T("nl", "marketexchange.report.counts", map[string]any{"Created": 0, "Updated": 1, "Refused": 2}); !strings.Contains(res.text(), want) {
			t.Errorf("second import lacks %q", want)
		}
	})
}

// TestMarketExchange_Limits: only Woerden's admin reaches the page and the
// downloads; the upload route takes files over the site's 1 MiB body cap
// up to the import's limit, while other forms keep that cap; a file that
// is no CSV is one clear error.
func TestMarketExchange_Limits(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		exchangeCategories(t, k)
		admin := k.as(t, exchangeAdmin)

		for _, path := range []string{"/beheer/aanbod/uitwisselen", "/beheer/aanbod/export.csv", "/beheer/aanbod/export.json"} {
			if r := k.as(t, "inwoner@demo.inwonercloud.nl").get(t, path); r.status != http.StatusNotFound {
				t.Errorf("resident GET %s: status %d, want 404", path, r.status)
			}
			if r := k.client().get(t, path); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/inloggen") {
				t.Errorf("anonymous GET %s: status %d to %q, want a redirect to log in", path, r.status, r.location())
			}
		}
		if r := k.as(t, "inwoner@demo.inwonercloud.nl").upload(t, "csv", "x.csv", []byte(exchangeCSV)); r.status != http.StatusNotFound {
			t.Errorf("resident upload: status %d, want 404", r.status)
		}

		// 2 MiB of blank lines, then one good row: over the site-wide cap,
		// under the import's.
		big := "id,organization_kvk,name,summary,description,application_process,cost_option,kind,categories\n" +
			strings.Repeat("\n", 2<<20) + "b-1,12345678,Grote hulp,Kort.,Lang.,Bel.,free,professional,schuldhulp\n"
		res := admin.upload(t, "csv", "groot.csv", []byte(big))
		if want := k.catalog.T("nl", "marketexchange.report.counts", map[string]any{"Created": 1, "Updated": 0, "Refused": 0}); res.status != http.StatusOK || !strings.Contains(res.text(), want) {
			t.Errorf("2 MiB upload: status %d, %s", res.status, res.text())
		}
		if r := admin.post(t, "/beheer/medewerkers", url.Values{"name": {strings.Repeat("a", 2<<20)}}); r.status < 400 {
			t.Errorf("2 MiB staff form: status %d, want the site-wide cap to refuse it", r.status)
		}
		tooBig := admin.upload(t, "csv", "te-groot.csv", bytes.Repeat([]byte("x"), market.MaxImportBytes+2<<20))
		if tooBig.status != http.StatusUnprocessableEntity || !strings.Contains(tooBig.fieldError("file"), k.catalog.T("nl", "hsds.error.too_large", map[string]any{"MB": 5})) {
			t.Errorf("too large: status %d, error %q", tooBig.status, tooBig.fieldError("file"))
		}
		notCSV := admin.upload(t, "", "plaatje.png", []byte("\x89PNG\r\n\x1a\n\x00\x00"))
		if notCSV.status != http.StatusUnprocessableEntity || notCSV.fieldError("file") != k.t("hsds.error.not_text") {
			t.Errorf("binary file: status %d, error %q", notCSV.status, notCSV.fieldError("file"))
		}
		badJSON := admin.upload(t, "json", "kapot.json", []byte("{\n \"services\": [\n  {\"id\": \"a\",,}\n ]\n}"))
		want := k.catalog.T("nl", "hsds.error.at_line", map[string]any{"Line": 3, "Reason": k.t("hsds.error.not_json")})
		if badJSON.status != http.StatusUnprocessableEntity || badJSON.fieldError("file") != want {
			t.Errorf("broken JSON: status %d, error %q, want %q", badJSON.status, badJSON.fieldError("file"), want)
		}
		if got := badJSON.html().input("format"); got == nil {
			t.Errorf("format choice lost")
		}
		noFile := admin.post(t, "/beheer/aanbod/uitwisselen", url.Values{"format": {"csv"}})
		if noFile.status != http.StatusUnprocessableEntity || noFile.fieldError("file") != k.t("hsds.error.no_file") {
			t.Errorf("no file: status %d, error %q", noFile.status, noFile.fieldError("file"))
		}
	})
}
