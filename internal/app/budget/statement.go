package budget

import (
	"context"
	"strconv"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// StatementHeader names the columns of a statement (machine names; a page
// may show translated labels above them, the "budget.statement.<name>"
// keys). Amounts are euros with a decimal point and two decimals.
var StatementHeader = []string{"date", "transaction", "kind", "agreement", "claim",
	"granted", "available", "reserved", "spent", "available_after"}

// Statement returns a budget's statement for a CSV export: the header,
// then one row per ledger transaction, in the order written, with what it
// changed in granted, available, reserved and spent, and what was
// available after it. Who may see it is as for Budget.
func (s *Service) Statement(ctx context.Context, actor *identity.Person, actingFor, budgetID string) ([][]string, error) {
	const op = "budget.Statement"
	b, err := s.visibleBudget(ctx, op, actor, actingFor, budgetID)
	if err != nil {
		return nil, err
	}
	entries, err := s.store.FindEntriesByBudget(ctx, b.ID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	rows := [][]string{StatementHeader}
	var left Cents
	for i := 0; i < len(entries); {
		j := i
		var granted, available, reserved, spent Cents
		row := entries[i]
		for ; j < len(entries) && entries[j].TxID == row.TxID; j++ {
			e := entries[j]
			switch kindOfAccount(b.ID, e.Account) {
			case "funding":
				granted -= e.AmountCents
			case "available":
				available += e.AmountCents
			case "reserved":
				reserved += e.AmountCents
			case "payable", "paid":
				spent += e.AmountCents
			}
			if row.AgreementID == "" {
				row.AgreementID = e.AgreementID
			}
			if row.ClaimID == "" {
				row.ClaimID = e.ClaimID
			}
		}
		left += available
		rows = append(rows, []string{row.CreatedAt.Format("2006-01-02"), row.TxID, string(row.Kind), row.AgreementID,
			row.ClaimID, decimal(granted), decimal(available), decimal(reserved), decimal(spent), decimal(left)})
		i = j
	}
	return rows, nil
}

// decimal writes cents as euros with a decimal point: "-12.50".
func decimal(c Cents) string {
	sign := ""
	v := int64(c)
	if v < 0 {
		sign, v = "-", -v
	}
	cents := strconv.FormatInt(v%100, 10)
	if len(cents) == 1 {
		cents = "0" + cents
	}
	return sign + strconv.FormatInt(v/100, 10) + "." + cents
}
