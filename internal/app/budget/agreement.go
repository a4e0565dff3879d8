package budget

import (
	"context"
	"strconv"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// ProposeAgreement proposes a care agreement on a marketplace request
// that the resident pays from their budget. actor works for the request's
// provider (provider_admin or professional) and reads the request through
// the resident's grant (logged); the request must be accepted or
// delivered, and have no other open agreement. The total (price × units
// per month × months) is what accepting it will reserve. The resident is
// told by mail.
func (s *Service) ProposeAgreement(ctx context.Context, actor *identity.Person, in NewAgreement, key string) (Agreement, error) {
	const op = "budget.ProposeAgreement"
	if actor == nil || actor.ID == "" {
		return Agreement{}, unauthorized(op)
	}
	r, err := s.requests.Get(ctx, actor, "", in.RequestID)
	if err != nil {
		return Agreement{}, errs.E(op, err)
	}
	if !worksFor(actor, r.ProviderOrgID) {
		return Agreement{}, errs.E(op, errs.Forbidden, errs.Key("error.budget.provider_only"))
	}
	in.What, in.Frequency = strings.TrimSpace(in.What), strings.TrimSpace(in.Frequency)
	f := errs.Fields{}
	if k := checkText("agreement_what", in.What, true, MaxWhatLen); k != "" {
		f.Add("what", k)
	}
	if k := checkText("agreement_frequency", in.Frequency, true, MaxFrequencyLen); k != "" {
		f.Add("frequency", k)
	}
	if k := checkAmount("agreement_unit_price", in.UnitPriceCents); k != "" {
		f.Add("unit_price", k)
	}
	if in.UnitsPerMonth < 1 || in.UnitsPerMonth > MaxUnitsPerMonth {
		f.Add("units_per_month", "field.agreement_units.range")
	}
	if in.From.IsZero() {
		f.Add("from", "field.agreement_from.required")
	}
	switch {
	case in.Until.IsZero():
		f.Add("until", "field.agreement_until.required")
	case !in.From.IsZero() && monthOf(in.Until).Before(monthOf(in.From)):
		f.Add("until", "field.agreement_until.before_from")
	case !in.From.IsZero() && monthsBetween(in.From, in.Until) > MaxAgreementMonths:
		f.Add("until", "field.agreement_until.too_long")
	}
	var total Cents
	if len(f) == 0 {
		total = in.UnitPriceCents * Cents(in.UnitsPerMonth) * Cents(monthsBetween(in.From, in.Until))
		if total > MaxAmount {
			f.Add("unit_price", "field.agreement_total.too_large")
		}
	}
	if err := f.Err(op); err != nil {
		return Agreement{}, err
	}
	if r.Funding != request.FundingBudget {
		return Agreement{}, errs.E(op, errs.Invalid, errs.Key("error.budget.not_budget_request"))
	}
	if r.Status != request.StatusAccepted && r.Status != request.StatusDelivered {
		return Agreement{}, errs.E(op, errs.Conflict, errs.Key("error.budget.request_not_accepted"))
	}
	hash := requestHash(op, r.ID, in.What, in.Frequency, strconv.FormatInt(int64(in.UnitPriceCents), 10),
		strconv.Itoa(in.UnitsPerMonth), PeriodOf(in.From), PeriodOf(in.Until))
	var out Agreement
	rid, replay, err := s.once(ctx, op, actor, key, hash, "", func(ctx context.Context) (string, error) {
		list, err := s.store.FindAgreementsByResident(ctx, r.ResidentID)
		if err != nil {
			return "", err
		}
		for _, a := range list {
			if a.RequestID == r.ID && !a.Status.Final() {
				return "", errs.E(op, errs.Conflict, errs.Key("error.budget.agreement_exists"))
			}
		}
		now := s.now()
		out = Agreement{ID: id.New(), RequestID: r.ID, OfferingID: r.OfferingID, ProviderOrgID: r.ProviderOrgID,
			ResidentID: r.ResidentID, What: in.What, Frequency: in.Frequency, UnitPriceCents: in.UnitPriceCents,
			UnitsPerMonth: in.UnitsPerMonth, From: monthOf(in.From), Until: monthOf(in.Until), TotalCents: total,
			Status: AgreementProposed, ProposedByID: actor.ID, CreatedAt: now, UpdatedAt: now, Version: 1,
			OfferingTitle: r.OfferingTitle, ProviderName: r.ProviderName}
		return out.ID, s.store.CreateAgreement(ctx, out)
	})
	if err != nil {
		return Agreement{}, err
	}
	if replay {
		return s.findAgreement(ctx, op, rid)
	}
	s.notifyResident(ctx, out.ResidentID, "/budget/afspraken/"+out.ID, MailResidentTemplate)
	return out, nil
}

// findAgreement reads an agreement with what is reserved for and spent
// under it.
func (s *Service) findAgreement(ctx context.Context, op, agreementID string) (Agreement, error) {
	a, err := s.store.FindAgreement(ctx, agreementID)
	if errs.Is(err, errs.NotFound) {
		return Agreement{}, errs.E(op, errs.NotFound, errNotFound)
	} else if err != nil {
		return Agreement{}, errs.E(op, err)
	}
	list, err := s.withSums(ctx, []Agreement{a})
	if err != nil {
		return Agreement{}, errs.E(op, err)
	}
	return list[0], nil
}

// withSums fills ReservedCents and SpentCents from the ledger.
func (s *Service) withSums(ctx context.Context, list []Agreement) ([]Agreement, error) {
	sums := map[string]map[string]map[string]Cents{} // budget → agreement → account → sum
	for i, a := range list {
		if a.BudgetID == "" {
			continue
		}
		bs, ok := sums[a.BudgetID]
		if !ok {
			var err error
			if bs, err = s.store.SumsByAgreement(ctx, a.BudgetID); err != nil {
				return nil, err
			}
			sums[a.BudgetID] = bs
		}
		for account, v := range bs[a.ID] {
			switch kindOfAccount(a.BudgetID, account) {
			case "reserved":
				list[i].ReservedCents += v
			case "payable", "paid":
				list[i].SpentCents += v
			}
		}
	}
	return list, nil
}

// openAgreement reads an agreement for a change: NotFound when it does
// not exist.
func (s *Service) openAgreement(ctx context.Context, op, agreementID string) (Agreement, error) {
	a, err := s.store.FindAgreement(ctx, agreementID)
	if errs.Is(err, errs.NotFound) {
		return Agreement{}, errs.E(op, errs.NotFound, errNotFound)
	} else if err != nil {
		return Agreement{}, errs.E(op, err)
	}
	return a, nil
}

// eligibleBudget checks that the agreement may be paid from b: the
// resident's active budget, covering the agreement's months and its
// offering.
func (s *Service) eligibleBudget(ctx context.Context, a Agreement, b Budget) error {
	const op = "budget.eligibleBudget"
	if b.ResidentID != a.ResidentID {
		return errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"budget": "field.agreement_budget.unknown"})
	}
	if b.Status != StatusActive {
		return errs.E(op, errs.Conflict, errs.Key("error.budget.withdrawn"))
	}
	if a.From.Before(monthOf(b.PeriodStart)) || a.Until.After(monthOf(b.PeriodEnd)) {
		return errs.E(op, errs.Invalid, errs.Key("error.budget.outside_period"), errs.Fields{"budget": "field.agreement_budget.period"})
	}
	var cats []string
	if v, err := s.offerings.Offering(ctx, nil, a.OfferingID); err == nil {
		cats = v.Offering.CategoryIDs
	} else if !errs.Is(err, errs.NotFound) {
		return err
	}
	if !b.Eligible(a.OfferingID, cats) {
		return errs.E(op, errs.Invalid, errs.Key("error.budget.not_eligible"), errs.Fields{"budget": "field.agreement_budget.not_eligible"})
	}
	return nil
}

// AcceptAgreement accepts a proposed agreement for the resident (or their
// delegate under a mandate covering Category) and reserves its total in
// budgetID — "" picks the resident's one eligible budget. When the
// municipality's Settings require it, the agreement then awaits a
// consultant's approval (the money stays reserved); otherwise it is
// active. Conflict (error.budget.insufficient) when less is available
// than the total.
func (s *Service) AcceptAgreement(ctx context.Context, actor *identity.Person, actingFor, agreementID, budgetID, key string) (Agreement, error) {
	const op = "budget.AcceptAgreement"
	if actor == nil || actor.ID == "" {
		return Agreement{}, unauthorized(op)
	}
	a, err := s.openAgreement(ctx, op, agreementID)
	if err != nil {
		return Agreement{}, err
	}
	if err := s.asResident(ctx, op, actor, actingFor, a.ResidentID, a.ID); err != nil {
		return Agreement{}, err
	}
	if budgetID == "" {
		if budgetID, err = s.onlyBudget(ctx, a); err != nil {
			return Agreement{}, errs.E(op, err)
		}
	}
	rid, replay, err := s.once(ctx, op, actor, key, requestHash(op, a.ID, budgetID), a.ID, func(ctx context.Context) (string, error) {
		b, err := s.store.LockBudget(ctx, budgetID)
		if errs.Is(err, errs.NotFound) {
			return "", errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"budget": "field.agreement_budget.unknown"})
		} else if err != nil {
			return "", err
		}
		if a, err = s.store.FindAgreement(ctx, agreementID); err != nil {
			return "", err
		}
		if a.Status != AgreementProposed {
			return "", errs.E(op, errs.Conflict, errs.Key("error.budget.agreement_decided"))
		}
		if err := s.eligibleBudget(ctx, a, b); err != nil {
			return "", err
		}
		bal, _, err := s.balance(ctx, b.ID)
		if err != nil {
			return "", err
		}
		if bal.Available < a.TotalCents {
			return "", errs.E(op, errs.Conflict, errs.Key("error.budget.insufficient"))
		}
		m := s.newMovement(b.ID, actor.ID)
		m.pair(EntryReservation, availableAccount(b.ID), reservedAccount(b.ID, a.ID), a.TotalCents, a.ID, "")
		if err := s.post(ctx, m); err != nil {
			return "", err
		}
		settings, err := s.settings(ctx, b.MunicipalityID)
		if err != nil {
			return "", err
		}
		now := s.now()
		prev := a.Version
		a.BudgetID, a.AcceptedByID, a.AcceptedAt, a.UpdatedAt = b.ID, actor.ID, &now, now
		a.Status = AgreementActive
		if settings.Needs(a.TotalCents) {
			a.Status = AgreementAwaitingMunicipality
		}
		return a.ID, s.store.UpdateAgreement(ctx, a, prev)
	})
	if err != nil {
		return Agreement{}, err
	}
	out, err := s.findAgreement(ctx, op, rid)
	if err == nil && !replay {
		s.notifyProvider(ctx, out.ProviderOrgID, "/aanbieder/afspraken/"+out.ID)
	}
	return out, err
}

// onlyBudget returns the resident's one active budget that the agreement
// may be paid from; Invalid (field budget) when there is none or more.
func (s *Service) onlyBudget(ctx context.Context, a Agreement) (string, error) {
	list, err := s.store.FindBudgetsByResident(ctx, a.ResidentID)
	if err != nil {
		return "", err
	}
	var found []string
	for _, b := range list {
		if s.eligibleBudget(ctx, a, b) == nil {
			found = append(found, b.ID)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", errs.E("budget.onlyBudget", errs.Invalid, errs.Key("error.budget.no_budget"), errs.Fields{"budget": "field.agreement_budget.none"})
	}
	return "", errs.E("budget.onlyBudget", errs.Invalid, errs.Key("error.invalid"), errs.Fields{"budget": "field.agreement_budget.required"})
}

// RefuseAgreement refuses a proposed agreement for the resident (or their
// delegate), with a reason. Nothing was reserved, so nothing moves.
func (s *Service) RefuseAgreement(ctx context.Context, actor *identity.Person, actingFor, agreementID, reason, key string) (Agreement, error) {
	const op = "budget.RefuseAgreement"
	if actor == nil || actor.ID == "" {
		return Agreement{}, unauthorized(op)
	}
	a, err := s.openAgreement(ctx, op, agreementID)
	if err != nil {
		return Agreement{}, err
	}
	if err := s.asResident(ctx, op, actor, actingFor, a.ResidentID, a.ID); err != nil {
		return Agreement{}, err
	}
	reason = strings.TrimSpace(reason)
	if k := checkText("agreement_reason", reason, true, MaxReasonLen); k != "" {
		return Agreement{}, errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"reason": k})
	}
	rid, replay, err := s.once(ctx, op, actor, key, requestHash(op, a.ID, reason), a.ID, func(ctx context.Context) (string, error) {
		a, err := s.store.FindAgreement(ctx, agreementID)
		if err != nil {
			return "", err
		}
		if a.Status != AgreementProposed {
			return "", errs.E(op, errs.Conflict, errs.Key("error.budget.agreement_decided"))
		}
		now := s.now()
		prev := a.Version
		a.Status, a.Reason, a.UpdatedAt = AgreementRefused, reason, now
		return a.ID, s.store.UpdateAgreement(ctx, a, prev)
	})
	if err != nil {
		return Agreement{}, err
	}
	out, err := s.findAgreement(ctx, op, rid)
	if err == nil && !replay {
		s.notifyProvider(ctx, out.ProviderOrgID, "/aanbieder/afspraken/"+out.ID)
	}
	return out, err
}

// ApproveAgreement is the municipality's approval of an agreement that
// awaits it (a consultant of the budget's municipality): it becomes
// active. Nothing moves: the money was reserved on acceptance.
func (s *Service) ApproveAgreement(ctx context.Context, actor *identity.Person, agreementID, key string) (Agreement, error) {
	return s.decideAgreement(ctx, "budget.ApproveAgreement", actor, agreementID, true, "", key)
}

// RejectAgreement is the municipality's refusal of an agreement that
// awaits it, with a reason; its reservation is released.
func (s *Service) RejectAgreement(ctx context.Context, actor *identity.Person, agreementID, reason, key string) (Agreement, error) {
	return s.decideAgreement(ctx, "budget.RejectAgreement", actor, agreementID, false, reason, key)
}

func (s *Service) decideAgreement(ctx context.Context, op string, actor *identity.Person, agreementID string, approve bool, reason, key string) (Agreement, error) {
	if actor == nil || actor.ID == "" {
		return Agreement{}, unauthorized(op)
	}
	a, err := s.openAgreement(ctx, op, agreementID)
	if err != nil {
		return Agreement{}, err
	}
	if a.BudgetID == "" {
		// Not accepted yet: nothing for the municipality to see.
		if _, err := s.readBudget(ctx, actor, "", a.ResidentID, a.ID); err != nil {
			return Agreement{}, errs.E(op, err)
		}
		return Agreement{}, errs.E(op, errs.Conflict, errs.Key("error.budget.agreement_not_awaiting"))
	}
	b, err := s.store.FindBudget(ctx, a.BudgetID)
	if err != nil {
		return Agreement{}, errs.E(op, err)
	}
	if err := s.asMunicipality(ctx, op, actor, b, a.ID, audit.ActionUpdate); err != nil {
		return Agreement{}, err
	}
	reason = strings.TrimSpace(reason)
	if !approve {
		if k := checkText("agreement_reason", reason, true, MaxReasonLen); k != "" {
			return Agreement{}, errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"reason": k})
		}
	}
	rid, replay, err := s.once(ctx, op, actor, key, requestHash(op, a.ID, reason), a.ID, func(ctx context.Context) (string, error) {
		if err := s.store.LockBudgetID(ctx, b.ID); err != nil {
			return "", err
		}
		a, err := s.store.FindAgreement(ctx, agreementID)
		if err != nil {
			return "", err
		}
		if a.Status != AgreementAwaitingMunicipality {
			return "", errs.E(op, errs.Conflict, errs.Key("error.budget.agreement_not_awaiting"))
		}
		now := s.now()
		prev := a.Version
		a.DecidedByID, a.DecidedAt, a.UpdatedAt = actor.ID, &now, now
		if approve {
			a.Status = AgreementActive
		} else {
			a.Status, a.Reason = AgreementRefused, reason
			if err := s.release(ctx, actor, a); err != nil {
				return "", err
			}
		}
		return a.ID, s.store.UpdateAgreement(ctx, a, prev)
	})
	if err != nil {
		return Agreement{}, err
	}
	out, err := s.findAgreement(ctx, op, rid)
	if err == nil && !replay {
		s.notifyResident(ctx, out.ResidentID, "/budget/afspraken/"+out.ID, MailResidentTemplate)
		s.notifyProvider(ctx, out.ProviderOrgID, "/aanbieder/afspraken/"+out.ID)
	}
	return out, err
}

// release gives back what is still reserved for an agreement, in the
// caller's transaction (its budget locked).
func (s *Service) release(ctx context.Context, actor *identity.Person, a Agreement) error {
	accounts, err := s.store.AccountBalances(ctx, a.BudgetID)
	if err != nil {
		return err
	}
	held := accounts[reservedAccount(a.BudgetID, a.ID)]
	if held <= 0 {
		return nil
	}
	m := s.newMovement(a.BudgetID, actor.ID)
	m.pair(EntryRelease, reservedAccount(a.BudgetID, a.ID), availableAccount(a.BudgetID), held, a.ID, "")
	return s.post(ctx, m)
}

// EndAgreement ends an agreement that is active or awaits the
// municipality, for the resident's side or the provider's; what is left of
// its reservation goes back to available. Conflict while a claim under it
// waits for a decision (error.budget.open_claims).
func (s *Service) EndAgreement(ctx context.Context, actor *identity.Person, actingFor, agreementID, key string) (Agreement, error) {
	const op = "budget.EndAgreement"
	if actor == nil || actor.ID == "" {
		return Agreement{}, unauthorized(op)
	}
	a, err := s.openAgreement(ctx, op, agreementID)
	if err != nil {
		return Agreement{}, err
	}
	sd, err := s.readAgreement(ctx, op, actor, actingFor, a.ProviderOrgID, a.ResidentID, a.ID)
	if err != nil {
		return Agreement{}, err
	}
	switch sd {
	case sideProvider:
	case sideResident:
		if err := s.asResident(ctx, op, actor, actingFor, a.ResidentID, a.ID); err != nil {
			return Agreement{}, err
		}
	default:
		return Agreement{}, errs.E(op, errs.Forbidden, errs.Key("error.budget.resident_only"))
	}
	rid, replay, err := s.once(ctx, op, actor, key, requestHash(op, a.ID), a.ID, func(ctx context.Context) (string, error) {
		if a.BudgetID != "" {
			if err := s.store.LockBudgetID(ctx, a.BudgetID); err != nil {
				return "", err
			}
		}
		a, err := s.store.FindAgreement(ctx, agreementID)
		if err != nil {
			return "", err
		}
		if a.Status != AgreementActive && a.Status != AgreementAwaitingMunicipality {
			return "", errs.E(op, errs.Conflict, errs.Key("error.budget.agreement_not_active"))
		}
		claims, err := s.store.FindClaimsByAgreement(ctx, a.ID)
		if err != nil {
			return "", err
		}
		for _, c := range claims {
			if c.Status == ClaimSubmitted || c.Status == ClaimDisputed {
				return "", errs.E(op, errs.Conflict, errs.Key("error.budget.open_claims"))
			}
		}
		if err := s.release(ctx, actor, a); err != nil {
			return "", err
		}
		now := s.now()
		prev := a.Version
		a.Status, a.EndedAt, a.UpdatedAt = AgreementEnded, &now, now
		return a.ID, s.store.UpdateAgreement(ctx, a, prev)
	})
	if err != nil {
		return Agreement{}, err
	}
	out, err := s.findAgreement(ctx, op, rid)
	if err == nil && !replay {
		if sd == sideProvider {
			s.notifyResident(ctx, out.ResidentID, "/budget/afspraken/"+out.ID, MailResidentTemplate)
		} else {
			s.notifyProvider(ctx, out.ProviderOrgID, "/aanbieder/afspraken/"+out.ID)
		}
	}
	return out, err
}
