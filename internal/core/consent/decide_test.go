package consent_test

import (
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

// want is the expected decision of a policy case; a zero basis is a denial.
type want struct {
	basis      consent.Basis
	grant      *consent.Grant
	mandate    *consent.Mandate
	purpose    string // a legal task's name; grants and mandates bring their own
	role       identity.Role
	org        tenant.Organisation
	mun        string
	onBehalfOf identity.Person
}

type policyCase struct {
	name      string
	actor     identity.Person
	actingFor string
	subject   identity.Person // default anna
	at        time.Time       // default t0
	cat       string
	action    audit.Action
	want      want
}

const (
	read   = audit.ActionRead
	create = audit.ActionCreate
	update = audit.ActionUpdate
	del    = audit.ActionDelete
	share  = audit.ActionShare
	export = audit.ActionExport
	search = audit.ActionSearch
)

// policyCases is the policy table: every role and relation against anna's
// data, with the answer and its basis.
func policyCases(w *world) []policyCase {
	W := w.woerden.ID
	none := tenant.Organisation{}
	own := want{basis: consent.BasisOwn, role: identity.RoleCitizen, mun: W}
	citizen := want{role: identity.RoleCitizen, mun: W}
	delegateFor := func(p identity.Person) want { return want{role: identity.RoleDelegate, mun: W, onBehalfOf: p} }
	mandate := func(m consent.Mandate) want {
		return want{basis: consent.BasisMandate, mandate: &m, role: identity.RoleDelegate, mun: W, onBehalfOf: w.anna}
	}
	deny := func(r identity.Role, o tenant.Organisation, m string) want { return want{role: r, org: o, mun: m} }
	grant := func(g consent.Grant, r identity.Role, o tenant.Organisation, m string) want {
		return want{basis: consent.BasisConsent, grant: &g, role: r, org: o, mun: m}
	}
	pro, cons := identity.RoleProfessional, identity.RoleConsultant
	return []policyCase{
		// The resident themselves: everything, not logged.
		{name: "citizen self/read story", actor: w.anna, cat: "story", action: read, want: own},
		{name: "citizen self/update section", actor: w.anna, cat: "story:finances", action: update, want: own},
		{name: "citizen self/delete comment", actor: w.anna, cat: "story:finances:comment", action: del, want: own},
		{name: "citizen self/export dossier", actor: w.anna, cat: "dossier", action: export, want: own},
		{name: "citizen self/share consent", actor: w.anna, cat: consent.CategoryConsent, action: share, want: own},
		{name: "citizen self/acting for self", actor: w.anna, actingFor: w.anna.ID, cat: "story", action: read, want: own},

		// Another resident.
		{name: "other citizen/read story", actor: w.bert, cat: "story", action: read, want: citizen},
		{name: "other citizen/read section", actor: w.bert, cat: "story:finances", action: read, want: citizen},
		{name: "other citizen/read consent", actor: w.bert, cat: consent.CategoryConsent, action: read, want: citizen},

		// Delegates.
		{name: "delegate/read section", actor: w.carla, actingFor: w.anna.ID, cat: "story:finances", action: read, want: mandate(w.mCarla)},
		{name: "delegate/update section", actor: w.carla, actingFor: w.anna.ID, cat: "story:housing", action: update, want: mandate(w.mCarla)},
		{name: "delegate/create comment", actor: w.carla, actingFor: w.anna.ID, cat: "story:comment", action: create, want: mandate(w.mCarla)},
		{name: "delegate/share consent", actor: w.carla, actingFor: w.anna.ID, cat: consent.CategoryConsent, action: share, want: mandate(w.mCarla)},
		{name: "delegate/outside scope", actor: w.carla, actingFor: w.anna.ID, cat: "dossier", action: read, want: delegateFor(w.anna)},
		{name: "delegate/not acting for", actor: w.carla, cat: "story", action: read, want: citizen},
		{name: "delegate/for other resident", actor: w.carla, actingFor: w.bert.ID, subject: w.bert, cat: "story", action: read, want: delegateFor(w.bert)},
		{name: "delegate/acting for anna on bert", actor: w.carla, actingFor: w.anna.ID, subject: w.bert, cat: "story", action: read, want: delegateFor(w.anna)},
		{name: "delegate of two/for anna", actor: w.hanna, actingFor: w.anna.ID, cat: "story", action: read, want: mandate(w.mHanna)},
		{name: "delegate of two/for anna on bert", actor: w.hanna, actingFor: w.anna.ID, subject: w.bert, cat: "story", action: read, want: delegateFor(w.anna)},
		{name: "delegate of two/for bert on anna", actor: w.hanna, actingFor: w.bert.ID, cat: "story", action: read, want: delegateFor(w.bert)},
		{name: "delegate without mandate", actor: w.bert, actingFor: w.anna.ID, cat: "story", action: read, want: delegateFor(w.anna)},
		{name: "delegate narrow scope/in scope", actor: w.dirk, actingFor: w.anna.ID, cat: "story:finances", action: read, want: mandate(w.mDirk)},
		{name: "delegate narrow scope/comment in scope", actor: w.dirk, actingFor: w.anna.ID, cat: "story:finances:comment", action: create, want: mandate(w.mDirk)},
		{name: "delegate wrong scope/other section", actor: w.dirk, actingFor: w.anna.ID, cat: "story:housing", action: read, want: delegateFor(w.anna)},
		{name: "delegate wrong scope/whole story", actor: w.dirk, actingFor: w.anna.ID, cat: "story", action: read, want: delegateFor(w.anna)},
		{name: "delegate wrong scope/consent", actor: w.dirk, actingFor: w.anna.ID, cat: consent.CategoryConsent, action: share, want: delegateFor(w.anna)},
		{name: "delegate expired mandate/1 ms before", actor: w.eva, actingFor: w.anna.ID, at: w.mEva.ValidUntil.Add(-time.Millisecond), cat: "story", action: read, want: mandate(w.mEva)},
		{name: "delegate expired mandate/at expiry", actor: w.eva, actingFor: w.anna.ID, at: w.mEva.ValidUntil, cat: "story", action: read, want: delegateFor(w.anna)},
		{name: "delegate expired mandate/later", actor: w.eva, actingFor: w.anna.ID, cat: "story", action: read, want: delegateFor(w.anna)},
		{name: "delegate revoked mandate", actor: w.fenna, actingFor: w.anna.ID, cat: "story", action: read, want: delegateFor(w.anna)},

		// Professionals through a personal grant for story:finances, read.
		{name: "personal grant/read section", actor: w.profPersonal, cat: "story:finances", action: read, want: grant(w.gPersonal, pro, w.zorgB, W)},
		{name: "personal grant/read section comments", actor: w.profPersonal, cat: "story:finances:comment", action: read, want: grant(w.gPersonal, pro, w.zorgB, W)},
		{name: "personal grant/other section", actor: w.profPersonal, cat: "story:housing", action: read, want: deny(pro, w.zorgB, W)},
		{name: "personal grant/whole story", actor: w.profPersonal, cat: "story", action: read, want: deny(pro, w.zorgB, W)},
		{name: "personal grant/comment without read_comment", actor: w.profPersonal, cat: "story:finances:comment", action: create, want: deny(pro, w.zorgB, W)},
		{name: "personal grant/update", actor: w.profPersonal, cat: "story:finances", action: update, want: deny(pro, w.zorgB, W)},
		{name: "personal grant/other category", actor: w.profPersonal, cat: "dossier", action: read, want: deny(pro, w.zorgB, W)},
		{name: "personal grant/acting for without mandate", actor: w.profPersonal, actingFor: w.anna.ID, cat: "story:finances", action: read, want: want{role: identity.RoleDelegate, onBehalfOf: w.anna}},

		// Professionals through a grant to Zorg A for story, read_comment.
		{name: "org grant/read section", actor: w.profOrg, cat: "story:housing", action: read, want: grant(w.gOrg, pro, w.zorgA, W)},
		{name: "org grant/read whole", actor: w.profOrg, cat: "story", action: read, want: grant(w.gOrg, pro, w.zorgA, W)},
		{name: "org grant/comment on section", actor: w.profOrg, cat: "story:housing:comment", action: create, want: grant(w.gOrg, pro, w.zorgA, W)},
		{name: "org grant/comment on whole", actor: w.profOrg, cat: "story:comment", action: create, want: grant(w.gOrg, pro, w.zorgA, W)},
		{name: "org grant/create section", actor: w.profOrg, cat: "story:housing", action: create, want: deny(pro, w.zorgA, W)},
		{name: "org grant/update section", actor: w.profOrg, cat: "story:housing", action: update, want: deny(pro, w.zorgA, W)},
		{name: "org grant/delete comment", actor: w.profOrg, cat: "story:housing:comment", action: del, want: deny(pro, w.zorgA, W)},
		{name: "org grant/update comment", actor: w.profOrg, cat: "story:housing:comment", action: update, want: deny(pro, w.zorgA, W)},
		{name: "org grant/export", actor: w.profOrg, cat: "story", action: export, want: deny(pro, w.zorgA, W)},
		{name: "org grant/search", actor: w.profOrg, cat: "story", action: search, want: deny(pro, w.zorgA, W)},
		{name: "org grant/share", actor: w.profOrg, cat: "story", action: share, want: deny(pro, w.zorgA, W)},
		{name: "org grant/other category", actor: w.profOrg, cat: "dossier", action: read, want: deny(pro, w.zorgA, W)},
		{name: "org grant/read consent", actor: w.profOrg, cat: consent.CategoryConsent, action: read, want: deny(pro, w.zorgA, W)},
		{name: "org grant/other resident", actor: w.profOrg, subject: w.bert, cat: "story", action: read, want: deny(pro, w.zorgA, W)},
		{name: "org grant/disabled account", actor: w.profDisabled, cat: "story", action: read, want: deny(pro, w.zorgA, W)},
		{name: "org grant/provider admin of org", actor: w.providerAdmin, cat: "story", action: read, want: deny(identity.RoleProviderAdmin, w.zorgA, W)},
		{name: "org grant/role in org outside its municipalities", actor: w.profTampered, cat: "story", action: read, want: deny(pro, w.zorgA, w.oudewater.ID)},
		{name: "org grant/role without org", actor: w.profNoOrg, cat: "story", action: read, want: deny(pro, none, W)},
		{name: "org grant/platform org", actor: w.profPlatform, cat: "story", action: read, want: deny(pro, w.platform, W)},

		// Both a grant of their own and one to their organisation: their own first.
		{name: "personal and org grant/both cover", actor: w.profBoth, cat: "story:finances", action: read, want: grant(w.gBoth, pro, w.zorgA, W)},
		{name: "personal and org grant/only org covers", actor: w.profBoth, cat: "story:housing", action: read, want: grant(w.gOrg, pro, w.zorgA, W)},

		// Professionals without a live grant.
		{name: "other org/grant of other resident only", actor: w.profOther, cat: "story", action: read, want: deny(pro, w.zorgB, W)},
		{name: "expired grant/1 ms before", actor: w.profExpiring, at: t0.Add(-time.Millisecond), cat: "story", action: read, want: grant(w.gExpiring, pro, w.zorgB, W)},
		{name: "expired grant/at expiry", actor: w.profExpiring, at: t0, cat: "story", action: read, want: deny(pro, w.zorgB, W)},
		{name: "expired grant/later", actor: w.profExpiring, at: t0.Add(day), cat: "story", action: read, want: deny(pro, w.zorgB, W)},
		{name: "revoked grant", actor: w.profRevoked, cat: "story", action: read, want: deny(pro, w.zorgB, W)},
		{name: "future grant/before start", actor: w.profFuture, cat: "story", action: read, want: deny(pro, w.zorgB, W)},
		{name: "future grant/at start", actor: w.profFuture, at: w.gFuture.ValidFrom, cat: "story", action: read, want: grant(w.gFuture, pro, w.zorgB, W)},

		// Consultants through a grant to their municipality's organisation.
		{name: "consultant/granted section", actor: w.consultant, cat: "story:housing", action: read, want: grant(w.gConsultant, cons, w.gemWoerden, W)},
		{name: "consultant/other section", actor: w.consultant, cat: "story:finances", action: read, want: deny(cons, w.gemWoerden, W)},
		{name: "consultant/other municipality", actor: w.consultantOudew, cat: "story:housing", action: read, want: deny(cons, w.gemOudewater, w.oudewater.ID)},

		// Roles that never see a resident's data by their role.
		{name: "editor", actor: w.editor, cat: "story", action: read, want: deny(identity.RoleEditor, none, W)},
		{name: "moderator/read", actor: w.moderator, cat: "story", action: read, want: deny(identity.RoleModerator, none, W)},
		{name: "moderator/comment", actor: w.moderator, cat: "story:comment", action: read, want: deny(identity.RoleModerator, none, W)},
		{name: "tenant admin/read", actor: w.tenantAdmin, cat: "story", action: read, want: deny(identity.RoleTenantAdmin, none, W)},
		{name: "tenant admin/consent", actor: w.tenantAdmin, cat: consent.CategoryConsent, action: read, want: deny(identity.RoleTenantAdmin, none, W)},
		{name: "platform admin/read", actor: w.platformAdmin, cat: "story", action: read, want: deny(identity.RolePlatformAdmin, none, "")},
		{name: "platform admin/export", actor: w.platformAdmin, cat: "story", action: export, want: deny(identity.RolePlatformAdmin, none, "")},
		{name: "platform admin/consent", actor: w.platformAdmin, cat: consent.CategoryConsent, action: read, want: deny(identity.RolePlatformAdmin, none, "")},
		{name: "platform admin/acting for", actor: w.platformAdmin, actingFor: w.anna.ID, cat: "story", action: read, want: want{role: identity.RoleDelegate, onBehalfOf: w.anna}},
		// A platform admin the resident chose by name, e.g. for a support session.
		{name: "platform admin with personal grant/granted", actor: w.supportAdmin, cat: "story:finances", action: read, want: grant(w.gSupport, identity.RolePlatformAdmin, none, "")},
		{name: "platform admin with personal grant/other section", actor: w.supportAdmin, cat: "story:housing", action: read, want: deny(identity.RolePlatformAdmin, none, "")},
	}
}

// TestService_Decide is the policy table: each case is asked through
// Decide and through Check, on both databases. Check must answer nil or
// the denial's NotFound, and log exactly one event with every field for
// anything but the resident's own access, which it must not log.
func TestService_Decide(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		w := newWorld(t, db)
		for _, c := range policyCases(w) {
			if c.subject.ID == "" {
				c.subject = w.anna
			}
			// In turn: the cases only read, and share one database (and
			// its connections) with every other case.
			t.Run(c.name, func(t *testing.T) {
				runPolicyCase(t, db, c, consent.Options{})
			})
		}
	})
}

func runPolicyCase(t *testing.T, db *sqlstore.DB, c policyCase, opts consent.Options) {
	t.Helper()
	ctx := t.Context()
	when := c.at
	if when.IsZero() {
		when = t0
	}
	subject := c.subject
	svc, rec := at(t, db, when, opts)
	req := consent.Request{Category: c.cat, Action: c.action, ObjectID: "object-1"}

	wantD := consent.Decision{Allowed: c.want.basis != consent.BasisNone, Basis: c.want.basis, Purpose: c.want.purpose,
		Role: c.want.role, OrganisationID: c.want.org.ID, MunicipalityID: c.want.mun, OnBehalfOfID: c.want.onBehalfOf.ID}
	wantE := audit.Event{
		EventID: c.cat + "." + string(c.action), Action: c.action, Outcome: audit.Denied,
		ActorID: c.actor.ID, ActorRole: string(c.want.role),
		ActorOrgID: c.want.org.ID, ActorOrgName: c.want.org.Name,
		OnBehalfOfID:   c.want.onBehalfOf.ID,
		MunicipalityID: c.want.mun, SubjectID: subject.ID, Category: c.cat, ObjectID: "object-1", Basis: string(c.want.basis),
	}
	if wantD.Allowed {
		wantE.Outcome = audit.Allowed
	}
	if g := c.want.grant; g != nil {
		wantD.GrantID, wantD.GrantVersion, wantD.Purpose = g.ID, g.Version, string(g.Purpose)
		wantE.ConsentID, wantE.ConsentVersion = g.ID, g.Version
	}
	if m := c.want.mandate; m != nil {
		wantD.MandateID, wantD.Purpose = m.ID, string(m.Kind)
		wantE.ConsentID = m.ID
	}
	wantE.PurposeOfUse = wantD.Purpose

	d, err := svc.Decide(ctx, c.actor, c.actingFor, subject.ID, req)
	must(t, err)
	if diff := cmp.Diff(wantD, d); diff != "" {
		t.Errorf("Decide (-want +got):\n%s", diff)
	}
	if ev := rec.take(); len(ev) != 0 {
		t.Errorf("Decide logged %d events, want none", len(ev))
	}

	err = svc.Check(ctx, c.actor, c.actingFor, subject.ID, req)
	if wantD.Allowed {
		must(t, err)
	} else {
		wantNotFound(t, err)
	}
	ev := rec.take()
	if c.want.basis == consent.BasisOwn {
		if len(ev) != 0 {
			t.Errorf("own access logged: %+v", ev)
		}
		return
	}
	if diff := cmp.Diff([]audit.Event{wantE}, ev); diff != "" {
		t.Errorf("Check logged (-want +got):\n%s", diff)
	}
}

// TestService_Decide_Anonymous: nobody logged in is denied, and Check says
// to log in, with nothing recorded.
func TestService_Decide_Anonymous(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		anna := sqltest.Citizen(t, db, sqltest.Municipality(t, db, "woerden"), "anna@example.nl")
		svc, rec := at(t, db, t0)
		req := consent.Request{Category: "story", Action: read}
		d, err := svc.Decide(t.Context(), identity.Person{}, "", anna.ID, req)
		must(t, err)
		if d.Allowed {
			t.Errorf("anonymous allowed: %+v", d)
		}
		wantKind(t, svc.Check(t.Context(), identity.Person{}, "", anna.ID, req), errs.Unauthorized)
		if ev := rec.take(); len(ev) != 0 {
			t.Errorf("logged %+v", ev)
		}
	})
}

// TestService_Decide_BadRequest: a request the registry does not know is a
// defect of the caller: an error, never an allowance, even for the
// resident, and nothing logged.
func TestService_Decide_BadRequest(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		anna := sqltest.Citizen(t, db, sqltest.Municipality(t, db, "woerden"), "anna@example.nl")
		svc, rec := at(t, db, t0)
		for _, c := range []struct {
			name    string
			subject string
			req     consent.Request
		}{
			{"UnknownCategory", anna.ID, consent.Request{Category: "diary", Action: read}},
			{"UnknownSection", anna.ID, consent.Request{Category: "story:work", Action: read}},
			{"EmptyCategory", anna.ID, consent.Request{Category: "", Action: read}},
			{"CommentOfUnknown", anna.ID, consent.Request{Category: "diary:comment", Action: create}},
			{"CommentOfConsent", anna.ID, consent.Request{Category: "consent:comment", Action: create}},
			{"CommentOfComment", anna.ID, consent.Request{Category: "story:comment:comment", Action: create}},
			{"UnknownAction", anna.ID, consent.Request{Category: "story", Action: "peek"}},
			{"NoSubject", "", consent.Request{Category: "story", Action: read}},
		} {
			t.Run(c.name, func(t *testing.T) {
				d, err := svc.Decide(t.Context(), anna, "", c.subject, c.req)
				if err == nil || d.Allowed {
					t.Errorf("Decide = %+v, %v; want an error", d, err)
				}
				if err := svc.Check(t.Context(), anna, "", c.subject, c.req); err == nil || errs.Is(err, errs.NotFound) {
					t.Errorf("Check = %v, want an internal error", err)
				}
				if ev := rec.take(); len(ev) != 0 {
					t.Errorf("logged %+v", ev)
				}
			})
		}
	})
}

// TestService_Check_RecorderDown: when the access cannot be logged it does
// not happen.
func TestService_Check_RecorderDown(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		w := newWorld(t, db)
		svc, rec := at(t, db, t0)
		rec.err = errRecorder
		req := consent.Request{Category: "story:finances", Action: read}
		err := svc.Check(t.Context(), w.profPersonal, "", w.anna.ID, req)
		if err == nil || errs.Is(err, errs.NotFound) {
			t.Errorf("Check = %v, want the recorder's failure", err)
		}
		// The resident's own access needs no log and still works.
		must(t, svc.Check(t.Context(), w.anna, "", w.anna.ID, req))
	})
}
