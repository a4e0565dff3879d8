package budget

import (
	"context"
	"slices"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// visibleBudget reads a budget that actor may see (see readBudget);
// NotFound otherwise.
func (s *Service) visibleBudget(ctx context.Context, op string, actor *identity.Person, actingFor, budgetID string) (Budget, error) {
	if actor == nil || actor.ID == "" {
		return Budget{}, unauthorized(op)
	}
	// No transaction: a denial must stay in the access log.
	b, err := s.store.FindBudget(ctx, budgetID)
	if errs.Is(err, errs.NotFound) {
		return Budget{}, errs.E(op, errs.NotFound, errNotFound)
	} else if err != nil {
		return Budget{}, errs.E(op, err)
	}
	if _, err := s.readBudget(ctx, actor, actingFor, b.ResidentID, b.ID); err != nil {
		return Budget{}, errs.E(op, err)
	}
	return b, nil
}

// view adds the balance and the decision in force to a budget.
func (s *Service) view(ctx context.Context, b Budget) (View, error) {
	bal, _, err := s.balance(ctx, b.ID)
	if err != nil {
		return View{}, err
	}
	last, err := s.lastDecision(ctx, b.ID)
	if err != nil {
		return View{}, err
	}
	return View{Budget: b, Balance: bal, Decision: last}, nil
}

// Budget returns one budget with its balance and the decision in force,
// for the resident, their delegate (mandate covering Category), a
// consultant of their municipality or someone they shared it with; each
// access but the resident's own is logged. Anyone else gets NotFound.
func (s *Service) Budget(ctx context.Context, actor *identity.Person, actingFor, budgetID string) (View, error) {
	const op = "budget.Budget"
	b, err := s.visibleBudget(ctx, op, actor, actingFor, budgetID)
	if err != nil {
		return View{}, err
	}
	v, err := s.view(ctx, b)
	if err != nil {
		return View{}, errs.E(op, err)
	}
	return v, nil
}

// BudgetsOf lists a resident's budgets, newest first; residentID ""
// means the resident actor is or acts for. Who may see them is as for
// Budget.
func (s *Service) BudgetsOf(ctx context.Context, actor *identity.Person, actingFor, residentID string) ([]View, error) {
	const op = "budget.BudgetsOf"
	if actor == nil || actor.ID == "" {
		return nil, unauthorized(op)
	}
	if residentID == "" {
		residentID = residentOf(actor, selfOrFor(actor, actingFor))
	}
	if _, err := s.readBudget(ctx, actor, actingFor, residentID, ""); err != nil {
		return nil, errs.E(op, err)
	}
	list, err := s.store.FindBudgetsByResident(ctx, residentID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	return s.views(ctx, op, list)
}

func (s *Service) views(ctx context.Context, op string, list []Budget) ([]View, error) {
	out := make([]View, 0, len(list))
	for _, b := range list {
		v, err := s.view(ctx, b)
		if err != nil {
			return nil, errs.E(op, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// BudgetsForConsultant lists the budgets of the residents of the
// municipalities in which actor is a consultant, newest first; each one
// listed is logged as read under the legal task. Anyone who is no
// consultant gets Forbidden.
func (s *Service) BudgetsForConsultant(ctx context.Context, actor *identity.Person) ([]View, error) {
	const op = "budget.BudgetsForConsultant"
	if actor == nil || actor.ID == "" {
		return nil, unauthorized(op)
	}
	munis := consultantMunicipalities(actor)
	if len(munis) == 0 {
		return nil, errs.E(op, errs.Forbidden, errs.Key("error.budget.consultant_only"))
	}
	list, err := s.store.FindBudgetsByMunicipalities(ctx, munis)
	if err != nil {
		return nil, errs.E(op, err)
	}
	var shown []Budget
	for _, b := range list {
		// A resident who moved away is no longer this consultant's: the
		// legal task follows the home municipality.
		if _, err := s.readBudget(ctx, actor, "", b.ResidentID, b.ID); errs.Is(err, errs.NotFound) {
			continue
		} else if err != nil {
			return nil, errs.E(op, err)
		}
		shown = append(shown, b)
	}
	return s.views(ctx, op, shown)
}

// Entries lists a budget's ledger entries in the order written, for who
// may see the budget.
func (s *Service) Entries(ctx context.Context, actor *identity.Person, actingFor, budgetID string) ([]Entry, error) {
	const op = "budget.Entries"
	b, err := s.visibleBudget(ctx, op, actor, actingFor, budgetID)
	if err != nil {
		return nil, err
	}
	list, err := s.store.FindEntriesByBudget(ctx, b.ID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	return list, nil
}

// Months returns a budget's figures per month, oldest first: from the
// month of its first movement (or the start of its period, if earlier) to
// the later of its last movement and the current month within its
// period.
func (s *Service) Months(ctx context.Context, actor *identity.Person, actingFor, budgetID string) ([]MonthFigures, error) {
	const op = "budget.Months"
	b, err := s.visibleBudget(ctx, op, actor, actingFor, budgetID)
	if err != nil {
		return nil, err
	}
	entries, err := s.store.FindEntriesByBudget(ctx, b.ID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	return monthFigures(b, entries, s.now()), nil
}

// monthFigures folds the entries into months.
func monthFigures(b Budget, entries []Entry, now time.Time) []MonthFigures {
	first := monthOf(b.PeriodStart)
	last := monthOf(now)
	if end := monthOf(b.PeriodEnd); last.After(end) {
		last = end
	}
	for _, e := range entries {
		m := monthOf(e.CreatedAt)
		if m.Before(first) {
			first = m
		}
		if m.After(last) {
			last = m
		}
	}
	if last.Before(first) {
		last = first
	}
	byMonth := map[string]*MonthFigures{}
	var out []MonthFigures
	for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
		out = append(out, MonthFigures{Month: PeriodOf(m)})
	}
	for i := range out {
		byMonth[out[i].Month] = &out[i]
	}
	for _, e := range entries {
		f := byMonth[PeriodOf(e.CreatedAt)]
		switch kindOfAccount(b.ID, e.Account) {
		case "funding":
			f.Granted -= e.AmountCents
		case "available":
			f.Available += e.AmountCents // a delta for now; made a running total below
		case "reserved":
			f.Reserved += e.AmountCents
		case "paid", "payable":
			f.Spent += e.AmountCents
		}
	}
	var left Cents
	for i := range out {
		left += out[i].Available
		out[i].Available = left
	}
	return slices.Clip(out)
}
