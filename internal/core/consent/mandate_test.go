package consent_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// registrarEvent is the log record of a consultant's work on anna's mandates.
func registrarEvent(w *world, eventID string, action audit.Action, objectID string) audit.Event {
	return audit.Event{EventID: eventID, Action: action, Outcome: audit.Allowed, ActorID: w.consultant.ID,
		ActorRole: "consultant", ActorOrgID: w.gemWoerden.ID, ActorOrgName: "Gemeente Woerden",
		PurposeOfUse: "mandate_registration", MunicipalityID: w.woerden.ID, SubjectID: w.anna.ID, Category: consent.CategoryConsent,
		ObjectID: objectID, Basis: "legal_task:mandate_registration", ConsentID: objectID}
}

func TestService_Appoint(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		w := newWorld(t, db)
		ctx := t.Context()
		gerda := sqltest.Citizen(t, db, w.woerden, "gerda@example.nl")

		t.Run("TrustedPerson", func(t *testing.T) {
			svc, rec := at(t, db, t0)
			m, err := svc.Appoint(ctx, w.anna, consent.NewMandate{DelegateID: gerda.ID, Kind: consent.MandateTrustedPerson,
				Scope: []string{"story:finances", "story", consent.CategoryConsent}, ChildBirthYear: 2010, LegalBasis: "ignored"})
			must(t, err)
			want := consent.Mandate{ID: m.ID, ResidentID: w.anna.ID, DelegateID: gerda.ID, Kind: consent.MandateTrustedPerson,
				Scope: []string{consent.CategoryConsent, "story"}, ValidFrom: t0, ValidUntil: t0.Add(365 * day),
				CreatedAt: t0, CreatedByID: w.anna.ID}
			if diff := cmp.Diff(want, m); diff != "" {
				t.Errorf("Appoint (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want, must1[consent.Mandate](t)(db.FindMandateByID(ctx, m.ID))); diff != "" {
				t.Errorf("stored (-want +got):\n%s", diff)
			}
			wantE := changeEvent("consent.mandate.appoint", audit.ActionShare, w.anna, w.anna, m.ID, 0)
			if diff := cmp.Diff([]audit.Event{wantE}, rec.take()); diff != "" {
				t.Errorf("log (-want +got):\n%s", diff)
			}
			// gerda can act for anna at once, and sees the mandate.
			must(t, svc.Check(ctx, gerda, w.anna.ID, w.anna.ID, consent.Request{Category: "story:housing", Action: audit.ActionUpdate}))
			if list := must1[[]consent.Mandate](t)(svc.MandatesFor(ctx, gerda)); len(list) != 1 || list[0].ID != m.ID {
				t.Errorf("MandatesFor = %+v", list)
			}
		})
		t.Run("LegalRepresentativeByConsultant", func(t *testing.T) {
			svc, rec := at(t, db, t0)
			in := consent.NewMandate{ResidentID: w.anna.ID, DelegateID: gerda.ID, Kind: consent.MandateLegalRepresentative,
				Scope: []string{"story", "dossier", consent.CategoryConsent}, LegalBasis: "  Beschikking kantonrechter Utrecht, 12 januari 2026  ",
				ValidUntil: t0.Add(5 * 365 * day)}
			m, err := svc.Appoint(ctx, w.consultant, in)
			must(t, err)
			if m.LegalBasis != "Beschikking kantonrechter Utrecht, 12 januari 2026" || m.CreatedByID != w.consultant.ID || !m.ValidUntil.Equal(t0.Add(5*365*day)) {
				t.Errorf("mandate = %+v", m)
			}
			if diff := cmp.Diff([]audit.Event{registrarEvent(w, "consent.mandate.appoint", audit.ActionShare, m.ID)}, rec.take()); diff != "" {
				t.Errorf("log (-want +got):\n%s", diff)
			}
		})
		t.Run("ParentByTenantAdmin", func(t *testing.T) {
			svc, _ := at(t, db, t0)
			m, err := svc.Appoint(ctx, w.tenantAdmin, consent.NewMandate{ResidentID: w.anna.ID, DelegateID: gerda.ID,
				Kind: consent.MandateParent, Scope: []string{"story"}, ChildBirthYear: 2010, LegalBasis: "Gezag volgens BRP"})
			must(t, err)
			// Born in 2010: an adult from 1 January 2028; the default year
			// ends before that.
			if !m.ValidUntil.Equal(t0.Add(365*day)) || m.ChildBirthYear != 2010 || m.Kind != consent.MandateParent {
				t.Errorf("mandate = %+v", m)
			}
		})
		for _, d := range []struct {
			name  string
			actor identity.Person
			in    consent.NewMandate
		}{
			{"ErrDelegateAppointsDelegate", w.carla, consent.NewMandate{ResidentID: w.anna.ID, DelegateID: gerda.ID, Kind: consent.MandateTrustedPerson, Scope: []string{"story"}}},
			{"ErrStranger", w.bert, consent.NewMandate{ResidentID: w.anna.ID, DelegateID: w.bert.ID, Kind: consent.MandateTrustedPerson, Scope: []string{"story"}}},
			{"ErrResidentMakesLegalRepresentative", w.anna, consent.NewMandate{DelegateID: gerda.ID, Kind: consent.MandateLegalRepresentative, Scope: []string{"story"}, LegalBasis: "x"}},
			{"ErrConsultantOtherMunicipality", w.consultantOudew, consent.NewMandate{ResidentID: w.anna.ID, DelegateID: gerda.ID, Kind: consent.MandateLegalRepresentative, Scope: []string{"story"}, LegalBasis: "x"}},
			{"ErrProfessional", w.profOrg, consent.NewMandate{ResidentID: w.anna.ID, DelegateID: gerda.ID, Kind: consent.MandateParent, Scope: []string{"story"}, ChildBirthYear: 2015, LegalBasis: "x"}},
			{"ErrPlatformAdmin", w.platformAdmin, consent.NewMandate{ResidentID: w.anna.ID, DelegateID: gerda.ID, Kind: consent.MandateLegalRepresentative, Scope: []string{"story"}, LegalBasis: "x"}},
			{"ErrModerator", w.moderator, consent.NewMandate{ResidentID: w.anna.ID, DelegateID: gerda.ID, Kind: consent.MandateLegalRepresentative, Scope: []string{"story"}, LegalBasis: "x"}},
		} {
			t.Run(d.name, func(t *testing.T) {
				svc, rec := at(t, db, t0)
				before := must1[[]consent.Mandate](t)(db.FindMandates(ctx, consent.MandateFilter{ResidentID: w.anna.ID}))
				_, err := svc.Appoint(ctx, d.actor, d.in)
				wantNotFound(t, err)
				after := must1[[]consent.Mandate](t)(db.FindMandates(ctx, consent.MandateFilter{ResidentID: w.anna.ID}))
				if len(after) != len(before) {
					t.Errorf("a mandate was stored")
				}
				ev := rec.take()
				if len(ev) != 1 || ev[0].Outcome != audit.Denied || ev[0].ActorID != d.actor.ID || ev[0].SubjectID != w.anna.ID || ev[0].EventID != "consent.mandate.appoint" {
					t.Errorf("log = %+v, want one denial", ev)
				}
			})
		}
		t.Run("ErrUnauthorized", func(t *testing.T) {
			svc, _ := at(t, db, t0)
			_, err := svc.Appoint(ctx, identity.Person{}, consent.NewMandate{ResidentID: w.anna.ID})
			wantKind(t, err, errs.Unauthorized)
		})
	})
}

func TestService_Appoint_Validation(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		w := newWorld(t, db)
		trusted := func(mod func(*consent.NewMandate)) consent.NewMandate {
			in := consent.NewMandate{DelegateID: w.bert.ID, Kind: consent.MandateTrustedPerson, Scope: []string{"story"}}
			mod(&in)
			return in
		}
		staffMade := func(mod func(*consent.NewMandate)) consent.NewMandate {
			in := consent.NewMandate{ResidentID: w.anna.ID, DelegateID: w.bert.ID, Kind: consent.MandateParent,
				Scope: []string{"story"}, ChildBirthYear: 2015, LegalBasis: "Gezag volgens BRP"}
			mod(&in)
			return in
		}
		for _, tc := range []struct {
			name  string
			actor identity.Person
			in    consent.NewMandate
			want  map[string]string
		}{
			{"ErrDelegateRequired", w.anna, trusted(func(n *consent.NewMandate) { n.DelegateID = "" }), map[string]string{"delegate": "field.delegate.required"}},
			{"ErrDelegateSelf", w.anna, trusted(func(n *consent.NewMandate) { n.DelegateID = w.anna.ID }), map[string]string{"delegate": "field.delegate.self"}},
			{"ErrDelegateUnknown", w.anna, trusted(func(n *consent.NewMandate) { n.DelegateID = "nobody" }), map[string]string{"delegate": "field.delegate.unknown"}},
			{"ErrKindInvalid", w.anna, trusted(func(n *consent.NewMandate) { n.Kind = "friend" }), map[string]string{"kind": "field.mandate_kind.invalid"}},
			{"ErrKindEmpty", w.anna, trusted(func(n *consent.NewMandate) { n.Kind = "" }), map[string]string{"kind": "field.mandate_kind.invalid"}},
			{"ErrScopeRequired", w.anna, trusted(func(n *consent.NewMandate) { n.Scope = nil }), map[string]string{"scope": "field.scope.required"}},
			{"ErrScopeUnknown", w.anna, trusted(func(n *consent.NewMandate) { n.Scope = []string{"story", "budget"} }), map[string]string{"scope": "field.scope.unknown"}},
			{"ErrScopeComment", w.anna, trusted(func(n *consent.NewMandate) { n.Scope = []string{"story:comment"} }), map[string]string{"scope": "field.scope.unknown"}},
			{"ErrValidUntilBeforeStart", w.anna, trusted(func(n *consent.NewMandate) { n.ValidFrom, n.ValidUntil = t0.Add(2*day), t0.Add(day) }), map[string]string{"valid_until": "field.valid_until.before_start"}},
			{"ErrValidUntilPast", w.anna, trusted(func(n *consent.NewMandate) { n.ValidUntil = t0.Add(-day) }), map[string]string{"valid_until": "field.valid_until.before_start"}},
			{"ErrValidUntilTooLate", w.anna, trusted(func(n *consent.NewMandate) { n.ValidUntil = t0.Add(5*365*day + time.Millisecond) }), map[string]string{"valid_until": "field.valid_until.too_late"}},
			{"ErrValidFromTooLate", w.anna, trusted(func(n *consent.NewMandate) { n.ValidFrom = t0.Add(5 * 365 * day) }), map[string]string{"valid_from": "field.valid_from.too_late"}},
			{"ErrBirthYearRequired", w.consultant, staffMade(func(n *consent.NewMandate) { n.ChildBirthYear = 0 }), map[string]string{"birth_year": "field.birth_year.required"}},
			{"ErrBirthYearFuture", w.consultant, staffMade(func(n *consent.NewMandate) { n.ChildBirthYear = 2027 }), map[string]string{"birth_year": "field.birth_year.invalid"}},
			// t0 is in 2026: a child born in 2008 turns 18 this year.
			{"ErrNotMinor", w.consultant, staffMade(func(n *consent.NewMandate) { n.ChildBirthYear = 2008 }), map[string]string{"birth_year": "field.birth_year.not_minor"}},
			{"ErrParentBeyondAdulthood", w.consultant, staffMade(func(n *consent.NewMandate) {
				n.ChildBirthYear, n.ValidUntil = 2009, time.Date(2027, 1, 1, 0, 0, 0, 1e6, time.UTC)
			}), map[string]string{"valid_until": "field.valid_until.too_late"}},
			{"ErrLegalBasisRequired", w.consultant, staffMade(func(n *consent.NewMandate) { n.LegalBasis = "  " }), map[string]string{"legal_basis": "field.legal_basis.required"}},
			{"ErrLegalBasisTooLong", w.consultant, staffMade(func(n *consent.NewMandate) { n.LegalBasis = strings.Repeat("é", 501) }), map[string]string{"legal_basis": "field.legal_basis.too_long"}},
			{"ErrLegalBasisBadText", w.consultant, staffMade(func(n *consent.NewMandate) { n.LegalBasis = "a\xffb" }), map[string]string{"legal_basis": "field.invalid_text"}},
			{"ErrRegistrarAsDelegate", w.consultant, staffMade(func(n *consent.NewMandate) { n.DelegateID = w.consultant.ID }), map[string]string{"delegate": "field.delegate.self"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				svc, rec := at(t, db, t0)
				_, err := svc.Appoint(t.Context(), tc.actor, tc.in)
				wantKind(t, err, errs.Invalid)
				if diff := cmp.Diff(tc.want, errs.FieldsOf(err)); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
				if ev := rec.take(); len(ev) != 0 {
					t.Errorf("a refused form was logged: %+v", ev)
				}
			})
		}
		t.Run("ParentCappedAtAdulthood", func(t *testing.T) {
			svc, _ := at(t, db, t0)
			m, err := svc.Appoint(t.Context(), w.consultant, staffMade(func(n *consent.NewMandate) { n.ChildBirthYear = 2009 }))
			must(t, err)
			if want := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC); !m.ValidUntil.Equal(want) {
				t.Errorf("ValidUntil = %v, want %v", m.ValidUntil, want)
			}
			// The mandate ends to the millisecond.
			at1, _ := at(t, db, m.ValidUntil.Add(-time.Millisecond))
			at2, _ := at(t, db, m.ValidUntil)
			req := consent.Request{Category: "story", Action: audit.ActionRead}
			must(t, at1.Check(t.Context(), w.bert, w.anna.ID, w.anna.ID, req))
			wantNotFound(t, at2.Check(t.Context(), w.bert, w.anna.ID, w.anna.ID, req))
		})
	})
}

func TestService_RevokeMandate(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		w := newWorld(t, db)
		ctx := t.Context()
		svc, _ := at(t, db, t0)
		gerda := sqltest.Citizen(t, db, w.woerden, "gerda@example.nl")
		trusted := func() consent.Mandate {
			t.Helper()
			return must1[consent.Mandate](t)(svc.Appoint(ctx, w.anna, consent.NewMandate{DelegateID: gerda.ID,
				Kind: consent.MandateTrustedPerson, Scope: []string{"story"}}))
		}
		legal := must1[consent.Mandate](t)(svc.Appoint(ctx, w.consultant, consent.NewMandate{ResidentID: w.anna.ID,
			DelegateID: gerda.ID, Kind: consent.MandateLegalRepresentative, Scope: []string{"story"}, LegalBasis: "Beschikking"}))
		req := consent.Request{Category: "story", Action: audit.ActionRead}

		t.Run("ByResident", func(t *testing.T) {
			m := trusted()
			svc, rec := at(t, db, t0)
			r, err := svc.RevokeMandate(ctx, w.anna, m.ID)
			must(t, err)
			if r.RevokedAt == nil || !r.RevokedAt.Equal(t0) || r.RevokedByID != w.anna.ID {
				t.Errorf("revoked = %+v", r)
			}
			if diff := cmp.Diff(r, must1[consent.Mandate](t)(db.FindMandateByID(ctx, m.ID))); diff != "" {
				t.Errorf("stored (-want +got):\n%s", diff)
			}
			wantE := changeEvent("consent.mandate.revoke", audit.ActionDelete, w.anna, w.anna, m.ID, 0)
			if diff := cmp.Diff([]audit.Event{wantE}, rec.take()); diff != "" {
				t.Errorf("log (-want +got):\n%s", diff)
			}
			_, err = svc.RevokeMandate(ctx, w.anna, m.ID)
			wantKind(t, err, errs.Conflict)
			if k := errs.KeyOf(err); k != "error.mandate.revoked" {
				t.Errorf("key = %q", k)
			}
		})
		t.Run("RevocationImmediate", func(t *testing.T) {
			// gerda still has the legal representative's mandate; use carla's.
			must(t, svc.Check(ctx, w.carla, w.anna.ID, w.anna.ID, req))
			must1[consent.Mandate](t)(svc.RevokeMandate(ctx, w.anna, w.mCarla.ID))
			wantNotFound(t, svc.Check(ctx, w.carla, w.anna.ID, w.anna.ID, req))
			for _, m := range must1[[]consent.Mandate](t)(svc.MandatesFor(ctx, w.carla)) {
				t.Errorf("MandatesFor after revocation holds %+v", m)
			}
		})
		t.Run("DelegateStepsDown", func(t *testing.T) {
			m := trusted()
			svc, rec := at(t, db, t0)
			must1[consent.Mandate](t)(svc.RevokeMandate(ctx, gerda, m.ID))
			ev := rec.take()
			if len(ev) != 1 || ev[0].Basis != "mandate" || ev[0].ActorRole != "delegate" || ev[0].OnBehalfOfID != w.anna.ID || ev[0].ConsentID != m.ID {
				t.Errorf("log = %+v", ev)
			}
		})
		t.Run("ErrResidentEndsLegalRepresentative", func(t *testing.T) {
			svc, rec := at(t, db, t0)
			_, err := svc.RevokeMandate(ctx, w.anna, legal.ID)
			wantKind(t, err, errs.Forbidden)
			if k := errs.KeyOf(err); k != "error.mandate.staff_made" {
				t.Errorf("key = %q", k)
			}
			if ev := rec.take(); len(ev) != 0 {
				t.Errorf("logged %+v", ev)
			}
		})
		for _, d := range []struct {
			name  string
			actor identity.Person
			m     func() consent.Mandate
		}{
			{"ErrStranger", w.bert, trusted},
			{"ErrStaffEndsTrustedPerson", w.consultant, trusted},
			{"ErrOtherMunicipality", w.consultantOudew, func() consent.Mandate { return legal }},
			{"ErrPlatformAdmin", w.platformAdmin, func() consent.Mandate { return legal }},
			{"ErrOtherDelegate", w.carla, trusted},
		} {
			t.Run(d.name, func(t *testing.T) {
				m := d.m()
				svc, rec := at(t, db, t0)
				_, err := svc.RevokeMandate(ctx, d.actor, m.ID)
				wantNotFound(t, err)
				if got := must1[consent.Mandate](t)(db.FindMandateByID(ctx, m.ID)); got.RevokedAt != nil {
					t.Errorf("revoked anyway")
				}
				if ev := rec.take(); len(ev) != 1 || ev[0].Outcome != audit.Denied || ev[0].EventID != "consent.mandate.revoke" || ev[0].ObjectID != m.ID {
					t.Errorf("log = %+v", ev)
				}
			})
		}
		t.Run("ErrUnknown", func(t *testing.T) {
			_, err := svc.RevokeMandate(ctx, w.anna, "no-such-mandate")
			wantNotFound(t, err)
		})
		t.Run("ByConsultant", func(t *testing.T) {
			svc, rec := at(t, db, t0)
			must1[consent.Mandate](t)(svc.RevokeMandate(ctx, w.consultant, legal.ID))
			if diff := cmp.Diff([]audit.Event{registrarEvent(w, "consent.mandate.revoke", audit.ActionDelete, legal.ID)}, rec.take()); diff != "" {
				t.Errorf("log (-want +got):\n%s", diff)
			}
		})
	})
}

func TestService_MandatesOf(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		w := newWorld(t, db)
		ctx := t.Context()
		svc, rec := at(t, db, t0)
		all := []string{w.mCarla.ID, w.mDirk.ID, w.mEva.ID, w.mFenna.ID, w.mHanna.ID}
		ids := func(list []consent.Mandate) []string {
			var out []string
			for _, m := range list {
				out = append(out, m.ID)
			}
			return out
		}
		list, err := svc.MandatesOf(ctx, w.anna, w.anna.ID)
		must(t, err)
		if diff := cmp.Diff(all, ids(list), sorted); diff != "" {
			t.Errorf("MandatesOf (-want +got):\n%s", diff)
		}
		if ev := rec.take(); len(ev) != 0 {
			t.Errorf("own read logged %+v", ev)
		}
		list, err = svc.MandatesOf(ctx, w.consultant, w.anna.ID)
		must(t, err)
		if diff := cmp.Diff(all, ids(list), sorted); diff != "" {
			t.Errorf("MandatesOf for consultant (-want +got):\n%s", diff)
		}
		wantE := registrarEvent(w, "consent.mandate.read", audit.ActionRead, "")
		wantE.ConsentID = ""
		if diff := cmp.Diff([]audit.Event{wantE}, rec.take()); diff != "" {
			t.Errorf("log (-want +got):\n%s", diff)
		}
		for _, a := range []identity.Person{w.carla, w.bert, w.consultantOudew, w.profOrg, w.platformAdmin, w.moderator} {
			_, err := svc.MandatesOf(ctx, a, w.anna.ID)
			wantNotFound(t, err)
			if ev := rec.take(); len(ev) != 1 || ev[0].Outcome != audit.Denied || ev[0].ActorID != a.ID {
				t.Errorf("%s: log = %+v", a.Email, ev)
			}
		}

		// MandatesFor: only live ones.
		for _, tc := range []struct {
			p    identity.Person
			want []string
		}{{w.carla, []string{w.mCarla.ID}}, {w.dirk, []string{w.mDirk.ID}}, {w.eva, nil}, {w.fenna, nil}, {w.anna, nil}} {
			if diff := cmp.Diff(tc.want, ids(must1[[]consent.Mandate](t)(svc.MandatesFor(ctx, tc.p)))); diff != "" {
				t.Errorf("MandatesFor(%s) (-want +got):\n%s", tc.p.Email, diff)
			}
		}
	})
}

// TestService_LegalTask: an enabled legal task allows exactly what it
// names, for the roles it names, for residents of the municipality where
// the role is held; consent goes first.
func TestService_LegalTask(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		w := newWorld(t, db)
		task := consent.LegalTask{Name: "wmo_assessment", Law: "Wmo 2015 art. 2.3.2",
			Roles: []identity.Role{identity.RoleConsultant, identity.RoleModerator}, Categories: []string{"story:housing"},
			Actions: []audit.Action{audit.ActionRead}}
		opts := consent.Options{LegalTasks: []consent.LegalTask{task}}
		olga := sqltest.Citizen(t, db, w.oudewater, "olga@example.nl")
		basis := consent.LegalTaskBasis("wmo_assessment")
		lt := func(r identity.Role, o tenant.Organisation) want {
			return want{basis: basis, purpose: "wmo_assessment", role: r, org: o, mun: w.woerden.ID}
		}
		W := w.woerden.ID
		cases := []policyCase{
			{name: "consultant/named section", actor: w.consultantNoGrant(t, db), cat: "story:housing", action: read, want: lt(identity.RoleConsultant, tenant.Organisation{})},
			{name: "moderator/comments of named section", actor: w.moderator, cat: "story:housing:comment", action: read, want: lt(identity.RoleModerator, tenant.Organisation{})},
			{name: "consultant/grant goes first", actor: w.consultant, cat: "story:housing", action: read, want: want{basis: consent.BasisConsent, grant: &w.gConsultant, role: identity.RoleConsultant, org: w.gemWoerden, mun: W}},
			{name: "consultant/other section", actor: w.consultant, cat: "story:finances", action: read, want: want{role: identity.RoleConsultant, org: w.gemWoerden, mun: W}},
			{name: "moderator/other action", actor: w.moderator, cat: "story:housing", action: update, want: want{role: identity.RoleModerator, mun: W}},
			{name: "consultant/other municipality", actor: w.consultantOudew, cat: "story:housing", action: read, want: want{role: identity.RoleConsultant, org: w.gemOudewater, mun: w.oudewater.ID}},
			{name: "moderator/resident of other municipality", actor: w.moderator, subject: olga, cat: "story:housing", action: read, want: want{role: identity.RoleModerator, mun: W}},
			{name: "role not named", actor: w.tenantAdmin, cat: "story:housing", action: read, want: want{role: identity.RoleTenantAdmin, mun: W}},
			{name: "platform admin", actor: w.platformAdmin, cat: "story:housing", action: read, want: want{role: identity.RolePlatformAdmin}},
		}
		for _, c := range cases {
			if c.subject.ID == "" {
				c.subject = w.anna
			}
			// In turn: the cases only read, and share one database (and
			// its connections) with every other case.
			t.Run(c.name, func(t *testing.T) {
				runPolicyCase(t, db, c, opts)
			})
		}
	})
}

// consultantNoGrant stores a consultant of Woerden without an organisation.
func (w *world) consultantNoGrant(t *testing.T, db *sqlstore.DB) identity.Person {
	return staff(t, db, "consulent2@woerden.nl", identity.RoleConsultant, tenant.Organisation{}, w.woerden)
}

func TestNewService_LegalTasks(t *testing.T) {
	t.Parallel()
	good := consent.LegalTask{Name: "wmo_assessment", Law: "Wmo 2015 art. 2.3.2", Roles: []identity.Role{identity.RoleConsultant},
		Categories: []string{"story"}, Actions: []audit.Action{audit.ActionRead}}
	for _, tc := range []struct {
		name string
		mod  func(*consent.LegalTask)
		ok   bool
	}{
		{"OK", func(*consent.LegalTask) {}, true},
		{"MandateRegistration", func(l *consent.LegalTask) { *l = consent.MandateRegistration }, true},
		{"ErrPlatformAdmin", func(l *consent.LegalTask) { l.Roles = []identity.Role{identity.RolePlatformAdmin} }, false},
		{"ErrCitizen", func(l *consent.LegalTask) { l.Roles = []identity.Role{identity.RoleCitizen} }, false},
		{"ErrDelegate", func(l *consent.LegalTask) { l.Roles = []identity.Role{identity.RoleDelegate} }, false},
		{"ErrNoRoles", func(l *consent.LegalTask) { l.Roles = nil }, false},
		{"ErrNoLaw", func(l *consent.LegalTask) { l.Law = " " }, false},
		{"ErrBadName", func(l *consent.LegalTask) { l.Name = "Wmo!" }, false},
		{"ErrUnknownCategory", func(l *consent.LegalTask) { l.Categories = []string{"diary"} }, false},
		{"ErrNoCategories", func(l *consent.LegalTask) { l.Categories = nil }, false},
		{"ErrUnknownAction", func(l *consent.LegalTask) { l.Actions = []audit.Action{"peek"} }, false},
		{"ErrNoActions", func(l *consent.LegalTask) { l.Actions = nil }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			task := good
			tc.mod(&task)
			_, err := consent.NewService(nil, &recorder{}, nil, consent.Options{Categories: categories(t), LegalTasks: []consent.LegalTask{task}})
			if (err == nil) != tc.ok {
				t.Errorf("NewService = %v, want ok %v", err, tc.ok)
			}
		})
	}
}
