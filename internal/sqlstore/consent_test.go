package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

const day = 24 * time.Hour

// consentKit is a resident, two grantees and an organisation.
type consentKit struct {
	anna, bert, pro identity.Person
	org, org2       tenant.Organisation
}

func newConsentKit(t *testing.T, db *sqlstore.DB) consentKit {
	t.Helper()
	m := sqltest.Municipality(t, db, "woerden")
	return consentKit{
		anna: sqltest.Citizen(t, db, m, "anna@example.nl"),
		bert: sqltest.Citizen(t, db, m, "bert@example.nl"),
		pro:  sqltest.Staff(t, db, m, identity.RoleProfessional, "pro@example.nl"),
		org:  sqltest.Organisation(t, db, "Zorg A", m),
		org2: sqltest.Organisation(t, db, "Zorg B", m),
	}
}

// newGrant returns a version-1 grant from grantor to a person or an
// organisation, live from at(from) to at(until).
func newGrant(grantor, person, org string, from, until time.Duration) consent.Grant {
	return consent.Grant{ID: id.New(), Version: 1, GrantorID: grantor, GranteePersonID: person, GranteeOrgID: org,
		Categories: []string{"story:finances", "story:housing"}, Permission: consent.PermissionReadComment,
		Purpose: consent.PurposeCareDelivery, ValidFrom: at(from), ValidUntil: at(until), CreatedAt: at(from),
		CreatedByID: grantor, Change: consent.ChangeCreate, ChangedAt: at(from), ChangedByID: grantor}
}

func grantIDs(list []consent.Grant) []string {
	var out []string
	for _, g := range list {
		out = append(out, g.ID)
	}
	return out
}

func TestStore_Grant(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		k := newConsentKit(t, db)
		v1 := newGrant(k.anna.ID, k.pro.ID, "", 0, 90*day)
		v1.CreatedByID, v1.ChangedByID = k.bert.ID, k.bert.ID // a delegate made it
		must(t, db.CreateGrant(ctx, &v1))

		got, err := db.FindGrantByID(ctx, v1.ID)
		must(t, err)
		if diff := cmp.Diff(v1, got); diff != "" {
			t.Errorf("FindGrantByID (-want +got):\n%s", diff)
		}

		v2 := v1
		v2.Version, v2.ValidUntil, v2.Change, v2.ChangedAt, v2.ChangedByID = 2, at(200*day), consent.ChangeExtend, at(day), k.anna.ID
		must(t, db.UpdateGrant(ctx, v2))
		v3 := v2
		v3.Version, v3.RevokedAt, v3.Change, v3.ChangedAt = 3, ptr(at(2*day)), consent.ChangeRevoke, at(2*day)
		must(t, db.UpdateGrant(ctx, v3))

		t.Run("Current", func(t *testing.T) {
			got, err := db.FindGrantByID(ctx, v1.ID)
			must(t, err)
			if diff := cmp.Diff(v3, got); diff != "" {
				t.Errorf("FindGrantByID (-want +got):\n%s", diff)
			}
		})
		t.Run("Versions", func(t *testing.T) {
			got, err := db.FindGrantVersions(ctx, v1.ID, "")
			must(t, err)
			if diff := cmp.Diff([]consent.Grant{v1, v2, v3}, got); diff != "" {
				t.Errorf("FindGrantVersions (-want +got):\n%s", diff)
			}
		})
		t.Run("ErrStaleVersion", func(t *testing.T) {
			stale := v2 // a change from version 1 to 2, made again
			stale.ValidUntil = at(300 * day)
			wantKind(t, db.UpdateGrant(ctx, stale), errs.Conflict)
			got, err := db.FindGrantVersions(ctx, v1.ID, "")
			must(t, err)
			if len(got) != 3 {
				t.Errorf("%d versions after a refused update", len(got))
			}
			cur, err := db.FindGrantByID(ctx, v1.ID)
			must(t, err)
			if cur.Version != 3 || !cur.ValidUntil.Equal(at(200*day)) {
				t.Errorf("current changed by a refused update: %+v", cur)
			}
		})
		t.Run("ErrUpdateUnknown", func(t *testing.T) {
			g := newGrant(k.anna.ID, k.pro.ID, "", 0, day)
			g.Version = 2
			wantKind(t, db.UpdateGrant(ctx, g), errs.NotFound)
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := db.FindGrantByID(ctx, "no-such-grant")
			wantKind(t, err, errs.NotFound)
		})
		t.Run("ErrDuplicateID", func(t *testing.T) {
			dup := newGrant(k.anna.ID, k.pro.ID, "", 0, day)
			dup.ID = v1.ID
			wantKind(t, db.CreateGrant(ctx, &dup), errs.Conflict)
		})
		t.Run("ErrUnknownGrantor", func(t *testing.T) {
			g := newGrant("nobody", k.pro.ID, "", 0, day)
			err := db.CreateGrant(ctx, &g)
			wantKind(t, err, errs.Invalid)
			if key := errs.KeyOf(err); key != "error.reference" {
				t.Errorf("key = %q", key)
			}
		})
		t.Run("ErrUnknownGranteeOrg", func(t *testing.T) {
			g := newGrant(k.anna.ID, "", "no-org", 0, day)
			wantKind(t, db.CreateGrant(ctx, &g), errs.Invalid)
		})
		// The database keeps the invariants the service checks.
		for _, bad := range []struct {
			name string
			g    consent.Grant
		}{
			{"ErrTwoGrantees", newGrant(k.anna.ID, k.pro.ID, k.org.ID, 0, day)},
			{"ErrNoGrantee", newGrant(k.anna.ID, "", "", 0, day)},
			{"ErrEmptyPeriod", newGrant(k.anna.ID, k.pro.ID, "", day, day)},
			{"ErrVersionZero", func() consent.Grant { g := newGrant(k.anna.ID, k.pro.ID, "", 0, day); g.Version = 0; return g }()},
		} {
			t.Run(bad.name, func(t *testing.T) {
				if err := db.CreateGrant(ctx, &bad.g); err == nil {
					t.Fatal("stored")
				}
				_, err := db.FindGrantByID(ctx, bad.g.ID)
				wantKind(t, err, errs.NotFound)
			})
		}
		t.Run("RollbackWithOuterTx", func(t *testing.T) {
			g := newGrant(k.anna.ID, k.pro.ID, "", 0, day)
			boom := errors.New("the audit record failed")
			err := db.InTx(ctx, func(ctx context.Context) error {
				must(t, db.CreateGrant(ctx, &g))
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("InTx = %v", err)
			}
			_, err = db.FindGrantByID(ctx, g.ID)
			wantKind(t, err, errs.NotFound)
			vs, err := db.FindGrantVersions(ctx, g.ID, "")
			must(t, err)
			if len(vs) != 0 {
				t.Errorf("versions left after rollback: %+v", vs)
			}
		})
	})
}

func TestStore_FindGrants(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		k := newConsentKit(t, db)
		create := func(g consent.Grant) consent.Grant {
			t.Helper()
			must(t, db.CreateGrant(ctx, &g))
			return g
		}
		// Made in this order, a minute apart.
		toPro := create(newGrant(k.anna.ID, k.pro.ID, "", 0, 10*day))
		toOrg := create(newGrant(k.anna.ID, "", k.org.ID, time.Minute, 10*day))
		toOrg2 := create(newGrant(k.anna.ID, "", k.org2.ID, 2*time.Minute, 10*day))
		later := create(newGrant(k.anna.ID, k.pro.ID, "", 5*day, 10*day)) // starts on day 5
		revoked := newGrant(k.anna.ID, k.pro.ID, "", 3*time.Minute, 10*day)
		revoked = create(revoked)
		r2 := revoked
		r2.Version, r2.RevokedAt, r2.Change = 2, ptr(at(day)), consent.ChangeRevoke
		must(t, db.UpdateGrant(ctx, r2))
		bertsGrant := create(newGrant(k.bert.ID, k.pro.ID, "", 4*time.Minute, 10*day))

		for _, tc := range []struct {
			name string
			f    consent.GrantFilter
			want []string
		}{
			{"All", consent.GrantFilter{}, []string{toPro.ID, toOrg.ID, toOrg2.ID, revoked.ID, bertsGrant.ID, later.ID}},
			{"ByGrantor", consent.GrantFilter{GrantorID: k.bert.ID}, []string{bertsGrant.ID}},
			{"ToPerson", consent.GrantFilter{GranteePersonID: k.pro.ID}, []string{toPro.ID, revoked.ID, bertsGrant.ID, later.ID}},
			{"ToOrgs", consent.GrantFilter{GranteeOrgIDs: []string{k.org.ID, k.org2.ID}}, []string{toOrg.ID, toOrg2.ID}},
			{"ToPersonOrOrg", consent.GrantFilter{GrantorID: k.anna.ID, GranteePersonID: k.pro.ID, GranteeOrgIDs: []string{k.org2.ID}},
				[]string{toPro.ID, toOrg2.ID, revoked.ID, later.ID}},
			{"LiveOnDay2", consent.GrantFilter{GrantorID: k.anna.ID, LiveAt: at(2 * day)}, []string{toPro.ID, toOrg.ID, toOrg2.ID}},
			{"LiveAtStartOfLater", consent.GrantFilter{GranteePersonID: k.pro.ID, LiveAt: at(5 * day)}, []string{toPro.ID, bertsGrant.ID, later.ID}},
			{"Live1msBeforeStart", consent.GrantFilter{GranteePersonID: k.pro.ID, LiveAt: at(5*day - time.Millisecond)}, []string{toPro.ID, bertsGrant.ID}},
			{"Live1msBeforeEnd", consent.GrantFilter{GrantorID: k.anna.ID, GranteePersonID: k.pro.ID, LiveAt: at(10*day - time.Millisecond)}, []string{toPro.ID, later.ID}},
			{"LiveAtEnd", consent.GrantFilter{GrantorID: k.anna.ID, LiveAt: at(10 * day)}, nil},
			{"RevokedBeforeRevocationStillRevoked", consent.GrantFilter{GrantorID: k.anna.ID, GranteePersonID: k.pro.ID, LiveAt: at(4 * time.Minute)}, []string{toPro.ID}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := db.FindGrants(ctx, tc.f)
				must(t, err)
				if diff := cmp.Diff(tc.want, grantIDs(got)); diff != "" {
					t.Errorf("FindGrants (-want +got):\n%s", diff)
				}
			})
		}
		t.Run("VersionsByGrantor", func(t *testing.T) {
			got, err := db.FindGrantVersions(ctx, "", k.anna.ID)
			must(t, err)
			want := []string{toPro.ID, toOrg.ID, toOrg2.ID, revoked.ID, revoked.ID, later.ID}
			if diff := cmp.Diff(want, grantIDs(got)); diff != "" {
				t.Errorf("FindGrantVersions (-want +got):\n%s", diff)
			}
			if got[3].Version != 1 || got[4].Version != 2 {
				t.Errorf("versions out of order: %d, %d", got[3].Version, got[4].Version)
			}
		})
		t.Run("ErrVersionsWithoutFilter", func(t *testing.T) {
			_, err := db.FindGrantVersions(ctx, "", "")
			wantKind(t, err, errs.Invalid)
		})
	})
}

func TestStore_GrantsDue(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		k := newConsentKit(t, db)
		create := func(g consent.Grant) consent.Grant {
			t.Helper()
			must(t, db.CreateGrant(ctx, &g))
			return g
		}
		madeAt := func(g consent.Grant, d time.Duration) consent.Grant {
			g.CreatedAt = at(d)
			return g
		}
		soon := create(newGrant(k.anna.ID, k.pro.ID, "", 0, 3*day))
		edge := create(madeAt(newGrant(k.anna.ID, k.pro.ID, "", 0, 7*day), time.Minute))
		create(madeAt(newGrant(k.anna.ID, k.pro.ID, "", 0, 7*day+time.Millisecond), 2*time.Minute))
		create(newGrant(k.anna.ID, k.pro.ID, "", 2*day, 4*day)) // not started at 0
		reminded := create(newGrant(k.anna.ID, k.pro.ID, "", 3*time.Minute, 2*day))
		must(t, db.MarkGrantReminded(ctx, reminded.ID, at(time.Hour)))

		got, err := db.FindGrantsDue(ctx, at(0), at(7*day))
		must(t, err)
		if diff := cmp.Diff([]string{soon.ID, edge.ID}, grantIDs(got)); diff != "" {
			t.Errorf("FindGrantsDue (-want +got):\n%s", diff)
		}
		r, err := db.FindGrantByID(ctx, reminded.ID)
		must(t, err)
		if r.RemindedAt == nil || !r.RemindedAt.Equal(at(time.Hour)) || r.Version != 1 {
			t.Errorf("reminded = %+v", r)
		}
		if vs, _ := db.FindGrantVersions(ctx, reminded.ID, ""); len(vs) != 1 || vs[0].RemindedAt != nil {
			t.Errorf("a reminder made a version: %+v", vs)
		}
		// At its end a grant is no longer due.
		got, err = db.FindGrantsDue(ctx, at(3*day), at(10*day))
		must(t, err)
		for _, g := range got {
			if g.ID == soon.ID {
				t.Error("ended grant due")
			}
		}
		wantKind(t, db.MarkGrantReminded(ctx, "no-such-grant", at(0)), errs.NotFound)
	})
}

func TestStore_Mandate(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		k := newConsentKit(t, db)
		mk := func(resident, delegate string, kind consent.MandateKind, from, until time.Duration) consent.Mandate {
			return consent.Mandate{ID: id.New(), ResidentID: resident, DelegateID: delegate, Kind: kind,
				Scope: []string{"consent", "story"}, ValidFrom: at(from), ValidUntil: at(until), CreatedAt: at(from), CreatedByID: resident}
		}
		trusted := mk(k.anna.ID, k.bert.ID, consent.MandateTrustedPerson, 0, 10*day)
		must(t, db.CreateMandate(ctx, &trusted))
		parent := mk(k.anna.ID, k.pro.ID, consent.MandateParent, time.Minute, 20*day)
		parent.ChildBirthYear, parent.LegalBasis, parent.CreatedByID = 2015, "Gezag volgens BRP", k.pro.ID
		must(t, db.CreateMandate(ctx, &parent))
		forBert := mk(k.bert.ID, k.anna.ID, consent.MandateTrustedPerson, 2*time.Minute, 5*day)
		must(t, db.CreateMandate(ctx, &forBert))

		got, err := db.FindMandateByID(ctx, parent.ID)
		must(t, err)
		if diff := cmp.Diff(parent, got); diff != "" {
			t.Errorf("FindMandateByID (-want +got):\n%s", diff)
		}
		ids := func(f consent.MandateFilter) []string {
			t.Helper()
			list, err := db.FindMandates(ctx, f)
			must(t, err)
			var out []string
			for _, m := range list {
				out = append(out, m.ID)
			}
			return out
		}
		for _, tc := range []struct {
			name string
			f    consent.MandateFilter
			want []string
		}{
			{"All", consent.MandateFilter{}, []string{trusted.ID, parent.ID, forBert.ID}},
			{"OfResident", consent.MandateFilter{ResidentID: k.anna.ID}, []string{trusted.ID, parent.ID}},
			{"ForDelegate", consent.MandateFilter{DelegateID: k.anna.ID}, []string{forBert.ID}},
			{"Pair", consent.MandateFilter{ResidentID: k.anna.ID, DelegateID: k.bert.ID}, []string{trusted.ID}},
			{"LiveAtStart", consent.MandateFilter{ResidentID: k.anna.ID, LiveAt: at(0)}, []string{trusted.ID}},
			{"Live1msBeforeEnd", consent.MandateFilter{LiveAt: at(10*day - time.Millisecond)}, []string{trusted.ID, parent.ID}},
			{"LiveAtEnd", consent.MandateFilter{LiveAt: at(10 * day)}, []string{parent.ID}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if diff := cmp.Diff(tc.want, ids(tc.f)); diff != "" {
					t.Errorf("FindMandates (-want +got):\n%s", diff)
				}
			})
		}

		t.Run("Revoke", func(t *testing.T) {
			must(t, db.RevokeMandate(ctx, trusted.ID, k.anna.ID, at(day)))
			got, err := db.FindMandateByID(ctx, trusted.ID)
			must(t, err)
			want := trusted
			want.RevokedAt, want.RevokedByID = ptr(at(day)), k.anna.ID
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("revoked (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string(nil), ids(consent.MandateFilter{ResidentID: k.anna.ID, DelegateID: k.bert.ID, LiveAt: at(2 * day)})); diff != "" {
				t.Errorf("revoked mandate live: %s", diff)
			}
			err = db.RevokeMandate(ctx, trusted.ID, k.bert.ID, at(2*day))
			wantKind(t, err, errs.Conflict)
			got, _ = db.FindMandateByID(ctx, trusted.ID)
			if got.RevokedByID != k.anna.ID || !got.RevokedAt.Equal(at(day)) {
				t.Errorf("second revocation changed the first: %+v", got)
			}
		})
		t.Run("ErrRevokeUnknown", func(t *testing.T) {
			wantKind(t, db.RevokeMandate(ctx, "no-such-mandate", k.anna.ID, at(0)), errs.NotFound)
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := db.FindMandateByID(ctx, "no-such-mandate")
			wantKind(t, err, errs.NotFound)
		})
		t.Run("ErrUnknownDelegate", func(t *testing.T) {
			m := mk(k.anna.ID, "nobody", consent.MandateTrustedPerson, 0, day)
			wantKind(t, db.CreateMandate(ctx, &m), errs.Invalid)
		})
		t.Run("ErrSelf", func(t *testing.T) {
			m := mk(k.anna.ID, k.anna.ID, consent.MandateTrustedPerson, 0, day)
			if db.CreateMandate(ctx, &m) == nil {
				t.Error("stored a mandate to oneself")
			}
		})
		t.Run("ErrEmptyPeriod", func(t *testing.T) {
			m := mk(k.anna.ID, k.bert.ID, consent.MandateTrustedPerson, day, day)
			if db.CreateMandate(ctx, &m) == nil {
				t.Error("stored an empty period")
			}
		})
	})
}
