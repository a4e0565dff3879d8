package market

import (
	"slices"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Who may do what. A nil actor is the operator's command line for writes
// (as in the tenant service) and an anonymous visitor for reads.

// isProviderAdmin reports whether p manages the offerings of organisation org.
func isProviderAdmin(p *identity.Person, org string) bool {
	return p != nil && slices.ContainsFunc(p.Roles, func(a identity.RoleAssignment) bool {
		return a.Role == identity.RoleProviderAdmin && a.OrganisationID == org
	})
}

// approverIn reports whether p is a municipality admin of one of munis.
func approverIn(p *identity.Person, munis []string) bool {
	return p != nil && slices.ContainsFunc(munis, func(m string) bool { return p.HasIn(identity.RoleTenantAdmin, m) })
}

// staffMunicipalities returns the municipalities whose offerings awaiting
// approval p may see: where p is a municipality admin or a consultant.
func staffMunicipalities(p *identity.Person) []string {
	if p == nil {
		return nil
	}
	var out []string
	for _, a := range p.Roles {
		if (a.Role == identity.RoleTenantAdmin || a.Role == identity.RoleConsultant) && a.MunicipalityID != "" &&
			!slices.Contains(out, a.MunicipalityID) {
			out = append(out, a.MunicipalityID)
		}
	}
	return out
}

// seesProposals reports whether p may see what o's provider proposed:
// the provider's admins, and staff of a municipality it serves or would
// serve.
func seesProposals(p *identity.Person, o Offering, rev *Revision) bool {
	if isProviderAdmin(p, o.ProviderOrgID) {
		return true
	}
	staff := staffMunicipalities(p)
	served := func(munis []string) bool {
		return slices.ContainsFunc(munis, func(m string) bool { return slices.Contains(staff, m) })
	}
	if o.Status == StatusDraft {
		return false // not submitted: the provider's own
	}
	return served(o.MunicipalityIDs) || (rev != nil && served(rev.Content.MunicipalityIDs))
}
