package consent

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// LegalTask is a task the law gives some staff, which lets them use a
// resident's data without the resident's consent (AVG art. 6(1)(c)/(e)).
// It must be written down here, named, with the article of law, the staff
// roles it applies to, and the categories and actions it covers; an access
// under it is logged with basis "legal_task:<Name>".
//
// A task applies to a staff member only for residents of the municipality
// in which they hold the role. Platform admins, residents and delegates can
// never be given a legal task: standing platform-admin access to a
// resident's data does not exist (SECURITY.md §5 asks for a just-in-time,
// second-person approved path instead, which is not built).
//
// MandateRegistration is the one task the service itself uses, and it
// only lets staff record, list and end parent and legal-representative
// mandates. The only task that reaches a resident's data is the budget
// app's budget.LegalTask (the Wmo grant decision on a personal budget:
// consultants of the resident's municipality, category "budget" only),
// enabled by the command's wiring; every other access rests on consent or
// a mandate.
type LegalTask struct {
	Name       string // a category-like name, e.g. "mandate_registration"
	Law        string // the legal basis, e.g. "Wmo 2015 art. 2.3.2"
	Roles      []identity.Role
	Categories []string
	Actions    []audit.Action
}

// MandateRegistration lets a consultant or municipality admin record, list
// and end the parent and legal-representative mandates of the residents of
// their municipality, after checking the parental authority or court
// decision. It gives no access to any other data.
var MandateRegistration = LegalTask{
	Name: "mandate_registration",
	Law: "BW boek 1: gezag (art. 245 e.v.), curatele (art. 378 e.v.), " +
		"bewind (art. 431 e.v.), mentorschap (art. 450 e.v.)",
	Roles:      []identity.Role{identity.RoleConsultant, identity.RoleTenantAdmin},
	Categories: []string{CategoryConsent},
	Actions:    []audit.Action{audit.ActionShare, audit.ActionRead, audit.ActionDelete},
}

// validate checks the task against the registry.
func (t LegalTask) validate(cats *Categories) error {
	var bad []string
	if !segmentRE.MatchString(t.Name) {
		bad = append(bad, "bad name")
	}
	if strings.TrimSpace(t.Law) == "" {
		bad = append(bad, "no law")
	}
	if len(t.Roles) == 0 {
		bad = append(bad, "no roles")
	}
	for _, r := range t.Roles {
		if !r.Staff() || r == identity.RolePlatformAdmin {
			bad = append(bad, fmt.Sprintf("role %q cannot have a legal task", r))
		}
	}
	if len(t.Categories) == 0 {
		bad = append(bad, "no categories")
	}
	for _, c := range t.Categories {
		if !cats.Known(c) {
			bad = append(bad, fmt.Sprintf("unknown category %q", c))
		}
	}
	if len(t.Actions) == 0 {
		bad = append(bad, "no actions")
	}
	for _, a := range t.Actions {
		if !a.Valid() {
			bad = append(bad, fmt.Sprintf("unknown action %q", a))
		}
	}
	if len(bad) > 0 {
		return errs.E("consent.LegalTask", errs.Invalid, fmt.Errorf("legal task %q: %s", t.Name, strings.Join(bad, ", ")))
	}
	return nil
}

// covers reports whether the task covers the request's category and action.
func (t LegalTask) covers(req Request) bool {
	return slices.Contains(t.Actions, req.Action) && coversAny(t.Categories, req.Category)
}

// taskRole returns the actor's role assignment through which task t
// applies to the resident subjectID: a role the task names, held in the
// resident's home municipality.
func (s *Service) taskRole(ctx context.Context, t LegalTask, actor identity.Person, subjectID string) (identity.RoleAssignment, bool, error) {
	if !slices.ContainsFunc(actor.Roles, func(a identity.RoleAssignment) bool { return slices.Contains(t.Roles, a.Role) }) {
		return identity.RoleAssignment{}, false, nil
	}
	subject, err := s.store.FindPersonByID(ctx, subjectID)
	if errs.Is(err, errs.NotFound) {
		return identity.RoleAssignment{}, false, nil
	} else if err != nil {
		return identity.RoleAssignment{}, false, err
	}
	if subject.HomeMunicipalityID == "" {
		return identity.RoleAssignment{}, false, nil
	}
	for _, a := range actor.Roles {
		if slices.Contains(t.Roles, a.Role) && a.MunicipalityID == subject.HomeMunicipalityID {
			return a, true, nil
		}
	}
	return identity.RoleAssignment{}, false, nil
}
