// Package requestseed gives the demo a few requests, so that the
// resident's and the provider's pages and the reviews have something to
// show: the demo resident (seed.Accounts' first citizen) asked the demo
// provider (the provider admin's organisation) for two of its published
// offerings; one is delivered, one waits for an answer. Everything goes
// through the request service, as the people themselves would do it, so
// the consent grant and the access log are real.
package requestseed

import (
	"context"
	"fmt"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/seed"
)

// People finds the demo accounts.
type People interface {
	FindPersonByEmail(ctx context.Context, email string) (identity.Person, error)
}

// Demo makes the demo requests. It needs the demo accounts and the demo
// provider's published offerings (at least one); it makes nothing and
// says so when they are missing.
func Demo(ctx context.Context, svc *request.Service, offerings *market.Service, people People) error {
	var residentEmail, providerEmail string
	for _, a := range seed.Accounts {
		if a.Role == identity.RoleCitizen && residentEmail == "" {
			residentEmail = a.Email
		}
		if a.Role == identity.RoleProviderAdmin && providerEmail == "" {
			providerEmail = a.Email
		}
	}
	resident, err := people.FindPersonByEmail(ctx, residentEmail)
	if err != nil {
		return fmt.Errorf("demo requests: resident: %w", err)
	}
	admin, err := people.FindPersonByEmail(ctx, providerEmail)
	if err != nil {
		return fmt.Errorf("demo requests: provider admin: %w", err)
	}
	var org string
	for _, r := range admin.Roles {
		if r.Role == identity.RoleProviderAdmin {
			org = r.OrganisationID
			break
		}
	}
	views, err := offerings.ProviderOfferings(ctx, &admin, org)
	if err != nil {
		return fmt.Errorf("demo requests: offerings: %w", err)
	}
	var published []market.Offering
	for _, v := range views {
		if v.Offering.Status == market.StatusPublished {
			published = append(published, v.Offering)
		}
	}
	if len(published) == 0 {
		return fmt.Errorf("demo requests: the demo provider has no published offering")
	}
	ask := func(o market.Offering, message string) (request.Request, error) {
		funding := request.FundingUnknown
		if f := request.FundingsFor(o.CostType); len(f) > 1 {
			funding = request.FundingSelf
		}
		return svc.Create(ctx, &resident, "", o.ID, message, funding)
	}
	done, err := ask(published[0], "Ik kan sinds mijn operatie niet goed bukken. Kunt u mij een paar weken helpen?")
	if err != nil {
		return fmt.Errorf("demo requests: %w", err)
	}
	if done, err = svc.Accept(ctx, &admin, done.ID, done.Version); err != nil {
		return fmt.Errorf("demo requests: accept: %w", err)
	}
	if _, err = svc.Deliver(ctx, &admin, done.ID, done.Version); err != nil {
		return fmt.Errorf("demo requests: deliver: %w", err)
	}
	waiting := published[len(published)-1]
	if _, err := ask(waiting, "Ik wil dit graag proberen. Dinsdag en donderdag komen mij het beste uit."); err != nil {
		return fmt.Errorf("demo requests: %w", err)
	}
	return nil
}
