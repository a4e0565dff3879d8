package budget

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Grant decides a new budget for a resident of the consultant's
// municipality and moves the amount into it (funding → available). Only a
// consultant of the resident's home municipality may (the legal task;
// logged); for anyone else the resident does not exist. key is the
// idempotency key: a retry with it returns the first decision.
func (s *Service) Grant(ctx context.Context, actor *identity.Person, in NewGrant, key string) (Decision, error) {
	const op = "budget.Grant"
	if actor == nil || actor.ID == "" {
		return Decision{}, unauthorized(op)
	}
	if !actor.Has(identity.RoleConsultant) {
		return Decision{}, errs.E(op, errs.Forbidden, errs.Key("error.budget.consultant_only"))
	}
	in.LegalBasis = strings.TrimSpace(in.LegalBasis)
	in.CategoryIDs, in.OfferingIDs = cleanIDs(in.CategoryIDs), cleanIDs(in.OfferingIDs)
	f := errs.Fields{}
	if strings.TrimSpace(in.ResidentID) == "" {
		f.Add("resident", "field.budget_resident.required")
	}
	if k := checkAmount("budget_amount", in.AmountCents); k != "" {
		f.Add("amount", k)
	}
	checkPeriod(f, in.PeriodStart, in.PeriodEnd)
	if k := checkText("budget_legal_basis", in.LegalBasis, true, MaxLegalBasisLen); k != "" {
		f.Add("legal_basis", k)
	}
	if err := s.checkOfferings(ctx, f, in.OfferingIDs); err != nil {
		return Decision{}, errs.E(op, err)
	}
	if err := f.Err(op); err != nil {
		return Decision{}, err
	}
	resident, err := s.store.FindPersonByID(ctx, in.ResidentID)
	if errs.Is(err, errs.NotFound) {
		return Decision{}, errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"resident": "field.budget_resident.unknown"})
	} else if err != nil {
		return Decision{}, errs.E(op, err)
	}
	// Checked before the transaction, so that a refusal stays in the log.
	if err := s.asMunicipality(ctx, op, actor, Budget{ResidentID: resident.ID, MunicipalityID: resident.HomeMunicipalityID}, "", audit.ActionCreate); err != nil {
		if errs.Is(err, errs.NotFound) {
			return Decision{}, errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"resident": "field.budget_resident.unknown"})
		}
		return Decision{}, err
	}
	if !resident.Has(identity.RoleCitizen) || resident.DisabledAt != nil {
		return Decision{}, errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"resident": "field.budget_resident.not_resident"})
	}
	hash := requestHash(op, resident.ID, strconv.FormatInt(int64(in.AmountCents), 10), in.PeriodStart.Format("2006-01-02"),
		in.PeriodEnd.Format("2006-01-02"), strings.Join(in.CategoryIDs, ","), strings.Join(in.OfferingIDs, ","), in.LegalBasis)
	var out Decision
	rid, replay, err := s.once(ctx, op, actor, key, hash, "", func(ctx context.Context) (string, error) {
		now := s.now()
		b := Budget{ID: id.New(), ResidentID: resident.ID, MunicipalityID: resident.HomeMunicipalityID, ConsultantID: actor.ID,
			PeriodStart: day(in.PeriodStart), PeriodEnd: day(in.PeriodEnd), Status: StatusActive,
			CategoryIDs: in.CategoryIDs, OfferingIDs: in.OfferingIDs, CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := s.store.CreateBudget(ctx, b); err != nil {
			return "", err
		}
		m := s.newMovement(b.ID, actor.ID)
		m.pair(EntryGrant, fundingAccount(b.ID), availableAccount(b.ID), in.AmountCents, "", "")
		if err := s.post(ctx, m); err != nil {
			return "", err
		}
		out = Decision{ID: id.New(), BudgetID: b.ID, Kind: KindGrant, AmountCents: in.AmountCents, DeltaCents: in.AmountCents,
			PeriodStart: b.PeriodStart, PeriodEnd: b.PeriodEnd, CategoryIDs: b.CategoryIDs, OfferingIDs: b.OfferingIDs,
			LegalBasis: in.LegalBasis, DecidedByID: actor.ID, DecidedAt: now, TxID: m.txID}
		return out.ID, s.store.CreateDecision(ctx, out)
	})
	if err != nil {
		return Decision{}, err
	}
	if replay {
		return s.findDecision(ctx, op, rid)
	}
	s.notifyResident(ctx, resident.ID, "/budget/"+out.BudgetID, MailDecisionTemplate)
	return out, nil
}

// checkOfferings adds a field error when an eligible offering is not a
// published offering.
func (s *Service) checkOfferings(ctx context.Context, f errs.Fields, ids []string) error {
	for _, oid := range ids {
		if _, err := s.offerings.Offering(ctx, nil, oid); errs.Is(err, errs.NotFound) {
			f.Add("offerings", "field.budget_offerings.unknown")
			return nil
		} else if err != nil {
			return err
		}
	}
	return nil
}

// findDecision returns a decision by id (for a replayed call).
func (s *Service) findDecision(ctx context.Context, op, decisionID string) (Decision, error) {
	d, err := s.store.FindDecision(ctx, decisionID)
	if err != nil {
		return Decision{}, errs.E(op, err)
	}
	return d, nil
}

// ChangeGrant decides a new total amount, period end or eligibility for
// an active budget (a consultant of its municipality). The difference in
// amount moves between funding and available; granting less than is
// reserved and spent is Invalid (field amount). The decision supersedes
// the last one; nothing is edited.
func (s *Service) ChangeGrant(ctx context.Context, actor *identity.Person, budgetID string, in GrantChange, key string) (Decision, error) {
	const op = "budget.ChangeGrant"
	if actor == nil || actor.ID == "" {
		return Decision{}, unauthorized(op)
	}
	b, err := s.store.FindBudget(ctx, budgetID)
	if errs.Is(err, errs.NotFound) {
		return Decision{}, errs.E(op, errs.NotFound, errNotFound)
	} else if err != nil {
		return Decision{}, errs.E(op, err)
	}
	if err := s.asMunicipality(ctx, op, actor, b, b.ID, audit.ActionUpdate); err != nil {
		return Decision{}, err
	}
	in.LegalBasis = strings.TrimSpace(in.LegalBasis)
	in.CategoryIDs, in.OfferingIDs = cleanIDs(in.CategoryIDs), cleanIDs(in.OfferingIDs)
	f := errs.Fields{}
	if k := checkAmount("budget_amount", in.AmountCents); k != "" {
		f.Add("amount", k)
	}
	checkPeriod(f, b.PeriodStart, in.PeriodEnd)
	if k := checkText("budget_legal_basis", in.LegalBasis, true, MaxLegalBasisLen); k != "" {
		f.Add("legal_basis", k)
	}
	if err := s.checkOfferings(ctx, f, in.OfferingIDs); err != nil {
		return Decision{}, errs.E(op, err)
	}
	if err := f.Err(op); err != nil {
		return Decision{}, err
	}
	hash := requestHash(op, b.ID, strconv.FormatInt(int64(in.AmountCents), 10), in.PeriodEnd.Format("2006-01-02"),
		strings.Join(in.CategoryIDs, ","), strings.Join(in.OfferingIDs, ","), in.LegalBasis)
	var out Decision
	rid, replay, err := s.once(ctx, op, actor, key, hash, "", func(ctx context.Context) (string, error) {
		b, err := s.store.LockBudget(ctx, budgetID)
		if err != nil {
			return "", err
		}
		if b.Status != StatusActive {
			return "", errs.E(op, errs.Conflict, errs.Key("error.budget.withdrawn"))
		}
		bal, _, err := s.balance(ctx, b.ID)
		if err != nil {
			return "", err
		}
		delta := in.AmountCents - bal.Granted
		if -delta > bal.Available {
			return "", errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"amount": "field.budget_amount.below_used"})
		}
		last, err := s.lastDecision(ctx, b.ID)
		if err != nil {
			return "", err
		}
		now := s.now()
		out = Decision{ID: id.New(), BudgetID: b.ID, Kind: KindChange, AmountCents: in.AmountCents, DeltaCents: delta,
			PeriodStart: b.PeriodStart, PeriodEnd: day(in.PeriodEnd), CategoryIDs: in.CategoryIDs, OfferingIDs: in.OfferingIDs,
			LegalBasis: in.LegalBasis, DecidedByID: actor.ID, DecidedAt: now, Supersedes: last.ID}
		if delta != 0 {
			m := s.newMovement(b.ID, actor.ID)
			if delta > 0 {
				m.pair(EntryGrant, fundingAccount(b.ID), availableAccount(b.ID), delta, "", "")
			} else {
				m.pair(EntryGrant, availableAccount(b.ID), fundingAccount(b.ID), -delta, "", "")
			}
			if err := s.post(ctx, m); err != nil {
				return "", err
			}
			out.TxID = m.txID
		}
		prev := b.Version
		b.PeriodEnd, b.CategoryIDs, b.OfferingIDs, b.UpdatedAt = out.PeriodEnd, out.CategoryIDs, out.OfferingIDs, now
		if err := s.store.UpdateBudget(ctx, b, prev); err != nil {
			return "", err
		}
		return out.ID, s.store.CreateDecision(ctx, out)
	})
	if err != nil {
		return Decision{}, err
	}
	if replay {
		return s.findDecision(ctx, op, rid)
	}
	s.notifyResident(ctx, b.ResidentID, "/budget/"+b.ID, MailDecisionTemplate)
	return out, nil
}

// Withdraw decides that a budget ends (a consultant of its municipality).
// In one transaction: its agreements end and their reservations are
// released, and all that is available goes back to
// funding; approved claims stay paid. Claims still waiting can then no
// longer be approved (nothing is reserved for them).
func (s *Service) Withdraw(ctx context.Context, actor *identity.Person, budgetID, legalBasis, key string) (Decision, error) {
	const op = "budget.Withdraw"
	if actor == nil || actor.ID == "" {
		return Decision{}, unauthorized(op)
	}
	b, err := s.store.FindBudget(ctx, budgetID)
	if errs.Is(err, errs.NotFound) {
		return Decision{}, errs.E(op, errs.NotFound, errNotFound)
	} else if err != nil {
		return Decision{}, errs.E(op, err)
	}
	if err := s.asMunicipality(ctx, op, actor, b, b.ID, audit.ActionUpdate); err != nil {
		return Decision{}, err
	}
	legalBasis = strings.TrimSpace(legalBasis)
	if k := checkText("budget_legal_basis", legalBasis, true, MaxLegalBasisLen); k != "" {
		return Decision{}, errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"legal_basis": k})
	}
	var out Decision
	rid, replay, err := s.once(ctx, op, actor, key, requestHash(op, b.ID, legalBasis), "", func(ctx context.Context) (string, error) {
		b, err := s.store.LockBudget(ctx, budgetID)
		if err != nil {
			return "", err
		}
		if b.Status != StatusActive {
			return "", errs.E(op, errs.Conflict, errs.Key("error.budget.withdrawn"))
		}
		now := s.now()
		if err := s.closeAgreements(ctx, actor, b, now); err != nil {
			return "", err
		}
		bal, _, err := s.balance(ctx, b.ID)
		if err != nil {
			return "", err
		}
		last, err := s.lastDecision(ctx, b.ID)
		if err != nil {
			return "", err
		}
		out = Decision{ID: id.New(), BudgetID: b.ID, Kind: KindWithdrawal, AmountCents: bal.Granted - bal.Available,
			DeltaCents: -bal.Available, PeriodStart: b.PeriodStart, PeriodEnd: b.PeriodEnd, CategoryIDs: b.CategoryIDs,
			OfferingIDs: b.OfferingIDs, LegalBasis: legalBasis, DecidedByID: actor.ID, DecidedAt: now, Supersedes: last.ID}
		if bal.Available > 0 {
			m := s.newMovement(b.ID, actor.ID)
			m.pair(EntryGrant, availableAccount(b.ID), fundingAccount(b.ID), bal.Available, "", "")
			if err := s.post(ctx, m); err != nil {
				return "", err
			}
			out.TxID = m.txID
		}
		prev := b.Version
		b.Status, b.UpdatedAt = StatusWithdrawn, now
		if err := s.store.UpdateBudget(ctx, b, prev); err != nil {
			return "", err
		}
		return out.ID, s.store.CreateDecision(ctx, out)
	})
	if err != nil {
		return Decision{}, err
	}
	if replay {
		return s.findDecision(ctx, op, rid)
	}
	s.notifyResident(ctx, b.ResidentID, "/budget/"+b.ID, MailDecisionTemplate)
	return out, nil
}

// closeAgreements ends the open agreements of a budget being withdrawn
// and releases what they hold, in the caller's transaction (the budget is
// locked).
func (s *Service) closeAgreements(ctx context.Context, actor *identity.Person, b Budget, now time.Time) error {
	list, err := s.store.FindAgreementsByBudget(ctx, b.ID)
	if err != nil {
		return err
	}
	_, accounts, err := s.balance(ctx, b.ID)
	if err != nil {
		return err
	}
	for _, a := range list {
		if a.Status.Final() {
			continue
		}
		prev := a.Version
		if held := accounts[reservedAccount(b.ID, a.ID)]; held > 0 {
			m := s.newMovement(b.ID, actor.ID)
			m.pair(EntryRelease, reservedAccount(b.ID, a.ID), availableAccount(b.ID), held, a.ID, "")
			if err := s.post(ctx, m); err != nil {
				return err
			}
		}
		a.Status, a.EndedAt, a.UpdatedAt = AgreementEnded, &now, now
		if err := s.store.UpdateAgreement(ctx, a, prev); err != nil {
			return err
		}
	}
	return nil
}

// lastDecision returns the decision in force.
func (s *Service) lastDecision(ctx context.Context, budgetID string) (Decision, error) {
	list, err := s.store.FindDecisions(ctx, budgetID)
	if err != nil {
		return Decision{}, err
	}
	if len(list) == 0 {
		return Decision{}, errs.E("budget.lastDecision", errs.NotFound)
	}
	return list[len(list)-1], nil
}

// Decisions lists a budget's decisions, oldest first, for who may see the
// budget.
func (s *Service) Decisions(ctx context.Context, actor *identity.Person, actingFor, budgetID string) ([]Decision, error) {
	const op = "budget.Decisions"
	b, err := s.visibleBudget(ctx, op, actor, actingFor, budgetID)
	if err != nil {
		return nil, err
	}
	list, err := s.store.FindDecisions(ctx, b.ID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	return list, nil
}
