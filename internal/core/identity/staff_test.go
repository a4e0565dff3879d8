package identity_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestService_InviteStaff(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		e := newEnv(t, db)
		woerden := sqltest.Municipality(t, db, "woerden")
		oudewater := sqltest.Municipality(t, db, "oudewater")
		eva := sqltest.Staff(t, db, woerden, identity.RoleTenantAdmin, "eva@example.nl")
		otto := sqltest.Staff(t, db, oudewater, identity.RoleTenantAdmin, "otto@example.nl")
		bert := sqltest.Staff(t, db, woerden, identity.RoleProfessional, "bert@example.nl")
		anna := sqltest.Citizen(t, db, woerden, "anna@example.nl")

		t.Run("Refused", func(t *testing.T) {
			forbidden := problem{Kind: errs.Forbidden, Key: "error.forbidden"}
			invalid := func(fields map[string]string) problem {
				return problem{Kind: errs.Invalid, Key: "error.invalid", Fields: fields}
			}
			good := identity.StaffInvite{Email: "collega@example.nl", DisplayName: "Collega", Role: identity.RoleConsultant}
			tests := []struct {
				name   string
				actor  identity.Person
				invite func(in *identity.StaffInvite)
				want   problem
			}{
				{"ErrNotAdmin", bert, func(*identity.StaffInvite) {}, forbidden},
				{"ErrAdminElsewhere", otto, func(*identity.StaffInvite) {}, forbidden},
				{"ErrRoleCitizen", eva, func(in *identity.StaffInvite) { in.Role = identity.RoleCitizen }, invalid(map[string]string{"role": "field.role.invalid"})},
				{"ErrRolePlatformAdmin", eva, func(in *identity.StaffInvite) { in.Role = identity.RolePlatformAdmin }, invalid(map[string]string{"role": "field.role.invalid"})},
				{"ErrRoleUnknown", eva, func(in *identity.StaffInvite) { in.Role = "boss" }, invalid(map[string]string{"role": "field.role.invalid"})},
				{"ErrEmailAndName", eva, func(in *identity.StaffInvite) { in.Email, in.DisplayName = "collega", "" },
					invalid(map[string]string{"email": "field.email.invalid", "name": "field.name.required"})},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					in := good
					tc.invite(&in)
					_, err := e.svc.InviteStaff(ctx, tc.actor, woerden.ID, in)
					wantProblem(t, err, tc.want)
				})
			}
			if _, err := db.FindPersonByEmail(ctx, good.Email); !errs.Is(err, errs.NotFound) {
				t.Errorf("a refused invitation stored the person (%v)", err)
			}
			if n := e.mail.Count(); n != 0 {
				t.Errorf("refused invitations sent %d mails", n)
			}
		})

		t.Run("NewAddress", func(t *testing.T) {
			const email = "nieuwe.collega@example.nl"
			p, err := e.svc.InviteStaff(ctx, eva, woerden.ID, identity.StaffInvite{
				Email: " Nieuwe.Collega@Example.nl", DisplayName: "Nieuwe Collega", Role: identity.RoleConsultant})
			if err != nil {
				t.Fatalf("InviteStaff: %v", err)
			}
			stored := e.person(t, p.ID)
			if stored.Email != email || !stored.HasIn(identity.RoleConsultant, woerden.ID) || len(stored.Roles) != 1 {
				t.Errorf("invited person stored as %s with roles %+v; want %s, consultant in Woerden", stored.Email, stored.Roles, email)
			}
			if stored.PasswordHash != "" || stored.EmailVerifiedAt != nil {
				t.Error("an invited person has a password or a verified address before accepting")
			}
			token := linkToken(t, e.lastMail(t, email, "invite"), "/wachtwoord-herstellen")

			// Accepting sets the password and verifies the address.
			if err := e.svc.ResetPassword(ctx, token, newPassword); err != nil {
				t.Fatalf("accepting the invitation: %v", err)
			}
			if p := e.person(t, p.ID); p.EmailVerifiedAt == nil || !identity.CheckPassword(p.PasswordHash, newPassword) {
				t.Error("accepting the invitation did not set the password and verify the address")
			}
			wantProblem(t, e.svc.CheckResetToken(ctx, token), linkInvalid)
		})

		t.Run("ExistingPerson", func(t *testing.T) {
			p, err := e.svc.InviteStaff(ctx, eva, woerden.ID, identity.StaffInvite{Email: anna.Email, DisplayName: "Anna", Role: identity.RoleEditor})
			if err != nil {
				t.Fatalf("InviteStaff(existing): %v", err)
			}
			stored := e.person(t, anna.ID)
			if p.ID != anna.ID || !stored.HasIn(identity.RoleEditor, woerden.ID) || !stored.HasIn(identity.RoleCitizen, woerden.ID) {
				t.Errorf("Anna's roles after the invitation: %+v; want citizen and editor", stored.Roles)
			}
			if stored.PasswordHash != anna.PasswordHash {
				t.Error("inviting an existing person changed their password")
			}
			e.lastMail(t, anna.Email, "role_changed")

			_, err = e.svc.InviteStaff(ctx, eva, woerden.ID, identity.StaffInvite{Email: anna.Email, DisplayName: "Anna", Role: identity.RoleEditor})
			wantProblem(t, err, problem{Kind: errs.Conflict, Fields: map[string]string{"role": "field.role.held"}})
		})
	})
}

func TestService_Staff(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		e := newEnv(t, db)
		woerden := sqltest.Municipality(t, db, "woerden")
		oudewater := sqltest.Municipality(t, db, "oudewater")
		role := sqltest.Role
		eva := sqltest.Staff(t, db, woerden, identity.RoleTenantAdmin, "eva@example.nl")
		bert := sqltest.Staff(t, db, woerden, identity.RoleProfessional, "bert@example.nl")
		cees := sqltest.Staff(t, db, oudewater, identity.RoleConsultant, "cees@example.nl")
		dirk := sqltest.Person(t, db, sqltest.PersonSpec{Email: "dirk@example.nl", Roles: []identity.RoleAssignment{
			role(identity.RoleEditor, oudewater), role(identity.RoleModerator, woerden)}})
		sqltest.Citizen(t, db, woerden, "anna@example.nl")

		list, err := e.svc.Staff(ctx, eva, woerden.ID)
		if err != nil {
			t.Fatalf("Staff: %v", err)
		}
		type row struct {
			Email string
			Roles []identity.Role
		}
		var got []row
		for _, p := range list {
			r := row{Email: p.Email}
			for _, a := range p.Roles {
				r.Roles = append(r.Roles, a.Role)
			}
			got = append(got, r)
		}
		// Only Woerden's staff, and of Dirk only his role in Woerden.
		want := []row{
			{bert.Email, []identity.Role{identity.RoleProfessional}},
			{dirk.Email, []identity.Role{identity.RoleModerator}},
			{eva.Email, []identity.Role{identity.RoleTenantAdmin}},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Staff(Woerden) (-want +got):\n%s", diff)
		}

		for _, tc := range []struct {
			name  string
			actor identity.Person
			m     string
		}{
			{"ErrNotAdmin", bert, woerden.ID},
			{"ErrOtherMunicipality", eva, oudewater.ID},
			{"ErrStaffElsewhere", cees, oudewater.ID},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.Staff(ctx, tc.actor, tc.m)
				wantProblem(t, err, problem{Kind: errs.Forbidden, Key: "error.forbidden"})
			})
		}
	})
}

func TestService_RemoveStaffRole(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		e := newEnv(t, db)
		woerden := sqltest.Municipality(t, db, "woerden")
		oudewater := sqltest.Municipality(t, db, "oudewater")
		eva := sqltest.Staff(t, db, woerden, identity.RoleTenantAdmin, "eva@example.nl")
		otto := sqltest.Staff(t, db, oudewater, identity.RoleTenantAdmin, "otto@example.nl")
		bert := sqltest.Staff(t, db, woerden, identity.RoleProfessional, "bert@example.nl")
		cees := sqltest.Staff(t, db, oudewater, identity.RoleConsultant, "cees@example.nl")

		t.Run("Refused", func(t *testing.T) {
			tests := []struct {
				name                 string
				actor                identity.Person
				municipality, person string
				roleID               string
				want                 problem
			}{
				{"ErrOwnAdminRole", eva, woerden.ID, eva.ID, eva.Roles[0].ID, problem{Kind: errs.Conflict, Key: "error.remove_own_admin"}},
				{"ErrNotAdmin", bert, woerden.ID, eva.ID, eva.Roles[0].ID, problem{Kind: errs.Forbidden, Key: "error.forbidden"}},
				{"ErrAdminElsewhere", otto, woerden.ID, bert.ID, bert.Roles[0].ID, problem{Kind: errs.Forbidden, Key: "error.forbidden"}},
				{"ErrRoleInOtherMunicipality", eva, woerden.ID, cees.ID, cees.Roles[0].ID, problem{Kind: errs.NotFound}},
				{"ErrRoleOfOtherPerson", eva, woerden.ID, eva.ID, bert.Roles[0].ID, problem{Kind: errs.NotFound}},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					err := e.svc.RemoveStaffRole(ctx, tc.actor, tc.municipality, tc.person, tc.roleID)
					wantProblem(t, err, tc.want)
				})
			}
			for _, p := range []identity.Person{eva, bert, cees} {
				if got := e.person(t, p.ID).Roles; len(got) != 1 {
					t.Errorf("%s lost a role to a refused removal: %+v", p.Email, got)
				}
			}
		})

		t.Run("OK", func(t *testing.T) {
			token := e.loginActive(t, bert)
			if err := e.svc.RemoveStaffRole(ctx, eva, woerden.ID, bert.ID, bert.Roles[0].ID); err != nil {
				t.Fatalf("RemoveStaffRole: %v", err)
			}
			if got := e.person(t, bert.ID).Roles; len(got) != 0 {
				t.Errorf("Bert's roles after removal: %+v", got)
			}
			// Fewer rights take effect at once.
			if e.alive(t, token) {
				t.Error("Bert's session survived the loss of his role")
			}
			e.lastMail(t, bert.Email, "role_changed")
			list, err := e.svc.Staff(ctx, eva, woerden.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 || list[0].ID != eva.ID {
				t.Errorf("Woerden's staff after the removal: %+v, want Eva only", list)
			}
		})
	})
}
