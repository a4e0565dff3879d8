package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// TokenRequest asks for a bearer token.
type TokenRequest struct {
	Email    string `json:"email" maxLength:"254" doc:"Het e-mailadres van je account." example:"anna@example.org"`
	Password string `json:"password" maxLength:"128" writeOnly:"true" doc:"Je wachtwoord." example:"lente fiets koffie boom"`
	Code     string `json:"code,omitempty" maxLength:"20" writeOnly:"true" doc:"De code uit je app voor tweestapsverificatie. Verplicht voor medewerkers, en voor inwoners die tweestapsverificatie aan hebben." example:"123456"`
	Name     string `json:"name,omitempty" maxLength:"100" doc:"Een naam voor het token die je herkent, bijvoorbeeld de naam van de app. Zonder naam heet het token API." example:"Budget-app"`
}

// TokenCreated is a new bearer token; the secret is shown only here.
type TokenCreated struct {
	Token     string    `json:"token" doc:"Het geheime token. Je ziet het maar één keer: bewaar het veilig." example:"0c4yq2k8v9f3m1t7r5x6w2z8b4n0p6s3h9j1d5g7a2e8c4k6m0q2"`
	ID        string    `json:"id" doc:"Het nummer van het token, om het later in te trekken." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	Name      string    `json:"name" doc:"De naam van het token." example:"Budget-app"`
	ExpiresAt time.Time `json:"expiresAt" doc:"Tot wanneer het token werkt (UTC)." example:"2025-07-01T12:00:00Z"`
}

type tokenCreateInput struct {
	Body TokenRequest
}

type tokenCreateOutput struct {
	CacheControl string `header:"Cache-Control" doc:"Altijd no-store: het token mag nergens bewaard worden."`
	Body         TokenCreated
}

var tokenCreateDoc = huma.Operation{
	OperationID:   "createToken",
	Summary:       "Token aanvragen",
	Description:   "Geeft een nieuw token als het e-mailadres en het wachtwoord kloppen, en voor wie tweestapsverificatie heeft ook de code. Na een paar foute pogingen kun je een kwartier niet inloggen (429). Of een e-mailadres een account heeft, zie je aan het antwoord niet.",
	Tags:          []string{"Tokens"},
	DefaultStatus: http.StatusCreated,
	Errors: []int{
		http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden,
		http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusTooManyRequests,
	},
}

// handleTokenCreate issues a token for the person's credentials.
func (s *server) handleTokenCreate(ctx context.Context, in *tokenCreateInput) (*tokenCreateOutput, error) {
	secret, t, err := s.identity.IssueToken(ctx, identity.TokenRequest{
		Credentials: identity.Credentials{Email: in.Body.Email, Password: in.Body.Password, Address: clientAddr(ctx)},
		Code:        in.Body.Code,
		Name:        in.Body.Name,
	})
	if err != nil {
		return nil, err
	}
	return &tokenCreateOutput{
		CacheControl: "no-store",
		Body:         TokenCreated{Token: secret, ID: t.ID, Name: t.Name, ExpiresAt: t.ExpiresAt.UTC()},
	}, nil
}
