package web

import (
	"net/http"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

type staffData struct {
	Staff         []identity.Person
	Organisations []tenant.Organisation
	Roles         []identity.Role
}

// OrgName returns the name of an organisation in the list, or "".
func (d staffData) OrgName(id string) string {
	for _, o := range d.Organisations {
		if o.ID == id {
			return o.Name
		}
	}
	return ""
}

// staffRoles are the roles a municipality admin may give.
var staffRoles = []identity.Role{
	identity.RoleProfessional, identity.RoleConsultant, identity.RoleProviderAdmin,
	identity.RoleEditor, identity.RoleModerator, identity.RoleTenantAdmin,
}

func (s *Server) staffPage(rq *request, r *http.Request) (Page, error) {
	m := rq.municipality
	list, err := s.Identity.Staff(r.Context(), *rq.person, m.ID)
	if err != nil {
		return Page{}, err
	}
	orgs, err := s.Tenants.Organisations(r.Context(), m.ID)
	if err != nil {
		return Page{}, err
	}
	p := s.newPage(rq, r, "admin_staff", "staff.title")
	p.Data = staffData{Staff: list, Organisations: orgs, Roles: staffRoles}
	return p, nil
}

// requireTenantAdmin answers NotFound to anyone who is not the admin of the
// request's municipality, so the page's existence does not leak.
func requireTenantAdmin(rq *request) error {
	if !rq.person.HasIn(identity.RoleTenantAdmin, rq.municipality.ID) {
		return errs.E("web.requireTenantAdmin", errs.NotFound)
	}
	return nil
}

func (s *Server) handleStaffShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := requireTenantAdmin(rq); err != nil {
		return err
	}
	p, err := s.staffPage(rq, r)
	if err != nil {
		return err
	}
	return s.show(w, r, p)
}

func (s *Server) handleStaffInvite(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := requireTenantAdmin(rq); err != nil {
		return err
	}
	p, err := s.staffPage(rq, r)
	if err != nil {
		return err
	}
	f, err := readForm(r, map[string]int{"email": identity.MaxEmailLen, "name": identity.MaxNameLen, "role": 40, "organisation": 40})
	if err != nil {
		return err
	}
	p.Form = f
	org := f.Values["organisation"]
	if org != "" && p.Data.(staffData).OrgName(org) == "" {
		f.Errors["organisation"] = "field.organisation.invalid"
	}
	if !f.HasErrors() {
		_, err := s.Identity.InviteStaff(r.Context(), *rq.person, rq.municipality.ID, identity.StaffInvite{
			Email: f.Values["email"], DisplayName: f.Values["name"], Role: identity.Role(f.Values["role"]), OrganisationID: org,
		})
		if err == nil {
			s.redirect(w, r, "/beheer/medewerkers", "flash.staff_added")
			return nil
		}
		if err := formError(&p, err); err != nil {
			return err
		}
	}
	return s.show(w, r, p)
}

func (s *Server) handleStaffRemoveRole(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := requireTenantAdmin(rq); err != nil {
		return err
	}
	err := s.Identity.RemoveStaffRole(r.Context(), *rq.person, rq.municipality.ID, r.PathValue("person"), r.PathValue("role"))
	if errs.Is(err, errs.Conflict) {
		s.redirect(w, r, "/beheer/medewerkers", "flash.remove_own_admin")
		return nil
	}
	if err != nil {
		return err
	}
	s.redirect(w, r, "/beheer/medewerkers", "flash.role_removed")
	return nil
}
