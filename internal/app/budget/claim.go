package budget

import (
	"context"
	"strconv"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// SubmitClaim submits the provider's claim for one month under an active
// agreement: actor works for the agreement's provider and reads it through
// the resident's request grant (logged). The month must be within the
// agreement and not after the current one; the amount may differ from the
// monthly price (more or fewer units delivered) but not exceed what is
// still reserved for the agreement. One claim per agreement per month:
// Conflict (field period) for a second. The resident is told by mail.
func (s *Service) SubmitClaim(ctx context.Context, actor *identity.Person, in NewClaim, key string) (Claim, error) {
	const op = "budget.SubmitClaim"
	if actor == nil || actor.ID == "" {
		return Claim{}, unauthorized(op)
	}
	a, err := s.openAgreement(ctx, op, in.AgreementID)
	if err != nil {
		return Claim{}, err
	}
	if err := s.asProvider(ctx, op, actor, a.ProviderOrgID, a.ResidentID, a.ID); err != nil {
		return Claim{}, err
	}
	in.Period, in.Description = strings.TrimSpace(in.Period), strings.TrimSpace(in.Description)
	f := errs.Fields{}
	if p, err := ParsePeriod(in.Period); in.Period == "" {
		f.Add("period", "field.claim_period.required")
	} else if err != nil {
		f.Add("period", "field.claim_period.invalid")
	} else if !a.Covers(in.Period) {
		f.Add("period", "field.claim_period.outside")
	} else if p.After(monthOf(s.now())) {
		f.Add("period", "field.claim_period.future")
	}
	if k := checkText("claim_description", in.Description, true, MaxDescriptionLen); k != "" {
		f.Add("description", k)
	}
	if k := checkAmount("claim_amount", in.AmountCents); k != "" {
		f.Add("amount", k)
	}
	if err := f.Err(op); err != nil {
		return Claim{}, err
	}
	hash := requestHash(op, a.ID, in.Period, in.Description, strconv.FormatInt(int64(in.AmountCents), 10))
	var out Claim
	rid, replay, err := s.once(ctx, op, actor, key, hash, "", func(ctx context.Context) (string, error) {
		a, err := s.store.FindAgreement(ctx, in.AgreementID)
		if err != nil {
			return "", err
		}
		if a.Status != AgreementActive {
			return "", errs.E(op, errs.Conflict, errs.Key("error.budget.agreement_not_active"))
		}
		accounts, err := s.store.AccountBalances(ctx, a.BudgetID)
		if err != nil {
			return "", err
		}
		if in.AmountCents > accounts[reservedAccount(a.BudgetID, a.ID)] {
			return "", errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"amount": "field.claim_amount.above_reserved"})
		}
		now := s.now()
		out = Claim{ID: id.New(), AgreementID: a.ID, BudgetID: a.BudgetID, ProviderOrgID: a.ProviderOrgID,
			ResidentID: a.ResidentID, Period: in.Period, Description: in.Description, AmountCents: in.AmountCents,
			Status: ClaimSubmitted, SubmittedByID: actor.ID, SubmittedAt: now, Version: 1}
		return out.ID, s.store.CreateClaim(ctx, out)
	})
	if err != nil {
		return Claim{}, err
	}
	if replay {
		return s.findClaim(ctx, op, rid)
	}
	s.notifyResident(ctx, out.ResidentID, "/budget/afspraken/"+out.AgreementID, MailResidentTemplate)
	return out, nil
}

func (s *Service) findClaim(ctx context.Context, op, claimID string) (Claim, error) {
	c, err := s.store.FindClaim(ctx, claimID)
	if errs.Is(err, errs.NotFound) {
		return Claim{}, errs.E(op, errs.NotFound, errNotFound)
	} else if err != nil {
		return Claim{}, errs.E(op, err)
	}
	return c, nil
}

// ApproveClaim approves a submitted or disputed claim for the resident (or
// their delegate under a mandate covering Category): in one transaction,
// with the budget locked, the amount moves from the agreement's
// reservation to payable (claim_approval) and on to the provider
// (payment instruction). Conflict (error.budget.insufficient) when less
// is reserved than the claim asks — nothing is ever paid beyond the
// budget; Conflict (error.budget.claim_decided) when it was approved
// already. With the same key, a retry returns the approved claim and pays
// nothing again.
func (s *Service) ApproveClaim(ctx context.Context, actor *identity.Person, actingFor, claimID, key string) (Claim, error) {
	const op = "budget.ApproveClaim"
	if actor == nil || actor.ID == "" {
		return Claim{}, unauthorized(op)
	}
	residentID, budgetID, err := s.store.FindClaimOwner(ctx, claimID)
	if errs.Is(err, errs.NotFound) {
		return Claim{}, errs.E(op, errs.NotFound, errNotFound)
	} else if err != nil {
		return Claim{}, errs.E(op, err)
	}
	if err := s.asResident(ctx, op, actor, actingFor, residentID, claimID); err != nil {
		return Claim{}, err
	}
	var out Claim
	rid, replay, err := s.once(ctx, op, actor, key, requestHash(op, claimID), claimID, func(ctx context.Context) (string, error) {
		if err := s.store.LockBudgetID(ctx, budgetID); err != nil {
			return "", err
		}
		// The decision is stored only from a status that allows it, and
		// undone with the rest when the money is not there.
		m := s.newMovement(budgetID, actor.ID)
		now := s.now()
		c, err := s.store.DecideClaim(ctx, Claim{ID: claimID, Status: ClaimApproved, DecidedByID: actor.ID, DecidedAt: &now,
			TxID: m.txID}, ClaimSubmitted, ClaimDisputed)
		if err != nil {
			return "", err
		}
		// What is reserved for the agreement must cover the claim: the
		// database checks it as it writes the entries (no account but
		// funding may go below zero) and refuses them all otherwise, with
		// error.budget.insufficient — the check and the write are one.
		reserved := reservedAccount(c.BudgetID, c.AgreementID)
		m.pair(EntryClaimApproval, reserved, payableAccount(c.BudgetID), c.AmountCents, c.AgreementID, c.ID)
		m.pair(EntryPayment, payableAccount(c.BudgetID), paidAccount(c.BudgetID, c.ProviderOrgID), c.AmountCents, c.AgreementID, c.ID)
		if err := s.post(ctx, m); err != nil {
			return "", err
		}
		out = c
		return c.ID, nil
	})
	if err != nil {
		return Claim{}, err
	}
	if replay {
		return s.findClaim(ctx, op, rid)
	}
	s.notifyProvider(ctx, out.ProviderOrgID, "/aanbieder/afspraken/"+out.AgreementID)
	return out, nil
}

// DisputeClaim disputes a submitted claim for the resident (or their
// delegate), with a reason; nothing moves. A disputed claim may still be
// approved once the resident and provider agree.
func (s *Service) DisputeClaim(ctx context.Context, actor *identity.Person, actingFor, claimID, reason, key string) (Claim, error) {
	const op = "budget.DisputeClaim"
	if actor == nil || actor.ID == "" {
		return Claim{}, unauthorized(op)
	}
	c, err := s.findClaim(ctx, op, claimID)
	if err != nil {
		return Claim{}, err
	}
	if err := s.asResident(ctx, op, actor, actingFor, c.ResidentID, c.ID); err != nil {
		return Claim{}, err
	}
	reason = strings.TrimSpace(reason)
	if k := checkText("claim_reason", reason, true, MaxReasonLen); k != "" {
		return Claim{}, errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"reason": k})
	}
	var out Claim
	rid, replay, err := s.once(ctx, op, actor, key, requestHash(op, c.ID, reason), c.ID, func(ctx context.Context) (string, error) {
		c, err := s.store.FindClaim(ctx, claimID)
		if err != nil {
			return "", err
		}
		if c.Status != ClaimSubmitted {
			return "", errs.E(op, errs.Conflict, errs.Key("error.budget.claim_decided"))
		}
		now := s.now()
		prev := c.Version
		c.Status, c.DisputeReason, c.DecidedByID, c.DecidedAt = ClaimDisputed, reason, actor.ID, &now
		if err := s.store.UpdateClaim(ctx, c, prev); err != nil {
			return "", err
		}
		c.Version = prev + 1
		out = c
		return c.ID, nil
	})
	if err != nil {
		return Claim{}, err
	}
	if replay {
		return s.findClaim(ctx, op, rid)
	}
	s.notifyProvider(ctx, out.ProviderOrgID, "/aanbieder/afspraken/"+out.AgreementID)
	return out, nil
}

// ReverseClaim corrects an approved claim (a consultant of the budget's
// municipality, with a reason): a reversal transaction undoes the
// approval and the payment instruction, so the amount is reserved for the
// agreement again; the claim becomes reversed and stays in the history. A
// transaction is reversed at most once (the database refuses a second).
func (s *Service) ReverseClaim(ctx context.Context, actor *identity.Person, claimID, reason, key string) (Claim, error) {
	const op = "budget.ReverseClaim"
	if actor == nil || actor.ID == "" {
		return Claim{}, unauthorized(op)
	}
	c, err := s.findClaim(ctx, op, claimID)
	if err != nil {
		return Claim{}, err
	}
	b, err := s.store.FindBudget(ctx, c.BudgetID)
	if err != nil {
		return Claim{}, errs.E(op, err)
	}
	if err := s.asMunicipality(ctx, op, actor, b, c.ID, audit.ActionUpdate); err != nil {
		return Claim{}, err
	}
	reason = strings.TrimSpace(reason)
	if k := checkText("claim_reason", reason, true, MaxReasonLen); k != "" {
		return Claim{}, errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"reason": k})
	}
	var out Claim
	rid, replay, err := s.once(ctx, op, actor, key, requestHash(op, c.ID, reason), c.ID, func(ctx context.Context) (string, error) {
		if err := s.store.LockBudgetID(ctx, c.BudgetID); err != nil {
			return "", err
		}
		c, err := s.store.FindClaim(ctx, claimID)
		if err != nil {
			return "", err
		}
		if c.Status != ClaimApproved {
			return "", errs.E(op, errs.Conflict, errs.Key("error.budget.claim_not_approved"))
		}
		entries, err := s.store.FindEntriesByTx(ctx, c.TxID)
		if err != nil {
			return "", err
		}
		m := s.reverse(c.BudgetID, actor.ID, c.TxID, entries)
		if err := s.post(ctx, m); err != nil {
			return "", err
		}
		prev := c.Version
		// Who approved it stays; who reversed it is on the reversal's entries.
		c.Status, c.ReversalTxID, c.ReversalReason = ClaimReversed, m.txID, reason
		if err := s.store.UpdateClaim(ctx, c, prev); err != nil {
			return "", err
		}
		c.Version = prev + 1
		out = c
		return c.ID, nil
	})
	if err != nil {
		return Claim{}, err
	}
	if replay {
		return s.findClaim(ctx, op, rid)
	}
	s.notifyResident(ctx, out.ResidentID, "/budget/afspraken/"+out.AgreementID, MailResidentTemplate)
	s.notifyProvider(ctx, out.ProviderOrgID, "/aanbieder/afspraken/"+out.AgreementID)
	return out, nil
}
