package market_test

import (
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
)

// entry is one offering of the search-quality corpus.
type entry struct {
	key      string
	provider string // "gh" Groene Hart, "li" De Linie
	areas    string // "w" Woerden, "o" Oudewater, "wo" both
	cat      string // category slug (in every area)
	title    string
	summary  string
	desc     string
	groups   []string
	cost     market.CostType
	price    int64
	unit     string
	kind     market.Kind
	locs     []market.Location
}

var (
	woerdenCentrum = market.Location{Address: "Kerkplein 1", Postcode: "3441 BG", City: "Woerden", Lat: 52.0860, Lon: 4.8837, Hours: officeHours, Wheelchair: true}
	woerdenWest    = market.Location{Address: "Steinhagenseweg 2", Postcode: "3446 JA", City: "Woerden", Hours: market.OpeningHours{{Day: time.Tuesday, Opens: 9 * 60, Closes: 12 * 60}}}
	harmelen       = market.Location{Address: "Dorpsstraat 10", Postcode: "3481 EK", City: "Harmelen", Lat: 52.0897, Lon: 4.9628, Hours: officeHours}
	oudewaterLoc   = market.Location{Address: "Kapellestraat 2", Postcode: "3421 AB", City: "Oudewater", Lat: 52.0246, Lon: 4.8686, Hours: market.Weekdays(13*60, 17*60), Wheelchair: true}
	eveningOnly    = market.Location{Address: "Wilhelminaweg 5", Postcode: "3442 AA", City: "Woerden", Hours: market.OpeningHours{{Day: time.Thursday, Opens: 19 * 60, Closes: 21 * 60}}}
)

// corpus is a small, realistic catalogue with near misses, so that the
// quality tests show ranking, not just matching.
var corpus = []entry{
	{key: "huishouding", provider: "gh", areas: "w", cat: "huishoudelijke-hulp", title: "Hulp in de huishouding",
		summary: "Wij helpen met schoonmaken, wassen en strijken als u dat zelf niet meer kunt.",
		desc:    "Een vaste hulp komt elke week bij u thuis. Zij maakt schoon, doet de was en houdt het huis op orde.",
		groups:  []string{"ouderen", "mensen met een beperking"}, cost: market.CostTailored, kind: market.KindProfessional,
		locs: []market.Location{woerdenCentrum}},
	{key: "schoonmaak", provider: "li", areas: "w", cat: "huishoudelijke-hulp", title: "Schoonmaakhulp aan huis",
		summary: "Een schoonmaker voor een paar uur per week, betaald uit uw eigen budget.",
		desc:    "Voor wie zelf de hulp regelt en betaalt. U kiest zelf de tijden.", cost: market.CostOwnBudget, price: 2450, unit: "uur",
		kind: market.KindProfessional},
	{key: "huishouding-oude", provider: "gh", areas: "o", cat: "huishoudelijke-hulp", title: "Huishoudelijke ondersteuning Oudewater",
		summary: "Hulp bij het schoonhouden van uw huis in Oudewater.", desc: "Onze medewerkers helpen u met het huishouden.",
		cost: market.CostTailored, kind: market.KindProfessional, locs: []market.Location{oudewaterLoc}},
	{key: "schuldhulp", provider: "gh", areas: "wo", cat: "schuldhulp", title: "Schuldhulpverlening",
		summary: "Samen krijgt u weer grip op uw geldzaken en schulden.",
		desc:    "Een schuldhulpverlener brengt uw schulden in kaart en zoekt met u naar een oplossing, zoals een regeling met schuldeisers.",
		cost:    market.CostFree, kind: market.KindProfessional, locs: []market.Location{woerdenCentrum}},
	{key: "administratie", provider: "li", areas: "w", cat: "thuisadministratie", title: "Thuisadministratie door vrijwilligers",
		summary: "Een vrijwilliger helpt u met post, rekeningen en formulieren.",
		desc:    "Heeft u moeite met uw papieren? Een vrijwilliger komt bij u thuis en maakt samen met u een overzicht, zodat er geen schulden ontstaan.",
		cost:    market.CostFree, kind: market.KindVolunteer},
	{key: "budgetcursus", provider: "gh", areas: "w", cat: "schuldhulp", title: "Cursus Rondkomen",
		summary: "In vier lessen leert u hoe u uw geld verdeelt over de maand.", desc: "Voor iedereen die wil leren budgetteren.",
		cost: market.CostOpenService, kind: market.KindProfessional, locs: []market.Location{eveningOnly}},
	{key: "dagbesteding-ouderen", provider: "li", areas: "w", cat: "dagbesteding", title: "Dagbesteding De Linie voor ouderen",
		summary: "Een zinvolle dag met activiteiten voor ouderen met geheugenproblemen.",
		desc:    "U bent welkom van maandag tot en met vrijdag. We koken samen, wandelen en doen spelletjes.",
		groups:  []string{"ouderen", "mensen met dementie"}, cost: market.CostTailored, kind: market.KindProfessional,
		locs: []market.Location{woerdenCentrum}},
	{key: "dagbesteding-jongeren", provider: "li", areas: "w", cat: "dagbesteding", title: "Dagbesteding voor jongeren met autisme",
		summary: "Werken en leren in een rustige omgeving.", desc: "Jongeren doen mee in onze fietsenwerkplaats.",
		groups: []string{"jongeren"}, cost: market.CostTailored, kind: market.KindProfessional, locs: []market.Location{harmelen}},
	{key: "maatje", provider: "gh", areas: "wo", cat: "eenzaamheid", title: "Maatjesproject",
		summary: "Een vrijwilliger komt bij u op bezoek voor een praatje of een wandeling.",
		desc:    "Voelt u zich eenzaam? Een maatje komt elke week langs.", cost: market.CostFree, kind: market.KindVolunteer},
	{key: "koffie", provider: "li", areas: "w", cat: "eenzaamheid", title: "Koffieochtend in het buurthuis",
		summary: "Elke dinsdag koffie en gezelligheid voor wie zich eenzaam voelt of nieuwe mensen wil ontmoeten.",
		desc:    "Loop gewoon binnen.", cost: market.CostOpenService, kind: market.KindVolunteer, locs: []market.Location{woerdenWest}},
	{key: "rolstoeltaxi", provider: "gh", areas: "wo", cat: "vervoer", title: "Rolstoelvervoer met de regiotaxi",
		summary: "Vervoer met een aangepaste taxi, ook als u in een rolstoel zit.",
		desc:    "Met een Wmo-pas reist u voor een klein bedrag in de regio.", cost: market.CostTailored, kind: market.KindProfessional},
	{key: "chauffeurs", provider: "li", areas: "w", cat: "vervoer", title: "Vrijwillige chauffeurs",
		summary: "Vrijwilligers rijden u naar het ziekenhuis of de huisarts.",
		desc:    "U betaalt alleen een vergoeding per kilometer.", cost: market.CostPerUnit, price: 35, unit: "kilometer",
		kind: market.KindVolunteer},
	{key: "mantelzorg", provider: "gh", areas: "wo", cat: "mantelzorg", title: "Mantelzorgondersteuning",
		summary: "Advies, een luisterend oor en even rust voor wie zorgt voor een naaste.",
		desc:    "De mantelzorgconsulent denkt met u mee.", groups: []string{"mantelzorgers"}, cost: market.CostOpenService,
		kind: market.KindProfessional, locs: []market.Location{woerdenCentrum}},
	{key: "logeren", provider: "li", areas: "w", cat: "mantelzorg", title: "Logeeropvang in het weekend",
		summary: "Even vrij van de zorg: uw naaste logeert een weekend bij ons.",
		desc:    "Respijtzorg zodat u als mantelzorger op adem kunt komen.", cost: market.CostTailored, kind: market.KindProfessional},
	{key: "jeugd", provider: "gh", areas: "w", cat: "jeugd-en-gezin", title: "Opvoedondersteuning voor ouders",
		summary: "Vragen over opvoeden? Een jeugdhulpverlener helpt u.", desc: "Voor ouders van kinderen tot 18 jaar.",
		groups: []string{"ouders", "jeugd"}, cost: market.CostFree, kind: market.KindProfessional},
	{key: "maaltijd", provider: "gh", areas: "w", cat: "maaltijden", title: "Maaltijdservice",
		summary: "Elke dag een warme maaltijd thuisbezorgd.", desc: "U kiest uit tien gerechten.",
		cost: market.CostPerUnit, price: 795, unit: "maaltijd", kind: market.KindProfessional},
	{key: "taalcafe", provider: "li", areas: "w", cat: "taal", title: "Taalcafé",
		summary: "Oefen Nederlands praten met anderen.", desc: "Elke week, gratis.", cost: market.CostFree, kind: market.KindVolunteer},
	{key: "traplift", provider: "gh", areas: "w", cat: "woningaanpassing", title: "Woningaanpassing",
		summary: "Een traplift of drempels weg, zodat u thuis kunt blijven wonen.", desc: "Aan te vragen bij de gemeente.",
		cost: market.CostTailored, kind: market.KindProfessional},
	{key: "bewegen", provider: "li", areas: "w", cat: "gezondheid-en-bewegen", title: "Beweegprogramma Valpreventie",
		summary: "Oefeningen voor ouderen om vallen te voorkomen.", desc: "In kleine groepen.",
		groups: []string{"ouderen"}, cost: market.CostOpenService, kind: market.KindProfessional},
}

// loadCorpus publishes the corpus and returns the ids by key.
func (k *kit) loadCorpus(t *testing.T) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for _, e := range corpus {
		c := market.Content{Title: e.title, Summary: e.summary, Description: e.desc, TargetGroups: e.groups,
			HowToRequest: "Bel of mail ons.", CostType: e.cost, PriceCents: e.price, Unit: e.unit, Kind: e.kind, Locations: e.locs}
		admin, org, approver := k.groeneHartAdmin, k.groeneHart, k.woerdenAdmin
		if e.provider == "li" {
			admin, org = k.linieAdmin, k.linie
		}
		for _, a := range e.areas {
			switch a {
			case 'w':
				c.MunicipalityIDs = append(c.MunicipalityIDs, k.woerden.ID)
				c.CategoryIDs = append(c.CategoryIDs, k.cat[e.cat].ID)
			case 'o':
				c.MunicipalityIDs = append(c.MunicipalityIDs, k.oudewater.ID)
				c.CategoryIDs = append(c.CategoryIDs, k.oudeCat[e.cat].ID)
			}
		}
		if e.areas == "o" {
			approver = k.oudeAdmin
		}
		ids[e.key] = k.publish(t, admin, org, c, approver).ID
	}
	return ids
}
