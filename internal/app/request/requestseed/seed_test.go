package requestseed_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/app/request/requestseed"
	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/core/vault"
	"github.com/inwonercloud/inwonercloud/internal/seed"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// TestDemo: on the demo data, the demo resident has a delivered and a
// waiting request for the demo provider's offerings, which the provider
// admin sees too.
func TestDemo(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := context.Background()
		clk := clock.NewFake(sqltest.Epoch)
		ids := identity.NewService(db, clk, nil, "https://example.test", slog.New(slog.DiscardHandler))
		tenants := tenant.NewService(db, clk)
		if _, err := seed.Demo(ctx, ids, tenants, db); err != nil {
			t.Fatal(err)
		}
		cs, err := consent.NewService(db, audit.NewLog(db, clk), clk, consent.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ring, err := vault.NewKeyring()
		if err != nil {
			t.Fatal(err)
		}
		mk := market.NewService(db, clk, market.Options{})
		svc := request.NewService(db, cs, mk, vault.New(sqltest.Open(t, db.Dialect()), ring, clk), clk, request.Options{})

		admin, err := db.FindPersonByEmail(ctx, "aanbieder@demo.inwonercloud.nl")
		if err != nil {
			t.Fatal(err)
		}
		if err := requestseed.Demo(ctx, svc, mk, db); err == nil {
			t.Fatal("Demo without published offerings: no error")
		}
		woerden, err := tenants.MunicipalityBySlug(ctx, "woerden")
		if err != nil {
			t.Fatal(err)
		}
		cat, err := mk.CreateCategory(ctx, nil, market.Category{MunicipalityID: woerden.ID, Name: "Huishoudelijke hulp"})
		if err != nil {
			t.Fatal(err)
		}
		org := admin.Roles[0].OrganisationID
		for _, c := range []market.CostType{market.CostTailored, market.CostPerUnit} {
			content := market.Content{MunicipalityIDs: []string{woerden.ID}, CategoryIDs: []string{cat.ID}, Title: "Hulp " + string(c),
				Summary: "Hulp thuis.", Description: "Hulp thuis.", HowToRequest: "Vraag het aan.", CostType: c, Kind: market.KindProfessional}
			if c == market.CostPerUnit {
				content.PriceCents, content.Unit = 750, "maaltijd"
			}
			o, err := mk.CreateOffering(ctx, &admin, org, content, true)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := mk.Approve(ctx, nil, o.ID, o.Version); err != nil {
				t.Fatal(err)
			}
		}
		if err := requestseed.Demo(ctx, svc, mk, db); err != nil {
			t.Fatal(err)
		}
		anna, err := db.FindPersonByEmail(ctx, seed.Accounts[0].Email)
		if err != nil {
			t.Fatal(err)
		}
		mine, err := svc.ForResident(ctx, &anna, "")
		if err != nil {
			t.Fatal(err)
		}
		states := map[request.Status]int{}
		for _, r := range mine {
			states[r.Status]++
		}
		if len(mine) != 2 || states[request.StatusDelivered] != 1 || states[request.StatusSent] != 1 {
			t.Fatalf("anna's demo requests: %v", states)
		}
		for _, r := range mine {
			if r.Status == request.StatusDelivered {
				if _, err := svc.Delivered(ctx, r.ID); err != nil {
					t.Errorf("Delivered(demo request): %v", err)
				}
			}
		}
		theirs, err := svc.ForProvider(ctx, &admin, org)
		if err != nil || len(theirs) != 2 {
			t.Errorf("the provider sees %d demo requests (%v), want 2", len(theirs), err)
		}
	})
}
