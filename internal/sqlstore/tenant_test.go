package sqlstore_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestStore_Municipality(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		woerden := tenant.Municipality{ID: id.New(), Slug: "woerden", Name: "Woerden", Host: "woerden.inwonercloud.nl", Theme: "woerden", CreatedAt: at(0)}
		oudewater := tenant.Municipality{ID: id.New(), Slug: "oudewater", Name: "Oudewater", Theme: "default", CreatedAt: at(time.Second)}
		montfoort := tenant.Municipality{ID: id.New(), Slug: "montfoort", Name: "Montfoort", Theme: "default", CreatedAt: at(2 * time.Second)}
		for _, m := range []*tenant.Municipality{&woerden, &oudewater, &montfoort} {
			must(t, db.CreateMunicipality(ctx, m))
		}

		t.Run("FindByID", func(t *testing.T) {
			got, err := db.FindMunicipalityByID(ctx, woerden.ID)
			must(t, err)
			if diff := cmp.Diff(woerden, got); diff != "" {
				t.Errorf("FindMunicipalityByID (-want +got):\n%s", diff)
			}
		})
		t.Run("FindBySlug", func(t *testing.T) {
			got, err := db.FindMunicipalityBySlug(ctx, "oudewater")
			must(t, err)
			if diff := cmp.Diff(oudewater, got); diff != "" {
				t.Errorf("FindMunicipalityBySlug (-want +got):\n%s", diff)
			}
		})
		t.Run("ListByName", func(t *testing.T) {
			got, err := db.FindMunicipalities(ctx)
			must(t, err)
			if diff := cmp.Diff([]tenant.Municipality{montfoort, oudewater, woerden}, got); diff != "" {
				t.Errorf("FindMunicipalities (-want +got):\n%s", diff)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := db.FindMunicipalityByID(ctx, id.New())
			wantKind(t, err, errs.NotFound)
			_, err = db.FindMunicipalityBySlug(ctx, "lopik")
			wantKind(t, err, errs.NotFound)
		})

		tests := []struct {
			name string
			m    tenant.Municipality
		}{
			{"ErrSlugTaken", tenant.Municipality{Slug: "woerden", Name: "Woerden 2"}},
			{"ErrHostTaken", tenant.Municipality{Slug: "harmelen", Name: "Harmelen", Host: "woerden.inwonercloud.nl"}},
			{"ErrIDTaken", tenant.Municipality{ID: woerden.ID, Slug: "kamerik", Name: "Kamerik"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				m := tc.m
				if m.ID == "" {
					m.ID = id.New()
				}
				m.Theme, m.CreatedAt = "default", at(time.Minute)
				wantKind(t, db.CreateMunicipality(ctx, &m), errs.Conflict)
			})
		}
	})
}

func TestStore_Organisation(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		woerden := sqltest.Municipality(t, db, "woerden")
		oudewater := sqltest.Municipality(t, db, "oudewater")
		montfoort := sqltest.Municipality(t, db, "montfoort")

		isd := tenant.Organisation{
			ID: id.New(), Name: "ISD Kromme Rijn", Kind: tenant.OrgISD, KvK: "12345678",
			MunicipalityIDs: []string{woerden.ID, oudewater.ID}, CreatedAt: at(0),
		}
		team := tenant.Organisation{ID: id.New(), Name: "Sociaal team Woerden", Kind: tenant.OrgSocialTeam,
			MunicipalityIDs: []string{woerden.ID}, CreatedAt: at(time.Second)}
		must(t, db.CreateOrganisation(ctx, &isd))
		must(t, db.CreateOrganisation(ctx, &team))
		slices.Sort(isd.MunicipalityIDs) // the store lists them in id order

		t.Run("FindByID", func(t *testing.T) {
			got, err := db.FindOrganisationByID(ctx, isd.ID)
			must(t, err)
			if diff := cmp.Diff(isd, got); diff != "" {
				t.Errorf("FindOrganisationByID (-want +got):\n%s", diff)
			}
		})
		t.Run("FindInMunicipality", func(t *testing.T) {
			for _, tc := range []struct {
				m    string
				want []tenant.Organisation
			}{
				{woerden.ID, []tenant.Organisation{isd, team}},
				{oudewater.ID, []tenant.Organisation{isd}},
				{montfoort.ID, []tenant.Organisation{}},
			} {
				got, err := db.FindOrganisations(ctx, tc.m)
				must(t, err)
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("FindOrganisations(%s) (-want +got):\n%s", tc.m, diff)
				}
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := db.FindOrganisationByID(ctx, id.New())
			wantKind(t, err, errs.NotFound)
		})
		t.Run("ErrUnknownMunicipalityStoresNothing", func(t *testing.T) {
			o := tenant.Organisation{ID: id.New(), Name: "Nergens", Kind: tenant.OrgProvider,
				MunicipalityIDs: []string{montfoort.ID, "no-such-place"}, CreatedAt: at(0)}
			err := db.CreateOrganisation(ctx, &o)
			wantKind(t, err, errs.Invalid)
			if got := errs.KeyOf(err); got != "error.reference" {
				t.Errorf("key = %q, want error.reference", got)
			}
			_, err = db.FindOrganisationByID(ctx, o.ID)
			wantKind(t, err, errs.NotFound)
			list, err := db.FindOrganisations(ctx, montfoort.ID)
			must(t, err)
			if len(list) != 0 {
				t.Errorf("half-made organisation listed in Montfoort: %+v", list)
			}
		})
	})
}
