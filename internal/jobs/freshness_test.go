package jobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/i18n"
	"github.com/inwonercloud/inwonercloud/internal/jobs"
	"github.com/inwonercloud/inwonercloud/internal/mail"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// TestFreshness_Once: an offering not checked for 12 months is flagged and
// its provider's admins get one mail; 30 days later it is hidden, with one
// more mail; the mails name no offering or person.
func TestFreshness_Once(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
		svc := market.NewService(db, clk, market.Options{})
		w := sqltest.Municipality(t, db, "woerden")
		org := sqltest.Organisation(t, db, "Thuiszorg Het Groene Hart", w)
		other := sqltest.Organisation(t, db, "Stichting De Linie", w)
		admin := func(email string, o string) identity.Person {
			return sqltest.Person(t, db, sqltest.PersonSpec{Email: email, TOTP: true, Roles: []identity.RoleAssignment{
				{Role: identity.RoleProviderAdmin, MunicipalityID: w.ID, OrganisationID: o}}})
		}
		eva, fleur := admin("eva@groenehart.example", org.ID), admin("fleur@groenehart.example", org.ID)
		piet := admin("piet@delinie.example", other.ID)
		sqltest.Staff(t, db, w, identity.RoleTenantAdmin, "beheer@woerden.example")
		cat, err := svc.CreateCategory(ctx, nil, market.Category{MunicipalityID: w.ID, Name: "Maaltijden"})
		if err != nil {
			t.Fatal(err)
		}
		publish := func(p identity.Person, orgID, title string) market.Offering {
			o, err := svc.CreateOffering(ctx, &p, orgID, market.Content{MunicipalityIDs: []string{w.ID}, CategoryIDs: []string{cat.ID},
				Title: title, Summary: "Samenvatting.", Description: "Beschrijving.", HowToRequest: "Bel ons.",
				CostType: market.CostFree, Kind: market.KindProfessional}, true)
			if err != nil {
				t.Fatal(err)
			}
			if o, err = svc.Approve(ctx, nil, o.ID, o.Version); err != nil {
				t.Fatal(err)
			}
			return o
		}
		meal := publish(eva, org.ID, "Geheime maaltijdtitel")
		publish(eva, org.ID, "Tweede aanbod")
		clk.Advance(200 * 24 * time.Hour)
		fresh := publish(piet, other.ID, "Vers aanbod van De Linie") // checked later: not due with the others

		mailer := &fakeMailer{}
		job := &jobs.Freshness{Market: svc, Staff: db, Mailer: mailer, Clock: clk, BaseURL: "https://woerden.example/"}
		if n, err := job.Once(ctx); err != nil || n != 0 {
			t.Fatalf("after 200 days: sent %d, %v; want nothing", n, err)
		}

		// A year and a day after the check: flagged, one mail per admin.
		clk.Advance(166 * 24 * time.Hour)
		if n, err := job.Once(ctx); err != nil || n != 2 {
			t.Fatalf("after a year: sent %d, %v; want 2", n, err)
		}
		got := map[string]identity.Mail{}
		for _, m := range mailer.sent {
			got[m.To] = m
		}
		for _, p := range []identity.Person{eva, fleur} {
			m, ok := got[p.Email]
			if !ok || m.Template != jobs.StaleTemplate || m.Data["Count"] != "2" || m.Data["Link"] != "https://woerden.example/aanbieder" || len(m.Data) != 2 {
				t.Errorf("mail to %s: %+v", p.Email, m)
			}
		}
		if _, ok := got[piet.Email]; ok {
			t.Errorf("De Linie's admin was mailed about Groene Hart")
		}
		cat18, err := i18n.Load()
		if err != nil {
			t.Fatal(err)
		}
		body := mail.NewSender(cat18).Render(mailer.sent[0])
		if strings.Contains(body.Body, "maaltijdtitel") || strings.Contains(body.Body, "Groene Hart") || !strings.Contains(body.Body, "https://woerden.example/aanbieder") ||
			!strings.Contains(body.Body, "2") {
			t.Errorf("mail body %q: want a count and the link, nothing else", body.Body)
		}
		v, err := svc.Offering(ctx, &eva, meal.ID)
		if err != nil || v.Offering.StaleSince == nil || v.Offering.Status != market.StatusPublished {
			t.Fatalf("after flagging: %+v, %v", v.Offering, err)
		}
		// The next tick mails nothing new.
		if n, err := job.Once(ctx); err != nil || n != 0 {
			t.Errorf("second tick: sent %d, %v", n, err)
		}

		// Checked by one admin: that offering is no longer hidden later.
		if _, err := svc.MarkChecked(ctx, &eva, meal.ID, v.Offering.Version); err != nil {
			t.Fatal(err)
		}
		// 30 days after the flag: the unchecked one is hidden, with a mail.
		mailer.sent = nil
		clk.Advance(market.HideAfter)
		if n, err := job.Once(ctx); err != nil || n != 2 {
			t.Fatalf("after 30 days: sent %d, %v; want 2", n, err)
		}
		for _, m := range mailer.sent {
			if m.Template != jobs.HiddenTemplate || m.Data["Count"] != "1" {
				t.Errorf("hidden mail %+v", m)
			}
		}
		if _, err := svc.Offering(ctx, nil, meal.ID); err != nil {
			t.Errorf("the checked offering is hidden: %v", err)
		}
		res, err := svc.Search(ctx, nil, market.Query{MunicipalityID: w.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if h.Offering.Title == "Tweede aanbod" {
				t.Errorf("the unchecked offering is still found")
			}
		}
		if _, err := svc.Offering(ctx, nil, fresh.ID); err != nil {
			t.Errorf("De Linie's fresh offering: %v", err)
		}
		mailer.sent = nil
		if n, err := job.Once(ctx); err != nil || n != 0 {
			t.Errorf("tick after hiding: sent %d, %v", n, err)
		}
	})
}

// TestFreshness_MailFails: a failed mail is reported, and the offerings are
// flagged all the same (the portal shows the flag).
func TestFreshness_MailFails(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
		svc := market.NewService(db, clk, market.Options{})
		w := sqltest.Municipality(t, db, "woerden")
		org := sqltest.Organisation(t, db, "Thuiszorg Het Groene Hart", w)
		sqltest.Person(t, db, sqltest.PersonSpec{Email: "eva@groenehart.example", TOTP: true, Roles: []identity.RoleAssignment{
			{Role: identity.RoleProviderAdmin, MunicipalityID: w.ID, OrganisationID: org.ID}}})
		cat, err := svc.CreateCategory(ctx, nil, market.Category{MunicipalityID: w.ID, Name: "Vervoer"})
		if err != nil {
			t.Fatal(err)
		}
		o, err := svc.CreateOffering(ctx, nil, org.ID, market.Content{MunicipalityIDs: []string{w.ID}, CategoryIDs: []string{cat.ID},
			Title: "Vervoer", Summary: "Samenvatting.", Description: "Beschrijving.", HowToRequest: "Bel ons.",
			CostType: market.CostFree, Kind: market.KindVolunteer}, true)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Approve(ctx, nil, o.ID, o.Version); err != nil {
			t.Fatal(err)
		}
		clk.Advance(367 * 24 * time.Hour)
		job := &jobs.Freshness{Market: svc, Staff: db, Mailer: &fakeMailer{fail: true}, Clock: clk, BaseURL: "https://woerden.example"}
		if n, err := job.Once(ctx); err == nil || n != 0 {
			t.Fatalf("mail down: sent %d, err %v; want an error", n, err)
		}
		v, err := svc.Offering(ctx, nil, o.ID)
		if err != nil || v.Offering.StaleSince == nil {
			t.Errorf("not flagged: %+v %v", v.Offering, err)
		}
	})
}
