package market

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/dutch"
	"golang.org/x/text/unicode/norm"
)

// Text analysis for Dutch search. It runs in Go, for the in-process index
// and for the documents stored for SQLite FTS5 and PostgreSQL alike, so
// both databases and the index see exactly the same terms:
//
//  1. fold: Unicode NFD, combining marks dropped (é → e, ë → e, the
//     ligature ĳ → ij), lower case;
//  2. split on everything that is not a letter or digit;
//  3. drop Dutch stop words (the Snowball Dutch list);
//  4. stem with the Snowball Dutch stemmer, then even out three spelling
//     alternations it leaves: a doubled final consonant (gezinn → gezin,
//     boodschapp → boodschap), a doubled vowel before the final consonant
//     (financieel → financiel, as financiële stems), and final z/v for s/f
//     (huiz → huis, briev → brief);
//  5. split compounds whose every part is in a small lexicon of the social
//     domain (schuldhulpverlening → schuld + hulp + verlening), see
//     compound.go. The parts are added beside the whole word.
//
// Stemming makes "huishoudelijke hulp" and "hulp in de huishouding" share
// the terms huishoud and hulp; compounds make "schulden" find
// "schuldhulpverlening".

// token is one analysed word: its stem and, for a compound, the stems of
// its parts.
type token struct {
	stem  string
	parts []string
}

// analyze returns the tokens of s in order.
func analyze(s string) []token {
	var out []token
	for _, w := range words(s) {
		if stopwords[w] || len(w) < 2 {
			continue
		}
		out = append(out, wordToken(w))
	}
	return out
}

// wordToken analyses one folded word, from a cache: a catalogue of ten
// thousand offerings has a few thousand distinct words.
func wordToken(w string) token {
	if t, ok := tokenCache.Load(w); ok {
		return t.(token)
	}
	t := token{stem: stem(w)}
	for _, p := range splitCompound(w) {
		if s := stem(p); s != t.stem {
			t.parts = append(t.parts, s)
		}
	}
	if tokenCacheSize.Load() < maxTokenCache {
		tokenCacheSize.Add(1)
		tokenCache.Store(w, t)
	}
	return t
}

var (
	tokenCache     sync.Map // folded word → token; capped, as queries bring new words
	tokenCacheSize atomic.Int64
)

const maxTokenCache = 200_000

// Terms returns the search terms of s as stored in the search documents:
// each word's stem, followed by its compound parts' stems.
func Terms(s string) []string {
	var out []string
	for _, t := range analyze(s) {
		out = append(out, t.stem)
		out = append(out, t.parts...)
	}
	return out
}

// fold returns s without diacritics, in lower case.
func fold(s string) string {
	s = strings.ReplaceAll(s, "ĳ", "ij")
	s = strings.ReplaceAll(s, "Ĳ", "ij")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// words returns the folded words of s.
func words(s string) []string {
	return strings.FieldsFunc(fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// stem returns the stem of a folded word.
func stem(w string) string {
	if len(w) <= 3 || isDigits(w) {
		return w
	}
	env := snowballstem.NewEnv(w)
	dutch.Stem(env)
	return evenOut(env.Current())
}

func isDigits(s string) bool {
	return strings.Trim(s, "0123456789") == ""
}

func isVowel(b byte) bool { return strings.IndexByte("aeiouy", b) >= 0 }

// evenOut removes the spelling alternations the Snowball stemmer leaves.
func evenOut(s string) string {
	n := len(s)
	if n < 4 {
		return s
	}
	// gezinn → gezin
	if s[n-1] == s[n-2] && !isVowel(s[n-1]) {
		s, n = s[:n-1], n-1
	}
	// financieel → financiel; not in a two-letter-vowel word like "zee"
	if n >= 4 && !isVowel(s[n-1]) && isVowel(s[n-2]) && s[n-2] == s[n-3] && s[n-2] != 'i' {
		s, n = s[:n-3]+s[n-2:], n-1
	}
	switch s[n-1] {
	case 'z':
		s = s[:n-1] + "s"
	case 'v':
		s = s[:n-1] + "f"
	}
	return s
}

// stopwords is the Snowball Dutch stop word list.
var stopwords = setOf(`aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door
	dus een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is
	ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook
	op over reeds te tegen toch toen tot u uit uw van veel voor want waren was wat werd wezen wie wil worden
	wordt zal ze zelf zich zij zijn zo zonder zou`)

func setOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}
