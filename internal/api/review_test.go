package api_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/api"
	"github.com/inwonercloud/inwonercloud/internal/app/market"
	requestapp "github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/app/review"
	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/core/vault"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// reviewKit is the API with the marketplace, the requests app and
// reviews: one provider with one published offering in Woerden, its
// admin, and a moderator.
type reviewKit struct {
	*kit
	db       *sqlstore.DB
	requests *requestapp.Service
	reviews  *review.Service
	offering market.Offering
	admin    identity.Person // provider_admin
	mod      identity.Person // moderator in Woerden
}

func newReviewKit(t *testing.T, db *sqlstore.DB) *reviewKit {
	t.Helper()
	ctx := context.Background()
	k := &kit{t: t, clock: clock.NewFake(time.Now().UTC().Truncate(time.Millisecond)), mail: &fakeMailer{}, log: &logBuffer{}}
	log := slog.New(slog.NewTextHandler(k.log, nil))
	k.identity = identity.NewService(db, k.clock, k.mail, "https://inwonercloud.example", log)
	k.tenants = tenant.NewService(db, k.clock)
	k.woerden = sqltest.Municipality(t, db, "woerden")
	rk := &reviewKit{kit: k, db: db}
	al := audit.NewLog(db, k.clock)
	cs, err := consent.NewService(db, al, k.clock, consent.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ring, err := vault.NewKeyring()
	if err != nil {
		t.Fatal(err)
	}
	rk.reviews = review.NewService(db, cs, review.FromRequests(func() review.Requests { return rk.requests }), k.clock, review.Options{})
	mk := market.NewService(db, k.clock, market.Options{Ratings: rk.reviews})
	rk.requests = requestapp.NewService(db, cs, mk, vault.New(sqltest.Open(t, db.Dialect()), ring, k.clock), k.clock, requestapp.Options{Log: log})
	k.srv = serve(t, api.Deps{Identity: k.identity, Tenants: k.tenants, Catalog: catalog(t), Log: log, BaseURL: "https://inwonercloud.example",
		Consent: cs, Audit: al, Market: mk, Requests: rk.requests, Reviews: rk.reviews})

	org := sqltest.Organisation(t, db, "Thuiszorg Het Groene Hart", k.woerden)
	rk.admin = sqltest.Person(t, db, sqltest.PersonSpec{Email: "eva@groenehart.example", TOTP: true, Roles: []identity.RoleAssignment{
		{Role: identity.RoleProviderAdmin, MunicipalityID: k.woerden.ID, OrganisationID: org.ID}}})
	rk.mod = sqltest.Staff(t, db, k.woerden, identity.RoleModerator, "moderator@woerden.example")
	cat, err := mk.CreateCategory(ctx, nil, market.Category{MunicipalityID: k.woerden.ID, Name: "Huishoudelijke hulp"})
	if err != nil {
		t.Fatal(err)
	}
	o, err := mk.CreateOffering(ctx, nil, org.ID, market.Content{
		MunicipalityIDs: []string{k.woerden.ID}, CategoryIDs: []string{cat.ID}, Title: "Hulp in de huishouding",
		Summary: "Hulp thuis.", Description: "Een vaste hulp maakt schoon.", HowToRequest: "Vraag het aan.",
		CostType: market.CostFree, Kind: market.KindProfessional,
	}, true)
	if err == nil {
		o, err = mk.Approve(ctx, nil, o.ID, o.Version)
	}
	if err != nil {
		t.Fatal(err)
	}
	rk.offering = o
	return rk
}

// delivered has p request the kit's offering and the provider deliver it;
// sent only sends it.
func (rk *reviewKit) request(p identity.Person, deliver bool) requestapp.Request {
	rk.t.Helper()
	ctx := context.Background()
	r, err := rk.requests.Create(ctx, &p, "", rk.offering.ID, "Graag hulp bij het schoonmaken.", "")
	if err == nil && deliver {
		if r, err = rk.requests.Accept(ctx, &rk.admin, r.ID, r.Version); err == nil {
			r, err = rk.requests.Deliver(ctx, &rk.admin, r.ID, r.Version)
		}
	}
	if err != nil {
		rk.t.Fatal(err)
	}
	return r
}

// approveAll has the moderator approve every text awaiting moderation.
func (rk *reviewKit) approveAll() {
	rk.t.Helper()
	ctx := context.Background()
	q, err := rk.reviews.Queue(ctx, rk.mod)
	if err != nil {
		rk.t.Fatal(err)
	}
	for _, it := range q {
		if err := rk.reviews.Approve(ctx, rk.mod, it.Submission.ID); err != nil {
			rk.t.Fatal(err)
		}
	}
}

func reviewBody(requestID, text string) string {
	return `{"requestId":"` + requestID + `","overall":4,"information":4,"treatment":5,"result":3,"recommend":true,` +
		`"text":"` + text + `","display":"pseudonym","pseudonym":"Zonnebloem"}`
}

// TestAPI_Reviews: a review needs a delivered request of the token's
// person; it is public only after moderation; the author lists, changes
// and withdraws it; nobody else can touch it.
func TestAPI_Reviews(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newReviewKit(t, db)
		anna := k.resident("anna@example.org", "Anna de Vries")
		bob := k.resident("bob@example.org", "Bob")
		annaTok, bobTok := k.token("anna@example.org", "").Token, k.token("bob@example.org", "").Token
		sent := k.request(anna, false)
		delivered := k.request(anna, true)
		bobs := k.request(bob, true)
		text := "Fijne hulp, altijd op tijd en vriendelijk."
		post := func(tok, body string) request {
			return request{method: "POST", path: "/api/v1/reviews", token: tok, body: body}
		}
		public := "/api/v1/offerings/" + k.offering.ID + "/reviews"

		for _, sc := range []scenario{
			{name: "NoToken", request: post("", reviewBody(delivered.ID, text)), status: http.StatusUnauthorized},
			{name: "UnknownRequest", request: post(annaTok, reviewBody(id.New(), text)), status: http.StatusNotFound, contains: []string{`"code":"noDelivery"`}},
			{name: "NotDelivered", request: post(annaTok, reviewBody(sent.ID, text)), status: http.StatusNotFound, contains: []string{`"code":"noDelivery"`}},
			{name: "SomeoneElses", request: post(bobTok, reviewBody(delivered.ID, text)), status: http.StatusNotFound, contains: []string{`"code":"noDelivery"`}},
			{name: "BadFields", request: post(bobTok, `{"requestId":"`+bobs.ID+`","overall":4,"information":4,"treatment":5,"result":3,"recommend":true,"text":"Kort","display":"pseudonym","pseudonym":"Bob"}`),
				status: http.StatusBadRequest, contains: []string{`"invalidParams"`, `"name":"text"`, `"name":"pseudonym"`}},
			{name: "Created", request: post(annaTok, reviewBody(delivered.ID, text)), status: http.StatusCreated,
				contains: []string{`"status":"pending"`, `"pending":true`, `"requestId":"` + delivered.ID + `"`}},
			{name: "Once", request: post(annaTok, reviewBody(delivered.ID, text)), status: http.StatusConflict, contains: []string{`"code":"exists"`}},
			{name: "NotPublicYet", request: request{method: "GET", path: public}, status: http.StatusOK, contains: []string{`"total":0`, `"count":0`}, excludes: []string{text}},
			{name: "Mine", request: request{method: "GET", path: "/api/v1/reviews", token: annaTok}, status: http.StatusOK, contains: []string{text, `"status":"pending"`}},
			{name: "NotBobs", request: request{method: "GET", path: "/api/v1/reviews", token: bobTok}, status: http.StatusOK, excludes: []string{text}},
			{name: "UnknownOffering", request: request{method: "GET", path: "/api/v1/offerings/" + id.New() + "/reviews"}, status: http.StatusNotFound},
		} {
			k.check(t, sc)
		}
		mine, err := k.reviews.Mine(context.Background(), review.Actor{Person: anna})
		if err != nil || len(mine) != 1 {
			t.Fatalf("mine %v %v", mine, err)
		}
		one := "/api/v1/reviews/" + mine[0].ID
		k.approveAll()
		changed := strings.Replace(reviewBody("", "Achteraf viel het tegen."), `"requestId":"",`, "", 1)
		for _, sc := range []scenario{
			{name: "Published", request: request{method: "GET", path: public}, status: http.StatusOK,
				contains: []string{text, `"pseudonym":"Zonnebloem"`, `"count":1`, `"average":4`, `"distribution":[0,0,0,1,0]`, `"recommendPercent":100`},
				excludes: []string{anna.ID, "Anna"}},
			{name: "UpdateOthers", request: request{method: "PUT", path: one, token: bobTok, body: changed}, status: http.StatusNotFound},
			{name: "Update", request: request{method: "PUT", path: one, token: annaTok, body: changed}, status: http.StatusOK,
				contains: []string{`"pending":true`, `"status":"published"`, "Achteraf viel het tegen."}},
			{name: "PublishedStays", request: request{method: "GET", path: public}, status: http.StatusOK, contains: []string{text}, excludes: []string{"Achteraf"}},
			{name: "DeleteOthers", request: request{method: "DELETE", path: one, token: bobTok}, status: http.StatusNotFound},
			{name: "Delete", request: request{method: "DELETE", path: one, token: annaTok}, status: http.StatusNoContent},
			{name: "Gone", request: request{method: "GET", path: public}, status: http.StatusOK, contains: []string{`"count":0`, `"total":0`}, excludes: []string{text}},
			{name: "DeleteAgain", request: request{method: "DELETE", path: one, token: annaTok}, status: http.StatusConflict},
			{name: "AgainForSameDelivery", request: post(annaTok, reviewBody(delivered.ID, text)), status: http.StatusConflict},
		} {
			k.check(t, sc)
		}
	})
}

// TestAPI_ReviewProviderRefused: a person with a role at the provider
// cannot rate its offering through the API, even with a delivered request.
func TestAPI_ReviewProviderRefused(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newReviewKit(t, db)
		anna := k.resident("anna@example.org", "Anna de Vries")
		tok := k.token("anna@example.org", "").Token
		delivered := k.request(anna, true)
		ra := identity.RoleAssignment{ID: id.New(), PersonID: anna.ID, Role: identity.RoleProfessional, OrganisationID: k.offering.ProviderOrgID,
			MunicipalityID: k.woerden.ID, CreatedAt: k.clock.Now()}
		if err := db.AddRole(context.Background(), &ra); err != nil {
			t.Fatal(err)
		}
		k.check(t, scenario{name: "OwnProvider", request: request{method: "POST", path: "/api/v1/reviews", token: tok,
			body: reviewBody(delivered.ID, "Heel goed geholpen door ons team.")}, status: http.StatusForbidden, contains: []string{`"code":"ownProvider"`}})
	})
}
