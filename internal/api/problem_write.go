package api

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/inwonercloud/inwonercloud/internal/i18n"
)

// finish translates p into the request's language, sets the headers that
// go with it and logs an internal error. Every problem passes here once:
// huma's through transform, the mux's own (404, 405) through writeProblem.
func (s *server) finish(h http.Header, r *http.Request, p *Problem) {
	lang := i18n.Match(r.Header.Get("Accept-Language"))
	c := s.catalog
	p.Type = "about:blank"
	p.Title = http.StatusText(p.Status)
	if k := "api.title." + strconv.Itoa(p.Status); c.Has(lang, k) {
		p.Title = c.T(lang, k, nil)
	}
	key := p.key
	if key == "" || !c.Has(lang, key) {
		key = defaultKey(p.Status, len(p.params) > 0)
	}
	p.Detail = c.T(lang, key, nil)
	p.Code = codeOf(key)
	p.InvalidParams = nil
	for _, f := range p.params {
		reason := "api.field.invalid"
		for _, k := range f.keys {
			if c.Has(lang, k) {
				reason = k
				break
			}
		}
		p.InvalidParams = append(p.InvalidParams, InvalidParam{Name: f.name, Code: f.code, Reason: c.T(lang, reason, nil)})
	}

	h.Set("Content-Language", lang)
	h.Add("Vary", "Accept-Language")
	if p.Status == http.StatusUnauthorized && h.Get("WWW-Authenticate") == "" {
		challenge := p.challenge
		if challenge == "" {
			challenge = bearerChallenge
		}
		h.Set("WWW-Authenticate", challenge)
	}
	if p.Status >= 500 {
		// The route pattern, not the URL: no personal data in the log.
		s.log.ErrorContext(r.Context(), "api: request failed",
			"method", r.Method, "route", r.Pattern, "status", p.Status, "err", p.cause)
	}
}

// bearerChallenge is the WWW-Authenticate value of a 401 (RFC 6750).
const bearerChallenge = `Bearer realm="Inwonercloud"`

// defaultKey is the detail of a problem whose error names no message key.
func defaultKey(status int, hasParams bool) string {
	switch {
	case status == http.StatusBadRequest && hasParams:
		return "error.invalid"
	case statusKey[status] != "":
		return statusKey[status]
	case status >= 500:
		return "error.internal"
	}
	return "error.bad_request"
}

// transform is huma's hook on every response body; it finishes problems.
func (s *server) transform(ctx huma.Context, _ string, v any) (any, error) {
	if p, ok := v.(*Problem); ok {
		r, w := humago.Unwrap(ctx)
		s.finish(w.Header(), r, p)
	}
	return v, nil
}

// writeProblem writes a problem outside huma, for the mux's own answers.
func (s *server) writeProblem(w http.ResponseWriter, r *http.Request, p *Problem) {
	s.finish(w.Header(), r, p)
	w.Header().Set("Content-Type", problemType)
	w.WriteHeader(p.Status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(p) //nolint:errcheck // the client went away
}
