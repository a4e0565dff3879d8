package market_test

import (
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

func TestService_CreateCategory(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		k := newKit(t, db)
		c, err := k.svc.CreateCategory(ctx, &k.woerdenAdmin, market.Category{MunicipalityID: k.woerden.ID, Name: " Hulp bij rouw ", ParentID: k.cat["meedoen"].ID})
		must(t, err)
		if c.Slug != "hulp-bij-rouw" || c.Name != "Hulp bij rouw" {
			t.Errorf("created %+v", c)
		}
		_, err = k.svc.CreateCategory(ctx, &k.woerdenAdmin, market.Category{MunicipalityID: k.woerden.ID, Name: "Hulp bij rouw"})
		wantProblem(t, err, problem{Kind: errs.Conflict, Key: "error.invalid", Fields: map[string]string{"slug": "field.slug.taken"}})
		_, err = k.svc.CreateCategory(ctx, &k.woerdenAdmin, market.Category{MunicipalityID: k.woerden.ID, Name: "Rouw", ParentID: k.oudeCat["meedoen"].ID})
		wantProblem(t, err, invalid(map[string]string{"parent": "field.parent.invalid"}))
		_, err = k.svc.CreateCategory(ctx, &k.woerdenAdmin, market.Category{MunicipalityID: k.woerden.ID, Name: "", Slug: "Niet Goed"})
		wantProblem(t, err, invalid(map[string]string{"name": "field.name.required", "slug": "field.slug.invalid"}))
		_, err = k.svc.CreateCategory(ctx, &k.oudeAdmin, market.Category{MunicipalityID: k.woerden.ID, Name: "Rouw"})
		wantProblem(t, err, forbidden)
		list, err := k.svc.Categories(ctx, k.woerden.ID)
		must(t, err)
		if len(list) != len(k.cat)+1 {
			t.Errorf("categories: %d", len(list))
		}
	})
}

func TestService_SaveProvider(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		k := newKit(t, db)
		p, err := k.svc.SaveProvider(ctx, &k.groeneHartAdmin, market.Provider{OrganisationID: k.groeneHart.ID,
			AGB: "01234567", Email: " Info@GroeneHart.example ", Website: "https://groenehart.example"})
		must(t, err)
		if p.Email != "info@groenehart.example" || p.Name != "Thuiszorg Het Groene Hart" {
			t.Errorf("saved %+v", p)
		}
		got, err := k.svc.Provider(ctx, k.groeneHart.ID)
		must(t, err)
		if got.AGB != "01234567" || got.Website != "https://groenehart.example" {
			t.Errorf("read %+v", got)
		}
		_, err = k.svc.SaveProvider(ctx, &k.groeneHartAdmin, market.Provider{OrganisationID: k.groeneHart.ID,
			AGB: "123", Email: "geen-adres", Phone: "bel maar", Website: "javascript:alert(1)"})
		wantProblem(t, err, invalid(map[string]string{"agb": "field.agb.invalid", "email": "field.email.invalid",
			"phone": "field.phone.invalid", "website": "field.website.invalid"}))
		_, err = k.svc.SaveProvider(ctx, &k.groeneHartAdmin, market.Provider{OrganisationID: k.groeneHart.ID})
		wantProblem(t, err, invalid(map[string]string{"contact": "field.contact.required"}))
		_, err = k.svc.SaveProvider(ctx, &k.linieAdmin, market.Provider{OrganisationID: k.groeneHart.ID, Phone: "0348 123456"})
		wantProblem(t, err, forbidden)
		_, err = k.svc.SaveProvider(ctx, &k.woerdenAdmin, market.Provider{OrganisationID: k.groeneHart.ID, Phone: "0348 123456"})
		must(t, err)
	})
}
