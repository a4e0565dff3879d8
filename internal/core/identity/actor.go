package identity

import "context"

// Actor is who is doing something in a request: the person, and how they
// proved it (a browser session or an API token).
type Actor struct {
	Person    Person
	SessionID string
	TokenID   string
}

type actorKey struct{}

// WithActor returns a context that carries the actor.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or nil for an anonymous request.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}
