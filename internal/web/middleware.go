package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/id"
)

type requestIDKey struct{}

// RequestID returns the id of the request in ctx.
func RequestID(ctx context.Context) string {
	s, _ := ctx.Value(requestIDKey{}).(string)
	return s
}

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe gives each request an id, logs it without personal data (the
// route pattern, not the URL), counts it, and turns a panic into a 500.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rid := id.New()
		ctx := context.WithValue(r.Context(), requestIDKey{}, rid)
		r = r.WithContext(ctx)
		w.Header().Set("X-Request-Id", rid)
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.ErrorContext(ctx, "panic", "request_id", rid, "route", r.Pattern, "panic", v, "stack", string(debug.Stack()))
				if sw.status == 0 {
					s.renderError(sw, r, http.StatusInternalServerError)
				}
			}
			d := time.Since(start)
			s.metrics.observe(r, sw.status, d)
			level := slog.LevelInfo
			if sw.status >= 500 {
				level = slog.LevelError
			}
			s.Log.LogAttrs(ctx, level, "request", slog.String("request_id", rid), slog.String("method", r.Method),
				slog.String("route", r.Pattern), slog.Int("status", sw.status), slog.Duration("duration", d))
		}()
		next.ServeHTTP(sw, r)
	})
}

// headers sets the security headers of every response.
func (s *Server) headers(next http.Handler) http.Handler {
	csp := strings.Join([]string{
		"default-src 'self'",
		"script-src 'self'",
		"style-src 'self'",
		"img-src 'self' data:",
		"font-src 'self'",
		"connect-src 'self'",
		"object-src 'none'",
		"base-uri 'none'",
		"form-action 'self'",
		"frame-ancestors 'none'",
	}, "; ")
	secure := s.Config.Secure()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if secure {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// crossOrigin refuses cross-origin state-changing requests with a page.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	if err := cop.AddTrustedOrigin(s.Config.BaseURL.Scheme + "://" + s.Config.BaseURL.Host); err != nil {
		s.Log.Warn("base URL is not a valid trusted origin", "err", err)
	}
	// The JSON API takes bearer tokens only, never cookies, so a browser's
	// ambient credentials cannot be abused there; its clients send no Origin.
	cop.AddInsecureBypassPattern("/api/v1/")
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden)
	}))
	return cop.Handler(next)
}

// cappedBody is a request body behind limitBody's cap that remembers the
// body before it, for the few routes that take larger uploads (allowBody).
// The request itself is not copied, so the handlers around the mux still
// see the route pattern it sets.
type cappedBody struct {
	io.ReadCloser
	raw io.ReadCloser
}

// limitBody caps request bodies. A route that takes a larger upload
// raises the cap for itself only, with allowBody.
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = cappedBody{ReadCloser: http.MaxBytesReader(w, r.Body, max), raw: r.Body}
		next.ServeHTTP(w, r)
	})
}

// allowBody wraps one route's handler to cap its request body at max
// instead of the site-wide cap of limitBody.
func allowBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b, ok := r.Body.(cappedBody); ok {
			r.Body = http.MaxBytesReader(w, b.raw, max)
		}
		next.ServeHTTP(w, r)
	})
}
