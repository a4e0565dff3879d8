package api

import (
	"errors"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/validation"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// Problem is an RFC 9457 problem detail: the body of every error response.
type Problem struct {
	Type          string         `json:"type" format:"uri" doc:"Soort probleem. Altijd about:blank: de status en code zeggen wat er mis is." example:"about:blank"`
	Title         string         `json:"title" doc:"Korte samenvatting van het probleem bij deze status, in de taal van Accept-Language." example:"Ongeldig verzoek"`
	Status        int            `json:"status" minimum:"400" maximum:"599" doc:"De HTTP-status van dit antwoord." example:"400"`
	Detail        string         `json:"detail" doc:"Uitleg voor een mens, in het Nederlands (of Engels als Accept-Language daarom vraagt)." example:"Niet alles is goed ingevuld. Kijk bij de velden hieronder wat er moet veranderen."`
	Code          string         `json:"code" doc:"Vaste code van het probleem, voor programma's; verandert niet met de taal." example:"invalid"`
	InvalidParams []InvalidParam `json:"invalidParams,omitempty" nullable:"false" doc:"Bij een fout in de invoer: wat er per veld mis is."`

	key       string  // message key of Detail; "" for the status's default
	params    []param // field errors, translated into InvalidParams
	cause     error   // the error behind it, logged for a 5xx and never shown
	challenge string  // the WWW-Authenticate value of a 401, when not the default
}

// InvalidParam is one field error of a problem, as the NL API Design Rules
// describe it.
type InvalidParam struct {
	Name   string `json:"name" doc:"Het veld, bijvoorbeeld email; velden in velden met een punt ertussen." example:"email"`
	Code   string `json:"code" doc:"Vaste code van de fout, voor programma's." example:"required"`
	Reason string `json:"reason" doc:"Wat er mis is, voor een mens, in de taal van Accept-Language." example:"Vul je e-mailadres in."`
}

// param is a field error before translation: keys are message keys tried
// in order, the first the catalogue has giving the reason.
type param struct {
	name, code string
	keys       []string
}

func (p *Problem) Error() string {
	if p.cause != nil {
		return http.StatusText(p.Status) + ": " + p.cause.Error()
	}
	return http.StatusText(p.Status)
}

// GetStatus returns the HTTP status; huma uses it for the response.
func (p *Problem) GetStatus() int { return p.Status }

// ContentType makes huma send problems as application/problem+json.
func (p *Problem) ContentType(string) string { return problemType }

const problemType = "application/problem+json"

// kindStatus is the one mapping of error kinds to HTTP statuses.
var kindStatus = map[errs.Kind]int{
	errs.Invalid:      http.StatusBadRequest,
	errs.Unauthorized: http.StatusUnauthorized,
	errs.Forbidden:    http.StatusForbidden,
	errs.NotFound:     http.StatusNotFound,
	errs.Conflict:     http.StatusConflict,
	errs.TooMany:      http.StatusTooManyRequests,
	errs.Unavailable:  http.StatusServiceUnavailable,
	errs.Other:        http.StatusInternalServerError,
}

// statusKey is the message key of a status's detail when the error names
// none of its own.
var statusKey = map[int]string{
	http.StatusBadRequest:            "error.bad_request",
	http.StatusUnauthorized:          "api.unauthorized",
	http.StatusForbidden:             "error.forbidden",
	http.StatusNotFound:              "api.not_found",
	http.StatusMethodNotAllowed:      "api.method_not_allowed",
	http.StatusNotAcceptable:         "api.not_acceptable",
	http.StatusRequestTimeout:        "api.timeout",
	http.StatusConflict:              "error.conflict",
	http.StatusRequestEntityTooLarge: "error.too_large",
	http.StatusUnsupportedMediaType:  "api.unsupported_media_type",
	http.StatusTooManyRequests:       "error.too_many",
	http.StatusServiceUnavailable:    "error.unavailable",
}

// problemFor turns any error into a problem. A service error (*errs.Error)
// brings its kind, message key and field errors; anything else is an
// internal error whose text is only logged.
func problemFor(err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	kind := errs.KindOf(err)
	status, ok := kindStatus[kind]
	if !ok {
		status = http.StatusInternalServerError
	}
	p = &Problem{Status: status, cause: err}
	if status == http.StatusInternalServerError {
		// Nothing of an internal error reaches the client.
		return p
	}
	p.key = errs.KeyOf(err)
	fields := errs.FieldsOf(err)
	for name, key := range fields {
		p.params = append(p.params, param{name: name, code: codeOf(key), keys: []string{key}})
	}
	sort.Slice(p.params, func(i, j int) bool { return p.params[i].name < p.params[j].name })
	return p
}

// huma's error constructors are process-wide variables; this package is
// the only user of huma, so it sets them once for every API it mounts.
func init() {
	huma.NewError = newError
	huma.NewErrorWithContext = func(_ huma.Context, status int, msg string, list ...error) huma.StatusError {
		return newError(status, msg, list...)
	}
}

// newError replaces huma.NewError, so that huma's own errors (bad JSON,
// wrong types, missing fields, a body too large) come out as our Problem,
// and a service error returned by a handler keeps its kind. huma reports
// validation failures as 422; this API answers 400 for any bad input.
func newError(status int, msg string, list ...error) huma.StatusError {
	for _, err := range list {
		var se *errs.Error
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &se):
			return problemFor(err)
		case errors.As(err, &tooLarge):
			return &Problem{Status: http.StatusRequestEntityTooLarge}
		}
	}
	switch status {
	case http.StatusUnprocessableEntity:
		status = http.StatusBadRequest
	case http.StatusUnsupportedMediaType:
		// huma adds a detail about the body, which was never read.
		return &Problem{Status: status}
	}
	p := &Problem{Status: status}
	for _, err := range list {
		var d huma.ErrorDetailer
		switch {
		case err == nil:
		case errors.As(err, &d):
			f := paramFromDetail(d.ErrorDetail())
			if f.code == "invalidJson" {
				// Not a field to correct: the request as a whole is unreadable.
				p.key = "error.bad_request"
			}
			p.params = append(p.params, f)
		default:
			p.cause = errors.Join(p.cause, err)
		}
	}
	if status == http.StatusBadRequest && msg == "request body is required" {
		p.params = append(p.params, param{name: "body", code: "required", keys: []string{"api.field.body_required"}})
	}
	if status >= 500 && p.cause == nil && msg != "" {
		p.cause = errors.New(msg)
	}
	return p
}

var requiredRE = regexp.MustCompile(`^expected required property (.+) to be present$`)

var typeMessages = map[string]bool{
	validation.MsgExpectedString: true, validation.MsgExpectedNumber: true, validation.MsgExpectedInteger: true,
	validation.MsgExpectedBoolean: true, validation.MsgExpectedArray: true, validation.MsgExpectedObject: true,
}

// paramFromDetail turns one of huma's validation errors into a field
// error with a code and message keys. The location is like "body.email",
// "body" or "path.id"; the field name drops the first part.
func paramFromDetail(d *huma.ErrorDetail) param {
	loc, name, hasName := strings.Cut(d.Location, ".")
	if !hasName {
		name = loc
	}
	msg := d.Message
	if m := requiredRE.FindStringSubmatch(msg); m != nil {
		if hasName {
			name += "." + m[1]
		} else {
			name = m[1]
		}
		return param{name: name, code: "required", keys: []string{"field." + leaf(name) + ".required", "api.field.required"}}
	}
	switch {
	case msg == validation.MsgUnexpectedProperty:
		return param{name: name, code: "unknown", keys: []string{"api.field.unknown"}}
	case strings.HasPrefix(msg, "expected length <="):
		return param{name: name, code: "tooLong", keys: []string{"field." + leaf(name) + ".too_long", "field.too_long"}}
	case strings.HasPrefix(msg, "expected length >="):
		return param{name: name, code: "tooShort", keys: []string{"api.field.too_short"}}
	case typeMessages[msg]:
		return param{name: name, code: "invalidType", keys: []string{"api.field.type"}}
	case strings.HasPrefix(msg, "required ") && strings.HasSuffix(msg, " parameter is missing"):
		return param{name: name, code: "required", keys: []string{"api.field.required"}}
	case loc == "body" && !hasName:
		// The body could not be parsed at all.
		return param{name: "body", code: "invalidJson", keys: []string{"api.field.invalid_json"}}
	}
	return param{name: name, code: "invalid", keys: []string{"api.field.invalid"}}
}

// leaf is the last part of a dotted field name, without an index.
func leaf(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i]
	}
	return name
}

// codeOf makes a stable, language-free code from a message key: the part
// after the last dot in lower camel case ("field.email.too_long" → "tooLong").
func codeOf(key string) string {
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		key = key[i+1:]
	}
	parts := strings.Split(key, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}
