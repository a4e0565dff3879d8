// Package i18n translates message keys into Dutch (the default, at B1
// level) and English, from the catalogues embedded in locales/.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales/*.toml
var locales embed.FS

// Languages are the supported languages, the default first.
var Languages = []string{"nl", "en"}

var matcher = language.NewMatcher([]language.Tag{language.Dutch, language.English})

// Catalog holds the messages of every language.
type Catalog struct {
	bundle     *goi18n.Bundle
	localizers map[string]*goi18n.Localizer
	keys       map[string]map[string]bool
}

// Load reads the embedded catalogues: every locales/<part>.<lang>.toml,
// one part per area of the product (core, api, story, …).
func Load() (*Catalog, error) {
	b := goi18n.NewBundle(language.Dutch)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &Catalog{bundle: b, localizers: map[string]*goi18n.Localizer{}, keys: map[string]map[string]bool{}}
	for _, lang := range Languages {
		c.keys[lang] = map[string]bool{}
	}
	files, err := fs.Glob(locales, "locales/*.toml")
	if err != nil {
		return nil, err
	}
	for _, name := range files {
		parts := strings.Split(path.Base(name), ".")
		if len(parts) != 3 || !Supported(parts[1]) {
			return nil, fmt.Errorf("i18n: %s: want <part>.<lang>.toml with lang nl or en", name)
		}
		f, err := b.LoadMessageFileFS(locales, name)
		if err != nil {
			return nil, fmt.Errorf("i18n: %w", err)
		}
		for _, m := range f.Messages {
			if c.keys[parts[1]][m.ID] {
				return nil, fmt.Errorf("i18n: %s: key %q is defined twice", name, m.ID)
			}
			c.keys[parts[1]][m.ID] = true
		}
	}
	for _, lang := range Languages {
		c.localizers[lang] = goi18n.NewLocalizer(b, lang)
	}
	return c, nil
}

// Keys returns the message keys of a language.
func (c *Catalog) Keys(lang string) map[string]bool { return c.keys[lang] }

// T translates key into lang, filling in data (a map or struct for the
// message's {{.Field}} placeholders). A missing key is shown as the key
// itself, so it is noticed rather than hidden; a test keeps them complete.
func (c *Catalog) T(lang, key string, data any) string {
	l, ok := c.localizers[lang]
	if !ok {
		l = c.localizers["nl"]
	}
	s, err := l.Localize(&goi18n.LocalizeConfig{MessageID: key, TemplateData: data})
	if err != nil {
		return key
	}
	return s
}

// Has reports whether key exists in lang.
func (c *Catalog) Has(lang, key string) bool { return c.keys[lang][key] }

// Match picks a supported language from an Accept-Language header; Dutch
// when nothing matches.
func Match(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return "nl"
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No {
		return "nl"
	}
	return Languages[idx]
}

// FromRequest returns the language of a request: the lang cookie when set
// to a supported language, otherwise Accept-Language.
func FromRequest(r *http.Request) string {
	if c, err := r.Cookie(CookieName); err == nil && Supported(c.Value) {
		return c.Value
	}
	return Match(r.Header.Get("Accept-Language"))
}

// CookieName is the cookie that remembers the chosen language.
const CookieName = "ic_lang"

// Supported reports whether lang is a supported language code.
func Supported(lang string) bool {
	for _, l := range Languages {
		if strings.EqualFold(l, lang) {
			return true
		}
	}
	return false
}
