package market

import "strings"

// Dutch writes compounds as one word: schuldhulpverlening, mantelzorg,
// dagbesteding. A resident who types "schulden" or "mantelzorger" should
// find them. Splitting any word into any dictionary words gives false
// splits (be+geleiding), so a word is split only when every part is in
// this lexicon of the social domain's building blocks, each part at least
// three letters long, with an optional linking "s" or "en" between parts
// (vrijwilliger-s-werk). Unknown compounds stay whole and still match
// themselves. Grow the lexicon when a search-quality test asks for it.
//
// An entry "a=b" maps part a to b, so that words for the person and for
// the service meet: hulpverlener and hulpverlening, mantelzorger and
// mantelzorg.
var lexicon, lexiconStems = loadLexicon(`
	activiteit activiteiten adviseur advies administratie alarm armoede aanpassing bank begeleiding
	begeleider=begeleiding beheer beweeg beweging besteding bestrijding boodschap boodschappen budget buurt
	bus cafe centrum coach coaching computer contact crisis cursus dag deel dementie dienst energie fonds
	formulier formulieren geld gezin groep handicap hulp huis huishoud jeugd jongeren kind
	kinder kleding klus klussen leer les lift loket logeer lotgenoten maatje maatjes maaltijd maaltijden
	makelaar mantel middel middelen nacht netwerk ondersteuning opvang opvoed opvoeding oppas ouderen pakket
	pleeg preventie programma project punt regio respijt rolstoel rouw sanering schoonmaak school schuld
	schulden service spel sport spreekuur steun taal taxi team therapie thuis training traject trap tuin
	verlening verlener=verlening verslaving vervoer verwerking voedsel voorziening vrijwilliger wandel welzijn
	werk werker=werk wijk woning woon zaken zorg zorger=zorg`)

func loadLexicon(s string) (map[string]string, map[string]string) {
	lex, stems := map[string]string{}, map[string]string{}
	for _, e := range strings.Fields(s) {
		word, canon, ok := strings.Cut(e, "=")
		if !ok {
			canon = word
		}
		lex[word] = canon
	}
	for word, canon := range lex {
		stems[stem(word)] = canon
	}
	return lex, stems
}

const (
	minCompound = 6 // shorter words are not split
	minPart     = 3
)

// splitCompound returns the parts of w (folded) when every part is in the
// lexicon, or nil. A part is returned in its canonical form.
func splitCompound(w string) []string {
	if len(w) < minCompound {
		return nil
	}
	return split(w, 0)
}

func split(w string, depth int) []string {
	if depth > 4 {
		return nil
	}
	// Longest head first: "schuldenvrij" is schulden+vrij before schuld+en+vrij.
	for i := len(w) - minPart; i >= minPart; i-- {
		head, ok := lexicon[w[:i]]
		if !ok {
			continue
		}
		rest := w[i:]
		for _, link := range [...]string{"", "s", "en"} {
			if !strings.HasPrefix(rest, link) || len(rest)-len(link) < minPart {
				continue
			}
			r := rest[len(link):]
			if tail, ok := lexiconTail(r); ok {
				return []string{head, tail}
			}
			if sub := split(r, depth+1); sub != nil {
				return append([]string{head}, sub...)
			}
		}
	}
	return nil
}

// lexiconTail reports whether r is a lexicon word, inflected or not
// (verleners, maaltijden), and returns its canonical form.
func lexiconTail(r string) (string, bool) {
	if c, ok := lexicon[r]; ok {
		return c, true
	}
	c, ok := lexiconStems[stem(r)]
	return c, ok
}
