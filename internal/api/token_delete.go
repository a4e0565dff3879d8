package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

type tokenDeleteInput struct {
	ID string `path:"id" maxLength:"64" doc:"Het nummer van het token." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
}

var tokenDeleteDoc = huma.Operation{
	OperationID:   "deleteToken",
	Summary:       "Token intrekken",
	Description:   "Trekt een van je eigen tokens in; het werkt daarna niet meer. Je kunt ook het token intrekken waarmee je dit vraagt. Een token dat niet van jou is, of niet (meer) werkt, geeft 404.",
	Tags:          []string{"Tokens"},
	DefaultStatus: http.StatusNoContent,
	Errors:        []int{http.StatusBadRequest, http.StatusNotFound},
}

// handleTokenDelete revokes one of the caller's own tokens; someone else's
// is not found, so existence does not leak.
func (s *server) handleTokenDelete(ctx context.Context, in *tokenDeleteInput) (*struct{}, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.identity.RevokeToken(ctx, a.Person.ID, in.ID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
