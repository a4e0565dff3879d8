package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// authenticate is the middleware of token-protected operations: it checks
// the bearer token and puts the actor in the context, or answers 401.
func (s *server) authenticate(ctx huma.Context, next func(huma.Context)) {
	const op = "api.authenticate"
	scheme, token, _ := strings.Cut(ctx.Header("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		huma.WriteErr(s.api, ctx, http.StatusUnauthorized, "", errs.E(op, errs.Unauthorized)) //nolint:errcheck // logged by huma
		return
	}
	p, t, err := s.identity.AuthenticateToken(ctx.Context(), token)
	if err != nil {
		if errs.Is(err, errs.Unauthorized) {
			// RFC 6750: a token was given, and it does not work.
			ctx.SetHeader("WWW-Authenticate", bearerChallenge+`, error="invalid_token"`)
		}
		huma.WriteErr(s.api, ctx, http.StatusInternalServerError, "", errs.E(op, err)) //nolint:errcheck // logged by huma
		return
	}
	// What follows is personal: no cache may keep it.
	ctx.SetHeader("Cache-Control", "no-store")
	next(huma.WithContext(ctx, identity.WithActor(ctx.Context(), &identity.Actor{Person: p, TokenID: t.ID})))
}

// actorFrom returns the authenticated actor. Operations behind
// authenticate always have one; without it the answer is 401, not a panic.
func actorFrom(ctx context.Context) (*identity.Actor, error) {
	a := identity.ActorFrom(ctx)
	if a == nil {
		return nil, errs.E("api.actorFrom", errs.Unauthorized)
	}
	return a, nil
}
