package consent_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// cast is a small world for the service tests: anna, a delegate with the
// consent scope, one without it, a stranger and a professional.
type cast struct {
	anna, carla, dirk, bert, pro identity.Person
	mCarla, mDirk                consent.Mandate
	w                            *world
}

func newCast(t *testing.T, db *sqlstore.DB) cast {
	t.Helper()
	w := newWorld(t, db)
	return cast{anna: w.anna, carla: w.carla, dirk: w.dirk, bert: w.bert, pro: w.profOther, mCarla: w.mCarla, mDirk: w.mDirk, w: w}
}

func shareWith(p identity.Person, cats ...string) consent.NewGrant {
	return consent.NewGrant{GranteePersonID: p.ID, Categories: cats, Permission: consent.PermissionRead, Purpose: consent.PurposeSupportPlan}
}

// changeEvent is the access-log record of a change to anna's consents.
func changeEvent(eventID string, action audit.Action, actor identity.Person, subject identity.Person, objectID string, version int) audit.Event {
	return audit.Event{EventID: eventID, Action: action, Outcome: audit.Allowed, ActorID: actor.ID,
		ActorRole: string(identity.RoleCitizen), MunicipalityID: actor.HomeMunicipalityID, SubjectID: subject.ID,
		Category: consent.CategoryConsent, ObjectID: objectID, Basis: string(consent.BasisOwn), ConsentID: objectID, ConsentVersion: version}
}

func TestService_Grant(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		c := newCast(t, db)
		ctx := t.Context()

		t.Run("OK", func(t *testing.T) {
			svc, rec := at(t, db, t0)
			in := shareWith(c.pro, "story:housing", " story:finances", "story:finances")
			g, err := svc.Grant(ctx, c.anna, in)
			must(t, err)
			want := consent.Grant{ID: g.ID, Version: 1, GrantorID: c.anna.ID, GranteePersonID: c.pro.ID,
				Categories: []string{"story:finances", "story:housing"}, Permission: consent.PermissionRead,
				Purpose: consent.PurposeSupportPlan, ValidFrom: t0, ValidUntil: t0.Add(90 * day), CreatedAt: t0,
				CreatedByID: c.anna.ID, Change: consent.ChangeCreate, ChangedAt: t0, ChangedByID: c.anna.ID}
			if diff := cmp.Diff(want, g); diff != "" {
				t.Errorf("Grant (-want +got):\n%s", diff)
			}
			stored, err := db.FindGrantByID(ctx, g.ID)
			must(t, err)
			if diff := cmp.Diff(want, stored); diff != "" {
				t.Errorf("stored (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]audit.Event{changeEvent("consent.grant", audit.ActionShare, c.anna, c.anna, g.ID, 1)}, rec.take()); diff != "" {
				t.Errorf("log (-want +got):\n%s", diff)
			}
		})
		t.Run("CoveredCategoriesDropped", func(t *testing.T) {
			svc, _ := at(t, db, t0)
			g, err := svc.Grant(ctx, c.anna, shareWith(c.pro, "story:housing", "story", "story:finances"))
			must(t, err)
			if diff := cmp.Diff([]string{"story"}, g.Categories); diff != "" {
				t.Errorf("categories (-want +got):\n%s", diff)
			}
		})
		t.Run("ToOrganisation", func(t *testing.T) {
			svc, _ := at(t, db, t0)
			in := shareWith(identity.Person{}, "story")
			in.GranteeOrgID = c.w.zorgB.ID
			g, err := svc.Grant(ctx, c.anna, in)
			must(t, err)
			if g.GranteeOrgID != c.w.zorgB.ID || g.GranteePersonID != "" {
				t.Errorf("grantee = %q/%q", g.GranteePersonID, g.GranteeOrgID)
			}
		})
		t.Run("PeriodChosen", func(t *testing.T) {
			svc, _ := at(t, db, t0)
			in := shareWith(c.pro, "story")
			// A start in the past counts as now; sub-millisecond parts go.
			in.ValidFrom, in.ValidUntil = t0.Add(-day), t0.Add(365*day+time.Microsecond)
			g, err := svc.Grant(ctx, c.anna, in)
			must(t, err)
			if !g.ValidFrom.Equal(t0) || !g.ValidUntil.Equal(t0.Add(365*day)) {
				t.Errorf("period = %v .. %v", g.ValidFrom, g.ValidUntil)
			}
		})
		t.Run("ByDelegateWithConsentScope", func(t *testing.T) {
			svc, rec := at(t, db, t0)
			in := shareWith(c.pro, "story")
			in.GrantorID = c.anna.ID
			g, err := svc.Grant(ctx, c.carla, in)
			must(t, err)
			if g.GrantorID != c.anna.ID || g.CreatedByID != c.carla.ID || g.ChangedByID != c.carla.ID {
				t.Errorf("grantor %q created by %q changed by %q", g.GrantorID, g.CreatedByID, g.ChangedByID)
			}
			want := audit.Event{EventID: "consent.grant", Action: audit.ActionShare, Outcome: audit.Allowed,
				ActorID: c.carla.ID, ActorRole: "delegate", OnBehalfOfID: c.anna.ID,
				PurposeOfUse: "trusted_person", MunicipalityID: c.carla.HomeMunicipalityID, SubjectID: c.anna.ID,
				Category: consent.CategoryConsent, ObjectID: g.ID, Basis: "mandate", ConsentID: g.ID, ConsentVersion: 1}
			if diff := cmp.Diff([]audit.Event{want}, rec.take()); diff != "" {
				t.Errorf("log (-want +got):\n%s", diff)
			}
		})
		denied := []struct {
			name  string
			actor identity.Person
		}{
			{"ErrDelegateWithoutConsentScope", c.dirk},
			{"ErrStranger", c.bert},
			{"ErrGrantee", c.pro},
		}
		for _, d := range denied {
			t.Run(d.name, func(t *testing.T) {
				svc, rec := at(t, db, t0)
				in := shareWith(d.actor, "story")
				in.GrantorID = c.anna.ID
				before := must1[[]consent.Grant](t)(db.FindGrants(ctx, consent.GrantFilter{GrantorID: c.anna.ID}))
				_, err := svc.Grant(ctx, d.actor, in)
				wantNotFound(t, err)
				after := must1[[]consent.Grant](t)(db.FindGrants(ctx, consent.GrantFilter{GrantorID: c.anna.ID}))
				if len(after) != len(before) {
					t.Errorf("a grant was stored")
				}
				ev := rec.take()
				if len(ev) != 1 || ev[0].Outcome != audit.Denied || ev[0].ActorID != d.actor.ID || ev[0].SubjectID != c.anna.ID ||
					ev[0].EventID != "consent.grant" || ev[0].Action != audit.ActionShare || ev[0].Category != consent.CategoryConsent {
					t.Errorf("log = %+v, want one denied consent.grant", ev)
				}
			})
		}
		t.Run("ErrRecorderDown", func(t *testing.T) {
			svc, rec := at(t, db, t0)
			rec.err = errRecorder
			before := must1[[]consent.Grant](t)(db.FindGrants(ctx, consent.GrantFilter{GrantorID: c.anna.ID}))
			if _, err := svc.Grant(ctx, c.anna, shareWith(c.pro, "story")); err == nil {
				t.Fatal("Grant worked without its log record")
			}
			after := must1[[]consent.Grant](t)(db.FindGrants(ctx, consent.GrantFilter{GrantorID: c.anna.ID}))
			if len(after) != len(before) {
				t.Errorf("the grant was stored without its log record")
			}
		})
	})
}

func TestService_Grant_Validation(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		c := newCast(t, db)
		pro := c.pro.ID
		ok := func(mod func(*consent.NewGrant)) consent.NewGrant {
			in := shareWith(c.pro, "story")
			mod(&in)
			return in
		}
		for _, tc := range []struct {
			name string
			in   consent.NewGrant
			want map[string]string
		}{
			{"ErrGranteeRequired", ok(func(n *consent.NewGrant) { n.GranteePersonID = "" }), map[string]string{"grantee": "field.grantee.required"}},
			{"ErrGranteeAmbiguous", ok(func(n *consent.NewGrant) { n.GranteeOrgID = c.w.zorgA.ID }), map[string]string{"grantee": "field.grantee.ambiguous"}},
			{"ErrGranteeSelf", ok(func(n *consent.NewGrant) { n.GranteePersonID = c.anna.ID }), map[string]string{"grantee": "field.grantee.self"}},
			{"ErrGranteePersonUnknown", ok(func(n *consent.NewGrant) { n.GranteePersonID = "nobody" }), map[string]string{"grantee": "field.grantee.unknown"}},
			{"ErrGranteeOrgUnknown", ok(func(n *consent.NewGrant) { n.GranteePersonID, n.GranteeOrgID = "", "no-org" }), map[string]string{"grantee": "field.grantee.unknown"}},
			{"ErrGranteePlatform", ok(func(n *consent.NewGrant) { n.GranteePersonID, n.GranteeOrgID = "", c.w.platform.ID }), map[string]string{"grantee": "field.grantee.invalid"}},
			{"ErrCategoriesRequired", ok(func(n *consent.NewGrant) { n.Categories = nil }), map[string]string{"categories": "field.categories.required"}},
			{"ErrCategoryUnknown", ok(func(n *consent.NewGrant) { n.Categories = []string{"story", "diary"} }), map[string]string{"categories": "field.categories.unknown"}},
			{"ErrCategoryEmpty", ok(func(n *consent.NewGrant) { n.Categories = []string{""} }), map[string]string{"categories": "field.categories.unknown"}},
			{"ErrCategoryConsent", ok(func(n *consent.NewGrant) { n.Categories = []string{consent.CategoryConsent} }), map[string]string{"categories": "field.categories.unknown"}},
			{"ErrCategoryComment", ok(func(n *consent.NewGrant) { n.Categories = []string{"story:comment"} }), map[string]string{"categories": "field.categories.unknown"}},
			{"ErrPermissionRequired", ok(func(n *consent.NewGrant) { n.Permission = "" }), map[string]string{"permission": "field.permission.required"}},
			{"ErrPermissionInvalid", ok(func(n *consent.NewGrant) { n.Permission = "write" }), map[string]string{"permission": "field.permission.invalid"}},
			{"ErrPurposeRequired", ok(func(n *consent.NewGrant) { n.Purpose = "" }), map[string]string{"purpose": "field.purpose.required"}},
			{"ErrPurposeInvalid", ok(func(n *consent.NewGrant) { n.Purpose = "marketing" }), map[string]string{"purpose": "field.purpose.invalid"}},
			{"ErrValidUntilPast", ok(func(n *consent.NewGrant) { n.ValidUntil = t0.Add(-time.Millisecond) }), map[string]string{"valid_until": "field.valid_until.past"}},
			{"ErrValidUntilNow", ok(func(n *consent.NewGrant) { n.ValidUntil = t0 }), map[string]string{"valid_until": "field.valid_until.past"}},
			{"ErrValidUntilBeforeStart", ok(func(n *consent.NewGrant) { n.ValidFrom, n.ValidUntil = t0.Add(2*day), t0.Add(day) }), map[string]string{"valid_until": "field.valid_until.before_start"}},
			{"ErrValidUntilAtStart", ok(func(n *consent.NewGrant) { n.ValidFrom, n.ValidUntil = t0.Add(day), t0.Add(day) }), map[string]string{"valid_until": "field.valid_until.before_start"}},
			{"ErrValidUntilTooLate", ok(func(n *consent.NewGrant) { n.ValidUntil = t0.Add(365*day + time.Millisecond) }), map[string]string{"valid_until": "field.valid_until.too_late"}},
			{"ErrValidUntilTooLateFromStart", ok(func(n *consent.NewGrant) { n.ValidFrom, n.ValidUntil = t0.Add(10*day), t0.Add(376*day) }), map[string]string{"valid_until": "field.valid_until.too_late"}},
			{"ErrValidFromTooLate", ok(func(n *consent.NewGrant) { n.ValidFrom, n.ValidUntil = t0.Add(366*day), t0.Add(367*day) }), map[string]string{"valid_from": "field.valid_from.too_late"}},
			{"ErrMany", consent.NewGrant{GranteePersonID: pro, Permission: "x"}, map[string]string{
				"categories": "field.categories.required", "permission": "field.permission.invalid", "purpose": "field.purpose.required"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				svc, rec := at(t, db, t0)
				_, err := svc.Grant(t.Context(), c.anna, tc.in)
				wantKind(t, err, errs.Invalid)
				if diff := cmp.Diff(tc.want, errs.FieldsOf(err)); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
				if ev := rec.take(); len(ev) != 0 {
					t.Errorf("a refused form was logged: %+v", ev)
				}
			})
		}
		t.Run("MaxExactlyOK", func(t *testing.T) {
			svc, _ := at(t, db, t0)
			in := shareWith(c.pro, "story")
			in.ValidFrom, in.ValidUntil = t0.Add(365*day), t0.Add(730*day)
			must1[consent.Grant](t)(svc.Grant(t.Context(), c.anna, in))
		})
	})
}

// policies is a fake PolicySource.
type policies map[string]consent.Policy

func (p policies) ConsentPolicy(_ context.Context, municipalityID string) (consent.Policy, error) {
	if pol, ok := p[municipalityID]; ok {
		return pol, nil
	}
	return consent.Policy{}, errs.E("policies", errs.NotFound)
}

func TestService_Grant_Policy(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		c := newCast(t, db)
		ctx := t.Context()
		olga := sqltest.Citizen(t, db, c.w.oudewater, "olga@example.nl")
		opts := consent.Options{Policies: policies{c.w.woerden.ID: {DefaultDays: 30, MaxDays: 60}}}

		t.Run("MunicipalityDefault", func(t *testing.T) {
			svc, _ := at(t, db, t0, opts)
			g, err := svc.Grant(ctx, c.anna, shareWith(c.pro, "story"))
			must(t, err)
			if want := t0.Add(30 * day); !g.ValidUntil.Equal(want) {
				t.Errorf("ValidUntil = %v, want %v", g.ValidUntil, want)
			}
		})
		t.Run("ErrMunicipalityMax", func(t *testing.T) {
			svc, _ := at(t, db, t0, opts)
			in := shareWith(c.pro, "story")
			in.ValidUntil = t0.Add(60*day + time.Millisecond)
			_, err := svc.Grant(ctx, c.anna, in)
			if got := errs.FieldsOf(err)["valid_until"]; got != "field.valid_until.too_late" {
				t.Errorf("valid_until = %q (%v)", got, err)
			}
			in.ValidUntil = t0.Add(60 * day)
			must1[consent.Grant](t)(svc.Grant(ctx, c.anna, in))
		})
		t.Run("NoPolicyIsDefault", func(t *testing.T) {
			svc, _ := at(t, db, t0, opts)
			g, err := svc.Grant(ctx, olga, shareWith(c.pro, "story"))
			must(t, err)
			if want := t0.Add(90 * day); !g.ValidUntil.Equal(want) {
				t.Errorf("ValidUntil = %v, want %v", g.ValidUntil, want)
			}
		})
		t.Run("ErrBadPolicy", func(t *testing.T) {
			svc, _ := at(t, db, t0, consent.Options{Policies: policies{c.w.woerden.ID: {DefaultDays: 30, MaxDays: 10}}})
			_, err := svc.Grant(ctx, c.anna, shareWith(c.pro, "story"))
			wantKind(t, err, errs.Other)
		})
	})
}

func TestPolicy_Validate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		p  consent.Policy
		ok bool
	}{
		{consent.DefaultPolicy, true},
		{consent.Policy{DefaultDays: 1, MaxDays: 1}, true},
		{consent.Policy{DefaultDays: 0, MaxDays: 10}, false},
		{consent.Policy{DefaultDays: 10, MaxDays: 9}, false},
		{consent.Policy{DefaultDays: -1, MaxDays: -1}, false},
	} {
		if err := tc.p.Validate(); (err == nil) != tc.ok {
			t.Errorf("%+v.Validate() = %v, want ok %v", tc.p, err, tc.ok)
		}
	}
}

// TestService_Revoke_Immediate: a revocation denies the very next
// decision, at the same millisecond, and the denial is logged.
func TestService_Revoke_Immediate(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		c := newCast(t, db)
		ctx := t.Context()
		svc, rec := at(t, db, t0)
		g, err := svc.Grant(ctx, c.anna, shareWith(c.pro, "story"))
		must(t, err)
		req := consent.Request{Category: "story:finances", Action: audit.ActionRead}
		must(t, svc.Check(ctx, c.pro, "", c.anna.ID, req))

		r, err := svc.Revoke(ctx, c.anna, g.ID)
		must(t, err)
		if r.Version != 2 || r.RevokedAt == nil || !r.RevokedAt.Equal(t0) || r.Change != consent.ChangeRevoke {
			t.Errorf("revoked grant = %+v", r)
		}
		d, err := svc.Decide(ctx, c.pro, "", c.anna.ID, req)
		must(t, err)
		if d.Allowed {
			t.Fatalf("allowed after revocation: %+v", d)
		}
		rec.take()
		wantNotFound(t, svc.Check(ctx, c.pro, "", c.anna.ID, req))
		if ev := rec.take(); len(ev) != 1 || ev[0].Outcome != audit.Denied || ev[0].ConsentID != "" {
			t.Errorf("log = %+v, want one denial without a consent", ev)
		}
		for _, l := range must1[[]consent.Grant](t)(svc.GrantsTo(ctx, c.pro)) {
			if l.ID == g.ID {
				t.Errorf("GrantsTo after revocation holds %+v", l)
			}
		}
	})
}

// TestService_Receipt: each change makes a version; the receipt shows them
// all, and a decision names the version it used.
func TestService_Receipt(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		c := newCast(t, db)
		ctx := t.Context()
		svc, rec := at(t, db, t0)
		g1, err := svc.Grant(ctx, c.anna, shareWith(c.pro, "story"))
		must(t, err)
		svc, _ = at(t, db, t0.Add(day))
		g2, err := svc.Extend(ctx, c.anna, g1.ID, t0.Add(200*day))
		must(t, err)
		d, err := svc.Decide(ctx, c.pro, "", c.anna.ID, consent.Request{Category: "story", Action: audit.ActionRead})
		must(t, err)
		if d.GrantID != g1.ID || d.GrantVersion != 2 {
			t.Errorf("decision names %s v%d, want %s v2", d.GrantID, d.GrantVersion, g1.ID)
		}
		svc, _ = at(t, db, t0.Add(2*day))
		g3, err := svc.Extend(ctx, c.carla, g1.ID, t0.Add(300*day)) // the delegate, for anna
		must(t, err)
		svc, rec2 := at(t, db, t0.Add(3*day))
		g4, err := svc.Revoke(ctx, c.anna, g1.ID)
		must(t, err)

		want := []consent.Grant{g1, g2, g3, g4}
		for i, v := range want {
			v.RemindedAt = nil
			want[i] = v
		}
		if want[1].Change != consent.ChangeExtend || want[2].ChangedByID != c.carla.ID || want[3].Change != consent.ChangeRevoke {
			t.Errorf("versions = %+v", want)
		}
		r, err := svc.Receipt(ctx, c.anna, g1.ID)
		must(t, err)
		if diff := cmp.Diff(want, r.Versions); diff != "" {
			t.Errorf("Receipt versions (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(g4, r.Grant); diff != "" {
			t.Errorf("Receipt grant (-want +got):\n%s", diff)
		}
		for i, v := range r.Versions {
			if v.Version != i+1 {
				t.Errorf("version %d numbered %d", i+1, v.Version)
			}
		}
		// anna's own changes are logged, with the version they made.
		if ev := rec.take(); len(ev) != 1 || ev[0].ConsentVersion != 1 || ev[0].Basis != "own" {
			t.Errorf("grant log = %+v", ev)
		}
		if diff := cmp.Diff([]audit.Event{changeEvent("consent.revoke", audit.ActionDelete, c.anna, c.anna, g1.ID, 4)}, rec2.take()); diff != "" {
			t.Errorf("revoke log (-want +got):\n%s", diff)
		}

		t.Run("ErrExtendRevoked", func(t *testing.T) {
			_, err := svc.Extend(ctx, c.anna, g1.ID, t0.Add(100*day))
			wantKind(t, err, errs.Conflict)
			if k := errs.KeyOf(err); k != "error.consent.revoked" {
				t.Errorf("key = %q", k)
			}
		})
		t.Run("ErrRevokeRevoked", func(t *testing.T) {
			_, err := svc.Revoke(ctx, c.anna, g1.ID)
			wantKind(t, err, errs.Conflict)
		})
		t.Run("ErrStranger", func(t *testing.T) {
			svc, rec := at(t, db, t0)
			_, err := svc.Receipt(ctx, c.bert, g1.ID)
			wantNotFound(t, err)
			if ev := rec.take(); len(ev) != 1 || ev[0].Outcome != audit.Denied || ev[0].ObjectID != g1.ID || ev[0].EventID != "consent.read" {
				t.Errorf("log = %+v", ev)
			}
		})
		t.Run("ErrGrantee", func(t *testing.T) {
			_, err := svc.Receipt(ctx, c.pro, g1.ID)
			wantNotFound(t, err)
		})
		t.Run("ErrUnknown", func(t *testing.T) {
			_, err := svc.Receipt(ctx, c.anna, "no-such-grant")
			wantNotFound(t, err)
		})
		t.Run("Delegate", func(t *testing.T) {
			svc, rec := at(t, db, t0)
			r, err := svc.Receipt(ctx, c.carla, g1.ID)
			must(t, err)
			if len(r.Versions) != 4 {
				t.Errorf("delegate sees %d versions", len(r.Versions))
			}
			if ev := rec.take(); len(ev) != 1 || ev[0].Outcome != audit.Allowed || ev[0].Basis != "mandate" || ev[0].OnBehalfOfID != c.anna.ID {
				t.Errorf("log = %+v", ev)
			}
		})
	})
}

func TestService_Extend(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		c := newCast(t, db)
		ctx := t.Context()
		svc, _ := at(t, db, t0)
		g, err := svc.Grant(ctx, c.anna, shareWith(c.pro, "story"))
		must(t, err)

		for _, tc := range []struct {
			name  string
			until time.Time
			key   string
		}{
			{"ErrRequired", time.Time{}, "field.valid_until.required"},
			{"ErrPast", t0.Add(-time.Millisecond), "field.valid_until.past"},
			{"ErrNow", t0, "field.valid_until.past"},
			{"ErrTooLate", t0.Add(365*day + time.Millisecond), "field.valid_until.too_late"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := svc.Extend(ctx, c.anna, g.ID, tc.until)
				wantKind(t, err, errs.Invalid)
				if got := errs.FieldsOf(err)["valid_until"]; got != tc.key {
					t.Errorf("valid_until = %q, want %q", got, tc.key)
				}
			})
		}
		t.Run("Shorten", func(t *testing.T) {
			svc, _ := at(t, db, t0)
			g2, err := svc.Extend(ctx, c.anna, g.ID, t0.Add(time.Millisecond))
			must(t, err)
			if g2.Version != 2 || !g2.ValidUntil.Equal(t0.Add(time.Millisecond)) {
				t.Errorf("shortened = %+v", g2)
			}
		})
		t.Run("AfterExpiry", func(t *testing.T) {
			// Expired, not revoked: the resident may renew it, counted from now.
			svc, _ := at(t, db, t0.Add(50*day))
			g3, err := svc.Extend(ctx, c.anna, g.ID, t0.Add(50*day+365*day))
			must(t, err)
			if g3.Version != 3 || !g3.ValidFrom.Equal(t0) {
				t.Errorf("renewed = %+v", g3)
			}
		})
		t.Run("ErrOtherResidentsGrant", func(t *testing.T) {
			svc, rec := at(t, db, t0)
			_, err := svc.Extend(ctx, c.bert, g.ID, t0.Add(10*day))
			wantNotFound(t, err)
			// The same answer as for a grant that does not exist.
			_, err2 := svc.Extend(ctx, c.bert, "no-such-grant", t0.Add(10*day))
			wantNotFound(t, err2)
			if errs.KeyOf(err) != errs.KeyOf(err2) || errs.KindOf(err) != errs.KindOf(err2) {
				t.Errorf("denial %v differs from absence %v", err, err2)
			}
			if ev := rec.take(); len(ev) != 1 || ev[0].EventID != "consent.extend" || ev[0].Action != audit.ActionUpdate || ev[0].Outcome != audit.Denied {
				t.Errorf("log = %+v", ev)
			}
		})
		t.Run("ErrGranteeCannotExtend", func(t *testing.T) {
			svc, _ := at(t, db, t0)
			_, err := svc.Extend(ctx, c.pro, g.ID, t0.Add(10*day))
			wantNotFound(t, err)
		})
		t.Run("ErrDelegateWithoutConsentScope", func(t *testing.T) {
			svc, _ := at(t, db, t0)
			_, err := svc.Revoke(ctx, c.dirk, g.ID)
			wantNotFound(t, err)
		})
		t.Run("ErrConcurrentChange", func(t *testing.T) {
			stale, err := db.FindGrantByID(ctx, g.ID)
			must(t, err)
			svc, _ := at(t, db, t0)
			must1[consent.Grant](t)(svc.Extend(ctx, c.anna, g.ID, t0.Add(20*day)))
			stale.Version++
			wantKind(t, db.UpdateGrant(ctx, stale), errs.Conflict)
		})
	})
}

func TestService_GrantsBy(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		c := newCast(t, db)
		ctx := t.Context()
		svc, rec := at(t, db, t0)
		list, err := svc.GrantsBy(ctx, c.anna, c.anna.ID)
		must(t, err)
		if ev := rec.take(); len(ev) != 0 {
			t.Errorf("own read logged: %+v", ev)
		}
		w := c.w
		wantIDs := []string{w.gPlatform.ID, w.gSupport.ID, w.gFuture.ID, w.gRevoked.ID, w.gExpiring.ID, w.gConsultant.ID, w.gOrg.ID, w.gPersonal.ID, w.gBoth.ID}
		var got []string
		for _, r := range list {
			got = append(got, r.Grant.ID)
			if r.Grant.GrantorID != c.anna.ID {
				t.Errorf("grant of %s in anna's list", r.Grant.GrantorID)
			}
			if len(r.Versions) == 0 || r.Versions[len(r.Versions)-1].Version != r.Grant.Version {
				t.Errorf("grant %s: versions %+v", r.Grant.ID, r.Versions)
			}
			if r.Grant.ID == w.gRevoked.ID && (len(r.Versions) != 2 || r.Versions[0].RevokedAt != nil || r.Versions[1].RevokedAt == nil) {
				t.Errorf("revoked grant's history = %+v", r.Versions)
			}
		}
		if diff := cmp.Diff(wantIDs, got, sorted); diff != "" {
			t.Errorf("GrantsBy (-want +got):\n%s", diff)
		}
		// Newest first.
		svc1, _ := at(t, db, t0)
		g1 := must1[consent.Grant](t)(svc1.Grant(ctx, c.anna, shareWith(c.pro, "story")))
		svc2, _ := at(t, db, t0.Add(day))
		g2 := must1[consent.Grant](t)(svc2.Grant(ctx, c.anna, shareWith(c.pro, "story")))
		list = must1[[]consent.Receipt](t)(svc.GrantsBy(ctx, c.anna, c.anna.ID))
		if len(list) != len(wantIDs)+2 || list[0].Grant.ID != g2.ID || list[1].Grant.ID != g1.ID {
			t.Errorf("GrantsBy does not start with the newest two")
		}
		rec.take()

		t.Run("Delegate", func(t *testing.T) {
			svc, rec := at(t, db, t0)
			l, err := svc.GrantsBy(ctx, c.carla, c.anna.ID)
			must(t, err)
			if len(l) != len(list) {
				t.Errorf("delegate sees %d grants, want %d", len(l), len(list))
			}
			if ev := rec.take(); len(ev) != 1 || ev[0].Outcome != audit.Allowed || ev[0].EventID != "consent.read" {
				t.Errorf("log = %+v", ev)
			}
		})
		for _, d := range []struct {
			name  string
			actor identity.Person
		}{{"ErrStranger", c.bert}, {"ErrDelegateWithoutConsentScope", c.dirk}, {"ErrProfessional", w.profOrg}, {"ErrTenantAdmin", w.tenantAdmin}, {"ErrPlatformAdmin", w.platformAdmin}} {
			t.Run(d.name, func(t *testing.T) {
				svc, rec := at(t, db, t0)
				_, err := svc.GrantsBy(ctx, d.actor, c.anna.ID)
				wantNotFound(t, err)
				if ev := rec.take(); len(ev) != 1 || ev[0].Outcome != audit.Denied {
					t.Errorf("log = %+v", ev)
				}
			})
		}
	})
}

func TestService_GrantsTo(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		w := newWorld(t, db)
		ctx := t.Context()
		svc, rec := at(t, db, t0)
		ids := func(p identity.Person) []string {
			t.Helper()
			list, err := svc.GrantsTo(ctx, p)
			must(t, err)
			var out []string
			for _, g := range list {
				out = append(out, g.ID)
			}
			return out
		}
		for _, tc := range []struct {
			name  string
			actor identity.Person
			want  []string
		}{
			{"Personal", w.profPersonal, []string{w.gPersonal.ID}},
			{"ThroughOrganisation", w.profOrg, []string{w.gOrg.ID}},
			{"PersonalAndOrganisation", w.profBoth, []string{w.gOrg.ID, w.gBoth.ID}},
			{"Consultant", w.consultant, []string{w.gConsultant.ID}},
			{"OtherResident", w.profOther, []string{w.gBert.ID}},
			{"ExpiredAtT0", w.profExpiring, nil},
			{"Revoked", w.profRevoked, nil},
			{"NotStarted", w.profFuture, nil},
			{"RoleOutsideOrgsMunicipalities", w.profTampered, nil},
			{"ProviderAdmin", w.providerAdmin, nil},
			{"PlatformOrg", w.profPlatform, nil},
			{"Resident", w.anna, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if diff := cmp.Diff(tc.want, ids(tc.actor), sorted); diff != "" {
					t.Errorf("GrantsTo (-want +got):\n%s", diff)
				}
			})
		}
		if ev := rec.take(); len(ev) != 0 {
			t.Errorf("GrantsTo logged %+v", ev)
		}
		_, err := svc.GrantsTo(ctx, identity.Person{})
		wantKind(t, err, errs.Unauthorized)
	})
}

func TestService_Reminders(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		c := newCast(t, db)
		ctx := t.Context()
		base := t0.Add(100 * day) // after every grant of the world has ended
		svc, _ := at(t, db, base)
		grant := func(until time.Time, from ...time.Time) consent.Grant {
			t.Helper()
			in := shareWith(c.pro, "story")
			in.ValidUntil = until
			if len(from) > 0 {
				in.ValidFrom = from[0]
			}
			return must1[consent.Grant](t)(svc.Grant(ctx, c.anna, in))
		}
		soon := grant(base.Add(3 * day))
		edge := grant(base.Add(7 * day))
		_ = grant(base.Add(7*day + time.Millisecond))
		_ = grant(base.Add(30 * day))
		revoked := grant(base.Add(2 * day))
		must1[consent.Grant](t)(svc.Revoke(ctx, c.anna, revoked.ID))
		_ = grant(base.Add(6*day), base.Add(day)) // not started yet
		ids := func(now time.Time) []string {
			t.Helper()
			list, err := svc.DueForReminder(ctx, now, 7*day)
			must(t, err)
			var out []string
			for _, g := range list {
				out = append(out, g.ID)
			}
			return out
		}
		if diff := cmp.Diff([]string{soon.ID, edge.ID}, ids(base), sorted); diff != "" {
			t.Errorf("due (-want +got):\n%s", diff)
		}
		must(t, svc.MarkReminded(ctx, soon.ID))
		if diff := cmp.Diff([]string{edge.ID}, ids(base)); diff != "" {
			t.Errorf("due after reminding (-want +got):\n%s", diff)
		}
		stored := must1[consent.Grant](t)(db.FindGrantByID(ctx, soon.ID))
		if stored.RemindedAt == nil || !stored.RemindedAt.Equal(base) || stored.Version != 1 {
			t.Errorf("reminded grant = %+v", stored)
		}
		// Extending clears the reminder: due again before the new end.
		must1[consent.Grant](t)(svc.Extend(ctx, c.anna, soon.ID, base.Add(20*day)))
		if diff := cmp.Diff([]string{edge.ID}, ids(base)); diff != "" {
			t.Errorf("due after extending (-want +got):\n%s", diff)
		}
		later := base.Add(15 * day)
		got := ids(later)
		if len(got) != 1 || got[0] != soon.ID {
			t.Errorf("due at %v = %v, want [%s]", later, got, soon.ID)
		}
		// Ended grants are never due.
		if got := ids(base.Add(7 * day)); strings.Contains(strings.Join(got, " "), edge.ID) {
			t.Errorf("ended grant due: %v", got)
		}
		wantKind(t, svc.MarkReminded(ctx, "no-such-grant"), errs.NotFound)
	})
}

// sorted compares string slices as sets: grants made in the same
// millisecond have no order among themselves.
var sorted = cmpopts.SortSlices(func(a, b string) bool { return a < b })
