package sqlstore_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestStore_CreatePerson(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		woerden := sqltest.Municipality(t, db, "woerden")
		org := sqltest.Organisation(t, db, "ISD Kromme Rijn", woerden)

		want := identity.Person{
			ID: id.New(), Email: "anna@example.nl", DisplayName: "Anna de Vries", PasswordHash: "$argon2id$x",
			HomeMunicipalityID: woerden.ID, Locale: "en", EmailVerifiedAt: ptr(at(time.Minute)),
			TOTPSecret: "SECRET", TOTPEnabledAt: ptr(at(2 * time.Minute)),
			CreatedAt: at(0), UpdatedAt: at(3 * time.Minute),
		}
		must(t, db.CreatePerson(ctx, &want))
		want.Roles = []identity.RoleAssignment{
			{ID: id.New(), PersonID: want.ID, Role: identity.RoleCitizen, MunicipalityID: woerden.ID, CreatedAt: at(0)},
			{ID: id.New(), PersonID: want.ID, Role: identity.RoleProfessional, OrganisationID: org.ID, MunicipalityID: woerden.ID, CreatedAt: at(time.Second)},
			{ID: id.New(), PersonID: want.ID, Role: identity.RolePlatformAdmin, CreatedAt: at(2 * time.Second)},
		}
		for i := range want.Roles {
			must(t, db.AddRole(ctx, &want.Roles[i]))
		}

		t.Run("FindPersonByID", func(t *testing.T) {
			got, err := db.FindPersonByID(ctx, want.ID)
			must(t, err)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("FindPersonByID (-want +got):\n%s", diff)
			}
		})
		t.Run("FindPersonByEmail", func(t *testing.T) {
			got, err := db.FindPersonByEmail(ctx, "anna@example.nl")
			must(t, err)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("FindPersonByEmail (-want +got):\n%s", diff)
			}
		})
		t.Run("ErrEmailTaken", func(t *testing.T) {
			dup := identity.Person{ID: id.New(), Email: "anna@example.nl", DisplayName: "Another Anna", CreatedAt: at(0), UpdatedAt: at(0)}
			wantKind(t, db.CreatePerson(ctx, &dup), errs.Conflict)
			_, err := db.FindPersonByID(ctx, dup.ID)
			wantKind(t, err, errs.NotFound)
		})
		t.Run("ErrUnknownHomeMunicipality", func(t *testing.T) {
			p := identity.Person{ID: id.New(), Email: "bram@example.nl", DisplayName: "Bram", HomeMunicipalityID: "no-such-place", CreatedAt: at(0), UpdatedAt: at(0)}
			err := db.CreatePerson(ctx, &p)
			wantKind(t, err, errs.Invalid)
			if got := errs.KeyOf(err); got != "error.reference" {
				t.Errorf("key = %q, want error.reference", got)
			}
		})
		t.Run("NoRolesIsEmpty", func(t *testing.T) {
			p := identity.Person{ID: id.New(), Email: "cor@example.nl", DisplayName: "Cor", CreatedAt: at(0), UpdatedAt: at(0)}
			must(t, db.CreatePerson(ctx, &p))
			got, err := db.FindPersonByID(ctx, p.ID)
			must(t, err)
			if len(got.Roles) != 0 || got.EmailVerifiedAt != nil || got.TOTPEnabledAt != nil || got.DisabledAt != nil || got.HomeMunicipalityID != "" {
				t.Errorf("bare person read back as %+v", got)
			}
		})
	})
}

func TestStore_FindPerson_NotFound(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		sqltest.Person(t, db, sqltest.PersonSpec{Email: "anna@example.nl"})
		tests := []struct {
			name string
			find func() (identity.Person, error)
		}{
			{"ByID", func() (identity.Person, error) { return db.FindPersonByID(ctx, id.New()) }},
			{"ByEmail", func() (identity.Person, error) { return db.FindPersonByEmail(ctx, "nobody@example.nl") }},
			// Addresses are stored normalised; the store does not guess.
			{"ByEmailOtherCase", func() (identity.Person, error) { return db.FindPersonByEmail(ctx, "Anna@Example.nl") }},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, err := tc.find()
				wantKind(t, err, errs.NotFound)
			})
		}
	})
}

func TestStore_UpdatePerson(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		woerden := sqltest.Municipality(t, db, "woerden")
		oudewater := sqltest.Municipality(t, db, "oudewater")
		p := sqltest.Citizen(t, db, woerden, "anna@example.nl")

		p.Email = "anna.devries@example.nl"
		p.DisplayName = "Anna de Vries"
		p.PasswordHash = "$argon2id$new"
		p.HomeMunicipalityID = oudewater.ID
		p.Locale = "en"
		p.EmailVerifiedAt = nil
		p.TOTPSecret = "NEWSECRET"
		p.TOTPEnabledAt = ptr(at(time.Hour))
		p.DisabledAt = ptr(at(2 * time.Hour))
		p.UpdatedAt = at(2 * time.Hour)
		must(t, db.UpdatePerson(ctx, p))

		got, err := db.FindPersonByID(ctx, p.ID)
		must(t, err)
		if diff := cmp.Diff(p, got); diff != "" {
			t.Errorf("after UpdatePerson (-want +got):\n%s", diff)
		}
		if _, err := db.FindPersonByEmail(ctx, "anna@example.nl"); !errs.Is(err, errs.NotFound) {
			t.Errorf("old address still finds the person: %v", err)
		}

		t.Run("ErrNotFound", func(t *testing.T) {
			ghost := p
			ghost.ID = id.New()
			ghost.Email = "ghost@example.nl"
			wantKind(t, db.UpdatePerson(ctx, ghost), errs.NotFound)
		})
		t.Run("ErrEmailTaken", func(t *testing.T) {
			other := sqltest.Person(t, db, sqltest.PersonSpec{Email: "bram@example.nl"})
			other.Email = p.Email
			wantKind(t, db.UpdatePerson(ctx, other), errs.Conflict)
		})
	})
}

func TestStore_FindPersons(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		woerden := sqltest.Municipality(t, db, "woerden")
		oudewater := sqltest.Municipality(t, db, "oudewater")
		role := sqltest.Role
		mk := func(name string, roles ...identity.RoleAssignment) identity.Person {
			return sqltest.Person(t, db, sqltest.PersonSpec{Email: name + "@example.nl", Name: name, Roles: roles})
		}
		// Names are chosen so that the expected order is by name.
		anna := mk("Anna", role(identity.RoleCitizen, woerden))
		bert := mk("Bert", role(identity.RoleProfessional, woerden))
		cees := mk("Cees", role(identity.RoleConsultant, oudewater))
		dirk := mk("Dirk", role(identity.RoleCitizen, oudewater), role(identity.RoleEditor, woerden))
		eva := mk("Eva", role(identity.RoleTenantAdmin, woerden), role(identity.RoleModerator, oudewater))
		fien := mk("Fien", role(identity.RoleCitizen, woerden), role(identity.RoleProfessional, oudewater))
		gijs := mk("Gijs", identity.RoleAssignment{Role: identity.RolePlatformAdmin})
		hans := mk("Hans")
		ineke := mk("Ineke", role(identity.RoleDelegate, woerden))

		tests := []struct {
			name   string
			filter identity.PersonFilter
			want   []identity.Person
		}{
			{"All", identity.PersonFilter{}, []identity.Person{anna, bert, cees, dirk, eva, fien, gijs, hans, ineke}},
			{"Municipality", identity.PersonFilter{MunicipalityID: woerden.ID}, []identity.Person{anna, bert, dirk, eva, fien, ineke}},
			// Fien is a resident of Woerden but staff elsewhere: not Woerden's
			// staff. Residents and delegates are not staff.
			{"MunicipalityStaff", identity.PersonFilter{MunicipalityID: woerden.ID, StaffOnly: true}, []identity.Person{bert, dirk, eva}},
			{"StaffAnywhere", identity.PersonFilter{StaffOnly: true}, []identity.Person{bert, cees, dirk, eva, fien, gijs}},
			{"Limit", identity.PersonFilter{MunicipalityID: woerden.ID, Limit: 2}, []identity.Person{anna, bert}},
			{"NoneInUnknownMunicipality", identity.PersonFilter{MunicipalityID: id.New()}, nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := db.FindPersons(ctx, tc.filter)
				must(t, err)
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("FindPersons(%+v) (-want +got):\n%s", tc.filter, diff)
				}
			})
		}
	})
}

func TestStore_AddRole(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		woerden := sqltest.Municipality(t, db, "woerden")
		oudewater := sqltest.Municipality(t, db, "oudewater")
		isd := sqltest.Organisation(t, db, "ISD", woerden, oudewater)
		team := sqltest.Organisation(t, db, "Sociaal team", woerden)
		p := sqltest.Person(t, db, sqltest.PersonSpec{Email: "anna@example.nl", Roles: []identity.RoleAssignment{
			{Role: identity.RoleProfessional, MunicipalityID: woerden.ID},
			{Role: identity.RoleProfessional, OrganisationID: isd.ID, MunicipalityID: woerden.ID},
			{Role: identity.RolePlatformAdmin},
		}})
		add := func(a identity.RoleAssignment) error {
			a.ID, a.PersonID, a.CreatedAt = id.New(), p.ID, at(time.Minute)
			return db.AddRole(ctx, &a)
		}

		tests := []struct {
			name string
			role identity.RoleAssignment
			kind errs.Kind // Other: no error
		}{
			// The unique index treats a missing organisation or municipality
			// as one value, so these repeat an existing role.
			{"ErrDuplicateNoOrganisation", identity.RoleAssignment{Role: identity.RoleProfessional, MunicipalityID: woerden.ID}, errs.Conflict},
			{"ErrDuplicateWithOrganisation", identity.RoleAssignment{Role: identity.RoleProfessional, OrganisationID: isd.ID, MunicipalityID: woerden.ID}, errs.Conflict},
			{"ErrDuplicateNeitherScope", identity.RoleAssignment{Role: identity.RolePlatformAdmin}, errs.Conflict},
			{"OtherMunicipality", identity.RoleAssignment{Role: identity.RoleProfessional, MunicipalityID: oudewater.ID}, errs.Other},
			{"OtherOrganisation", identity.RoleAssignment{Role: identity.RoleProfessional, OrganisationID: team.ID, MunicipalityID: woerden.ID}, errs.Other},
			{"OtherRole", identity.RoleAssignment{Role: identity.RoleEditor, MunicipalityID: woerden.ID}, errs.Other},
			{"ErrUnknownMunicipality", identity.RoleAssignment{Role: identity.RoleEditor, MunicipalityID: "no-such-place"}, errs.Invalid},
			{"ErrUnknownOrganisation", identity.RoleAssignment{Role: identity.RoleEditor, OrganisationID: "no-such-org"}, errs.Invalid},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				err := add(tc.role)
				if tc.kind == errs.Other {
					must(t, err)
					return
				}
				wantKind(t, err, tc.kind)
			})
		}
		t.Run("ErrUnknownPerson", func(t *testing.T) {
			a := identity.RoleAssignment{ID: id.New(), PersonID: id.New(), Role: identity.RoleCitizen, MunicipalityID: woerden.ID, CreatedAt: at(0)}
			wantKind(t, db.AddRole(ctx, &a), errs.Invalid)
		})

		got, err := db.FindPersonByID(ctx, p.ID)
		must(t, err)
		if len(got.Roles) != 6 {
			t.Errorf("person holds %d roles after the adds, want 6 (3 + 3 new): %+v", len(got.Roles), got.Roles)
		}
	})
}

func TestStore_DeleteRole(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		woerden := sqltest.Municipality(t, db, "woerden")
		p := sqltest.Person(t, db, sqltest.PersonSpec{Email: "anna@example.nl", Roles: []identity.RoleAssignment{
			sqltest.Role(identity.RoleCitizen, woerden), sqltest.Role(identity.RoleEditor, woerden),
		}})
		must(t, db.DeleteRole(ctx, p.Roles[1].ID))

		got, err := db.FindPersonByID(ctx, p.ID)
		must(t, err)
		if diff := cmp.Diff(p.Roles[:1], got.Roles); diff != "" {
			t.Errorf("roles after DeleteRole (-want +got):\n%s", diff)
		}
		wantKind(t, db.DeleteRole(ctx, p.Roles[1].ID), errs.NotFound)
	})
}
