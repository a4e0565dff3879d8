package api_test

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/api"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

// TestOpenAPI checks the served document. With INWONERCLOUD_WRITE_OPENAPI
// set to a path it also writes the document there, for tools/apilint.
func TestOpenAPI(t *testing.T) {
	t.Parallel()
	// The document needs no database: services without a store will do.
	clk := clock.NewFake(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	srv := serve(t, api.Deps{
		Identity: identity.NewService(nil, clk, nil, "", nil), Tenants: tenant.NewService(nil, clk),
		Catalog: catalog(t), BaseURL: "https://inwonercloud.example/",
	})
	res := do(t, srv, request{method: "GET", path: "/api/v1/openapi.json"})
	if res.status != http.StatusOK {
		t.Fatalf("status %d, want 200 without login: %s", res.status, res.body)
	}
	if got := res.header.Get("API-Version"); got != api.Version {
		t.Errorf("API-Version = %q, want %q", got, api.Version)
	}
	if got := res.header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q", got)
	}
	if path := os.Getenv("INWONERCLOUD_WRITE_OPENAPI"); path != "" {
		if err := os.WriteFile(path, []byte(res.body), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	var doc openAPIDoc
	res.decode(t, &doc)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	wantInfo := openAPIInfo{Title: "Inwonercloud API", Version: api.Version}
	wantInfo.License.Identifier = "EUPL-1.2"
	gotInfo := doc.Info
	gotInfo.Description, gotInfo.Contact = "", openAPIContact{}
	if diff := cmp.Diff(wantInfo, gotInfo); diff != "" {
		t.Errorf("info (-want +got):\n%s", diff)
	}
	if c := doc.Info.Contact; c.Name == "" || c.Email == "" || c.URL == "" || doc.Info.Description == "" {
		t.Errorf("info lacks contact or description: %+v", doc.Info)
	}
	if diff := cmp.Diff([]openAPIServer{{URL: "https://inwonercloud.example/api/v1"}}, doc.Servers); diff != "" {
		t.Errorf("servers (-want +got):\n%s", diff)
	}
	if s := doc.Components.SecuritySchemes["bearerAuth"]; s.Type != "http" || s.Scheme != "bearer" {
		t.Errorf("bearerAuth = %+v, want http bearer", s)
	}

	// Every operation: documented, with the version header on each
	// response, problem+json for errors and a token only where needed.
	got := map[string]bool{}
	ids := map[string]bool{}
	for path, item := range doc.Paths {
		if strings.HasSuffix(path, "/") {
			t.Errorf("path %q ends in a slash", path)
		}
		for method, op := range item {
			got[strings.ToUpper(method)+" "+path] = len(op.Security) > 0
			if op.OperationID == "" || op.Summary == "" || op.Description == "" || len(op.Tags) == 0 {
				t.Errorf("%s %s lacks operationId, summary, description or tags", method, path)
			}
			if ids[op.OperationID] {
				t.Errorf("operationId %q used twice", op.OperationID)
			}
			ids[op.OperationID] = true
			for status, r := range op.Responses {
				if _, ok := r.Headers["API-Version"]; !ok {
					t.Errorf("%s %s %s: no API-Version header", method, path, status)
				}
				if status >= "400" {
					if _, ok := r.Content["application/problem+json"]; !ok || len(r.Content) != 1 {
						t.Errorf("%s %s %s: content %v, want only application/problem+json", method, path, status, keys(r.Content))
					}
				}
				if status == "422" {
					t.Errorf("%s %s documents 422; the API answers 400", method, path)
				}
			}
		}
	}
	want := map[string]bool{
		"GET /openapi.json":   false,
		"GET /municipalities": false,
		"POST /tokens":        false,
		"GET /tokens":         true,
		"DELETE /tokens/{id}": true,
		"GET /me":             true,
		// The resident's own data (story.go).
		"GET /stories/me":           true,
		"PUT /stories/me":           true,
		"GET /stories/me/versions":  true,
		"GET /stories/{residentId}": true,
		"GET /consents":             true,
		"POST /consents":            true,
		"GET /consents/{id}":        true,
		"DELETE /consents/{id}":     true,
		"GET /mandates":             true,
		"POST /mandates":            true,
		"DELETE /mandates/{id}":     true,
		"GET /access-log":           true,
		"GET /export":               true,
		// The public marketplace (offering.go).
		"GET /offerings":                        false,
		"GET /offerings/{id}":                   false,
		"GET /municipalities/{slug}/categories": false,
		// Providers, public (provider.go).
		"GET /providers":      false,
		"GET /providers/{id}": false,
		// Requests for offerings (request.go, request_action.go).
		"GET /requests":                            true,
		"POST /requests":                           true,
		"GET /requests/{id}":                       true,
		"POST /requests/{id}/accept":               true,
		"POST /requests/{id}/propose-time":         true,
		"POST /requests/{id}/decline":              true,
		"POST /requests/{id}/deliver":              true,
		"POST /requests/{id}/accept-proposed-time": true,
		"POST /requests/{id}/cancel":               true,
		// Reviews (review.go).
		"GET /offerings/{id}/reviews": false,
		"GET /reviews":                true,
		"POST /reviews":               true,
		"PUT /reviews/{id}":           true,
		"DELETE /reviews/{id}":        true,
		// Eigen budget (budget*.go).
		"GET /budgets":                  true,
		"POST /budgets":                 true,
		"GET /budgets/{id}":             true,
		"GET /budgets/{id}/decisions":   true,
		"POST /budgets/{id}/decisions":  true,
		"GET /agreements":               true,
		"POST /agreements":              true,
		"GET /agreements/{id}":          true,
		"POST /agreements/{id}/accept":  true,
		"POST /agreements/{id}/refuse":  true,
		"POST /agreements/{id}/approve": true,
		"POST /agreements/{id}/reject":  true,
		"POST /agreements/{id}/end":     true,
		"GET /claims":                   true,
		"POST /claims":                  true,
		"GET /claims/{id}":              true,
		"POST /claims/{id}/approve":     true,
		"POST /claims/{id}/dispute":     true,
		"POST /claims/{id}/reverse":     true,
		"GET /ledger-entries":           true,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("operations → needs token (-want +got):\n%s", diff)
	}
	problem := doc.Components.Schemas["Problem"].Properties
	for _, f := range []string{"type", "title", "status", "detail", "invalidParams"} {
		if _, ok := problem[f]; !ok {
			t.Errorf("schema Problem lacks %q", f)
		}
	}
}

func keys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

type openAPIDoc struct {
	OpenAPI    string                                 `json:"openapi"`
	Info       openAPIInfo                            `json:"info"`
	Servers    []openAPIServer                        `json:"servers"`
	Paths      map[string]map[string]openAPIOperation `json:"paths"`
	Components struct {
		SecuritySchemes map[string]struct{ Type, Scheme string } `json:"securitySchemes"`
		Schemas         map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"schemas"`
	} `json:"components"`
}

type openAPIInfo struct {
	Title       string         `json:"title"`
	Version     string         `json:"version"`
	Description string         `json:"description"`
	Contact     openAPIContact `json:"contact"`
	License     struct {
		Identifier string `json:"identifier"`
	} `json:"license"`
}

type openAPIContact struct{ Name, URL, Email string }

type openAPIServer struct {
	URL string `json:"url"`
}

type openAPIOperation struct {
	OperationID string                `json:"operationId"`
	Summary     string                `json:"summary"`
	Description string                `json:"description"`
	Tags        []string              `json:"tags"`
	Security    []map[string][]string `json:"security"`
	Responses   map[string]struct {
		Headers map[string]json.RawMessage `json:"headers"`
		Content map[string]json.RawMessage `json:"content"`
	} `json:"responses"`
}
