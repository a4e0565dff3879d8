package main

import (
	"context"
	"fmt"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/seed"
)

// The demo budget: what a visitor logged in as the demo resident finds at
// /budget. The figures are in cents.
const (
	demoBudgetCents   = 240000 // € 2.400,00 for a year
	demoMealsOffering = "Warme maaltijd van Het Groene Hart"
	demoMealsPerMonth = 20
	demoMealMonths    = 6
	demoClaimCents    = 15000 // this month's 20 meals of € 7,50
)

// seedBudgetDemo gives the demo resident a budget to look at, made
// through the services as the people would on the site: the demo
// consultant grants it; the resident asks the demo provider (Het Groene
// Hart) for its meals, paid from the budget; the provider accepts and
// proposes a care agreement of 20 meals a month for six months, which the
// resident accepts (reserving € 900,00); the provider claims this month's
// meals, and that claim waits for the resident's approval. The resident
// also appoints the demo trusted person (the mantelzorger) with a mandate
// for the budget, as on the mandate pages.
func seedBudgetDemo(ctx context.Context, a *app) error {
	find := func(role identity.Role) (identity.Person, error) {
		for _, acc := range seed.Accounts {
			if acc.Role == role {
				return a.db.FindPersonByEmail(ctx, acc.Email)
			}
		}
		return identity.Person{}, fmt.Errorf("demo budget: no demo account with role %s", role)
	}
	resident, err := find(identity.RoleCitizen)
	if err != nil {
		return err
	}
	carer, err := find(identity.RoleDelegate)
	if err != nil {
		return err
	}
	consultant, err := find(identity.RoleConsultant)
	if err != nil {
		return err
	}
	provider, err := find(identity.RoleProviderAdmin)
	if err != nil {
		return err
	}
	if _, err := a.consent.Appoint(ctx, resident, consent.NewMandate{DelegateID: carer.ID, Kind: consent.MandateTrustedPerson,
		Scope: []string{budget.Category}}); err != nil {
		return fmt.Errorf("demo budget: %w", err)
	}
	if err := seedBudgetFlow(ctx, a, resident, consultant, provider); err != nil {
		return fmt.Errorf("demo budget: %w", err)
	}
	return nil
}

// seedBudgetFlow grants, requests, agrees and claims (see seedBudgetDemo).
func seedBudgetFlow(ctx context.Context, a *app, resident, consultant, provider identity.Person) error {
	meals, err := demoOffering(ctx, a, &provider, demoMealsOffering)
	if err != nil {
		return err
	}
	now := a.clock.Now().UTC()
	grant, err := a.budget.Grant(ctx, &consultant, budget.NewGrant{ResidentID: resident.ID, AmountCents: demoBudgetCents,
		PeriodStart: now, PeriodEnd: now.AddDate(1, 0, -1),
		LegalBasis: "Wmo 2015 artikel 2.3.6. U krijgt een persoonsgebonden budget voor hulp thuis en maaltijden, " +
			"omdat u na uw operatie niet zelf kunt koken en schoonmaken. U kiest zelf wie u helpt."}, id.Token())
	if err != nil {
		return fmt.Errorf("grant: %w", err)
	}
	req, err := a.request.Create(ctx, &resident, "", meals.ID,
		"Ik wil graag elke werkdag een warme maaltijd, betaald uit mijn budget.", request.FundingBudget)
	if err != nil {
		return fmt.Errorf("request: %w", err)
	}
	if req, err = a.request.Accept(ctx, &provider, req.ID, req.Version); err != nil {
		return fmt.Errorf("accept request: %w", err)
	}
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	ag, err := a.budget.ProposeAgreement(ctx, &provider, budget.NewAgreement{RequestID: req.ID,
		What: "Een warme maaltijd aan huis, bezorgd tussen 11.30 en 12.30 uur.", Frequency: "elke werkdag",
		UnitPriceCents: budget.Cents(meals.PriceCents), UnitsPerMonth: demoMealsPerMonth,
		From: month, Until: month.AddDate(0, demoMealMonths-1, 0)}, id.Token())
	if err != nil {
		return fmt.Errorf("propose agreement: %w", err)
	}
	if _, err := a.budget.AcceptAgreement(ctx, &resident, "", ag.ID, grant.BudgetID, id.Token()); err != nil {
		return fmt.Errorf("accept agreement: %w", err)
	}
	if _, err := a.budget.SubmitClaim(ctx, &provider, budget.NewClaim{AgreementID: ag.ID, Period: budget.PeriodOf(now),
		Description: "20 warme maaltijden bezorgd.", AmountCents: demoClaimCents}, id.Token()); err != nil {
		return fmt.Errorf("claim: %w", err)
	}
	return nil
}

// demoOffering finds a published offering of the provider's organisation
// by its title.
func demoOffering(ctx context.Context, a *app, provider *identity.Person, title string) (market.Offering, error) {
	for _, r := range provider.Roles {
		if r.Role != identity.RoleProviderAdmin {
			continue
		}
		views, err := a.market.ProviderOfferings(ctx, provider, r.OrganisationID)
		if err != nil {
			return market.Offering{}, err
		}
		for _, v := range views {
			if v.Offering.Status == market.StatusPublished && v.Offering.Title == title {
				return v.Offering, nil
			}
		}
	}
	return market.Offering{}, fmt.Errorf("the demo provider has no published offering %q", title)
}
