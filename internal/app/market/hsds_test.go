package market_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// exchangeKit is a marketplace kit with an Exchange and the providers the
// fixtures in testdata name by KvK number: Groene Hart (12345678, in
// Woerden and Oudewater) and Zorg Oudewater (11223344, in Oudewater
// only). Buurtkracht (87654321) is new: the import makes it.
type exchangeKit struct {
	*kit
	x                       *market.Exchange
	groeneHartKvK, zorgOude tenant.Organisation
}

func newExchangeKit(t *testing.T, db *sqlstore.DB) *exchangeKit {
	t.Helper()
	k := &exchangeKit{kit: newKit(t, db)}
	k.x = market.NewExchange(k.svc, db, tenant.NewService(db, k.clock), k.clock)
	org := func(name, kvk string, in ...tenant.Municipality) tenant.Organisation {
		o := tenant.Organisation{ID: id.New(), Name: name, Kind: tenant.OrgProvider, KvK: kvk, CreatedAt: sqltest.Epoch}
		for _, m := range in {
			o.MunicipalityIDs = append(o.MunicipalityIDs, m.ID)
		}
		must(t, db.CreateOrganisation(context.Background(), &o))
		return o
	}
	k.groeneHartKvK = org("Thuiszorg Het Groene Hart", "12345678", k.woerden, k.oudewater)
	k.zorgOude = org("Zorg Oudewater", "11223344", k.oudewater)
	return k
}

func (k *exchangeKit) importFile(t *testing.T, actor *identity.Person, name string, format market.Format) market.ImportReport {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	must(t, err)
	defer f.Close()
	rep, err := k.x.Import(context.Background(), actor, k.woerden.ID, format, f)
	if err != nil {
		t.Fatalf("Import(%s): %v", name, err)
	}
	return rep
}

// published returns Woerden's published offerings by title.
func (k *exchangeKit) published(t *testing.T) map[string]market.Offering {
	t.Helper()
	list, err := k.db.FindPublishedOfferings(context.Background(), k.woerden.ID)
	must(t, err)
	out := map[string]market.Offering{}
	for _, o := range list {
		out[o.Title] = o
	}
	return out
}

// problemRow is what the report says of a refused record.
type problemRow struct {
	Line, Record int
	Field, Key   string
}

func problemRows(rep market.ImportReport) []problemRow {
	out := make([]problemRow, len(rep.Problems))
	for i, p := range rep.Problems {
		out[i] = problemRow{p.Line, p.Record, p.Field, p.Key}
	}
	return out
}

func TestExchange_ImportCSV(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newExchangeKit(t, db)
		ctx := context.Background()
		rep := k.importFile(t, &k.woerdenAdmin, "offerings.csv", "")
		if rep.Format != market.FormatCSV || rep.Created != 3 || rep.Updated != 0 || rep.Refused != 6 {
			t.Errorf("report %s: created %d, updated %d, refused %d; want csv 3, 0, 6", rep.Format, rep.Created, rep.Updated, rep.Refused)
		}
		want := []problemRow{
			{4, 0, "categories", "hsds.error.category_unknown"},
			{5, 0, "location_postal_code[3]", "hsds.field.postcode.invalid"},
			{6, 0, "amount", "hsds.field.price.required"},
			{6, 0, "amount_description", "hsds.field.unit.not_allowed"},
			{7, 0, "organization_kvk", "hsds.error.organization_elsewhere"},
			{8, 0, "name", "hsds.field.title.required"},
			{9, 0, "kind", "hsds.field.kind.invalid"},
		}
		if diff := cmp.Diff(want, problemRows(rep)); diff != "" {
			t.Errorf("problems (-want +got):\n%s", diff)
		}
		if got := rep.Problems[0].Args["Name"]; got != "Tuinonderhoud" {
			t.Errorf("unknown category named %v, want Tuinonderhoud", got)
		}

		pub := k.published(t)
		if diff := cmp.Diff([]string{"Hulp in de huishouding", "Samen koffie drinken", "Thuisadministratie op orde"},
			sortedKeys(pub)); diff != "" {
			t.Fatalf("published offerings (-want +got):\n%s", diff)
		}
		hulp := pub["Hulp in de huishouding"]
		wantLocs := []market.Location{
			{Address: "Rijnstraat 1", Postcode: "3441 AA", City: "Woerden", Lat: 52.085, Lon: 4.883, Wheelchair: true, Hours: officeHours},
			{Address: "Kerkplein 3", Postcode: "3441 BB", City: "Woerden", Hours: market.OpeningHours{{Day: time.Saturday, Opens: 600, Closes: 720}}},
		}
		if diff := cmp.Diff(wantLocs, hulp.Locations); diff != "" {
			t.Errorf("locations (-want +got):\n%s", diff)
		}
		if hulp.ProviderOrgID != k.groeneHartKvK.ID || hulp.Status != market.StatusPublished ||
			hulp.LastCheckedByID != k.woerdenAdmin.ID || !hulp.LastCheckedAt.Equal(k.clock.Now()) {
			t.Errorf("offering %+v: want Groene Hart's, published, checked now by the admin", hulp)
		}
		if diff := cmp.Diff([]string{k.cat["huishoudelijke-hulp"].ID}, hulp.CategoryIDs); diff != "" {
			t.Errorf("categories (-want +got):\n%s", diff)
		}
		admin := pub["Thuisadministratie op orde"]
		if admin.CostType != market.CostPerUnit || admin.PriceCents != 1250 || admin.Unit != "uur" {
			t.Errorf("price %s %d %q, want price_per_unit 1250 uur", admin.CostType, admin.PriceCents, admin.Unit)
		}
		// The new KvK number made a provider in Woerden, with the file's details.
		koffie := pub["Samen koffie drinken"]
		prov, err := k.svc.Provider(ctx, koffie.ProviderOrgID)
		must(t, err)
		if prov.Name != "Buurtkracht Woerden" || prov.KvK != "87654321" || prov.Email != "info@buurtkracht.example" ||
			!slices.Contains(prov.MunicipalityIDs, k.woerden.ID) || koffie.Kind != market.KindVolunteer ||
			!cmp.Equal(koffie.Languages, []string{"nl", "en"}) || koffie.CategoryIDs[0] != k.cat["eenzaamheid"].ID {
			t.Errorf("new provider %+v, offering %+v", prov, koffie)
		}
		// Nothing of a refused record was stored: not the offering with
		// two good locations and a bad third, not its id.
		if _, err := db.FindOfferingByExternalID(ctx, k.woerden.ID, "sk-005"); !errs.Is(err, errs.NotFound) {
			t.Errorf("sk-005 was linked: %v", err)
		}
		for _, o := range mustList(t, db, k.groeneHartKvK.ID) {
			if o.Title == "Maaltijden aan huis" || o.Title == "Klussendienst" {
				t.Errorf("refused record %q was stored", o.Title)
			}
		}
		if list := mustList(t, db, k.zorgOude.ID); len(list) != 0 {
			t.Errorf("Zorg Oudewater got offerings: %+v", list)
		}
		// Residents find the imported offerings at once.
		if got := titles(k.search(t, nil, market.Query{Text: "huishouding", MunicipalityID: k.woerden.ID})); !cmp.Equal(got, []string{"Hulp in de huishouding"}) {
			t.Errorf("search = %v", got)
		}

		// The same file again updates the offerings, matched by id.
		k.clock.Advance(time.Hour)
		rep = k.importFile(t, &k.woerdenAdmin, "offerings.csv", market.FormatCSV)
		if rep.Created != 0 || rep.Updated != 3 || rep.Refused != 6 {
			t.Errorf("second import: created %d, updated %d, refused %d; want 0, 3, 6", rep.Created, rep.Updated, rep.Refused)
		}
		again := k.published(t)
		if len(again) != 3 || again["Hulp in de huishouding"].ID != hulp.ID || !again["Hulp in de huishouding"].LastCheckedAt.Equal(k.clock.Now()) {
			t.Errorf("after re-import: %d offerings, %+v", len(again), again["Hulp in de huishouding"])
		}
	})
}

func TestExchange_ImportJSON(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newExchangeKit(t, db)
		rep := k.importFile(t, nil, "offerings.json", "") // the command line
		if rep.Format != market.FormatJSON || rep.Created != 3 || rep.Refused != 4 {
			t.Errorf("report %s: created %d, updated %d, refused %d; want json 3, 0, 4", rep.Format, rep.Created, rep.Updated, rep.Refused)
		}
		want := []problemRow{
			{61, 3, "attributes[category]", "hsds.error.category_unknown"},
			{74, 4, "service_at_locations[2].location.addresses[0].postal_code", "hsds.field.postcode.invalid"},
			{92, 5, "organization_id", "hsds.error.organization_unknown"},
			{105, 6, "service_at_locations[0].schedules", "hsds.field.hours.invalid"},
		}
		if diff := cmp.Diff(want, problemRows(rep)); diff != "" {
			t.Errorf("problems (-want +got):\n%s", diff)
		}
		pub := k.published(t)
		if diff := cmp.Diff([]string{"Hulp in de huishouding", "Samen koffie drinken", "Thuisadministratie op orde"},
			sortedKeys(pub)); diff != "" {
			t.Fatalf("published offerings (-want +got):\n%s", diff)
		}
		hulp := pub["Hulp in de huishouding"]
		if len(hulp.Locations) != 1 || !hulp.Locations[0].Wheelchair || !cmp.Equal(hulp.Locations[0].Hours, officeHours) ||
			hulp.LastCheckedByID != "" || !cmp.Equal(hulp.TargetGroups, []string{"ouderen"}) {
			t.Errorf("offering %+v", hulp)
		}
		if p := pub["Thuisadministratie op orde"]; p.PriceCents != 1250 {
			t.Errorf("price %d, want 1250", p.PriceCents)
		}
		rep = k.importFile(t, nil, "offerings.json", market.FormatJSON)
		if rep.Created != 0 || rep.Updated != 3 || rep.Refused != 4 || len(k.published(t)) != 3 {
			t.Errorf("second import: created %d, updated %d, refused %d", rep.Created, rep.Updated, rep.Refused)
		}
	})
}

func TestExchange_RoundTrip(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newExchangeKit(t, db)
		ctx := context.Background()
		_, err := k.svc.SaveProvider(ctx, nil, market.Provider{OrganisationID: k.groeneHartKvK.ID, AGB: "12345678",
			Email: "info@groenehart.example", Phone: "+31 348 123 456", Website: "https://groenehart.example"})
		must(t, err)
		a := k.content("Hulp in de huishouding")
		a.Summary, a.Eligibility, a.TargetGroups, a.Languages = "Schoon en netjes.", "Met een beschikking.\nOf een indicatie.", []string{"ouderen", "mantelzorgers"}, []string{"nl", "tr"}
		a.CostType, a.PriceCents, a.Unit = market.CostOwnBudget, 2875, "uur"
		a.Locations = []market.Location{
			{Address: "Rijnstraat 1", Postcode: "3441 AA", City: "Woerden", Lat: 52.0853, Lon: 4.8831, Wheelchair: true,
				Hours: append(market.Weekdays(9*60, 12*60), market.Period{Day: time.Saturday, Opens: 600, Closes: 720})},
			{Address: "Kerkplein 3", Postcode: "3441 BB", City: "Woerden"},
		}
		// Served in Oudewater too: the import keeps that part.
		a.MunicipalityIDs = []string{k.woerden.ID, k.oudewater.ID}
		a.CategoryIDs = []string{k.cat["huishoudelijke-hulp"].ID, k.oudeCat["huishoudelijke-hulp"].ID}
		b := k.content("Samen eten")
		b.Kind, b.CategoryIDs = market.KindVolunteer, []string{k.cat["maaltijden"].ID}
		b.Summary = "=1+1 is hier geen formule."
		for _, c := range []market.Content{a, b} {
			o, err := k.svc.CreateOffering(ctx, nil, k.groeneHartKvK.ID, c, true)
			must(t, err)
			_, err = k.svc.Approve(ctx, nil, o.ID, o.Version)
			must(t, err)
		}
		before := k.published(t)
		for _, format := range []market.Format{market.FormatJSON, market.FormatCSV} {
			t.Run(string(format), func(t *testing.T) {
				export := func() []byte {
					var buf bytes.Buffer
					var err error
					if format == market.FormatJSON {
						err = k.x.ExportJSON(ctx, &k.woerdenAdmin, k.woerden.ID, &buf)
					} else {
						err = k.x.ExportCSV(ctx, &k.woerdenAdmin, k.woerden.ID, &buf)
					}
					must(t, err)
					return buf.Bytes()
				}
				first := export()
				rep, err := k.x.Import(ctx, &k.woerdenAdmin, k.woerden.ID, format, bytes.NewReader(first))
				must(t, err)
				if rep.Created != 0 || rep.Updated != 2 || rep.Refused != 0 {
					t.Fatalf("import of the export: %+v", rep)
				}
				after := k.published(t)
				for title, o := range before {
					if diff := cmp.Diff(o.Content, after[title].Content, cmpopts.EquateEmpty()); diff != "" {
						t.Errorf("%q changed by the round trip (-before +after):\n%s", title, diff)
					}
				}
				if format == market.FormatCSV {
					// Cells a spreadsheet would run as a formula are quoted.
					for _, want := range []string{",'=1+1 is hier geen formule.,", ",'+31 348 123 456,"} {
						if !bytes.Contains(first, []byte(want)) {
							t.Errorf("CSV lacks %s:\n%s", want, first)
						}
					}
				}
				if second := export(); !bytes.Equal(first, second) {
					t.Errorf("second export differs:\n%s\n---\n%s", first, second)
				}
			})
		}
		// The JSON names the providers by KvK and AGB, and the wheelchair access.
		var buf bytes.Buffer
		must(t, k.x.ExportJSON(ctx, nil, k.woerden.ID, &buf))
		for _, s := range []string{`"identifier_scheme": "NL-KVK"`, `"identifier": "12345678"`, `"identifier_scheme": "AGB"`,
			`"details": "wheelchair"`, `"byday": "MO,TU,WE,TH,FR"`, `"opens_at": "09:00"`, `"amount": 28.75`, `"vocabulary": "category"`,
			`"code": "huishoudelijke-hulp"`, `"name": "Oudewater"`} {
			if !strings.Contains(buf.String(), s) {
				t.Errorf("JSON export lacks %s", s)
			}
		}
	})
}

func TestExchange_Refused(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newExchangeKit(t, db)
		ctx := context.Background()
		good := "id,organization_kvk,name\n"
		for _, who := range []*identity.Person{&k.resident, &k.groeneHartAdmin, &k.oudeAdmin, &k.woerdenConsultant} {
			_, err := k.x.Import(ctx, who, k.woerden.ID, market.FormatCSV, strings.NewReader(good))
			wantProblem(t, err, forbidden)
			wantProblem(t, k.x.ExportJSON(ctx, who, k.woerden.ID, &bytes.Buffer{}), forbidden)
			wantProblem(t, k.x.ExportCSV(ctx, who, k.woerden.ID, &bytes.Buffer{}), forbidden)
		}
		files := []struct {
			name   string
			format market.Format
			data   string
			line   int
			key    string
		}{
			{"NoJSON", market.FormatJSON, "{\n  \"services\": [\n    {\"id\": 1,}\n  ]\n}", 3, "hsds.error.not_json"},
			{"NoServices", "", `{"organizations": []}`, 0, "hsds.error.no_services"},
			{"Binary", "", "\x00\x01\xff\xfe", 0, "hsds.error.not_text"},
			{"Empty", "", " \n", 0, "hsds.error.empty"},
			{"NoColumns", "", "naam;adres\nHulp;Straat 1\n", 1, "hsds.error.columns"},
			{"BadQuotes", market.FormatCSV, "id,organization_kvk,name\n\"a\"b,1,2\n", 2, "hsds.error.not_csv"},
			{"HeaderOnly", market.FormatCSV, "id,organization_kvk,name\n", 0, "hsds.error.no_records"},
			{"TooLarge", market.FormatCSV, good + strings.Repeat("x", market.MaxImportBytes), 0, "hsds.error.too_large"},
			{"TooMany", market.FormatCSV, good + strings.Repeat("a,12345678,b\n", market.MaxImportRecords+1), 0, "hsds.error.too_many"},
		}
		for _, tc := range files {
			t.Run(tc.name, func(t *testing.T) {
				_, err := k.x.Import(ctx, &k.woerdenAdmin, k.woerden.ID, tc.format, strings.NewReader(tc.data))
				var fe *market.FileError
				if !errors.As(err, &fe) || fe.Key != tc.key || fe.Line != tc.line || !errs.Is(err, errs.Invalid) {
					t.Fatalf("error %v, want line %d %s", err, tc.line, tc.key)
				}
			})
		}
		rep, err := k.x.Import(ctx, &k.woerdenAdmin, k.woerden.ID, "", strings.NewReader(
			"id,organization_kvk,organization_name,name,summary,description,application_process,cost_option,kind,categories\n"+
				"n-1,99887766,,Zonder naam,Kort.,Lang.,Bel.,free,professional,schuldhulp\n"+
				"n-2,12345678,,Twee keer,Kort.,Lang.,Bel.,free,professional,schuldhulp\n"+
				"n-2,12345678,,Twee keer,Kort.,Lang.,Bel.,free,professional,schuldhulp\n"+
				"n-3,12345678,,Te kort\n"+
				"n-4,12345678,,Twee categorieën,Kort.,Lang.,Bel.,free,professional,schuldhulp | taal\n"))
		must(t, err)
		want := []problemRow{
			{2, 0, "organization_name", "hsds.error.organization_name_required"},
			{4, 0, "id", "hsds.error.id_twice"},
			{5, 0, "", "hsds.error.cells"},
			{6, 0, "categories", "hsds.error.one_category"},
		}
		if diff := cmp.Diff(want, problemRows(rep)); diff != "" || rep.Created != 1 {
			t.Errorf("created %d, problems (-want +got):\n%s", rep.Created, diff)
		}
		if list, _ := db.FindProvidersByKvK(ctx, "99887766"); len(list) != 0 {
			t.Errorf("a provider without a name was made: %+v", list)
		}
	})
}

func sortedKeys(m map[string]market.Offering) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func mustList(t *testing.T, db *sqlstore.DB, org string) []market.Offering {
	t.Helper()
	list, err := db.FindOfferingsByProvider(context.Background(), org)
	must(t, err)
	return list
}
