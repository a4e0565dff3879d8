package web_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/app/market/marketseed"
	requestapp "github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/app/review"
	"github.com/inwonercloud/inwonercloud/internal/app/story"
	"github.com/inwonercloud/inwonercloud/internal/config"
	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/core/vault"
	"github.com/inwonercloud/inwonercloud/internal/i18n"
	"github.com/inwonercloud/inwonercloud/internal/mail"
	"github.com/inwonercloud/inwonercloud/internal/seed"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
	"github.com/inwonercloud/inwonercloud/internal/web"
)

// The demo accounts the tests log in as (see internal/seed).
const (
	resident      = "inwoner@demo.inwonercloud.nl"           // Anna de Vries, Woerden
	resident2     = "inwoner.oudewater@demo.inwonercloud.nl" // Jan Hoekstra, Oudewater
	professional  = "hulpverlener@demo.inwonercloud.nl"      // Carla Bakker, staff of Woerden
	tenantAdmin   = "beheer@demo.inwonercloud.nl"            // Hanna Peters, admin of Woerden
	platformAdmin = "platform@demo.inwonercloud.nl"          // Ivo Dekker
)

// kit is a real web server on a fresh database holding the demo's
// municipalities, organisations and accounts, with a fake clock and the
// mail outbox as the only mail transport.
type kit struct {
	tb       testing.TB
	db       *sqlstore.DB
	clock    *clock.Fake
	catalog  *i18n.Catalog
	identity *identity.Service
	tenants  *tenant.Service
	srv      *httptest.Server
	base     string // the server's URL, also the configured base URL
	log      *syncBuffer
	muni     map[string]tenant.Municipality // by slug
	orgs     map[string]tenant.Organisation // by the seed's key
	audit    *audit.Log
	consent  *consent.Service
	vault    *vault.Vault
	story    *story.Service
	market   *market.Service
	requests *requestapp.Service
	reviews  *review.Service
	budget   *budget.Service
}

// newKit starts a server on db with the demo data.
func newKit(tb testing.TB, db *sqlstore.DB) *kit {
	tb.Helper()
	// The fake clock starts at the real time: the session cookie's Expires
	// comes from it, and the client's cookie jar judges that by the real
	// clock. Moving the fake clock then tests the server's own timeouts.
	k := &kit{tb: tb, db: db, clock: clock.NewFake(time.Now().Truncate(time.Millisecond)), log: &syncBuffer{}}
	// The base URL is the test server's own address, so the links in mail
	// can be followed and CrossOriginProtection trusts exactly this origin.
	k.srv = httptest.NewUnstartedServer(nil)
	k.base = "http://" + k.srv.Listener.Addr().String()
	env := map[string]string{
		"INWONERCLOUD_BASE_URL":             k.base,
		"INWONERCLOUD_DEFAULT_MUNICIPALITY": "woerden",
	}
	cfg, err := config.Load(func(name string) string { return env[name] })
	if err != nil {
		tb.Fatalf("config: %v", err)
	}
	k.catalog, err = i18n.Load()
	if err != nil {
		tb.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(k.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	sender := mail.NewSender(k.catalog, mail.Outbox{DB: db, Clock: k.clock})
	k.identity = identity.NewService(db, k.clock, sender, cfg.BaseURL.String(), log)
	k.tenants = tenant.NewService(db, k.clock)
	// The privacy core, for real: the access log, consent, and a vault
	// whose key store is a database of its own (as in production).
	k.audit = audit.NewLog(db, k.clock)
	if k.consent, err = consent.NewService(db, k.audit, k.clock, consent.Options{LegalTasks: []consent.LegalTask{budget.LegalTask}}); err != nil {
		tb.Fatal(err)
	}
	ring, err := vault.NewKeyring()
	if err != nil {
		tb.Fatal(err)
	}
	k.vault = vault.New(sqltest.Open(tb, db.Dialect()), ring, k.clock)
	k.story = story.NewService(db, k.consent, k.vault, k.clock)
	k.reviews = review.NewService(db, k.consent, review.FromRequests(func() review.Requests { return k.requests }), k.clock,
		review.Options{RatingsChanged: func() { k.market.RatingsChanged() }})
	k.market = market.NewService(db, k.clock, market.Options{Ratings: k.reviews})
	k.requests = requestapp.NewService(db, k.consent, k.market, k.vault, k.clock,
		requestapp.Options{Mailer: sender, BaseURL: cfg.BaseURL.String(), Log: log})
	k.budget = budget.NewService(db, k.consent, k.requests, k.market, k.clock,
		budget.Options{Mailer: sender, BaseURL: cfg.BaseURL.String(), Log: log})
	k.seedDemo()
	srv, err := web.New(web.Deps{
		Config: cfg, Identity: k.identity, Tenants: k.tenants, Catalog: k.catalog,
		DB: db, Clock: k.clock, Log: log, Demo: demoInfo(),
		Audit: k.audit, Consent: k.consent, Story: k.story, Vault: k.vault,
		Market: k.market, Exchange: market.NewExchange(k.market, db, k.tenants, k.clock),
		Requests: k.requests, Reviews: k.reviews, Budget: k.budget,
	})
	if err != nil {
		tb.Fatalf("web.New: %v", err)
	}
	k.srv.Config.Handler = srv
	k.srv.Start()
	tb.Cleanup(k.srv.Close)
	tb.Cleanup(func() {
		// Whatever a test did, no e-mail address reached the log.
		if log := k.log.String(); strings.Contains(log, "@") {
			tb.Errorf("the log holds an e-mail address: %s", regexp.MustCompile(`.*@.*`).FindString(log))
		}
	})
	return k
}

// demoPasswordHash is the argon2id hash of the demo password, made once per
// test binary: a hash costs about 100 ms and the fixtures need no fresh salt.
var demoPasswordHash = sync.OnceValue(func() string { return identity.HashPassword(seed.Password) })

// seedMarket adds the demo's marketplace: 60 published offerings in
// Woerden and Oudewater, the same every time (as `serve --demo` seeds),
// and rebuilds the search index.
func (k *kit) seedMarket(tb testing.TB) {
	tb.Helper()
	ctx := context.Background()
	if _, err := marketseed.Seed(ctx, k.db, k.clock.Now(), []tenant.Municipality{k.muni["woerden"], k.muni["oudewater"]}, 60, 1); err != nil {
		tb.Fatal(err)
	}
	if err := k.market.Warm(ctx); err != nil {
		tb.Fatal(err)
	}
}

// seedDemo stores what seed.Demo stores, the accounts straight through the
// store with one shared password hash, so a kit costs milliseconds instead
// of ten argon2 hashes. (seed.Demo itself runs in cmd/inwonercloud's test.)
func (k *kit) seedDemo() {
	tb := k.tb
	tb.Helper()
	ctx := context.Background()
	k.muni = map[string]tenant.Municipality{}
	for _, m := range []tenant.Municipality{
		{Slug: "woerden", Name: "Woerden", Theme: "woerden"},
		{Slug: "oudewater", Name: "Oudewater", Theme: "oudewater"},
	} {
		created, err := k.tenants.CreateMunicipality(ctx, nil, m)
		if err != nil {
			tb.Fatal(err)
		}
		k.muni[m.Slug] = created
	}
	k.orgs = map[string]tenant.Organisation{}
	for key, o := range map[string]tenant.Organisation{
		"isd":       {Name: "ISD Woerden-Oudewater", Kind: tenant.OrgISD, MunicipalityIDs: []string{k.muni["woerden"].ID, k.muni["oudewater"].ID}},
		"team":      {Name: "Sociaal Team Woerden", Kind: tenant.OrgSocialTeam, MunicipalityIDs: []string{k.muni["woerden"].ID}},
		"provider1": {Name: "Thuiszorg Het Groene Hart", Kind: tenant.OrgProvider, KvK: "12345678", MunicipalityIDs: []string{k.muni["woerden"].ID}},
	} {
		created, err := k.tenants.CreateOrganisation(ctx, nil, o)
		if err != nil {
			tb.Fatal(err)
		}
		k.orgs[key] = created
	}
	now := k.clock.Now()
	for _, a := range seed.Accounts {
		p := identity.Person{
			ID: id.New(), Email: a.Email, DisplayName: a.Name, PasswordHash: demoPasswordHash(),
			Locale: "nl", EmailVerifiedAt: &now, CreatedAt: now, UpdatedAt: now,
		}
		if a.Role == identity.RoleCitizen || a.Role == identity.RoleDelegate {
			p.HomeMunicipalityID = k.muni[a.Home].ID
		}
		if a.Role.Staff() {
			p.TOTPSecret, p.TOTPEnabledAt = seed.TOTPSecret, &now
		}
		if err := k.db.CreatePerson(ctx, &p); err != nil {
			tb.Fatal(err)
		}
		ra := identity.RoleAssignment{ID: id.New(), PersonID: p.ID, Role: a.Role, OrganisationID: k.orgs[a.Org].ID, CreatedAt: now}
		if a.Role != identity.RolePlatformAdmin {
			ra.MunicipalityID = k.muni[a.Home].ID
		}
		if err := k.db.AddRole(ctx, &ra); err != nil {
			tb.Fatal(err)
		}
	}
}

func demoInfo() *web.DemoInfo {
	d := &web.DemoInfo{Password: seed.Password, TOTPSecret: seed.TOTPSecret}
	for _, a := range seed.Accounts {
		d.Accounts = append(d.Accounts, web.DemoAccount{Email: a.Email, Name: a.Name, Role: a.Role, Staff: a.Role.Staff()})
	}
	return d
}

// code is the demo staff's authenticator code at the kit's time.
func (k *kit) code(tb testing.TB) string {
	tb.Helper()
	c, err := identity.TOTPCode(seed.TOTPSecret, k.clock.Now())
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// t translates a key into Dutch, the language a test reads pages in.
func (k *kit) t(key string) string { return k.catalog.T("nl", key, nil) }

// person reads a person back from the store.
func (k *kit) person(tb testing.TB, email string) identity.Person {
	tb.Helper()
	p, err := k.db.FindPersonByEmail(context.Background(), email)
	if err != nil {
		tb.Fatalf("find %s: %v", email, err)
	}
	return p
}

// counts is how many persons, roles, municipalities and mails are stored.
type counts struct{ persons, roles, municipalities, mails int }

func (k *kit) counts(tb testing.TB) counts {
	tb.Helper()
	ctx := context.Background()
	ps, err := k.db.FindPersons(ctx, identity.PersonFilter{})
	if err != nil {
		tb.Fatal(err)
	}
	var c counts
	c.persons = len(ps)
	for _, p := range ps {
		c.roles += len(p.Roles)
	}
	ms, err := k.db.FindMunicipalities(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	c.municipalities = len(ms)
	c.mails = len(k.mails(tb))
	return c
}

// mails lists the outbox, newest first.
func (k *kit) mails(tb testing.TB) []sqlstore.OutboxMail {
	tb.Helper()
	list, err := k.db.FindOutboxMails(context.Background(), 1000)
	if err != nil {
		tb.Fatal(err)
	}
	return list
}

var linkRE = regexp.MustCompile(`https?://\S+`)

// mailLink returns the link in the newest mail to, and fails without one.
func (k *kit) mailLink(tb testing.TB, to string) *url.URL {
	tb.Helper()
	for _, m := range k.mails(tb) {
		if m.To != to {
			continue
		}
		l := linkRE.FindString(m.Body)
		if l == "" {
			tb.Fatalf("mail to %s has no link: %s", to, m.Body)
		}
		u, err := url.Parse(l)
		if err != nil {
			tb.Fatal(err)
		}
		if !strings.HasPrefix(l, k.base+"/") {
			tb.Errorf("mail link %q does not start with the base URL %q", l, k.base)
		}
		return u
	}
	tb.Fatalf("no mail to %s in the outbox", to)
	return nil
}

// syncBuffer is a log destination that tests may read while the server
// writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
