package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"
)

// bearerScheme names the security scheme of token-protected operations.
const bearerScheme = "bearerAuth"

// The OpenAPI document's contact; the NL API Design Rules ask for a name,
// a URL and an e-mail address.
const (
	contactName  = "Inwonercloud"
	contactEmail = "api@inwonercloud.nl"
	contactURL   = "https://inwonercloud.nl"
)

const apiDescription = `Met de API van Inwonercloud kunnen apps hetzelfde doen als de website, met dezelfde regels.

**Inloggen.** Vraag met je e-mailadres en wachtwoord een token aan (` + "`POST /tokens`" + `). Medewerkers en
inwoners die tweestapsverificatie gebruiken, sturen ook de code uit hun app mee. Stuur het token daarna mee
in elke aanvraag: ` + "`Authorization: Bearer <token>`" + `. Je ziet het token maar één keer. Hoe lang het werkt,
staat in ` + "`expiresAt`" + `. Je kunt een token altijd intrekken.

**Fouten.** Elke fout is een ` + "`application/problem+json`" + `-antwoord (RFC 9457) met ` + "`status`, `title`, `detail`" + `
en een vaste ` + "`code`" + `. Klopt de invoer niet, dan staat in ` + "`invalidParams`" + ` per veld wat er mis is. Teksten
zijn in het Nederlands; stuur ` + "`Accept-Language: en`" + ` voor Engels.

**Versie.** Elk antwoord heeft de header ` + "`API-Version`" + ` met de volledige versie van deze API.
Velden heten in camelCase; tijden zijn RFC 3339 in UTC. Een aanvraag mag hoogstens 64 KiB groot zijn.`

// config is huma's configuration: no docs page (it would load third-party
// scripts), no schema links, JSON only; the document is served by
// handleOpenAPI.
func (s *server) config() huma.Config {
	cfg := huma.DefaultConfig("Inwonercloud API", s.version)
	cfg.OpenAPIPath, cfg.DocsPath, cfg.SchemasPath = "", "", ""
	cfg.CreateHooks = nil
	cfg.Formats = map[string]huma.Format{"application/json": huma.DefaultJSONFormat, "json": huma.DefaultJSONFormat}
	cfg.Transformers = []huma.Transformer{s.transform}
	cURL := contactURL
	if s.baseURL != "" {
		cURL = s.baseURL
	}
	cfg.Info = &huma.Info{
		Title:       "Inwonercloud API",
		Version:     s.version,
		Description: apiDescription,
		Contact:     &huma.Contact{Name: contactName, URL: cURL, Email: contactEmail},
		License:     &huma.License{Name: "EUPL-1.2", Identifier: "EUPL-1.2"},
	}
	cfg.Servers = []*huma.Server{{URL: s.baseURL + Prefix, Description: "Deze installatie van Inwonercloud."}}
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		bearerScheme: {
			Type: "http", Scheme: "bearer",
			Description: "Een token van `POST /tokens`, mee te sturen als `Authorization: Bearer <token>`.",
		},
	}
	cfg.Components.Headers = map[string]*huma.Header{
		"API-Version": {
			Description: "De volledige versie van de API (semantic versioning).",
			Schema:      &huma.Schema{Type: huma.TypeString, Examples: []any{s.version}},
			Example:     s.version,
		},
	}
	cfg.Tags = []*huma.Tag{
		{Name: "Tokens", Description: "Inloggen met een token: aanvragen, bekijken en intrekken."},
		{Name: "Account", Description: "Je eigen account."},
		{Name: "Gemeenten", Description: "De gemeenten die meedoen."},
		{Name: "API", Description: "Over de API zelf."},
	}
	cfg.OnAddOperation = append(cfg.OnAddOperation, s.documentOperation)
	return cfg
}

// documentOperation runs for every operation added to the document: every
// response declares API-Version, and huma's automatic 422 goes, as this
// API answers 400 for any bad input.
func (s *server) documentOperation(_ *huma.OpenAPI, op *huma.Operation) {
	delete(op.Responses, "422")
	for status, r := range op.Responses {
		if d, ok := responseDescriptions[status]; ok && (r.Description == "" || r.Description == http.StatusText(atoi(status))) {
			r.Description = d
		}
		if r.Headers == nil {
			r.Headers = map[string]*huma.Header{}
		}
		r.Headers["API-Version"] = &huma.Header{Ref: "#/components/headers/API-Version"}
	}
}

// responseDescriptions replace huma's English defaults.
var responseDescriptions = map[string]string{
	"200": "Gelukt.",
	"201": "Gemaakt.",
	"204": "Gelukt. Er komt geen inhoud terug.",
	"400": "De invoer klopt niet. In invalidParams staat per veld wat er mis is.",
	"401": "Niet ingelogd: geen of geen geldig token, of het e-mailadres, het wachtwoord of de code klopt niet.",
	"403": "Dit mag niet, bijvoorbeeld omdat het e-mailadres nog niet is bevestigd.",
	"404": "Dit bestaat niet, of je mag het niet zien.",
	"413": "De aanvraag is groter dan 64 KiB.",
	"415": "De inhoud is geen JSON.",
	"429": "Te vaak geprobeerd. Probeer het later opnieuw.",
	"500": "Er ging iets mis bij ons.",
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// access says whether an operation needs a bearer token.
type access bool

const (
	public access = false
	bearer access = true
)

// register adds one operation: its path and method, the token check when
// it needs one, the body limit and the error responses every operation has.
func register[I, O any](s *server, method, path string, a access, op huma.Operation, h func(context.Context, *I) (*O, error)) {
	op.Method, op.Path = method, path
	// huma refuses a body that reaches its limit, so allow one byte more.
	op.MaxBodyBytes = MaxBodyBytes + 1
	if a == bearer {
		op.Security = []map[string][]string{{bearerScheme: {}}}
		op.Middlewares = append(op.Middlewares, s.authenticate)
		op.Errors = append(op.Errors, http.StatusUnauthorized)
	}
	op.Errors = append(op.Errors, http.StatusInternalServerError)
	huma.Register(s.api, op, h)
}

// documentOpenAPI describes GET /openapi.json, which is served outside
// huma from the finished document.
func (s *server) documentOpenAPI() {
	s.api.OpenAPI().AddOperation(&huma.Operation{
		OperationID: "getOpenApi",
		Method:      http.MethodGet,
		Path:        "/openapi.json",
		Summary:     "OpenAPI-document ophalen",
		Description: "Geeft dit OpenAPI 3.1-document. Hiervoor hoef je niet in te loggen.",
		Tags:        []string{"API"},
		Responses: map[string]*huma.Response{
			"200": {
				Description: "Het OpenAPI-document.",
				Content: map[string]*huma.MediaType{
					"application/json": {Schema: &huma.Schema{Type: huma.TypeObject, Description: "Een OpenAPI 3.1-document."}},
				},
			},
		},
	})
	s.mux.HandleFunc(http.MethodGet+" "+Prefix+"/openapi.json", s.handleOpenAPI)
}

// marshalOpenAPI renders the document once all operations are registered.
func (s *server) marshalOpenAPI() []byte {
	s.nullableMunicipality()
	b, err := json.Marshal(s.api.OpenAPI())
	if err != nil {
		panic(fmt.Sprintf("api: OpenAPI document: %v", err))
	}
	return b
}

// handleOpenAPI serves the document; anyone may read it, from any origin.
func (s *server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Write(s.openAPI) //nolint:errcheck // the client went away
}
