package api

import (
	"context"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

// Token is one of the caller's live tokens, without its secret.
type Token struct {
	ID         string     `json:"id" doc:"Het nummer van het token." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	Name       string     `json:"name" doc:"De naam van het token." example:"Budget-app"`
	CreatedAt  time.Time  `json:"createdAt" doc:"Wanneer het token is gemaakt (UTC)." example:"2025-06-01T12:00:00Z"`
	ExpiresAt  time.Time  `json:"expiresAt" doc:"Tot wanneer het token werkt (UTC)." example:"2025-07-01T12:00:00Z"`
	LastUsedAt *time.Time `json:"lastUsedAt" doc:"Wanneer het token voor het laatst is gebruikt (UTC, ongeveer); null als het nog niet is gebruikt." example:"2025-06-02T08:30:00Z"`
}

// TokenList is the caller's live tokens, newest first.
type TokenList struct {
	Tokens []Token `json:"tokens" nullable:"false" doc:"De tokens die nu werken, het nieuwste eerst."`
}

type tokenListOutput struct {
	Body TokenList
}

var tokenListDoc = huma.Operation{
	OperationID: "listTokens",
	Summary:     "Je tokens bekijken",
	Description: "Geeft de tokens van je account die nu werken, zonder de geheime tokens zelf.",
	Tags:        []string{"Tokens"},
}

// handleTokenList lists the caller's live tokens.
func (s *server) handleTokenList(ctx context.Context, _ *struct{}) (*tokenListOutput, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	list, err := s.identity.Tokens(ctx, a.Person.ID)
	if err != nil {
		return nil, err
	}
	out := &tokenListOutput{Body: TokenList{Tokens: make([]Token, 0, len(list))}}
	for _, t := range list {
		out.Body.Tokens = append(out.Body.Tokens, Token{
			ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt.UTC(), ExpiresAt: t.ExpiresAt.UTC(), LastUsedAt: utc(t.LastUsedAt),
		})
	}
	return out, nil
}

// utc returns an optional time in UTC.
func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
