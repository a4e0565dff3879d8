package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Amsterdam on machines without a zone database

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/i18n"
)

// templates holds one parsed template set per page: the layout and the
// partials, plus the page's own file.
type templates struct {
	pages map[string]*template.Template
}

var funcs = template.FuncMap{
	// euro writes an amount in cents the Dutch way: "€ 12,50".
	"euro": func(cents int64) string {
		return fmt.Sprintf("€ %d,%02d", cents/100, cents%100)
	},
	// day writes the date of t in the Netherlands: "28-11-2026".
	"day": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(amsterdam).Format("02-01-2006")
	},
	// indent prefixes a nested category's name so the tree shows in a select.
	"indent": func(depth int) string { return strings.Repeat("– ", depth) },
	// otpauth lets an authenticator-app link through html/template, which
	// refuses unknown URL schemes; anything else becomes an empty link.
	"otpauth": func(s string) template.URL {
		if strings.HasPrefix(s, "otpauth://totp/") {
			return template.URL(s)
		}
		return ""
	},
}

func parseTemplates(fsys fs.FS) (*templates, error) {
	base, err := template.New("").Funcs(funcs).ParseFS(fsys, "templates/layout/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	files, err := fs.Glob(fsys, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, f := range files {
		clone, err := base.Clone()
		if err != nil {
			return nil, err
		}
		pt, err := clone.ParseFS(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", f, err)
		}
		name := strings.TrimSuffix(path.Base(f), ".html")
		if pt.Lookup("content") == nil {
			return nil, fmt.Errorf("web: %s defines no \"content\" template", f)
		}
		t.pages[name] = pt
	}
	return t, nil
}

// Page is what every template gets: the request's context and the page's
// own data.
type Page struct {
	Name         string // the template name
	TitleKey     string // message key of the page title
	Lang         string
	OtherLang    string
	Path         string // the current path with query, for returning after a switch
	Person       *identity.Person
	Municipality tenant.Municipality
	Demo         bool
	Flash        string // a message key shown once
	Alert        string // a message key of an error shown above the form
	Form         Form
	IdleDeadline time.Time
	ActingFor    string // the name of the resident a delegate acts for; "" when not
	Data         any

	now     time.Time
	catalog *i18n.Catalog
	static  *staticFiles
}

// T translates a message key. An optional map fills in placeholders.
func (p *Page) T(key string, data ...any) string {
	var d any
	if len(data) == 1 {
		d = data[0]
	} else if len(data) > 1 {
		m := map[string]any{}
		for i := 0; i+1 < len(data); i += 2 {
			m[fmt.Sprint(data[i])] = data[i+1]
		}
		d = m
	}
	return p.catalog.T(p.Lang, key, d)
}

// Decimal writes a number with one decimal the way the page's language
// does: a decimal comma in Dutch ("4,5"), a decimal point in English
// ("4.5"). Every average, score and distance on a page goes through it.
func (p *Page) Decimal(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	if p.Lang == "en" {
		return s
	}
	return strings.Replace(s, ".", ",", 1)
}

// Title is the translated page title.
func (p *Page) Title() string { return p.T(p.TitleKey) }

// Static returns the checksummed URL of a static asset.
func (p *Page) Static(name string) string { return p.static.url(name) }

// Theme is the design-token theme of the page's municipality.
func (p *Page) Theme() string {
	if p.Municipality.Theme == "" {
		return "default"
	}
	return p.Municipality.Theme
}

// LoggedIn reports whether a person is logged in.
func (p *Page) LoggedIn() bool { return p.Person != nil }

// Has reports whether the logged-in person holds a role.
func (p *Page) Has(role string) bool { return p.Person != nil && p.Person.Has(identity.Role(role)) }

var amsterdam = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return loc
}()

// DateTime formats a time for people in the Netherlands.
func (p *Page) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(amsterdam).Format("02-01-2006 15:04")
}

// Clock formats the time of day.
func (p *Page) Clock(t time.Time) string { return t.In(amsterdam).Format("15:04") }

// ISO formats a time as RFC 3339 in UTC, for machine-readable attributes.
func (p *Page) ISO(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// IdleWarningSeconds is the length of the warning period.
func (p *Page) IdleWarningSeconds() int { return int(identity.IdleWarning.Seconds()) }

// fieldID is the id of a form field's control: "f-" and its name, with the
// dots of a repeated block's name (locations.0.city) as dashes: an id with
// dots trips CSS selectors and html-validate's valid-id rule.
func fieldID(name string) string { return "f-" + strings.ReplaceAll(name, ".", "-") }

// Field returns the data the "field" partial renders for one form field.
func (p *Page) Field(name, labelKey string, opts ...string) Field {
	f := Field{ID: fieldID(name), Name: name, Label: p.T(labelKey), Type: "text", Value: p.Form.Values[name]}
	if k := p.Form.Errors[name]; k != "" {
		f.Error = p.T(k)
	}
	for _, o := range opts {
		k, v, _ := strings.Cut(o, "=")
		switch k {
		case "type":
			f.Type = v
		case "autocomplete":
			f.Autocomplete = v
		case "required":
			f.Required = true
		case "hint":
			f.Hint = p.T(v)
		case "nokeep":
			f.Value = ""
		case "inputmode":
			f.InputMode = v
		case "maxlength":
			f.MaxLength = v
		}
	}
	return f
}

// Field is one labelled form control with its value and message.
type Field struct {
	ID, Name, Label, Type, Value, Error, Autocomplete, Hint, InputMode, MaxLength string
	Required                                                                      bool
}

// DescribedBy is the aria-describedby list of the field.
func (f Field) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// Form holds a submitted form: the person's input, kept to show again,
// and the message key per wrong field.
type Form struct {
	Values map[string]string
	Errors map[string]string
}

// HasErrors reports whether any field is wrong.
func (f Form) HasErrors() bool { return len(f.Errors) > 0 }

// Summary lists the wrong fields in the given order (names separated by
// spaces), for the summary at the top of a form that links to each field.
func (p *Page) Summary(order string) Summary {
	sum := Summary{Heading: p.T("error.invalid")}
	for _, n := range strings.Fields(order) {
		if k, ok := p.Form.Errors[n]; ok {
			sum.Errors = append(sum.Errors, FieldError{ID: fieldID(n), Message: p.T(k)})
		}
	}
	return sum
}

// Summary is the error summary of a form.
type Summary struct {
	Heading string
	Errors  []FieldError
}

// FieldError is an entry of the error summary.
type FieldError struct{ ID, Message string }

// render writes a page with the given status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, p Page) {
	t, ok := s.tmpl.pages[p.Name]
	if !ok {
		s.Log.ErrorContext(r.Context(), "no such template", "template", p.Name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", &p); err != nil {
		s.Log.ErrorContext(r.Context(), "template failed", "template", p.Name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", p.Lang)
	if p.Person != nil || r.Method != http.MethodGet {
		h.Set("Cache-Control", "no-store")
	} else if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	h.Add("Vary", "Cookie, Accept-Language")
	w.WriteHeader(status)
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}
