// Package marketseed fills the marketplace with a large, realistic,
// deterministic catalogue of Dutch offerings, for demos, load tests and
// the search benchmarks: `inwonercloud market seed --count 10000`.
//
// The same count and seed always give the same texts, categories, costs,
// places and opening hours (ids and times differ). Offerings are written
// straight to the store, published, in transactions of a few hundred:
// seeding is an operator's act, not a provider's.
package marketseed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

// Store is what seeding writes to.
type Store interface {
	market.Store
	CreateOrganisation(ctx context.Context, o *tenant.Organisation) error
}

// Report says what Seed made.
type Report struct {
	Offerings, Providers, Categories int
}

// Seed writes count published offerings in the given municipalities
// (whose slugs pick the places: woerden and oudewater have their own,
// others share Woerden's), with one provider per 150 offerings (at least
// ten) and each municipality's category tree, made when it has none.
func Seed(ctx context.Context, st Store, now time.Time, munis []tenant.Municipality, count int, seed uint64) (Report, error) {
	var rep Report
	if len(munis) == 0 {
		return rep, fmt.Errorf("marketseed: no municipalities")
	}
	rng := rand.New(rand.NewPCG(seed, 0x1a2b3c))
	cats := map[string]map[string]string{} // municipality id → category name → id
	for _, m := range munis {
		got, made, err := ensureTree(ctx, st, m, now)
		if err != nil {
			return rep, err
		}
		cats[m.ID], rep.Categories = got, rep.Categories+made
	}
	provs := make([]tenant.Organisation, max(10, count/150))
	for i := range provs {
		o := tenant.Organisation{
			ID: id.New(), Kind: tenant.OrgProvider, CreatedAt: now, KvK: fmt.Sprintf("%08d", 30000000+int(seed%1000)*10000+i),
			Name: fmt.Sprintf("%s %s", providerKinds[i%len(providerKinds)], providerNames[(i/len(providerKinds)+i)%len(providerNames)]),
		}
		if i >= len(providerKinds)*len(providerNames)/2 {
			o.Name += fmt.Sprintf(" %d", i)
		}
		// Most work in every municipality given; some in one.
		for j, m := range munis {
			if rng.IntN(4) > 0 || j == i%len(munis) {
				o.MunicipalityIDs = append(o.MunicipalityIDs, m.ID)
			}
		}
		if err := st.CreateOrganisation(ctx, &o); err != nil {
			return rep, fmt.Errorf("marketseed: provider %s: %w", o.Name, err)
		}
		provs[i] = o
	}
	rep.Providers = len(provs)
	leaves := slices.DeleteFunc(slices.Clone(tree), func(c category) bool { return len(c.titles) == 0 })
	const batch = 250
	for start := 0; start < count; start += batch {
		err := st.InTx(ctx, func(ctx context.Context) error {
			for i := start; i < min(start+batch, count); i++ {
				o := offering(rng, i, leaves[rng.IntN(len(leaves))], provs[rng.IntN(len(provs))], munis, cats, now)
				if err := o.Validate(); err != nil {
					return fmt.Errorf("marketseed: offering %d %q: %w", i, o.Title, err)
				}
				if err := st.CreateOffering(ctx, &o); err != nil {
					return fmt.Errorf("marketseed: offering %d: %w", i, err)
				}
			}
			return nil
		})
		if err != nil {
			return rep, err
		}
		rep.Offerings = min(start+batch, count)
	}
	return rep, nil
}

// ensureTree gives a municipality the seeded category tree when it has no
// categories yet, and returns its categories by name.
func ensureTree(ctx context.Context, st Store, m tenant.Municipality, now time.Time) (map[string]string, int, error) {
	have, err := st.FindCategories(ctx, m.ID)
	if err != nil {
		return nil, 0, err
	}
	byName := map[string]string{}
	for _, c := range have {
		byName[c.Name] = c.ID
	}
	made := 0
	for _, c := range tree {
		if _, ok := byName[c.name]; ok {
			continue
		}
		cat := market.Category{ID: id.New(), MunicipalityID: m.ID, ParentID: byName[c.parent], Name: c.name,
			Slug: market.Slugify(c.name), CreatedAt: now}
		if err := st.CreateCategory(ctx, &cat); err != nil {
			return nil, 0, fmt.Errorf("marketseed: category %s: %w", c.name, err)
		}
		byName[c.name] = cat.ID
		made++
	}
	return byName, made, nil
}

// offering writes the i-th offering.
func offering(rng *rand.Rand, i int, c category, prov tenant.Organisation, munis []tenant.Municipality,
	cats map[string]map[string]string, now time.Time) market.Offering {
	var served []tenant.Municipality
	for _, m := range munis {
		if slices.Contains(prov.MunicipalityIDs, m.ID) && (len(served) == 0 || rng.IntN(3) == 0) {
			served = append(served, m)
		}
	}
	home := served[0]
	ps := places[home.Slug]
	if len(ps) == 0 {
		ps = places["woerden"]
	}
	pl := ps[rng.IntN(len(ps))]
	title := fmt.Sprintf(pick(rng, c.titles), pl.city)
	if rng.IntN(3) == 0 {
		title = fmt.Sprintf(pick(rng, c.titles), "– "+prov.Name)
	}
	var desc []string
	for _, j := range rng.Perm(len(c.sentences))[:2+rng.IntN(len(c.sentences)-1)] {
		desc = append(desc, c.sentences[j])
	}
	desc = append(desc, fmt.Sprintf("%s werkt in %s en omgeving.", prov.Name, pl.city))
	content := market.Content{
		Title:        strings.TrimSpace(title),
		Summary:      pick(rng, c.summaries),
		Description:  strings.Join(desc, " "),
		Eligibility:  pick(rng, eligibility),
		HowToRequest: pick(rng, howTo),
		Languages:    []string{"nl"},
		CostType:     pick(rng, c.costs),
		Kind:         market.KindProfessional,
	}
	if rng.Float64() < c.volunteer {
		content.Kind = market.KindVolunteer
	}
	if rng.IntN(8) == 0 {
		content.Languages = append(content.Languages, pick(rng, []string{"en", "ar", "tr", "pl", "uk"}))
	}
	for _, g := range rng.Perm(len(c.groups))[:1+rng.IntN(len(c.groups))] {
		content.TargetGroups = append(content.TargetGroups, c.groups[g])
	}
	if (content.CostType == market.CostPerUnit || (content.CostType == market.CostOwnBudget && rng.IntN(2) == 0)) && c.unit != "" {
		content.PriceCents = c.price[0] + rng.Int64N(c.price[1]-c.price[0]+1)
		content.PriceCents -= content.PriceCents % 5
		content.Unit = c.unit
	} else if content.CostType == market.CostPerUnit {
		content.CostType = market.CostFree
	}
	for _, m := range served {
		content.MunicipalityIDs = append(content.MunicipalityIDs, m.ID)
		content.CategoryIDs = append(content.CategoryIDs, cats[m.ID][c.name])
	}
	for n := rng.IntN(3); n > 0; n-- {
		p := ps[rng.IntN(len(ps))]
		content.Locations = append(content.Locations, market.Location{
			Address:    fmt.Sprintf("%s %d", pick(rng, streets), 1+rng.IntN(180)),
			Postcode:   fmt.Sprintf("%s %c%c", p.pc4, 'A'+rune(rng.IntN(26)), 'A'+rune(rng.IntN(26))),
			City:       p.city,
			Lat:        p.lat + (rng.Float64()-0.5)*0.012,
			Lon:        p.lon + (rng.Float64()-0.5)*0.018,
			Hours:      hours(rng),
			Wheelchair: rng.IntN(3) > 0,
		})
	}
	content.Normalize()
	checked := now.Add(-time.Duration(rng.IntN(330*24)) * time.Hour)
	return market.Offering{
		ID: id.New(), ProviderOrgID: prov.ID, ProviderName: prov.Name, Content: content, Status: market.StatusPublished,
		LastCheckedAt: checked, CreatedAt: checked, UpdatedAt: checked,
	}
}

func hours(rng *rand.Rand) market.OpeningHours {
	switch rng.IntN(6) {
	case 0:
		return nil // by appointment
	case 1:
		return market.Weekdays(8*60+30, 12*60+30)
	case 2:
		return market.OpeningHours{{Day: time.Tuesday, Opens: 13 * 60, Closes: 16 * 60}, {Day: time.Thursday, Opens: 13 * 60, Closes: 16 * 60}}
	case 3:
		h := market.Weekdays(8*60, 20*60)
		return append(h, market.Period{Day: time.Saturday, Opens: 9 * 60, Closes: 17 * 60})
	}
	return market.Weekdays(9*60, 17*60)
}

func pick[T any](rng *rand.Rand, s []T) T { return s[rng.IntN(len(s))] }
