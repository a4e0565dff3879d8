package identity_test

import (
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestService_Reauthenticate(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		e := newEnv(t, db)
		anna := sqltest.Citizen(t, db, sqltest.Municipality(t, db, "woerden"), "anna@example.nl")
		token := e.login(t, anna.Email).Token
		info, err := e.svc.Authenticate(ctx, token)
		if err != nil || !info.Session.FreshAuth(e.clock.Now()) {
			t.Fatalf("right after login the password is fresh: %v %+v", err, info.Session)
		}
		e.clock.Advance(identity.StepUpAge + time.Second)
		info, _ = e.svc.Authenticate(ctx, token)
		if info.Session.FreshAuth(e.clock.Now()) {
			t.Fatal("after 5 minutes the password still counts as fresh")
		}
		_, err = e.svc.Reauthenticate(ctx, token, "fout wachtwoord", "192.0.2.1")
		if diff := errs.FieldsOf(err)["password"]; diff != "field.password.wrong" {
			t.Errorf("wrong password: %v", err)
		}
		if _, err := e.svc.Reauthenticate(ctx, token, "", "192.0.2.1"); errs.FieldsOf(err)["password"] != "field.password.required" {
			t.Errorf("empty password: %v", err)
		}
		sess, err := e.svc.Reauthenticate(ctx, token, sqltest.Password, "192.0.2.1")
		if err != nil || !sess.FreshAuth(e.clock.Now()) {
			t.Fatalf("Reauthenticate: %v %+v", err, sess)
		}
		if info, _ := e.svc.Authenticate(ctx, token); !info.Session.FreshAuth(e.clock.Now()) {
			t.Error("the fresh password was not stored with the session")
		}
	})
}

func TestService_ActFor(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		e := newEnv(t, db)
		woerden := sqltest.Municipality(t, db, "woerden")
		bram := sqltest.Citizen(t, db, woerden, "bram@example.nl")
		token := e.login(t, bram.Email).Token
		if _, err := e.svc.ActFor(ctx, token, "resident-1"); err != nil {
			t.Fatal(err)
		}
		if info, _ := e.svc.Authenticate(ctx, token); info.Session.ActingFor != "resident-1" {
			t.Errorf("acting for %q, want resident-1", info.Session.ActingFor)
		}
		if _, err := e.svc.ActFor(ctx, token, bram.ID); err != nil {
			t.Fatal(err)
		}
		if info, _ := e.svc.Authenticate(ctx, token); info.Session.ActingFor != "" {
			t.Errorf("acting for oneself should clear it, got %q", info.Session.ActingFor)
		}
		if _, err := e.svc.ActFor(ctx, "no-such-token", "x"); !errs.Is(err, errs.Unauthorized) {
			t.Errorf("ActFor with a bad token = %v", err)
		}
	})
}
