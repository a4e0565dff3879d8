package main

import (
	"context"
	"fmt"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/seed"
)

// seedPortalDemo gives the demo provider admin's organisation a few
// offerings in Woerden, so the provider portal and the municipality's
// approval queue have something to show: two published, one of them with
// a change awaiting approval, one new offering awaiting approval, and a
// draft. They go through the market service as the provider admin, and
// are approved on the command line.
func seedPortalDemo(ctx context.Context, a *app, woerden tenant.Municipality) error {
	var email string
	for _, acc := range seed.Accounts {
		if acc.Role == identity.RoleProviderAdmin {
			email = acc.Email
		}
	}
	p, err := a.db.FindPersonByEmail(ctx, email)
	if err != nil {
		return fmt.Errorf("demo portal: %w", err)
	}
	var org string
	for _, r := range p.Roles {
		if r.Role == identity.RoleProviderAdmin {
			org = r.OrganisationID
		}
	}
	cats, err := a.market.Categories(ctx, woerden.ID)
	if err != nil {
		return fmt.Errorf("demo portal: %w", err)
	}
	cat := map[string]string{}
	for _, c := range cats {
		cat[c.Name] = c.ID
	}
	if _, err := a.market.SaveProvider(ctx, &p, market.Provider{OrganisationID: org, AGB: "01234567",
		Email: "info@groenehart.example", Phone: "0348 123456", Website: "https://groenehart.example"}); err != nil {
		return fmt.Errorf("demo portal: provider: %w", err)
	}
	office := []market.Location{{Address: "Rijnstraat 12", Postcode: "3441 BS", City: "Woerden", Wheelchair: true,
		Hours: market.Weekdays(9*60, 17*60)}}
	content := func(title, summary, category string, cost market.CostType, price int64, unit string) market.Content {
		return market.Content{MunicipalityIDs: []string{woerden.ID}, CategoryIDs: []string{cat[category]}, Title: title,
			Summary: summary, Description: summary + " Een vaste medewerker van Het Groene Hart komt bij u thuis.",
			TargetGroups: []string{"ouderen", "mensen met een beperking"}, Eligibility: "U woont in Woerden.",
			HowToRequest: "Bel ons op 0348 123456 of vraag het aan via deze website.", Languages: []string{"nl"},
			CostType: cost, PriceCents: price, Unit: unit, Kind: market.KindProfessional, Locations: office}
	}
	publish := func(c market.Content) (market.Offering, error) {
		o, err := a.market.CreateOffering(ctx, &p, org, c, true)
		if err != nil {
			return o, err
		}
		return a.market.Approve(ctx, nil, o.ID, o.Version)
	}
	if _, err := publish(content("Huishoudelijke hulp van Het Groene Hart", "Wij maken uw huis schoon als u dat zelf niet meer kunt.",
		"Huishoudelijke hulp", market.CostTailored, 0, "")); err != nil {
		return fmt.Errorf("demo portal: %w", err)
	}
	meals, err := publish(content("Warme maaltijd van Het Groene Hart", "Elke dag een warme maaltijd aan huis.",
		"Maaltijden", market.CostPerUnit, 750, "maaltijd"))
	if err != nil {
		return fmt.Errorf("demo portal: %w", err)
	}
	change := meals.Content
	change.Summary = "Elke dag een warme maaltijd aan huis, ook op zondag."
	if _, err := a.market.UpdateOffering(ctx, &p, meals.ID, meals.Version, change, true); err != nil {
		return fmt.Errorf("demo portal: %w", err)
	}
	if _, err := a.market.CreateOffering(ctx, &p, org, content("Wijkverpleging van Het Groene Hart",
		"Verpleging en verzorging bij u thuis.", "Huishoudelijke hulp", market.CostTailored, 0, ""), true); err != nil {
		return fmt.Errorf("demo portal: %w", err)
	}
	if _, err := a.market.CreateOffering(ctx, &p, org, content("Klussendienst van Het Groene Hart",
		"Kleine klussen in huis.", "Woningaanpassing", market.CostFree, 0, ""), false); err != nil {
		return fmt.Errorf("demo portal: %w", err)
	}
	return nil
}
