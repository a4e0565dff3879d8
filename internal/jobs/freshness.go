package jobs

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Market is what the freshness job needs of the marketplace service.
type Market interface {
	Stale(ctx context.Context, now time.Time) ([]string, error)
	HideStale(ctx context.Context, now time.Time) ([]string, error)
	ProvidersOf(ctx context.Context, offeringIDs []string) (map[string]int, error)
	Provider(ctx context.Context, organisationID string) (market.Provider, error)
}

// Staff finds the people holding roles in a municipality; *sqlstore.DB
// is one.
type Staff interface {
	FindPersons(ctx context.Context, f identity.PersonFilter) ([]identity.Person, error)
}

// Freshness keeps the marketplace fresh: it flags the offerings nobody
// checked for market.StaleAfterMonths and mails their providers' admins,
// and hides the offerings still unchecked market.HideAfter later, mailing
// again. A mail says only how many offerings, with a link to the portal.
type Freshness struct {
	Market  Market
	Staff   Staff
	Mailer  Mailer
	Clock   clock.Clock
	BaseURL string
}

// The mail templates: mail.market_stale.* and mail.market_hidden.*.
const (
	StaleTemplate  = "market_stale"
	HiddenTemplate = "market_hidden"
)

// Name names the job in the log.
func (f *Freshness) Name() string { return "market freshness" }

// Once flags and hides what is due now and returns how many mails went
// out. An offering is flagged or hidden once, so its provider hears of it
// once per step; a mail that fails is not tried again (the portal shows
// the flag all the same), and the first error is returned.
func (f *Freshness) Once(ctx context.Context) (int, error) {
	now := f.Clock.Now()
	stale, err := f.Market.Stale(ctx, now)
	if err != nil {
		return 0, err
	}
	sent, first := f.notify(ctx, stale, StaleTemplate)
	hidden, err := f.Market.HideStale(ctx, now)
	if err != nil {
		return sent, err
	}
	n, err := f.notify(ctx, hidden, HiddenTemplate)
	if first == nil {
		first = err
	}
	return sent + n, first
}

// notify mails the admins of the providers of the offerings ids, one mail
// per admin and provider, with the number of their offerings.
func (f *Freshness) notify(ctx context.Context, ids []string, template string) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	counts, err := f.Market.ProvidersOf(ctx, ids)
	if err != nil {
		return 0, err
	}
	orgs := make([]string, 0, len(counts))
	for org := range counts {
		orgs = append(orgs, org)
	}
	slices.Sort(orgs)
	sent := 0
	var first error
	keep := func(err error) {
		if first == nil {
			first = err
		}
	}
	link := strings.TrimRight(f.BaseURL, "/") + "/aanbieder"
	for _, org := range orgs {
		admins, err := f.admins(ctx, org)
		if err != nil {
			keep(err)
			continue
		}
		for _, p := range admins {
			m := identity.Mail{To: p.Email, Locale: p.Locale, Template: template,
				Data: map[string]string{"Count": strconv.Itoa(counts[org]), "Link": link}}
			if err := f.Mailer.Send(ctx, m); err != nil {
				keep(err)
				continue
			}
			sent++
		}
	}
	return sent, first
}

// admins finds the provider admins of an organisation, through the
// municipalities it works in.
func (f *Freshness) admins(ctx context.Context, org string) ([]identity.Person, error) {
	prov, err := f.Market.Provider(ctx, org)
	if err != nil {
		return nil, err
	}
	var out []identity.Person
	seen := map[string]bool{}
	for _, m := range prov.MunicipalityIDs {
		list, err := f.Staff.FindPersons(ctx, identity.PersonFilter{MunicipalityID: m, StaffOnly: true, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, p := range list {
			if seen[p.ID] || p.DisabledAt != nil {
				continue
			}
			if slices.ContainsFunc(p.Roles, func(a identity.RoleAssignment) bool {
				return a.Role == identity.RoleProviderAdmin && a.OrganisationID == org
			}) {
				seen[p.ID] = true
				out = append(out, p)
			}
		}
	}
	return out, nil
}
