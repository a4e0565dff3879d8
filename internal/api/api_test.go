package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/api"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestAPI_Scenarios(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		k := newKit(t, db)
		k.resident("anna@example.org", "Anna")
		_, secret := k.staff("carla@example.org", "Carla")
		anna := k.token("anna@example.org", "").Token
		carla := k.token("carla@example.org", k.code(secret)).Token

		for _, sc := range []scenario{
			{
				name: "OpenAPINoLogin", request: request{method: "GET", path: "/api/v1/openapi.json"},
				status: 200, contains: []string{`"openapi":"3.1.0"`, `"/tokens/{id}"`, `"bearerAuth"`},
			},
			{
				name: "MunicipalitiesPublic", request: request{method: "GET", path: "/api/v1/municipalities"},
				status: 200, contains: []string{`{"municipalities":[{"id":"` + k.woerden.ID + `","slug":"woerden","name":"Woerden"}]}`},
			},
			{
				name: "MeResident", request: request{method: "GET", path: "/api/v1/me", token: anna},
				status: 200, contains: []string{`"email":"anna@example.org"`, `"slug":"woerden"`},
				excludes: []string{"argon2", "password", "totp"}, headers: map[string]string{"Cache-Control": "no-store"},
			},
			{
				name: "MeWithoutToken", request: request{method: "GET", path: "/api/v1/me"},
				status: 401, contains: []string{`"status":401`, `"code":"unauthorized"`, "Je bent niet ingelogd"},
				headers: map[string]string{"WWW-Authenticate": `Bearer realm="Inwonercloud"`},
			},
			{
				name: "MeGarbageToken", request: request{method: "GET", path: "/api/v1/me", token: "garbage"},
				status: 401, contains: []string{`"code":"unauthorized"`},
				headers: map[string]string{"WWW-Authenticate": `Bearer realm="Inwonercloud", error="invalid_token"`},
			},
			{
				name: "MeBasicAuth", request: request{method: "GET", path: "/api/v1/me", header: map[string]string{"Authorization": "Basic " + anna}},
				status: 401,
			},
			{
				name: "MeEnglish", request: request{method: "GET", path: "/api/v1/me", header: map[string]string{"Accept-Language": "en-GB,en;q=0.9"}},
				status: 401, contains: []string{"You are not logged in", `"title":"Not logged in"`}, excludes: []string{"ingelogd"},
				headers: map[string]string{"Content-Language": "en"},
			},
			{
				name: "MeTrailingSlash", request: request{method: "GET", path: "/api/v1/me/", token: anna},
				status: 404, contains: []string{`"code":"notFound"`}, headers: map[string]string{"Location": ""},
			},
			{name: "Root", request: request{method: "GET", path: "/api/v1"}, status: 404, headers: map[string]string{"Location": ""}},
			{name: "RootSlash", request: request{method: "GET", path: "/api/v1/"}, status: 404},
			{name: "UnknownPath", request: request{method: "GET", path: "/api/v1/nothing/here"}, status: 404},
			{
				name: "WrongMethod", request: request{method: "PUT", path: "/api/v1/me", token: anna},
				status: 405, contains: []string{`"code":"methodNotAllowed"`}, headers: map[string]string{"Allow": "GET, HEAD"},
			},
			{
				name: "TokenInvalidJSON", request: request{method: "POST", path: "/api/v1/tokens", body: `{"email":`},
				status: 400, contains: []string{`"code":"badRequest","invalidParams":[{"name":"body","code":"invalidJson","reason":"Dit is geen geldige JSON."}]`},
				excludes: []string{"unexpected end"},
			},
			{
				name: "TokenMissingFields", request: request{method: "POST", path: "/api/v1/tokens", body: `{}`},
				status: 400, contains: []string{
					`"code":"invalid"`,
					`{"name":"email","code":"required","reason":"Vul je e-mailadres in."}`,
					`{"name":"password","code":"required","reason":"Vul je wachtwoord in."}`,
				},
			},
			{
				name: "TokenMissingFieldsEnglish", request: request{method: "POST", path: "/api/v1/tokens", body: `{}`, header: map[string]string{"Accept-Language": "en"}},
				status: 400, contains: []string{`{"name":"email","code":"required","reason":"Enter your email address."}`},
			},
			{
				name: "TokenWrongTypes", request: request{method: "POST", path: "/api/v1/tokens", body: `{"email":5,"password":true}`},
				status: 400, contains: []string{`{"name":"email","code":"invalidType"`, `{"name":"password","code":"invalidType"`},
			},
			{
				name: "TokenUnknownField", request: request{method: "POST", path: "/api/v1/tokens", body: `{"email":"anna@example.org","password":"x","admin":true}`},
				status: 400, contains: []string{`{"name":"admin","code":"unknown"`},
			},
			{
				name: "TokenNoBody", request: request{method: "POST", path: "/api/v1/tokens"},
				status: 400, contains: []string{`{"name":"body","code":"required"`},
			},
			{
				name: "TokenBadEmail", request: request{method: "POST", path: "/api/v1/tokens", body: `{"email":"anna","password":"x"}`},
				status: 400, contains: []string{`{"name":"email","code":"invalid","reason":"Dit is geen goed e-mailadres.`},
			},
			{
				name: "TokenNameTooLong", request: request{method: "POST", path: "/api/v1/tokens", body: `{"email":"anna@example.org","password":"x","name":"` + strings.Repeat("a", 101) + `"}`},
				status: 400, contains: []string{`{"name":"name","code":"tooLong","reason":"Deze naam is te lang.`},
			},
			{
				name: "TokenNotJSON", request: request{method: "POST", path: "/api/v1/tokens", body: `email=anna`, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}},
				status: 415, contains: []string{`"code":"unsupportedMediaType"`}, excludes: []string{"invalidParams"},
			},
			{
				name: "TokenTooLarge", request: request{method: "POST", path: "/api/v1/tokens", body: `{"name":"` + strings.Repeat("a", api.MaxBodyBytes) + `"}`},
				status: 413, contains: []string{`"code":"tooLarge"`},
			},
			{
				name: "StaffWithoutCode", request: request{method: "POST", path: "/api/v1/tokens", body: `{"email":"carla@example.org","password":"` + password + `"}`},
				status: 401, contains: []string{`"code":"codeRequired"`, `"invalidParams":[{"name":"code","code":"required","reason":"Vul de code in."}]`},
				excludes: []string{`"token"`},
			},
			{
				name: "StaffWrongCode", request: request{method: "POST", path: "/api/v1/tokens", body: `{"email":"carla@example.org","password":"` + password + `","code":"000000"}`},
				status: 401, contains: []string{`"code":"codeWrong"`, `{"name":"code","code":"wrong"`}, excludes: []string{`"token"`},
			},
		} {
			k.check(t, sc)
		}

		t.Run("MeShowsResident", func(t *testing.T) {
			var got api.Me
			k.do(request{method: "GET", path: "/api/v1/me", token: anna}).decode(t, &got)
			want := api.Me{
				ID: got.ID, Email: "anna@example.org", DisplayName: "Anna", Locale: "nl",
				HomeMunicipality: &api.Municipality{ID: k.woerden.ID, Slug: "woerden", Name: "Woerden"},
				Roles:            []api.Role{{Role: "citizen", MunicipalityID: &k.woerden.ID}},
			}
			if diff := cmp.Diff(want, got); diff != "" || got.ID == "" {
				t.Errorf("me (-want +got):\n%s", diff)
			}
		})
		t.Run("MeShowsStaff", func(t *testing.T) {
			res := k.do(request{method: "GET", path: "/api/v1/me", token: carla})
			var got api.Me
			res.decode(t, &got)
			want := api.Me{
				ID: got.ID, Email: "carla@example.org", DisplayName: "Carla", Locale: "nl",
				Roles: []api.Role{{Role: "consultant", MunicipalityID: &k.woerden.ID}}, SecondFactor: true,
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("me (-want +got):\n%s", diff)
			}
			if !strings.Contains(res.body, `"homeMunicipality":null`) || !strings.Contains(res.body, `"organisationId":null`) {
				t.Errorf("absent values should be null: %s", res.body)
			}
		})
	})
}

func TestAPI_LoginFailures(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		k := newKit(t, db)
		k.resident("anna@example.org", "Anna")
		login := func(email, pw string, header map[string]string) response {
			return k.do(request{method: "POST", path: "/api/v1/tokens", header: header,
				body: `{"email":"` + email + `","password":"` + pw + `"}`})
		}

		t.Run("UnknownEmailLikeWrongPassword", func(t *testing.T) {
			wrong := login("anna@example.org", "niet mijn wachtwoord", nil)
			unknown := login("nobody@example.org", "niet mijn wachtwoord", nil)
			checkResponse(t, wrong, scenario{status: 401, contains: []string{`"code":"loginFailed"`}})
			if wrong.status != unknown.status || wrong.body != unknown.body {
				t.Errorf("wrong password and unknown e-mail differ:\n%d %s\n%d %s", wrong.status, wrong.body, unknown.status, unknown.body)
			}
			for _, h := range []string{"Content-Type", "WWW-Authenticate", "Content-Language"} {
				if wrong.header.Get(h) != unknown.header.Get(h) {
					t.Errorf("header %s differs: %q, %q", h, wrong.header.Get(h), unknown.header.Get(h))
				}
			}
		})

		t.Run("LockedAfterRepeatedFailures", func(t *testing.T) {
			// One failure above already counts for anna's address.
			var got []int
			for range 5 {
				got = append(got, login("anna@example.org", "niet mijn wachtwoord", nil).status)
			}
			want := []int{401, 401, 401, 429, 429}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("statuses of failed logins (-want +got):\n%s", diff)
			}
			// Locked: the right password does not help, and neither does
			// claiming another address.
			res := login("anna@example.org", password, map[string]string{"X-Forwarded-For": "10.9.8.7"})
			checkResponse(t, res, scenario{status: 429, contains: []string{`"code":"loginLocked"`}, excludes: []string{`"token"`}})
		})
	})
}

func TestAPI_Tokens(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		k := newKit(t, db)
		k.resident("anna@example.org", "Anna")
		k.resident("bert@example.org", "Bert")
		first := k.token("anna@example.org", "")
		k.clock.Advance(time.Minute)
		second := k.token("anna@example.org", "")
		bert := k.token("bert@example.org", "")

		t.Run("List", func(t *testing.T) {
			res := k.do(request{method: "GET", path: "/api/v1/tokens", token: first.Token})
			checkResponse(t, res, scenario{status: 200, excludes: []string{first.Token, second.Token, bert.ID, "hash"}})
			var got api.TokenList
			res.decode(t, &got)
			now := k.clock.Now()
			want := []api.Token{
				{ID: second.ID, Name: "API", CreatedAt: now, ExpiresAt: second.ExpiresAt},
				{ID: first.ID, Name: "API", CreatedAt: now.Add(-time.Minute), ExpiresAt: first.ExpiresAt, LastUsedAt: &now},
			}
			if diff := cmp.Diff(want, got.Tokens); diff != "" {
				t.Errorf("tokens, newest first (-want +got):\n%s", diff)
			}
			for _, s := range []string{`"createdAt":"` + now.Format(time.RFC3339) + `"`, `"lastUsedAt":null`} {
				if !strings.Contains(res.body, s) {
					t.Errorf("body lacks %s: %s", s, res.body)
				}
			}
		})

		for _, sc := range []scenario{
			{name: "RevokeSomeoneElses", request: request{method: "DELETE", path: "/api/v1/tokens/" + bert.ID, token: first.Token}, status: 404},
			{name: "RevokeUnknown", request: request{method: "DELETE", path: "/api/v1/tokens/nothing", token: first.Token}, status: 404},
			{
				name: "RevokeIDTooLong", request: request{method: "DELETE", path: "/api/v1/tokens/" + strings.Repeat("a", 65), token: first.Token},
				status: 400, contains: []string{`{"name":"id","code":"tooLong"`},
			},
			{name: "RevokeWithoutToken", request: request{method: "DELETE", path: "/api/v1/tokens/" + second.ID}, status: 401},
			{name: "BertStillWorks", request: request{method: "GET", path: "/api/v1/me", token: bert.Token}, status: 200},
			{name: "RevokeOwn", request: request{method: "DELETE", path: "/api/v1/tokens/" + second.ID, token: first.Token}, status: 204},
			{name: "RevokedTokenFails", request: request{method: "GET", path: "/api/v1/me", token: second.Token}, status: 401},
			{name: "RevokeAgain", request: request{method: "DELETE", path: "/api/v1/tokens/" + second.ID, token: first.Token}, status: 404},
			{
				name: "ListWithoutRevoked", request: request{method: "GET", path: "/api/v1/tokens", token: first.Token},
				status: 200, contains: []string{first.ID}, excludes: []string{second.ID},
			},
			{name: "RevokeSelf", request: request{method: "DELETE", path: "/api/v1/tokens/" + first.ID, token: first.Token}, status: 204},
			{name: "SelfRevokedFails", request: request{method: "GET", path: "/api/v1/tokens", token: first.Token}, status: 401},
		} {
			k.check(t, sc)
		}
	})
}

func TestAPI_InternalErrorNotShown(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		k := newKit(t, db)
		db.Close()
		res := k.do(request{method: "GET", path: "/api/v1/municipalities"})
		checkResponse(t, res, scenario{status: http.StatusInternalServerError, contains: []string{`"code":"internal"`, "Er ging iets mis bij ons"}})
		var p map[string]any
		res.decode(t, &p)
		if diff := cmp.Diff([]string{"code", "detail", "status", "title", "type"}, sortedKeys(p)); diff != "" {
			t.Errorf("members of a 500 (-want +got):\n%s", diff)
		}
		if log := k.log.String(); !strings.Contains(log, "api: request failed") || !strings.Contains(log, "route=\"GET /api/v1/municipalities\"") {
			t.Errorf("internal error not logged: %s", log)
		}
	})
}

func sortedKeys(m map[string]any) []string {
	ks := keys(m)
	slices.Sort(ks)
	return ks
}
