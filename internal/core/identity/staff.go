package identity

import (
	"context"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
)

// NewPerson is an account made by an administrator (the command line or a
// municipality admin): staff, or a resident created at the desk.
type NewPerson struct {
	Email              string
	DisplayName        string
	Password           string // empty: the person gets an invitation link to set one
	HomeMunicipalityID string
	Locale             string
	Roles              []RoleAssignment
}

// Validate checks the new person's fields.
func (n NewPerson) Validate() error {
	f := errs.Fields{}
	if k := CheckEmail(NormalizeEmail(n.Email)); k != "" {
		f.Add("email", k)
	}
	if k := CheckName(n.DisplayName); k != "" {
		f.Add("name", k)
	}
	if n.Password != "" {
		if k := CheckNewPassword(n.Password, NormalizeEmail(n.Email)); k != "" {
			f.Add("password", k)
		}
	}
	if len(n.Roles) == 0 {
		f.Add("role", "field.role.required")
	}
	for _, r := range n.Roles {
		switch {
		case !r.Role.Valid():
			f.Add("role", "field.role.invalid")
		case r.Role.ScopedToMunicipality() && r.MunicipalityID == "":
			f.Add("municipality", "field.municipality.required")
		case r.Role == RoleCitizen && n.HomeMunicipalityID == "":
			f.Add("municipality", "field.municipality.required")
		}
	}
	return f.Err("identity.NewPerson")
}

// CreatePerson creates an account directly, for the command line and the
// demo seed. With a password the address counts as verified (the operator
// vouches for it); without one an invitation is mailed.
func (s *Service) CreatePerson(ctx context.Context, n NewPerson) (Person, error) {
	const op = "identity.CreatePerson"
	if err := n.Validate(); err != nil {
		return Person{}, errs.E(op, err)
	}
	if !CheckLocale(n.Locale) {
		n.Locale = "nl"
	}
	now := s.clock.Now()
	p := Person{
		ID: id.New(), Email: NormalizeEmail(n.Email), DisplayName: strings.TrimSpace(n.DisplayName),
		HomeMunicipalityID: n.HomeMunicipalityID, Locale: n.Locale, CreatedAt: now, UpdatedAt: now, Roles: n.Roles,
	}
	if n.Password != "" {
		p.PasswordHash = HashPassword(n.Password)
		p.EmailVerifiedAt = &now
	}
	var tok string
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.createPerson(ctx, &p); err != nil {
			return err
		}
		if n.Password != "" {
			return nil
		}
		var err error
		tok, err = s.newEmailToken(ctx, p.ID, PurposeInvite, InviteTokenLifetime)
		return err
	})
	if errs.Is(err, errs.Conflict) {
		return Person{}, errs.E(op, errs.Conflict, errs.Fields{"email": "field.email.taken"}, err)
	} else if err != nil {
		return Person{}, errs.E(op, err)
	}
	if tok != "" {
		s.send(ctx, p, "invite", map[string]string{"Link": s.link("/wachtwoord-herstellen?token=" + tok)})
	}
	return p, nil
}

// Staff lists the staff of a municipality, for its municipality admin.
func (s *Service) Staff(ctx context.Context, actor Person, municipalityID string) ([]Person, error) {
	const op = "identity.Staff"
	if !actor.HasIn(RoleTenantAdmin, municipalityID) {
		return nil, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
	}
	list, err := s.store.FindPersons(ctx, PersonFilter{MunicipalityID: municipalityID, StaffOnly: true, Limit: 1000})
	if err != nil {
		return nil, errs.E(op, err)
	}
	// Show only the roles held in this municipality.
	for i := range list {
		var rs []RoleAssignment
		for _, r := range list[i].Roles {
			if r.MunicipalityID == municipalityID {
				rs = append(rs, r)
			}
		}
		list[i].Roles = rs
	}
	return list, nil
}

// StaffInvite is a municipality admin's form to add a staff member.
type StaffInvite struct {
	Email          string
	DisplayName    string
	Role           Role
	OrganisationID string
}

// InviteStaff gives a person a staff role in the admin's municipality: an
// existing account gets the role, a new address gets an invitation.
// Platform admins are made only on the command line.
func (s *Service) InviteStaff(ctx context.Context, actor Person, municipalityID string, in StaffInvite) (Person, error) {
	const op = "identity.InviteStaff"
	if !actor.HasIn(RoleTenantAdmin, municipalityID) {
		return Person{}, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
	}
	f := errs.Fields{}
	if k := CheckEmail(NormalizeEmail(in.Email)); k != "" {
		f.Add("email", k)
	}
	if k := CheckName(in.DisplayName); k != "" {
		f.Add("name", k)
	}
	if !in.Role.Staff() || in.Role == RolePlatformAdmin {
		f.Add("role", "field.role.invalid")
	}
	if err := f.Err(op); err != nil {
		return Person{}, err
	}
	role := RoleAssignment{Role: in.Role, OrganisationID: in.OrganisationID, MunicipalityID: municipalityID}
	existing, err := s.store.FindPersonByEmail(ctx, NormalizeEmail(in.Email))
	switch {
	case errs.Is(err, errs.NotFound):
		return s.CreatePerson(ctx, NewPerson{Email: in.Email, DisplayName: in.DisplayName, Locale: "nl", Roles: []RoleAssignment{role}})
	case err != nil:
		return Person{}, errs.E(op, err)
	}
	role.ID, role.PersonID, role.CreatedAt = id.New(), existing.ID, s.clock.Now()
	if err := s.store.AddRole(ctx, &role); err != nil {
		if errs.Is(err, errs.Conflict) {
			return Person{}, errs.E(op, errs.Conflict, errs.Fields{"role": "field.role.held"})
		}
		return Person{}, errs.E(op, err)
	}
	existing.Roles = append(existing.Roles, role)
	s.notify(ctx, existing, "role_changed")
	return existing, nil
}

// RemoveStaffRole takes a role in the admin's municipality away. An admin
// cannot remove their own admin role, so a municipality is never left
// without one by accident.
func (s *Service) RemoveStaffRole(ctx context.Context, actor Person, municipalityID, personID, roleID string) error {
	const op = "identity.RemoveStaffRole"
	if !actor.HasIn(RoleTenantAdmin, municipalityID) {
		return errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
	}
	p, err := s.store.FindPersonByID(ctx, personID)
	if err != nil {
		return errs.E(op, err)
	}
	for _, r := range p.Roles {
		if r.ID != roleID || r.MunicipalityID != municipalityID || !r.Role.Staff() {
			continue
		}
		if p.ID == actor.ID && r.Role == RoleTenantAdmin {
			return errs.E(op, errs.Conflict, errs.Key("error.remove_own_admin"))
		}
		err := s.store.InTx(ctx, func(ctx context.Context) error {
			if err := s.store.DeleteRole(ctx, roleID); err != nil {
				return err
			}
			// Fewer rights take effect at once: end sessions and tokens.
			now := s.clock.Now()
			if err := s.store.EndSessions(ctx, p.ID, "", now); err != nil {
				return err
			}
			return s.store.RevokeAPITokens(ctx, p.ID, now)
		})
		if err != nil {
			return errs.E(op, err)
		}
		s.notify(ctx, p, "role_changed")
		return nil
	}
	return errs.E(op, errs.NotFound)
}
