package sqlstore_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// TestStore_MarketHSDS: providers by KvK number, published offerings per
// municipality, and the external ids an import keeps per municipality.
func TestStore_MarketHSDS(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		w := sqltest.Municipality(t, db, "woerden")
		o := sqltest.Municipality(t, db, "oudewater")
		org := func(name, kvk string, kind tenant.OrgKind) tenant.Organisation {
			g := tenant.Organisation{ID: id.New(), Name: name, Kind: kind, KvK: kvk, MunicipalityIDs: []string{w.ID}, CreatedAt: at(0)}
			must(t, db.CreateOrganisation(ctx, &g))
			return g
		}
		prov := org("Thuiszorg", "12345678", tenant.OrgProvider)
		org("Sociaal team", "87654321", tenant.OrgSocialTeam)
		org("Zonder nummer", "", tenant.OrgProvider)

		list, err := db.FindProvidersByKvK(ctx, "12345678")
		must(t, err)
		if len(list) != 1 || list[0].OrganisationID != prov.ID || list[0].KvK != "12345678" {
			t.Errorf("FindProvidersByKvK = %+v", list)
		}
		for _, kvk := range []string{"87654321", "", "99999999"} { // not a provider, no number, unknown
			if list, err := db.FindProvidersByKvK(ctx, kvk); err != nil || len(list) != 0 {
				t.Errorf("FindProvidersByKvK(%q) = %+v, %v; want none", kvk, list, err)
			}
		}

		cat := market.Category{ID: id.New(), MunicipalityID: w.ID, Name: "Meedoen", Slug: "meedoen", CreatedAt: at(0)}
		must(t, db.CreateCategory(ctx, &cat))
		offering := func(title string, status market.Status, munis ...string) market.Offering {
			off := market.Offering{ID: id.New(), ProviderOrgID: prov.ID, Status: status, LastCheckedAt: at(0), CreatedAt: at(0), UpdatedAt: at(0),
				Content: market.Content{MunicipalityIDs: munis, CategoryIDs: []string{cat.ID}, Title: title, Summary: "s", Description: "d",
					CostType: market.CostFree, Kind: market.KindVolunteer}}
			must(t, db.CreateOffering(ctx, &off))
			return off
		}
		b := offering("B gepubliceerd", market.StatusPublished, w.ID)
		a := offering("A gepubliceerd", market.StatusPublished, w.ID)
		offering("C concept", market.StatusDraft, w.ID)
		offering("D elders", market.StatusPublished, o.ID)
		pub, err := db.FindPublishedOfferings(ctx, w.ID)
		must(t, err)
		var titles []string
		for _, p := range pub {
			titles = append(titles, p.Title)
		}
		if diff := cmp.Diff([]string{"A gepubliceerd", "B gepubliceerd"}, titles); diff != "" {
			t.Errorf("FindPublishedOfferings (-want +got):\n%s", diff)
		}

		_, err = db.FindOfferingByExternalID(ctx, w.ID, "sk-1")
		wantKind(t, err, errs.NotFound)
		must(t, db.SaveExternalID(ctx, w.ID, "sk-1", a.ID, at(0)))
		must(t, db.SaveExternalID(ctx, w.ID, "sk-1", a.ID, at(0))) // again: no change
		must(t, db.SaveExternalID(ctx, o.ID, "sk-1", b.ID, at(0))) // another municipality's id space
		wantKind(t, db.SaveExternalID(ctx, w.ID, "sk-1", b.ID, at(0)), errs.Conflict)
		// A new id for an offering replaces its old one in that municipality.
		must(t, db.SaveExternalID(ctx, w.ID, "sk-2", a.ID, at(0)))
		_, err = db.FindOfferingByExternalID(ctx, w.ID, "sk-1")
		wantKind(t, err, errs.NotFound)
		got, err := db.FindOfferingByExternalID(ctx, w.ID, "sk-2")
		if err != nil || got != a.ID {
			t.Errorf("FindOfferingByExternalID(sk-2) = %q, %v; want %s", got, err, a.ID)
		}
		ids, err := db.FindExternalIDs(ctx, w.ID)
		must(t, err)
		if diff := cmp.Diff(map[string]string{a.ID: "sk-2"}, ids); diff != "" {
			t.Errorf("FindExternalIDs (-want +got):\n%s", diff)
		}
	})
}
