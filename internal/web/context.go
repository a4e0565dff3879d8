package web

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/i18n"
)

// request is what a page handler knows about the request beyond *http.Request.
type request struct {
	lang         string
	token        string            // the session cookie's value
	session      *identity.Session // nil when anonymous
	person       *identity.Person  // nil unless the session is active
	municipality tenant.Municipality
	// municipalities is every municipality, as read once to find
	// municipality; pages that list them use it instead of reading again.
	municipalities []tenant.Municipality
	now            time.Time
	expired        bool // the cookie named a session that timed out
}

// access says who may use a handler.
type access int

const (
	public   access = iota // anyone
	loggedIn               // an active session
	pending                // a session waiting for its second factor
	peek                   // anyone; viewing does not count as activity
)

// handler is a page action: it returns an error instead of writing one.
type handler func(w http.ResponseWriter, r *http.Request, rq *request) error

// page wraps a handler: it loads the session, language and municipality,
// enforces the access level, and turns a returned error into the right page.
func (s *Server) page(a access, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq, err := s.load(w, r, a != peek)
		if err != nil {
			s.fail(w, r, rq, err)
			return
		}
		switch {
		case a == loggedIn && rq.person == nil:
			if r.Method == http.MethodGet {
				to := "/inloggen"
				if rq.expired {
					// Say why: the person was logged out for inactivity.
					to = "/sessie/verlopen"
				}
				http.Redirect(w, r, to+"?terug="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.fail(w, r, rq, errs.E("web.page", errs.Unauthorized))
			return
		case a == pending && (rq.session == nil || rq.session.State != identity.StateSecondFactor):
			http.Redirect(w, r, "/inloggen", http.StatusSeeOther)
			return
		}
		if rq.person != nil || rq.session != nil {
			w.Header().Set("Cache-Control", "no-store")
		}
		if err := h(w, r, rq); err != nil {
			s.fail(w, r, rq, err)
		}
	})
}

func (s *Server) cookieName() string {
	if s.Config.Secure() {
		return "__Host-ic_session"
	}
	return "ic_session"
}

// load reads the session cookie, language and municipality.
func (s *Server) load(w http.ResponseWriter, r *http.Request, touch bool) (*request, error) {
	rq := &request{lang: i18n.FromRequest(r), now: s.Clock.Now()}
	if c, err := r.Cookie(s.cookieName()); err == nil && c.Value != "" {
		auth := s.Identity.Authenticate
		if !touch {
			auth = s.Identity.Peek
		}
		info, err := auth(r.Context(), c.Value)
		switch {
		case err == nil:
			rq.token = c.Value
			rq.session = &info.Session
			if info.Session.State == identity.StateActive {
				rq.person = &info.Person
			}
			if _, err := r.Cookie(i18n.CookieName); err != nil && i18n.Supported(info.Person.Locale) {
				rq.lang = info.Person.Locale
			}
		case errs.Is(err, errs.Unauthorized):
			rq.expired = errs.KeyOf(err) == "error.session_expired"
			s.clearSession(w)
		default:
			return rq, err
		}
	}
	m, err := s.municipalityFor(r, rq)
	if err != nil {
		return rq, err
	}
	rq.municipality = m
	return rq, nil
}

// municipalityFor finds the request's municipality: by host name first,
// then the logged-in person's home municipality or their first staff
// role's, then the visitor's choice (a cookie), then the configured
// default, then the first by name.
func (s *Server) municipalityFor(r *http.Request, rq *request) (tenant.Municipality, error) {
	list, err := s.Tenants.Municipalities(r.Context())
	if err != nil {
		return tenant.Municipality{}, err
	}
	rq.municipalities = list
	if len(list) == 0 {
		return tenant.Municipality{}, nil
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	var want string
	if rq.person != nil {
		want = rq.person.HomeMunicipalityID
		for _, ra := range rq.person.Roles {
			if want == "" && ra.MunicipalityID != "" {
				want = ra.MunicipalityID
			}
		}
	}
	choice := ""
	if c, err := r.Cookie(municipalityCookie); err == nil {
		choice = c.Value
	}
	for _, m := range list {
		if m.Host != "" && (strings.EqualFold(m.Host, r.Host) || strings.EqualFold(m.Host, host)) {
			return m, nil
		}
	}
	for _, m := range list {
		if want != "" && m.ID == want {
			return m, nil
		}
	}
	for _, slug := range []string{choice, s.Config.DefaultMunicipality} {
		for _, m := range list {
			if slug != "" && m.Slug == slug {
				return m, nil
			}
		}
	}
	return list[0], nil
}

const municipalityCookie = "ic_gemeente"

func (s *Server) setSession(w http.ResponseWriter, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(), Value: token, Path: "/", Expires: expires,
		HttpOnly: true, Secure: s.Config.Secure(), SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.Config.Secure(), SameSite: http.SameSiteLaxMode,
	})
}

// newPage starts a Page for the request.
func (s *Server) newPage(rq *request, r *http.Request, name, titleKey string) Page {
	p := Page{
		Name: name, TitleKey: titleKey, Lang: rq.lang, OtherLang: "en", Path: r.URL.RequestURI(),
		Person: rq.person, Municipality: rq.municipality, Demo: s.Demo != nil,
		Form: Form{Values: map[string]string{}, Errors: map[string]string{}},
		now:  rq.now, catalog: s.Catalog, static: s.static,
	}
	if rq.lang == "en" {
		p.OtherLang = "nl"
	}
	if rq.session != nil && rq.person != nil {
		p.IdleDeadline = rq.session.IdleDeadline()
	}
	p.ActingFor = s.actingForName(r, rq)
	if c, err := r.Cookie(flashCookie); err == nil && strings.HasPrefix(c.Value, "flash.") {
		p.Flash = c.Value
	}
	return p
}

const flashCookie = "ic_flash"

// redirect sends the browser on with 303 and an optional message key to
// show once on the next page.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: flash, Path: "/", MaxAge: 60,
			HttpOnly: true, Secure: s.Config.Secure(), SameSite: http.SameSiteLaxMode})
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// consumeFlash clears the flash cookie after a page showed it.
func consumeFlash(w http.ResponseWriter, p Page, secure bool) {
	if p.Flash != "" {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
	}
}

// show renders a page with status 200 (or 422 when its form has errors).
func (s *Server) show(w http.ResponseWriter, r *http.Request, p Page) error {
	status := http.StatusOK
	if p.Form.HasErrors() || p.Alert != "" && r.Method == http.MethodPost {
		status = http.StatusUnprocessableEntity
	}
	consumeFlash(w, p, s.Config.Secure())
	s.render(w, r, status, p)
	return nil
}

// statusOf maps an error kind to an HTTP status: the one place this happens
// for pages.
func statusOf(err error) int {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge
	}
	switch errs.KindOf(err) {
	case errs.Invalid:
		return http.StatusUnprocessableEntity
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict:
		return http.StatusConflict
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.Unauthorized:
		return http.StatusUnauthorized
	case errs.TooMany:
		return http.StatusTooManyRequests
	case errs.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// fail renders the error page for err, logging internal errors.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, rq *request, err error) {
	status := statusOf(err)
	if status >= 500 {
		s.Log.ErrorContext(r.Context(), "request failed", "request_id", RequestID(r.Context()), "route", r.Pattern, "err", err)
	}
	if status == http.StatusUnauthorized && r.Method == http.MethodGet {
		http.Redirect(w, r, "/inloggen", http.StatusSeeOther)
		return
	}
	s.renderErrorFor(w, r, rq, status, errs.KeyOf(err))
}

// renderError renders an error page when no request context could be loaded.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int) {
	rq := &request{lang: i18n.FromRequest(r), now: s.Clock.Now()}
	s.renderErrorFor(w, r, rq, status, "")
}

func (s *Server) renderErrorFor(w http.ResponseWriter, r *http.Request, rq *request, status int, key string) {
	if rq == nil {
		rq = &request{lang: i18n.FromRequest(r), now: s.Clock.Now()}
	}
	p := s.newPage(rq, r, "error", "error.title."+errorTitle(status))
	p.Data = errorPage{Status: status, Key: key, RequestID: RequestID(r.Context())}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, p)
}

func errorTitle(status int) string {
	switch status {
	case http.StatusNotFound:
		return "not_found"
	case http.StatusForbidden:
		return "forbidden"
	case http.StatusUnauthorized:
		return "unauthorized"
	case http.StatusTooManyRequests:
		return "too_many"
	case http.StatusConflict:
		return "conflict"
	case http.StatusUnprocessableEntity, http.StatusBadRequest:
		return "bad_request"
	case http.StatusRequestEntityTooLarge:
		return "too_large"
	case http.StatusServiceUnavailable:
		return "unavailable"
	}
	return "internal"
}

type errorPage struct {
	Status    int
	Key       string
	RequestID string
}

// clientAddress is the network address used for login throttling. Behind a
// proxy, the proxy must be configured to pass the address in RemoteAddr
// (e.g. PROXY protocol); headers that clients can set are not trusted.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// safeReturn accepts only a local path to return to after an action.
func safeReturn(s string) string {
	if s == "" || !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") || strings.ContainsAny(s, "\r\n") {
		return "/"
	}
	return s
}
