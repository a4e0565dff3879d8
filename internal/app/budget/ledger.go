package budget

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/core/id"
)

// movement is one ledger transaction being built: entries that sum to
// zero, all about one budget.
type movement struct {
	txID     string
	budgetID string
	byID     string
	entries  []Entry
}

func (s *Service) newMovement(budgetID, byID string) *movement {
	return &movement{txID: id.New(), budgetID: budgetID, byID: byID}
}

// pair adds the two entries that move amount from one account to another.
func (m *movement) pair(kind EntryKind, from, to string, amount Cents, agreementID, claimID string) {
	m.add(kind, from, -amount, agreementID, claimID, "")
	m.add(kind, to, amount, agreementID, claimID, "")
}

func (m *movement) add(kind EntryKind, account string, amount Cents, agreementID, claimID, reversalOf string) {
	m.entries = append(m.entries, Entry{TxID: m.txID, Account: account, BudgetID: m.budgetID,
		AgreementID: agreementID, ClaimID: claimID, AmountCents: amount, Kind: kind, ReversalOf: reversalOf, CreatedByID: m.byID})
}

// errInjected is the failure the tests inject between the entries of a
// movement.
var errInjected = errors.New("budget: injected failure")

// post writes a movement's entries in the caller's transaction. A
// movement that does not sum to zero is a defect and is refused before
// anything is written. Entries are written in the order added, the
// taking one of each pair first, so no balance dips below zero on the
// way.
func (s *Service) post(ctx context.Context, m *movement) error {
	var sum Cents
	now := s.now()
	for i := range m.entries {
		sum += m.entries[i].AmountCents
		m.entries[i].ID = id.New()
		m.entries[i].CreatedAt = now
	}
	if sum != 0 || len(m.entries) < 2 {
		return fmt.Errorf("budget: movement %s of %d entries sums to %d", m.txID, len(m.entries), sum)
	}
	if n := s.failAfterEntries; n > 0 && n < len(m.entries) {
		// The first part really reaches the database, in the transaction
		// that the failure then rolls back.
		if err := s.store.AppendEntries(ctx, m.entries[:n]); err != nil {
			return err
		}
		return errInjected
	}
	return s.store.AppendEntries(ctx, m.entries)
}

// reverse builds the movement that undoes the transaction of entries:
// per account the opposite of its net amount (accounts that net to zero
// are left out).
func (s *Service) reverse(budgetID, byID, txID string, entries []Entry) *movement {
	m := s.newMovement(budgetID, byID)
	net := map[string]Cents{}
	var order []string
	meta := map[string]Entry{}
	for _, e := range entries {
		if _, ok := net[e.Account]; !ok {
			order = append(order, e.Account)
			meta[e.Account] = e
		}
		net[e.Account] += e.AmountCents
	}
	for _, a := range order {
		if net[a] != 0 {
			e := meta[a]
			m.add(EntryReversal, a, -net[a], e.AgreementID, e.ClaimID, txID)
		}
	}
	return m
}

// kindOfAccount names the kind of one of a budget's accounts: funding,
// available, reserved, payable or paid ("" for another budget's).
func kindOfAccount(budgetID, account string) string {
	rest, ok := strings.CutPrefix(account, "budget:"+budgetID+":")
	if !ok {
		return ""
	}
	kind, _, _ := strings.Cut(rest, ":")
	return kind
}

// balanceOf derives a budget's balance from its accounts' balances.
func balanceOf(budgetID string, accounts map[string]Cents) Balance {
	var b Balance
	for name, v := range accounts {
		switch kindOfAccount(budgetID, name) {
		case "funding":
			b.Granted = -v
		case "available":
			b.Available = v
		case "reserved":
			b.Reserved += v
		case "payable":
			b.Spent += v
		case "paid":
			b.Paid += v
			b.Spent += v
		}
	}
	return b
}

// balance reads a budget's balance; inside a movement's transaction,
// after LockBudget, it is the balance the movement may rely on.
func (s *Service) balance(ctx context.Context, budgetID string) (Balance, map[string]Cents, error) {
	accounts, err := s.store.AccountBalances(ctx, budgetID)
	if err != nil {
		return Balance{}, nil, err
	}
	return balanceOf(budgetID, accounts), accounts, nil
}
