package web_test

import (
	"context"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/i18n"
	"github.com/inwonercloud/inwonercloud/internal/seed"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// Where templates name message keys literally.
var templateKeyREs = []*regexp.Regexp{
	regexp.MustCompile(`\.T\s+"([^"]+)"`),                    // .T "key", $.T "key"
	regexp.MustCompile(`\.Field\s+"[^"]+"\s+"([^"]+)"`),      // .Field "name" "label key"
	regexp.MustCompile(`"hint=([^"]+)"`),                     // .Field … "hint=key"
	regexp.MustCompile(`\(print\s+"([a-z0-9_.]+[a-z0-9_])"`), // (print "whole.key") without parts
}

// goKeyRE matches a string literal that looks like a message key.
var goKeyRE = regexp.MustCompile(`"([a-z0-9_]+(?:\.[a-z0-9_]+)+)"`)

// TestCatalog_HasEveryKeyUsed checks that every message key the templates
// and the Go code name, and every key they build from parts, exists in
// both catalogues: a missing key would show as the key itself.
func TestCatalog_HasEveryKeyUsed(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]string{} // key → where

	// Templates.
	err = filepath.WalkDir("templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, re := range templateKeyREs {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				used[m[1]] = path
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	fromTemplates := len(used)
	if fromTemplates < 150 {
		t.Fatalf("found only %d keys in the templates; the patterns no longer match", fromTemplates)
	}

	// Go code of the web layer and the services whose keys it shows.
	prefixes := map[string]bool{}
	for k := range cat.Keys("nl") {
		p, _, _ := strings.Cut(k, ".")
		prefixes[p] = true
	}
	mailTemplate := regexp.MustCompile(`s\.(?:send|notify)\(ctx, [a-z]+, "([a-z_]+)"`)
	appKey := regexp.MustCompile(`Key: "([a-z_]+)"`)
	for _, dir := range []string{".", "../core/identity", "../core/tenant", "../core/errs"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			src := string(b)
			for _, m := range goKeyRE.FindAllStringSubmatch(src, -1) {
				if p, _, _ := strings.Cut(m[1], "."); prefixes[p] {
					used[m[1]] = f
				}
			}
			for _, m := range mailTemplate.FindAllStringSubmatch(src, -1) {
				used["mail."+m[1]+".subject"], used["mail."+m[1]+".body"] = f, f
			}
			for _, m := range appKey.FindAllStringSubmatch(src, -1) {
				used["app."+m[1]+".name"], used["app."+m[1]+".text"] = f, f
			}
		}
	}

	// Keys built from parts.
	for _, r := range identity.Roles {
		used["role."+string(r)] = "identity.Roles"
	}
	for _, s := range []int{400, 401, 403, 404, 409, 413, 422, 429, 500, 503} {
		used[fmt.Sprintf("error.text.%d", s)] = "statusOf"
	}
	for _, n := range []string{"not_found", "forbidden", "unauthorized", "too_many", "conflict", "bad_request", "too_large", "unavailable", "internal"} {
		used["error.title."+n] = "errorTitle"
	}

	var missing []string
	for key, where := range used {
		for _, lang := range i18n.Languages {
			if !cat.Has(lang, key) {
				missing = append(missing, fmt.Sprintf("%s: %q (used in %s)", lang, key, where))
			}
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Error("missing message", m)
	}
	t.Logf("%d keys used (%d literal in templates), %d in the catalogue", len(used), fromTemplates, len(cat.Keys("nl")))
}

// TestTemplates_EveryPageInBothLanguages renders every page template in
// Dutch and English, with and without form errors, so checkPage sees each
// one (no untranslated key, strict markup) and each shows its own heading.
func TestTemplates_EveryPageInBothLanguages(t *testing.T) {
	t.Parallel()
	pages, err := filepath.Glob("templates/pages/*.html")
	if err != nil {
		t.Fatal(err)
	}
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel() // the databases side by side
		k := newKit(t, db)
		ctx := context.Background()
		// Fill the pages that list things.
		if _, _, err := k.identity.IssueToken(ctx, identity.TokenRequest{Credentials: identity.Credentials{Email: resident, Password: seed.Password, Address: "192.0.2.1"}, Name: "Budget-app"}); err != nil {
			t.Fatal(err)
		}
		if err := k.identity.RequestPasswordReset(ctx, resident2); err != nil {
			t.Fatal(err)
		}
		resetLink := k.mailLink(t, resident2).RequestURI()
		// The marketplace, and one offering to show.
		k.seedMarket(t)
		hits, err := k.market.Search(ctx, nil, market.Query{Text: "huishoudelijke hulp", MunicipalityID: k.muni["woerden"].ID})
		if err != nil || len(hits.Hits) == 0 {
			t.Fatalf("market search: %v", err)
		}
		offering := hits.Hits[0].Offering
		rf := k.requestFixtures(t) // requests for an offering of the demo provider
		// Anna's reviews: one published, one awaiting a moderator, a delivery to review.
		rv := k.reviewFixtures(t)
		bf := k.budgetFixtures(t) // a budget with an agreement, a claim and a proposal
		// The provider portal, the approval queue and the category tree.
		proposal, category := portalFixture(t, k)
		novice := sqltest.Person(t, db, sqltest.PersonSpec{Email: "novice@example.nl", Name: "Nora Nieuw",
			Roles: []identity.RoleAssignment{sqltest.Role(identity.RoleEditor, k.muni["woerden"])}})

		// Sharing: a grant with a receipt, a mandate, and a read in the access log.
		annaP, carlaP := k.person(t, resident), k.person(t, professional)
		grant, err := k.consent.Grant(ctx, annaP, consent.NewGrant{GranteePersonID: carlaP.ID, Categories: []string{"story:finances"},
			Permission: consent.PermissionRead, Purpose: consent.PurposeSupportPlan})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := k.consent.Appoint(ctx, annaP, consent.NewMandate{DelegateID: k.person(t, "mantelzorger@demo.inwonercloud.nl").ID,
			Kind: consent.MandateTrustedPerson, Scope: []string{"story", "consent"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := k.consent.GrantsBy(ctx, carlaP, annaP.ID); err == nil {
			t.Fatal("a professional read a resident's consents")
		}

		for _, lang := range i18n.Languages {
			t.Run(lang, func(t *testing.T) {
				in := func(c *client) *client {
					c.header.Set("Accept-Language", lang)
					c.header.Set("Cookie", "ic_lang="+lang)
					return c
				}
				anon := in(k.client())
				anna := in(k.as(t, resident))
				fresh := in(k.fresh(t, resident)) // for the pages behind a step-up
				admin := in(k.as(t, tenantAdmin))
				platform := in(k.as(t, platformAdmin))
				pending := in(k.as(t, professional, identity.StateSecondFactor))
				enrol := in(k.as(t, novice.Email, identity.StateSecondFactor))
				// Each language turns on a second factor for another resident.
				mfa := in(k.as(t, map[string]string{"nl": resident2, "en": "mantelzorger@demo.inwonercloud.nl"}[lang]))
				mfa.post(t, "/account/tweestapsverificatie/starten", nil)

				type step struct {
					template string
					c        *client
					method   string
					path     string
					form     url.Values
					status   int
					h1       string
				}
				steps := []step{
					{"accessibility", anon, "GET", "/toegankelijkheid", nil, 200, "a11y.title"},
					{"home", anon, "GET", "/", nil, 200, "home.title_public"},
					{"home", anna, "GET", "/", nil, 200, "home.welcome"},
					{"home", admin, "GET", "/", nil, 200, "home.welcome"},
					{"error", anon, "GET", "/bestaat-niet", nil, 404, "error.title.not_found"},
					{"error", anna, "GET", "/beheer/gemeenten", nil, 404, "error.title.not_found"},
					{"login", anon, "GET", "/inloggen", nil, 200, "login.title"},
					{"security", anon, "GET", "/beveiliging", nil, 200, "security.title"},
					{"export", anna, "GET", "/account/gegevens", nil, 200, "rights.export.title"},
					{"erase", anna, "GET", "/account/verwijderen", nil, 200, "rights.erase.title"},
					{"erase", anna, "POST", "/account/verwijderen", url.Values{}, 422, "rights.erase.title"},
					{"login", anon, "POST", "/inloggen", url.Values{}, 422, "login.title"},
					{"login", anon, "POST", "/inloggen", url.Values{"email": {"x@example.nl"}, "password": {"x"}}, 422, "login.title"},
					{"login_code", pending, "GET", "/inloggen/code", nil, 200, "login_code.title"},
					{"login_code", pending, "POST", "/inloggen/code", url.Values{}, 422, "login_code.title"},
					{"mfa_enrol", enrol, "GET", "/inloggen/instellen", nil, 200, "mfa_enrol.title"},
					{"mfa_enrol", enrol, "POST", "/inloggen/instellen", url.Values{"code": {"1"}}, 422, "mfa_enrol.title"},
					{"register", anon, "GET", "/registreren", nil, 200, "register.title"},
					{"register", anon, "POST", "/registreren", url.Values{}, 422, "register.title"},
					{"verify_email", anon, "GET", "/e-mail-bevestigen?token=x", nil, 200, "verify.title"},
					{"verify_email", anon, "POST", "/e-mail-bevestigen", url.Values{"token": {"x"}}, 422, "verify.title"},
					{"forgot", anon, "GET", "/wachtwoord-vergeten", nil, 200, "forgot.title"},
					{"forgot", anon, "POST", "/wachtwoord-vergeten", url.Values{}, 422, "forgot.title"},
					{"forgot", anon, "POST", "/wachtwoord-vergeten", url.Values{"email": {"x@example.nl"}}, 200, "forgot.title"},
					{"reset", anon, "GET", resetLink, nil, 200, "reset.title"},
					{"reset", anon, "GET", "/wachtwoord-herstellen?token=x", nil, 200, "reset.title"},
					{"reset", anon, "POST", "/wachtwoord-herstellen", url.Values{"token": {"x"}, "password": {"a"}, "password2": {"b"}}, 422, "reset.title"},
					{"idle_expired", anon, "GET", "/sessie/verlopen", nil, 200, "idle_expired.title"},
					{"idle_expired", anna, "GET", "/sessie/verlopen", nil, 200, "idle_expired.still"},
					{"idle_warning", anna, "GET", "/sessie/verloopt", nil, 200, "idle.title"},
					{"account", anna, "GET", "/account", nil, 200, "account.title"},
					{"account", anna, "POST", "/account", url.Values{"locale": {"xx"}}, 422, "account.title"},
					{"password", anna, "GET", "/account/wachtwoord", nil, 200, "password.title"},
					{"password", anna, "POST", "/account/wachtwoord", url.Values{"password": {"a"}}, 422, "password.title"},
					{"sessions", anna, "GET", "/account/sessies", nil, 200, "sessions.title"},
					{"tokens", anna, "GET", "/account/tokens", nil, 200, "tokens.title"},
					{"tokens", admin, "GET", "/account/tokens", nil, 200, "tokens.title"},
					{"mfa", anna, "GET", "/account/tweestapsverificatie", nil, 200, "mfa.title"},
					{"mfa", admin, "GET", "/account/tweestapsverificatie", nil, 200, "mfa.title"},
					{"mfa", mfa, "GET", "/account/tweestapsverificatie", nil, 200, "mfa.title"},
					{"mfa", mfa, "POST", "/account/tweestapsverificatie/bevestigen", url.Values{}, 422, "mfa.title"},
					{"admin_staff", admin, "GET", "/beheer/medewerkers", nil, 200, "staff.title"},
					{"admin_staff", admin, "POST", "/beheer/medewerkers", url.Values{"organisation": {"x"}}, 422, "staff.title"},
					{"admin_municipalities", platform, "GET", "/beheer/gemeenten", nil, 200, "municipalities.title"},
					{"admin_municipalities", platform, "POST", "/beheer/gemeenten", url.Values{}, 422, "municipalities.title"},
					{"admin_mandate", in(k.fresh(t, "consulent@demo.inwonercloud.nl")), "GET", "/beheer/machtigingen", nil, 200, "adminmandate.title"},
					{"admin_mandate", in(k.fresh(t, "consulent@demo.inwonercloud.nl")), "POST", "/beheer/machtigingen", url.Values{"resident": {"x@example.nl"}}, 422, "adminmandate.title"},
					{"outbox", anon, "GET", "/demo/outbox", nil, 200, "outbox.title"},
					{"stepup", anna, "GET", "/bevestig-wachtwoord?terug=%2Fdelen%2Fnieuw", nil, 200, "stepup.title"},
					{"stepup", anna, "POST", "/bevestig-wachtwoord", url.Values{"terug": {"/delen"}}, 422, "stepup.title"},
					{"consent", anna, "GET", "/delen", nil, 200, "consent.title"},
					{"consent_new", fresh, "GET", "/delen/nieuw", nil, 200, "consent_new.title"},
					{"consent_new", fresh, "POST", "/delen/nieuw", url.Values{"grantee_email": {"x@example.nl"}}, 422, "consent_new.title"},
					{"consent_show", anna, "GET", "/delen/" + grant.ID, nil, 200, "consent_show.title"},
					{"consent_show", fresh, "POST", "/delen/" + grant.ID + "/verlengen", url.Values{"valid_until": {"x"}}, 422, "consent_show.title"},
					{"mandate", anna, "GET", "/machtigingen", nil, 200, "mandate.title"},
					{"mandate", in(k.as(t, "mantelzorger@demo.inwonercloud.nl")), "GET", "/machtigingen", nil, 200, "mandate.title"},
					{"mandate_new", fresh, "GET", "/machtigingen/nieuw", nil, 200, "mandate_new.title"},
					{"mandate_new", fresh, "POST", "/machtigingen/nieuw", url.Values{}, 422, "mandate_new.title"},
					{"accesslog", anna, "GET", "/wie-keek-mee", nil, 200, "accesslog.title"},
					{"accesslog", anna, "GET", "/wie-keek-mee?van=x", nil, 422, "accesslog.title"},
					{"story", anna, "GET", "/verhaal", nil, 200, "story.title"},
					{"story", anna, "GET", "/verhaal/afdrukken", nil, 200, "story.print.title"},
					{"story", anna, "GET", "/verhaal/download", nil, 200, "story.print.title"},
					{"story_edit", anna, "GET", "/verhaal/bewerken", nil, 200, "story.edit.title"},
					{"story_edit", anna, "POST", "/verhaal/bewerken", url.Values{"narrative": {strings.Repeat("a", 20001)}, "finances_rating": {"9"}}, 422, "story.edit.title"},
					{"story_versions", anna, "GET", "/verhaal/versies", nil, 200, "story.versions.title"},
					{"shared", admin, "GET", "/gedeeld", nil, 200, "shared.title"},
					{"market_search", anon, "GET", "/aanbod", nil, 200, "market.search.title"},
					{"market_search", anon, "GET", "/aanbod?q=hulp&cost_type%5B%5D=free&kind=volunteer&open=1", nil, 200, "market.search.title"},
					{"market_search", anna, "GET", "/aanbod?postcode=3441&distance=10&sort=distance", nil, 200, "market.search.title"},
					{"market_search", anon, "GET", "/aanbod?q=zeppelin", nil, 200, "market.search.title"},
					{"market_search", anon, "GET", "/aanbod?postcode=abc&sort=x", nil, 422, "market.search.title"},
					{"market_offering", anon, "GET", "/aanbod/" + offering.ID, nil, 200, offering.Title},
					{"market_request_new", anna, "GET", "/aanbod/" + rf.offering.ID + "/aanvragen", nil, 200, k.catalog.T(lang, "request.new.heading", map[string]string{"Title": rf.offering.Title})},
					{"market_request_new", anna, "POST", "/aanbod/" + rf.offering.ID + "/aanvragen", url.Values{}, 422, k.catalog.T(lang, "request.new.heading", map[string]string{"Title": rf.offering.Title})},
					{"market_request_list", anna, "GET", "/aanvragen", nil, 200, "request.list.title"},
					{"market_request_show", anna, "GET", "/aanvragen/" + rf.proposed.ID, nil, 200, k.catalog.T(lang, "request.show.heading", map[string]string{"Title": rf.offering.Title})},
					{"market_request_show", anna, "GET", "/aanvragen/" + rf.delivered.ID, nil, 200, k.catalog.T(lang, "request.show.heading", map[string]string{"Title": rf.offering.Title})},
					{"market_request_show", anna, "POST", "/aanvragen/" + rf.sent.ID + "/tijd-accepteren", url.Values{"version": {"1"}}, 422, k.catalog.T(lang, "request.show.heading", map[string]string{"Title": rf.offering.Title})},
					{"market_request_provider_list", in(k.as(t, "aanbieder@demo.inwonercloud.nl")), "GET", "/aanbieder/aanvragen", nil, 200, "request.provider.list.title"},
					{"market_request_provider_list", in(k.as(t, "aanbieder@demo.inwonercloud.nl")), "GET", "/aanbieder/aanvragen?status=x", nil, 422, "request.provider.list.title"},
					{"market_request_provider_show", in(k.as(t, "aanbieder@demo.inwonercloud.nl")), "GET", "/aanbieder/aanvragen/" + rf.sent.ID, nil, 200, k.catalog.T(lang, "request.provider.show.heading", map[string]string{"Title": rf.offering.Title})},
					{"market_request_provider_show", in(k.as(t, "aanbieder@demo.inwonercloud.nl")), "POST", "/aanbieder/aanvragen/" + rf.sent.ID + "/tijd-voorstellen", url.Values{"version": {"1"}, "date": {"x"}}, 422, k.catalog.T(lang, "request.provider.show.heading", map[string]string{"Title": rf.offering.Title})},
					{"market_request_provider_show", in(k.as(t, "aanbieder@demo.inwonercloud.nl")), "POST", "/aanbieder/aanvragen/" + rf.sent.ID + "/afwijzen", url.Values{"version": {"1"}}, 422, k.catalog.T(lang, "request.provider.show.heading", map[string]string{"Title": rf.offering.Title})},
					{"market_review_form", anna, "GET", "/aanvragen/" + rv.fresh.ID + "/beoordelen", nil, 200, "review.new.title"},
					{"market_review_form", anna, "POST", "/aanvragen/" + rv.fresh.ID + "/beoordelen", url.Values{"overall": {"9"}, "display": {"pseudonym"}}, 422, "review.new.title"},
					{"market_review_form", anna, "GET", "/beoordelingen/" + rv.published.ID + "/bewerken", nil, 200, "review.edit.title"},
					{"market_review_list", anna, "GET", "/beoordelingen", nil, 200, "review.list.title"},
					{"market_review_queue", in(k.as(t, reviewModerator)), "GET", "/beheer/beoordelingen", nil, 200, "review.queue.title"},
					{"market_review_queue", in(k.as(t, reviewModerator)), "POST", "/beheer/beoordelingen/" + k.pendingSubmission(t, rv.pending.ID), url.Values{"decision": {"refuse"}, "note": {strings.Repeat("n", 501)}}, 422, "review.queue.title"},
					{"market_review_provider", in(k.as(t, requestProvider)), "GET", "/aanbieder/beoordelingen", nil, 200, "review.provider.title"},
					{"market_review_provider", in(k.as(t, requestProvider)), "POST", "/aanbieder/beoordelingen/" + rv.published.ID + "/reactie", url.Values{"reply": {""}}, 422, "review.provider.title"},
					{"market_offering", anon, "GET", "/aanbod/" + rv.offering.ID, nil, 200, rv.offering.Title},
					{"market_portal", in(k.as(t, providerAdmin)), "GET", "/aanbieder", nil, 200, "portal.title"},
					{"market_portal_provider", in(k.as(t, providerAdmin)), "GET", "/aanbieder/gegevens/" + k.orgs["provider1"].ID, nil, 200, "portal.provider.title"},
					{"market_portal_provider", in(k.as(t, providerAdmin)), "POST", "/aanbieder/gegevens/" + k.orgs["provider1"].ID, url.Values{"agb": {"1"}}, 422, "portal.provider.title"},
					{"market_portal_offering", in(k.as(t, providerAdmin)), "GET", "/aanbieder/aanbod/nieuw", nil, 200, "portal.offering.new_title"},
					{"market_portal_offering", in(k.as(t, providerAdmin)), "POST", "/aanbieder/aanbod/nieuw", url.Values{"action": {"submit"}, "price": {"x"}}, 422, "portal.offering.new_title"},
					{"market_portal_offering", in(k.as(t, providerAdmin)), "GET", "/aanbieder/aanbod/" + proposal.ID, nil, 200, "portal.offering.edit_title"},
					{"market_approval", admin, "GET", "/beheer/aanbod", nil, 200, "approval.title"},
					{"market_approval_show", admin, "GET", "/beheer/aanbod/" + proposal.ID, nil, 200, "approval.show.title"},
					{"market_approval_show", admin, "POST", "/beheer/aanbod/" + proposal.ID + "/afwijzen", url.Values{"version": {"1"}}, 422, "approval.show.title"},
					{"market_category", admin, "GET", "/beheer/categorieen", nil, 200, "category.title"},
					{"market_category", admin, "POST", "/beheer/categorieen", url.Values{}, 422, "category.title"},
					{"market_category_edit", admin, "GET", "/beheer/categorieen/" + category.ID, nil, 200, "category.edit.title"},
					{"market_category_edit", admin, "POST", "/beheer/categorieen/" + category.ID, url.Values{"name": {""}}, 422, "category.edit.title"},
					{"market_exchange", admin, "GET", "/beheer/aanbod/uitwisselen", nil, 200, "marketexchange.title"},
					{"market_exchange", admin, "POST", "/beheer/aanbod/uitwisselen", url.Values{"format": {"csv"}}, 422, "marketexchange.title"},
					{"budget_list", anna, "GET", "/budget", nil, 200, "budget.list.title"},
					{"budget_show", anna, "GET", "/budget/" + bf.budget.Budget.ID, nil, 200, "budget.show.title"},
					{"budget_show", anna, "POST", "/budget/declaraties/" + bf.claim.ID + "/betwisten", url.Values{"idempotency_key": {"k-" + lang}, "budget": {bf.budget.Budget.ID}, "reason": {""}}, 422, "budget.show.title"},
					{"budget_agreement", anna, "GET", "/budget/afspraken/" + bf.proposal.ID, nil, 200, "budget.agreement.title"},
					{"budget_agreement", anna, "GET", "/budget/afspraken/" + bf.agreement.ID, nil, 200, "budget.agreement.title"},
					{"budget_agreement", anna, "POST", "/budget/afspraken/" + bf.proposal.ID + "/weigeren", url.Values{"idempotency_key": {"k-" + lang}, "reason": {""}}, 422, "budget.agreement.title"},
					{"budget_agreement", in(k.as(t, requestProvider)), "GET", "/aanbieder/afspraken/" + bf.agreement.ID, nil, 200, "budget.agreement.title"},
					{"budget_agreement", in(k.as(t, requestProvider)), "POST", "/aanbieder/afspraken/" + bf.agreement.ID + "/declareren", url.Values{"idempotency_key": {"k-" + lang}, "amount": {"x"}}, 422, "budget.agreement.title"},
					{"budget_agreement_new", in(k.as(t, requestProvider)), "GET", "/aanbieder/afspraken/nieuw?aanvraag=" + bf.proposal.RequestID, nil, 200, "budget.agreement_new.title"},
					{"budget_agreement_new", in(k.as(t, requestProvider)), "POST", "/aanbieder/afspraken/nieuw", url.Values{"idempotency_key": {"k-" + lang}, "aanvraag": {bf.proposal.RequestID}, "unit_price": {"1.0"}}, 422, "budget.agreement_new.title"},
					{"budget_provider", in(k.as(t, requestProvider)), "GET", "/aanbieder/budget", nil, 200, "budget.provider.title"},
					{"budget_admin_list", in(k.as(t, consultant)), "GET", "/beheer/budgetten", nil, 200, "budget.admin.title"},
					{"budget_grant", in(k.as(t, consultant)), "GET", "/beheer/budgetten/nieuw", nil, 200, "budget.grant.title"},
					{"budget_grant", in(k.as(t, consultant)), "POST", "/beheer/budgetten/nieuw", url.Values{"idempotency_key": {"k-" + lang}, "amount": {"12.5"}}, 422, "budget.grant.title"},
					{"budget_admin_show", in(k.as(t, consultant)), "GET", "/beheer/budgetten/" + bf.budget.Budget.ID, nil, 200, "budget.admin_show.title"},
					{"budget_admin_show", in(k.as(t, consultant)), "POST", "/beheer/budgetten/" + bf.budget.Budget.ID + "/wijzigen", url.Values{"idempotency_key": {"k-" + lang}, "amount": {"x"}}, 422, "budget.admin_show.title"},
					{"budget_admin_show", in(k.as(t, consultant)), "POST", "/beheer/declaraties/" + bf.claim.ID + "/terugdraaien", url.Values{"idempotency_key": {"k-" + lang}, "budget": {bf.budget.Budget.ID}}, 422, "budget.admin_show.title"},
					{"budget_settings", admin, "GET", "/beheer/budget-instellingen", nil, 200, "budget.settings.title"},
					{"budget_settings", admin, "POST", "/beheer/budget-instellingen", url.Values{"approval_required": {"1"}, "approval_above": {"x"}}, 422, "budget.settings.title"},
				}
				seen := map[string]bool{}
				for _, s := range steps {
					var r *response
					if s.method == "GET" {
						r = s.c.get(t, s.path)
					} else {
						r = s.c.post(t, s.path, s.form)
					}
					if r.status != s.status {
						t.Errorf("%s %s (%s): status %d, want %d", s.method, s.path, s.template, r.status, s.status)
						continue
					}
					name := map[*client]string{anna: "Anna de Vries", admin: "Hanna Peters"}[s.c]
					if want := k.catalog.T(lang, s.h1, map[string]string{"Name": name}); r.h1() != want {
						t.Errorf("%s %s: heading %q, want %q", s.method, s.path, r.h1(), want)
					}
					seen[s.template] = true
				}
				// The recovery codes page, in the same language.
				secret := secretOn(t, mfa.get(t, "/account/tweestapsverificatie"))
				code, _ := identity.TOTPCode(secret, k.clock.Now())
				if r := mfa.post(t, "/account/tweestapsverificatie/bevestigen", url.Values{"code": {code}}); r.h1() == k.catalog.T(lang, "mfa_codes.title", nil) {
					seen["mfa_codes"] = true
				}
				for _, p := range pages {
					if name := strings.TrimSuffix(filepath.Base(p), ".html"); !seen[name] {
						t.Errorf("template %s was not rendered in %s", name, lang)
					}
				}
			})
		}
	})
}
