package marketseed

import "github.com/inwonercloud/inwonercloud/internal/app/market"

// category is a leaf or top-level category of the seeded tree, with the
// phrases its offerings are written from.
type category struct {
	name, parent string
	titles       []string // "%s" is a place or provider touch
	summaries    []string
	sentences    []string
	groups       []string
	costs        []market.CostType
	volunteer    float64 // share of volunteer offerings
	unit         string
	price        [2]int64 // cents, from-to, for priced offerings
}

// tree is the category tree every seeded municipality gets: top-level
// categories first, then their children.
var tree = []category{
	{name: "Wonen en huishouden"},
	{name: "Geld en schulden"},
	{name: "Meedoen"},
	{name: "Zorg en ondersteuning"},
	{name: "Jeugd en gezin"},
	{name: "Gezondheid en bewegen"},
	{name: "Vervoer", titles: []string{"Regiotaxi %s", "Rolstoelvervoer %s", "Vrijwillige chauffeurs %s", "Boodschappenbus %s", "Deeltaxi voor ouderen %s"},
		summaries: []string{"Vervoer naar de huisarts, het ziekenhuis of familie.", "Een aangepaste taxi, ook als u in een rolstoel zit.",
			"Vrijwilligers rijden u waar u heen moet.", "Samen met de bus naar de supermarkt."},
		sentences: []string{"De chauffeur helpt u bij het in- en uitstappen.", "U belt een dag van tevoren om een rit te boeken.",
			"Met een Wmo-pas reist u voor een klein bedrag.", "Een begeleider mag gratis mee.", "De bus heeft een lift voor rolstoelen en scootmobielen."},
		groups: []string{"ouderen", "mensen met een beperking", "rolstoelgebruikers"},
		costs:  []market.CostType{market.CostTailored, market.CostPerUnit, market.CostFree}, volunteer: 0.4, unit: "rit", price: [2]int64{150, 900}},
	{name: "Huishoudelijke hulp", parent: "Wonen en huishouden",
		titles:    []string{"Hulp in de huishouding %s", "Huishoudelijke ondersteuning %s", "Schoonmaakhulp %s", "Thuishulp %s", "Hulp bij het huishouden %s"},
		summaries: []string{"Wij helpen met schoonmaken, wassen en strijken als u dat zelf niet meer kunt.", "Een vaste hulp houdt uw huis schoon en op orde.", "Hulp bij het schoonhouden van uw woning."},
		sentences: []string{"Een vaste medewerker komt elke week bij u thuis.", "Zij maakt schoon, doet de was en verschoont het bed.",
			"Samen maken we een plan voor wat u zelf nog kunt.", "Lukt het huishouden tijdelijk niet, na een operatie bijvoorbeeld? Dan helpen we ook.",
			"Onze hulpen hebben een verklaring omtrent gedrag."},
		groups: []string{"ouderen", "mensen met een beperking", "mensen na een ziekenhuisopname"},
		costs:  []market.CostType{market.CostTailored, market.CostOwnBudget, market.CostPerUnit}, volunteer: 0.05, unit: "uur", price: [2]int64{1800, 3200}},
	{name: "Maaltijden", parent: "Wonen en huishouden",
		titles:    []string{"Maaltijdservice %s", "Warme maaltijd aan huis %s", "Samen eten %s", "Eettafel in de buurt %s"},
		summaries: []string{"Elke dag een warme maaltijd thuisbezorgd.", "Samen eten met buurtgenoten, een keer per week.", "Gezonde maaltijden, ook voor een dieet."},
		sentences: []string{"U kiest uit tien gerechten.", "Wij houden rekening met een dieet of allergie.", "De bezorger kijkt ook even hoe het met u gaat.",
			"Aan tafel ontmoet u andere mensen uit de wijk."},
		groups: []string{"ouderen", "alleenstaanden"},
		costs:  []market.CostType{market.CostPerUnit, market.CostOpenService}, volunteer: 0.3, unit: "maaltijd", price: [2]int64{450, 1100}},
	{name: "Woningaanpassing", parent: "Wonen en huishouden",
		titles:    []string{"Woningaanpassing %s", "Traplift en drempelhulp %s", "Hulpmiddelen in huis %s", "Klussendienst %s"},
		summaries: []string{"Een traplift of drempels weg, zodat u thuis kunt blijven wonen.", "Kleine klussen in huis door vrijwilligers.", "Advies over hulpmiddelen en aanpassingen."},
		sentences: []string{"Een ergotherapeut kijkt met u wat nodig is.", "Kleine klussen doen onze vrijwilligers gratis, u betaalt alleen het materiaal.",
			"Voor een grote aanpassing vraagt u een voorziening aan bij de gemeente."},
		groups: []string{"ouderen", "mensen met een beperking"},
		costs:  []market.CostType{market.CostTailored, market.CostFree, market.CostPerUnit}, volunteer: 0.3, unit: "klus", price: [2]int64{500, 2500}},
	{name: "Schuldhulp", parent: "Geld en schulden",
		titles:    []string{"Schuldhulpverlening %s", "Hulp bij schulden %s", "Schuldsanering en budgetbeheer %s", "Geldzorgen-spreekuur %s"},
		summaries: []string{"Samen krijgt u weer grip op uw geldzaken en schulden.", "Snel hulp als u rekeningen niet meer kunt betalen.", "Een schuldhulpverlener zoekt met u een oplossing."},
		sentences: []string{"Wij brengen uw schulden en inkomsten in kaart.", "We maken afspraken met schuldeisers.", "U komt niet op een wachtlijst: binnen drie dagen heeft u een gesprek.",
			"Schaamte is niet nodig; veel mensen hebben geldzorgen.", "Budgetbeheer betekent dat wij uw vaste lasten betalen."},
		groups: []string{"mensen met schulden", "gezinnen", "jongeren"},
		costs:  []market.CostType{market.CostFree, market.CostOpenService, market.CostTailored}, volunteer: 0.1},
	{name: "Thuisadministratie", parent: "Geld en schulden",
		titles:    []string{"Thuisadministratie %s", "Formulierenhulp %s", "Hulp bij post en papieren %s", "Budgetcursus Rondkomen %s"},
		summaries: []string{"Een vrijwilliger helpt u met post, rekeningen en formulieren.", "Hulp bij het invullen van formulieren en toeslagen.", "In vier lessen leert u uw geld te verdelen."},
		sentences: []string{"Een vrijwilliger komt bij u thuis en maakt samen met u een overzicht.", "Wij helpen met toeslagen, belasting en kwijtschelding.",
			"Zo voorkomt u dat er schulden ontstaan.", "De cursus is in een kleine groep."},
		groups: []string{"ouderen", "nieuwkomers", "mensen met weinig geld"},
		costs:  []market.CostType{market.CostFree, market.CostOpenService}, volunteer: 0.7},
	{name: "Dagbesteding", parent: "Meedoen",
		titles:    []string{"Dagbesteding %s", "Dagbesteding voor ouderen %s", "Zorgboerderij %s", "Dagbesteding jongeren %s", "Ontmoetingscentrum %s"},
		summaries: []string{"Een zinvolle dag met activiteiten voor ouderen met geheugenproblemen.", "Werken en leren in een rustige omgeving.", "Meedoen op de boerderij tussen de dieren."},
		sentences: []string{"We koken samen, wandelen en doen spelletjes.", "U bent welkom van maandag tot en met vrijdag.", "Vervoer van en naar huis kan worden geregeld.",
			"Mantelzorgers hebben zo even tijd voor zichzelf.", "Er is altijd een begeleider aanwezig."},
		groups: []string{"ouderen", "mensen met dementie", "jongeren", "mensen met een verstandelijke beperking"},
		costs:  []market.CostType{market.CostTailored, market.CostOwnBudget, market.CostOpenService}, volunteer: 0.05, unit: "dagdeel", price: [2]int64{3500, 6500}},
	{name: "Eenzaamheid", parent: "Meedoen",
		titles:    []string{"Maatjesproject %s", "Koffieochtend %s", "Huisbezoek door vrijwilligers %s", "Telefooncirkel %s", "Wandelgroep %s"},
		summaries: []string{"Een vrijwilliger komt bij u op bezoek voor een praatje of een wandeling.", "Elke week koffie en gezelligheid voor wie zich eenzaam voelt.", "Elke ochtend een telefoontje om te horen hoe het gaat."},
		sentences: []string{"Voelt u zich eenzaam? U bent niet de enige.", "Loop gewoon binnen, aanmelden hoeft niet.", "Samen met anderen iets doen geeft energie.",
			"Een maatje komt elke week langs."},
		groups: []string{"ouderen", "alleenstaanden", "nieuwkomers"},
		costs:  []market.CostType{market.CostFree, market.CostOpenService}, volunteer: 0.8},
	{name: "Taal", parent: "Meedoen",
		titles:    []string{"Taalcafé %s", "Taalmaatje %s", "Digitaal spreekuur %s", "Les in lezen en schrijven %s"},
		summaries: []string{"Oefen Nederlands praten met anderen.", "Hulp bij de computer, uw telefoon en DigiD.", "Beter leren lezen, schrijven en rekenen."},
		sentences: []string{"Elke week, gratis en zonder aanmelden.", "Een vrijwilliger oefent met u in uw eigen tempo.", "U leert veilig internetbankieren."},
		groups:    []string{"nieuwkomers", "laaggeletterden", "ouderen"},
		costs:     []market.CostType{market.CostFree, market.CostOpenService}, volunteer: 0.8},
	{name: "Mantelzorgondersteuning", parent: "Zorg en ondersteuning",
		titles:    []string{"Mantelzorgondersteuning %s", "Steunpunt mantelzorg %s", "Mantelzorgcafé %s", "Mantelzorgmakelaar %s"},
		summaries: []string{"Advies, een luisterend oor en even rust voor wie zorgt voor een naaste.", "Praktische hulp bij het regelen van zorg voor uw naaste.", "Ontmoet andere mantelzorgers."},
		sentences: []string{"De mantelzorgconsulent denkt met u mee.", "Zorgt u voor een partner, ouder of kind? Dan bent u mantelzorger.",
			"Wij helpen u de zorg vol te houden.", "Ook jonge mantelzorgers zijn welkom."},
		groups: []string{"mantelzorgers", "jonge mantelzorgers"},
		costs:  []market.CostType{market.CostOpenService, market.CostFree, market.CostOwnBudget}, volunteer: 0.3, unit: "uur", price: [2]int64{4500, 8500}},
	{name: "Respijtzorg", parent: "Zorg en ondersteuning",
		titles:    []string{"Logeeropvang %s", "Respijtzorg aan huis %s", "Weekendopvang %s"},
		summaries: []string{"Even vrij van de zorg: uw naaste logeert een weekend bij ons.", "Een vrijwilliger neemt de zorg een middag van u over."},
		sentences: []string{"Zo kunt u als mantelzorger op adem komen.", "Wij leren uw naaste eerst rustig kennen.", "Logeren kan ook met een rolstoel."},
		groups:    []string{"mantelzorgers", "mensen met dementie", "kinderen met een beperking"},
		costs:     []market.CostType{market.CostTailored, market.CostOwnBudget, market.CostFree}, volunteer: 0.4, unit: "etmaal", price: [2]int64{9000, 18000}},
	{name: "Thuisbegeleiding", parent: "Zorg en ondersteuning",
		titles:    []string{"Begeleiding thuis %s", "Ambulante begeleiding %s", "Woonbegeleiding %s"},
		summaries: []string{"Een begeleider helpt u uw dag en week te plannen.", "Ondersteuning om zelfstandig te blijven wonen."},
		sentences: []string{"We werken aan doelen die u zelf kiest.", "De begeleider komt een of twee keer per week.", "Ook hulp bij psychische klachten is mogelijk."},
		groups:    []string{"mensen met psychische klachten", "mensen met een verstandelijke beperking", "jongeren"},
		costs:     []market.CostType{market.CostTailored, market.CostOwnBudget}, volunteer: 0.02, unit: "uur", price: [2]int64{5500, 9000}},
	{name: "Jeugdhulp", parent: "Jeugd en gezin",
		titles:    []string{"Jeugdhulp %s", "Gezinscoach %s", "Jongerenwerk %s", "Speltherapie %s"},
		summaries: []string{"Hulp voor kinderen en jongeren die het moeilijk hebben.", "Een coach voor het hele gezin.", "Een plek voor jongeren om te chillen en mee te doen."},
		sentences: []string{"De jeugdhulpverlener komt bij u thuis.", "Samen met uw kind kijken we wat helpt.", "Jongeren kunnen ook zelf contact opnemen."},
		groups:    []string{"kinderen", "jongeren", "gezinnen"},
		costs:     []market.CostType{market.CostTailored, market.CostFree, market.CostOpenService}, volunteer: 0.1},
	{name: "Opvoedondersteuning", parent: "Jeugd en gezin",
		titles:    []string{"Opvoedondersteuning %s", "Opvoedspreekuur %s", "Cursus Positief Opvoeden %s"},
		summaries: []string{"Vragen over opvoeden? Een pedagoog helpt u.", "Tips voor ouders van peuters en pubers."},
		sentences: []string{"Voor ouders van kinderen tot 18 jaar.", "Een gesprek is gratis en u hoeft geen verwijzing te hebben.", "In de cursus oefent u met andere ouders."},
		groups:    []string{"ouders", "gezinnen"},
		costs:     []market.CostType{market.CostFree, market.CostOpenService}, volunteer: 0.1},
	{name: "Bewegen", parent: "Gezondheid en bewegen",
		titles:    []string{"Beweegprogramma %s", "Valpreventie %s", "Gym voor ouderen %s", "Wandelgroep %s"},
		summaries: []string{"Oefeningen voor ouderen om vallen te voorkomen.", "Samen bewegen in een kleine groep.", "Elke week wandelen door de polder."},
		sentences: []string{"Onder begeleiding van een fysiotherapeut.", "U oefent kracht en evenwicht.", "Bewegen is goed voor lichaam en geest."},
		groups:    []string{"ouderen", "mensen met overgewicht"},
		costs:     []market.CostType{market.CostOpenService, market.CostPerUnit, market.CostFree}, volunteer: 0.3, unit: "les", price: [2]int64{300, 900}},
}

// places where seeded offerings are given, per municipality slug.
var places = map[string][]place{
	"woerden": {
		{"Woerden", "3441", 52.0857, 4.8833}, {"Woerden", "3443", 52.0905, 4.8735}, {"Woerden", "3445", 52.0800, 4.8950},
		{"Woerden", "3446", 52.0790, 4.8620}, {"Harmelen", "3481", 52.0897, 4.9628}, {"Kamerik", "3471", 52.1110, 4.8950},
		{"Zegveld", "3474", 52.1150, 4.8380},
	},
	"oudewater": {{"Oudewater", "3421", 52.0246, 4.8686}, {"Hekendorp", "3467", 52.0400, 4.8200}},
}

type place struct {
	city, pc4 string
	lat, lon  float64
}

var streets = []string{"Kerkstraat", "Rijnstraat", "Molenvliet", "Schilderslaan", "Hoge Rijndijk", "Stationsweg", "Wilhelminaweg",
	"Kapellestraat", "Dorpsstraat", "Lindenlaan", "Jozef Israëlslaan", "Populierenlaan", "Kruisweg", "Havenstraat"}

var providerKinds = []string{"Stichting", "Zorggroep", "Welzijnsorganisatie", "Thuiszorg", "Vereniging", "Coöperatie", "Praktijk"}
var providerNames = []string{"Rijnzicht", "De Brug", "Groene Hart", "Lange Linschoten", "Polderkracht", "Het Anker", "De Wissel",
	"Kaasmarkt", "Oude Rijn", "Lopikerwaard", "Het Bolwerk", "De Kapel", "Zonnehof", "Ons Dorp", "De Schakel", "Hollandse IJssel",
	"Buurtkracht", "Samen Thuis", "De Molen", "Het Baken"}

var howTo = []string{
	"Bel ons of stuur een e-mail. Wij bellen u binnen twee werkdagen terug.",
	"Meld u aan via het sociaal team van de gemeente.",
	"Loop binnen tijdens de openingstijden.",
	"Vraag een voorziening aan bij de gemeente; daarna maken wij een afspraak met u.",
}

var eligibility = []string{
	"Voor inwoners van de gemeente.",
	"U heeft een beschikking van de gemeente nodig.",
	"Voor iedereen, zonder verwijzing.",
	"Voor inwoners met een laag inkomen.",
	"",
}
