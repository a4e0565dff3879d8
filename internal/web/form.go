package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// readForm parses a posted form into a Form, keeping the person's input to
// show again. Each named field is checked for readable text and its
// maximum length in characters; fields not named are ignored.
func readForm(r *http.Request, maxLen map[string]int) (Form, error) {
	f := Form{Values: map[string]string{}, Errors: map[string]string{}}
	if err := r.ParseForm(); err != nil {
		return f, errs.E("web.readForm", errs.Invalid, errs.Key("error.bad_request"), err)
	}
	for name, max := range maxLen {
		v := r.PostForm.Get(name)
		switch {
		case !utf8.ValidString(v):
			f.Errors[name] = "field.invalid_text"
			v = strings.ToValidUTF8(v, "\uFFFD")
		case strings.ContainsFunc(v, isControl):
			// Control characters are never typed on purpose; show the
			// rest again so the person sees what remains.
			f.Errors[name] = "field.invalid_text"
			v = strings.Map(func(r rune) rune {
				if isControl(r) {
					return -1
				}
				return r
			}, v)
		case utf8.RuneCountInString(v) > max:
			f.Errors[name] = tooLongKey(name)
		}
		f.Values[name] = v
	}
	return f, nil
}

// isControl reports a control character other than tab and line breaks.
func isControl(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || (r >= 0x7f && r < 0xa0)
}

// tooLongKey is the most specific "too long" message for a field.
func tooLongKey(name string) string {
	switch name {
	case "email":
		return "field.email.too_long"
	case "name":
		return "field.name.too_long"
	case "password", "password2", "current":
		return "field.password.too_long"
	}
	return "field.too_long"
}

// merge adds a service's field errors (message keys) to the form, keeping
// the first message per field.
func (f Form) merge(err error) {
	for k, v := range errs.FieldsOf(err) {
		if _, ok := f.Errors[k]; !ok {
			f.Errors[k] = v
		}
	}
}

// formError sorts a service error: field errors go next to the fields and
// the form is shown again; other known errors become the alert above the
// form; anything else is returned to become an error page.
func formError(p *Page, err error) error {
	if len(errs.FieldsOf(err)) > 0 {
		p.Form.merge(err)
		return nil
	}
	switch errs.KindOf(err) {
	case errs.Invalid, errs.Unauthorized, errs.TooMany, errs.Conflict, errs.Forbidden:
		if k := errs.KeyOf(err); k != "" {
			p.Alert = k
			return nil
		}
	case errs.NotFound:
		if k := errs.KeyOf(err); k != "" {
			p.Alert = k
			return nil
		}
	}
	return err
}
