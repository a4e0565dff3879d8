package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestStore_MarketCategoriesAndProviders(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		w := sqltest.Municipality(t, db, "woerden")
		o := sqltest.Municipality(t, db, "oudewater")
		top := market.Category{ID: id.New(), MunicipalityID: w.ID, Name: "Meedoen", Slug: "meedoen", CreatedAt: at(0)}
		sub := market.Category{ID: id.New(), MunicipalityID: w.ID, ParentID: top.ID, Name: "Dagbesteding", Slug: "dagbesteding", CreatedAt: at(0)}
		other := market.Category{ID: id.New(), MunicipalityID: o.ID, Name: "Meedoen", Slug: "meedoen", CreatedAt: at(0)}
		v0, err := db.MarketVersion(ctx)
		must(t, err)
		for _, c := range []*market.Category{&top, &sub, &other} {
			must(t, db.CreateCategory(ctx, c))
		}
		if v, _ := db.MarketVersion(ctx); v != v0+3 {
			t.Errorf("version %d after three categories, want %d", v, v0+3)
		}
		dup := top
		dup.ID = id.New()
		wantKind(t, db.CreateCategory(ctx, &dup), errs.Conflict)
		got, err := db.FindCategories(ctx, w.ID)
		must(t, err)
		if diff := cmp.Diff([]market.Category{sub, top}, got); diff != "" {
			t.Errorf("FindCategories (-want +got):\n%s", diff)
		}
		all, err := db.FindCategories(ctx, "")
		must(t, err)
		if len(all) != 3 {
			t.Errorf("all categories: %d", len(all))
		}
		c, err := db.FindCategoryByID(ctx, sub.ID)
		must(t, err)
		if c != sub {
			t.Errorf("FindCategoryByID = %+v", c)
		}
		_, err = db.FindCategoryByID(ctx, "nope")
		wantKind(t, err, errs.NotFound)

		prov := sqltest.Organisation(t, db, "Thuiszorg", w, o)
		isd := tenant.Organisation{ID: id.New(), Name: "ISD", Kind: tenant.OrgISD, MunicipalityIDs: []string{w.ID}, CreatedAt: at(0)}
		must(t, db.CreateOrganisation(ctx, &isd))
		_, err = db.FindProvider(ctx, isd.ID)
		wantKind(t, err, errs.NotFound)
		p, err := db.FindProvider(ctx, prov.ID)
		must(t, err)
		if p.Name != "Thuiszorg" || len(p.MunicipalityIDs) != 2 || p.Email != "" {
			t.Errorf("fresh provider = %+v", p)
		}
		p.AGB, p.Email, p.Phone, p.Website, p.UpdatedAt = "12345678", "info@thuiszorg.example", "0348 123456", "https://thuiszorg.example", at(time.Hour)
		must(t, db.SaveProvider(ctx, &p))
		p.Phone = "0348 654321"
		must(t, db.SaveProvider(ctx, &p))
		got2, err := db.FindProvider(ctx, prov.ID)
		must(t, err)
		if diff := cmp.Diff(p, got2); diff != "" {
			t.Errorf("FindProvider after save (-want +got):\n%s", diff)
		}
	})
}

// marketFixture stores two municipalities, a provider and a category in each.
func marketFixture(t *testing.T, db *sqlstore.DB) (w, o tenant.Municipality, prov tenant.Organisation, cw, co market.Category) {
	t.Helper()
	ctx := t.Context()
	w = sqltest.Municipality(t, db, "woerden")
	o = sqltest.Municipality(t, db, "oudewater")
	prov = sqltest.Organisation(t, db, "Thuiszorg Het Groene Hart", w, o)
	cw = market.Category{ID: id.New(), MunicipalityID: w.ID, Name: "Huishoudelijke hulp", Slug: "huishoudelijke-hulp", CreatedAt: at(0)}
	co = market.Category{ID: id.New(), MunicipalityID: o.ID, Name: "Huishoudelijke hulp", Slug: "huishoudelijke-hulp", CreatedAt: at(0)}
	must(t, db.CreateCategory(ctx, &cw))
	must(t, db.CreateCategory(ctx, &co))
	return
}

func newOffering(prov tenant.Organisation, title string, munis []string, cats []string) market.Offering {
	return market.Offering{
		ID: id.New(), ProviderOrgID: prov.ID, ProviderName: prov.Name, Status: market.StatusPublished,
		Content: market.Content{
			MunicipalityIDs: munis, CategoryIDs: cats, Title: title, Summary: "Wij helpen u thuis.",
			Description: "Een vaste hulp maakt schoon.", HowToRequest: "Bel ons.", Languages: []string{"nl"},
			TargetGroups: []string{"ouderen"}, CostType: market.CostPerUnit, PriceCents: 2500, Unit: "uur",
			Kind: market.KindProfessional,
			Locations: []market.Location{{Address: "Kerkplein 1", Postcode: "3441 BG", City: "Woerden", Lat: 52.08, Lon: 4.88,
				Hours: market.Weekdays(540, 1020), Wheelchair: true}},
		},
		LastCheckedAt: at(0), CreatedAt: at(0), UpdatedAt: at(0),
	}
}

func TestStore_MarketOfferings(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		w, o, prov, cw, co := marketFixture(t, db)
		editor := sqltest.Person(t, db, sqltest.PersonSpec{Email: "eva@example.nl"})
		off := newOffering(prov, "Hulp in de huishouding", []string{w.ID, o.ID}, []string{cw.ID, co.ID})
		off.LastCheckedByID = editor.ID
		must(t, db.CreateOffering(ctx, &off))
		if off.Version != 1 {
			t.Errorf("version after create = %d", off.Version)
		}
		got, err := db.FindOfferingByID(ctx, off.ID)
		must(t, err)
		if diff := cmp.Diff(off, got, sortedIDs); diff != "" {
			t.Errorf("FindOfferingByID (-want +got):\n%s", diff)
		}
		_, err = db.FindOfferingByID(ctx, "nope")
		wantKind(t, err, errs.NotFound)

		// Update checks the version and replaces the links.
		stale := off
		off.Title, off.MunicipalityIDs, off.CategoryIDs = "Thuishulp", []string{w.ID}, []string{cw.ID}
		off.StaleSince = ptr(at(time.Hour))
		must(t, db.UpdateOffering(ctx, &off))
		if off.Version != 2 {
			t.Errorf("version after update = %d", off.Version)
		}
		stale.Title = "Lost update"
		wantKind(t, db.UpdateOffering(ctx, &stale), errs.Conflict)
		ghost := newOffering(prov, "Ghost", []string{w.ID}, []string{cw.ID})
		wantKind(t, db.UpdateOffering(ctx, &ghost), errs.NotFound)
		got, err = db.FindOfferingByID(ctx, off.ID)
		must(t, err)
		if diff := cmp.Diff(off, got, sortedIDs); diff != "" {
			t.Errorf("after update (-want +got):\n%s", diff)
		}
		list, err := db.FindOfferingsByProvider(ctx, prov.ID)
		must(t, err)
		if len(list) != 1 || list[0].Title != "Thuishulp" {
			t.Errorf("FindOfferingsByProvider = %+v", list)
		}

		// Revisions: the latest is found; only one may be pending.
		rev := market.Revision{ID: id.New(), OfferingID: off.ID, Content: off.Content, Status: market.RevisionPending,
			ProposedByID: editor.ID, ProposedAt: at(2 * time.Hour)}
		rev.Content.Title = "Thuishulp en boodschappen"
		must(t, db.CreateRevision(ctx, &rev))
		second := rev
		second.ID = id.New()
		wantKind(t, db.CreateRevision(ctx, &second), errs.Conflict)
		gotRev, err := db.FindLatestRevision(ctx, off.ID)
		must(t, err)
		if diff := cmp.Diff(rev, gotRev); diff != "" {
			t.Errorf("FindLatestRevision (-want +got):\n%s", diff)
		}
		rev.Status, rev.RefusalReason, rev.DecidedByID, rev.DecidedAt = market.RevisionRefused, "Nee.", editor.ID, ptr(at(3*time.Hour))
		must(t, db.UpdateRevision(ctx, &rev))
		gotRev, err = db.FindLatestRevision(ctx, off.ID)
		must(t, err)
		if diff := cmp.Diff(rev, gotRev); diff != "" {
			t.Errorf("after UpdateRevision (-want +got):\n%s", diff)
		}
		_, err = db.FindLatestRevision(ctx, "nope")
		wantKind(t, err, errs.NotFound)
	})
}

var sortedIDs = cmp.Transformer("sorted", func(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
})

func TestStore_MarketChangesAndStale(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		w, _, prov, cw, _ := marketFixture(t, db)
		a := newOffering(prov, "A", []string{w.ID}, []string{cw.ID})
		b := newOffering(prov, "B", []string{w.ID}, []string{cw.ID})
		b.LastCheckedAt = at(24 * time.Hour)
		must(t, db.CreateOffering(ctx, &a))
		v1, err := db.MarketVersion(ctx)
		must(t, err)
		must(t, db.CreateOffering(ctx, &b))
		must(t, db.InTx(ctx, func(ctx context.Context) error {
			rev := market.Revision{ID: id.New(), OfferingID: b.ID, Content: b.Content, Status: market.RevisionPending, ProposedAt: at(0)}
			if err := db.CreateRevision(ctx, &rev); err != nil {
				return err
			}
			return db.UpdateOffering(ctx, &b)
		}))
		changes, maxSeq, err := db.FindOfferingChanges(ctx, v1)
		must(t, err)
		if len(changes) != 1 || changes[0].Offering.ID != b.ID || changes[0].Pending == nil {
			t.Fatalf("changes after %d: %+v", v1, changes)
		}
		if v, _ := db.MarketVersion(ctx); maxSeq != v {
			t.Errorf("max seq %d, version %d", maxSeq, v)
		}
		all, _, err := db.FindOfferingChanges(ctx, 0)
		must(t, err)
		if len(all) != 2 {
			t.Errorf("all changes: %d", len(all))
		}

		// Only A was checked before the cut-off.
		ids, err := db.FlagStaleOfferings(ctx, at(time.Hour), at(48*time.Hour))
		must(t, err)
		if !cmp.Equal(ids, []string{a.ID}) {
			t.Errorf("flagged %v", ids)
		}
		ids, err = db.HideStaleOfferings(ctx, at(47*time.Hour), at(50*time.Hour))
		must(t, err)
		if len(ids) != 0 {
			t.Errorf("hid before the grace period: %v", ids)
		}
		ids, err = db.HideStaleOfferings(ctx, at(48*time.Hour), at(50*time.Hour))
		must(t, err)
		if !cmp.Equal(ids, []string{a.ID}) {
			t.Errorf("hid %v", ids)
		}
		got, err := db.FindOfferingByID(ctx, a.ID)
		must(t, err)
		if got.Status != market.StatusHidden || !got.StaleSince.Equal(at(48*time.Hour)) || got.Version != 3 {
			t.Errorf("hidden offering: %+v", got)
		}
	})
}

func TestStore_MatchOfferings(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		w, o, prov, cw, co := marketFixture(t, db)
		mk := func(title, desc string, munis, cats []string, st market.Status) market.Offering {
			off := newOffering(prov, title, munis, cats)
			off.Description, off.Status = desc, st
			must(t, db.CreateOffering(ctx, &off))
			return off
		}
		huis := mk("Hulp in de huishouding", "Schoonmaken en wassen.", []string{w.ID}, []string{cw.ID}, market.StatusPublished)
		schuld := mk("Schuldhulpverlening", "Grip op uw geld.", []string{w.ID, o.ID}, []string{cw.ID, co.ID}, market.StatusPublished)
		mk("Huishoudelijke hulp (concept)", "Nog niet klaar.", []string{w.ID}, []string{cw.ID}, market.StatusPending)
		match := func(m market.Match) []string {
			t.Helper()
			m.Limit = 10
			ids, err := db.MatchOfferings(ctx, m)
			must(t, err)
			return ids
		}
		if got := match(market.Match{Terms: market.Terms("huishoudelijke hulp")}); !cmp.Equal(got, []string{huis.ID}) {
			t.Errorf("huishoudelijke hulp: %v", got)
		}
		if got := match(market.Match{Terms: []string{"schuld"}, MunicipalityID: o.ID}); !cmp.Equal(got, []string{schuld.ID}) {
			t.Errorf("schuld in Oudewater: %v", got)
		}
		if got := match(market.Match{Terms: []string{"huishoud"}, MunicipalityID: o.ID}); len(got) != 0 {
			t.Errorf("huishoud in Oudewater: %v", got)
		}
		if got := match(market.Match{Terms: []string{"huishoud", "schuld"}, Any: true}); len(got) != 2 {
			t.Errorf("any: %v", got)
		}
		// The title weighs more than the description.
		mk("Wasserette", "Voor als u geen tijd heeft voor de huishouding.", []string{w.ID}, []string{cw.ID}, market.StatusPublished)
		if got := match(market.Match{Terms: []string{"huishoud"}}); len(got) != 2 || got[0] != huis.ID {
			t.Errorf("ranking: %v", got)
		}
		// Anything but plain terms is dropped, not passed to the query syntax.
		if got := match(market.Match{Terms: []string{`"OR`, "*"}}); len(got) != 0 {
			t.Errorf("odd terms: %v", got)
		}
	})
}
