package main

import (
	"context"
	"fmt"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/app/review"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/seed"
)

// demoReviewers are residents of Woerden who used the demo provider's
// offerings and rated them. They are background people, not demo
// accounts: they have no password, so nobody logs in as them, and their
// names show only to the provider (reviews show a pseudonym or
// "anonymous").
var demoReviewers = []struct{ email, name string }{
	{"kees.jansen@demo.inwonercloud.nl", "Kees Jansen"},
	{"mieke.vandam@demo.inwonercloud.nl", "Mieke van Dam"},
	{"ahmed.yilmaz@demo.inwonercloud.nl", "Ahmed Yilmaz"},
}

// demoReview is one seeded review: which reviewer, of which offering of
// the demo provider (by its title in demo_portal.go), with what.
type demoReview struct {
	reviewer int
	offering string
	content  review.Content
	reply    string // the provider's reply, "" for none
}

var demoReviews = []demoReview{
	{0, demoHousehold, review.Content{Overall: 5, Information: 4, Treatment: 5, Result: 5, Recommend: true,
		Text:    "Na mijn heupoperatie kwam er elke week dezelfde vriendelijke hulp. Mijn huis is weer schoon en ik hoef me geen zorgen te maken.",
		Display: review.DisplayPseudonym, Pseudonym: "Zonnebloem"},
		"Dank u wel voor uw mooie woorden. We geven ze door aan het team."},
	{1, demoHousehold, review.Content{Overall: 4, Information: 3, Treatment: 5, Result: 4, Recommend: true,
		Text:    "Goede hulp en altijd op tijd. Het duurde wel twee weken voor de eerste afspraak er was.",
		Display: review.DisplayAnonymous}, ""},
	{2, demoHousehold, review.Content{Overall: 4, Information: 4, Treatment: 4, Result: 4, Recommend: true,
		Text:    "Fijn dat de hulp ook de was en het bed doet. Bij ziekte kwam er een vervanger.",
		Display: review.DisplayPseudonym, Pseudonym: "Fietser uit Harmelen"}, ""},
	{0, demoMeals, review.Content{Overall: 3, Information: 2, Treatment: 4, Result: 3, Recommend: false,
		Text:    "Het eten is lekker, maar het menu wisselt weinig en het kwam twee keer te laat.",
		Display: review.DisplayPseudonym, Pseudonym: "Zonnebloem"}, ""},
	{1, demoMeals, review.Content{Overall: 2, Information: 2, Treatment: 3, Result: 2, Recommend: false,
		Text:    "De maaltijden waren vaak lauw als ze aankwamen. Ik ben ermee gestopt.",
		Display: review.DisplayAnonymous}, ""},
}

// The demo provider's published offerings (demo_portal.go).
const (
	demoHousehold = "Huishoudelijke hulp van Het Groene Hart"
	demoMeals     = "Warme maaltijd van Het Groene Hart"
)

// seedReviews gives the demo provider's two published offerings published
// reviews, so the offering pages show ratings and "sort by rating" has
// something to sort: the household help rates well, the meals poorly
// (below offerings without reviews). Each goes the real way: a reviewer
// requests the offering, the provider admin accepts and delivers it, the
// reviewer rates it and the demo moderator approves the text; one review
// gets a reply from the provider, approved as well. The demo resident's
// own delivered request (requestseed) is left for them to rate.
func seedReviews(ctx context.Context, a *app) error {
	woerden, err := a.tenants.MunicipalityBySlug(ctx, "woerden")
	if err != nil {
		return fmt.Errorf("demo reviews: %w", err)
	}
	accounts := map[identity.Role]identity.Person{}
	for _, acc := range seed.Accounts {
		if acc.Role != identity.RoleProviderAdmin && acc.Role != identity.RoleModerator {
			continue
		}
		p, err := a.db.FindPersonByEmail(ctx, acc.Email)
		if err != nil {
			return fmt.Errorf("demo reviews: %w", err)
		}
		accounts[acc.Role] = p
	}
	admin, mod := accounts[identity.RoleProviderAdmin], accounts[identity.RoleModerator]
	var org string
	for _, r := range admin.Roles {
		if r.Role == identity.RoleProviderAdmin {
			org = r.OrganisationID
		}
	}
	views, err := a.market.ProviderOfferings(ctx, &admin, org)
	if err != nil {
		return fmt.Errorf("demo reviews: %w", err)
	}
	offerings := map[string]market.Offering{}
	for _, v := range views {
		if v.Offering.Status == market.StatusPublished {
			offerings[v.Offering.Title] = v.Offering
		}
	}
	reviewers := make([]identity.Person, len(demoReviewers))
	for i, r := range demoReviewers {
		if reviewers[i], err = demoResident(ctx, a, woerden, r.email, r.name); err != nil {
			return err
		}
	}
	for _, d := range demoReviews {
		o, ok := offerings[d.offering]
		if !ok {
			return fmt.Errorf("demo reviews: the demo provider has no published offering %q", d.offering)
		}
		if err := seedReview(ctx, a, reviewers[d.reviewer], admin, mod, o, d); err != nil {
			return fmt.Errorf("demo reviews: %s: %w", d.offering, err)
		}
	}
	return nil
}

// demoResident stores a resident of Woerden without a password. It goes
// to the store, not the identity service: that would hash a password
// (slow on purpose) or mail an invitation, and neither is wanted here.
func demoResident(ctx context.Context, a *app, woerden tenant.Municipality, email, name string) (identity.Person, error) {
	now := a.clock.Now()
	p := identity.Person{ID: id.New(), Email: email, DisplayName: name, HomeMunicipalityID: woerden.ID, Locale: "nl",
		CreatedAt: now, UpdatedAt: now, EmailVerifiedAt: &now}
	err := a.db.InTx(ctx, func(ctx context.Context) error {
		if err := a.db.CreatePerson(ctx, &p); err != nil {
			return err
		}
		r := identity.RoleAssignment{ID: id.New(), PersonID: p.ID, Role: identity.RoleCitizen, MunicipalityID: woerden.ID, CreatedAt: now}
		if err := a.db.AddRole(ctx, &r); err != nil {
			return err
		}
		p.Roles = append(p.Roles, r)
		return nil
	})
	if err != nil {
		return identity.Person{}, fmt.Errorf("demo reviews: resident %s: %w", email, err)
	}
	return p, nil
}

// seedReview has the reviewer request o, the provider deliver it, the
// reviewer rate it and the moderator approve the review (and the reply).
func seedReview(ctx context.Context, a *app, reviewer, admin, mod identity.Person, o market.Offering, d demoReview) error {
	funding := request.FundingUnknown
	if f := request.FundingsFor(o.CostType); len(f) > 1 {
		funding = request.FundingSelf
	}
	r, err := a.request.Create(ctx, &reviewer, "", o.ID, "Ik zou graag hulp willen. Kunt u contact met mij opnemen?", funding)
	if err != nil {
		return err
	}
	if r, err = a.request.Accept(ctx, &admin, r.ID, r.Version); err != nil {
		return err
	}
	if r, err = a.request.Deliver(ctx, &admin, r.ID, r.Version); err != nil {
		return err
	}
	rv, err := a.review.Create(ctx, review.Actor{Person: reviewer}, r.ID, d.content)
	if err != nil {
		return err
	}
	if err := approvePending(ctx, a, mod, rv.ID); err != nil {
		return err
	}
	if d.reply == "" {
		return nil
	}
	if err := a.review.Reply(ctx, admin, rv.ID, d.reply); err != nil {
		return err
	}
	return approvePending(ctx, a, mod, rv.ID)
}

// approvePending has the moderator approve the text of a review that
// awaits moderation.
func approvePending(ctx context.Context, a *app, mod identity.Person, reviewID string) error {
	q, err := a.review.Queue(ctx, mod)
	if err != nil {
		return err
	}
	for _, it := range q {
		if it.Submission.ReviewID == reviewID {
			return a.review.Approve(ctx, mod, it.Submission.ID)
		}
	}
	return fmt.Errorf("review %s awaits no moderator", reviewID)
}
