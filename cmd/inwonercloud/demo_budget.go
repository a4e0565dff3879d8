package main

import (
	"context"
	"fmt"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/seed"
)

// seedBudgetDemo lets the demo's trusted person (the mantelzorger) manage
// the demo resident's budget: the resident appoints him with a mandate
// whose scope is the budget, as a resident would on the mandate pages.
// The budget itself is granted by the demo consultant on the site.
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
	if _, err := a.consent.Appoint(ctx, resident, consent.NewMandate{DelegateID: carer.ID, Kind: consent.MandateTrustedPerson,
		Scope: []string{budget.Category}}); err != nil {
		return fmt.Errorf("demo budget: %w", err)
	}
	return nil
}
