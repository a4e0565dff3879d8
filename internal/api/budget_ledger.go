package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
)

// ledgerEntryRoutes registers the read-only ledger of a budget.
func (s *server) ledgerEntryRoutes() {
	register(s, http.MethodGet, "/ledger-entries", bearer, ledgerEntryListDoc, s.handleLedgerEntryList)
}

// LedgerEntry is one immutable line of the double-entry ledger.
type LedgerEntry struct {
	ID            string    `json:"id" doc:"Het nummer van de boeking." example:"01hzx3k5m7q9s1v3x5z7b9d1fd"`
	TransactionID string    `json:"transactionId" doc:"De beweging waar de boeking bij hoort; de boekingen van één beweging tellen op tot 0." example:"01hzx3k5m7q9s1v3x5z7b9d1fe"`
	Sequence      int64     `json:"sequence" doc:"De volgorde van schrijven." example:"42"`
	Account       string    `json:"account" doc:"De rekening, bijvoorbeeld budget:<id>:available of provider:<organisatie>." example:"budget:01hzx3k5m7q9s1v3x5z7b9d1f3:available"`
	BudgetID      string    `json:"budgetId" doc:"Het budget." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	AgreementID   string    `json:"agreementId" doc:"De zorgafspraak; leeg als het daar niet over gaat." example:"01hzx3k5m7q9s1v3x5z7b9d1fa"`
	ClaimID       string    `json:"claimId" doc:"De declaratie; leeg als het daar niet over gaat." example:""`
	AmountCents   int64     `json:"amountCents" doc:"Het bedrag in eurocent, met teken." example:"-28000"`
	Kind          string    `json:"kind" enum:"grant,reservation,release,claim_approval,payment,reversal" doc:"Soort beweging: toekenning, vastleggen, vrijgeven, goedkeuring van een declaratie, betaling of tegenboeking." example:"reservation"`
	ReversalOf    string    `json:"reversalOf" doc:"Bij een tegenboeking: de beweging die wordt teruggedraaid; anders leeg." example:""`
	CreatedAt     time.Time `json:"createdAt" doc:"Wanneer geboekt (UTC)." example:"2026-11-02T10:00:00Z"`
}

func ledgerEntryOf(e budget.Entry) LedgerEntry {
	return LedgerEntry{
		ID: e.ID, TransactionID: e.TxID, Sequence: e.Seq, Account: e.Account, BudgetID: e.BudgetID, AgreementID: e.AgreementID,
		ClaimID: e.ClaimID, AmountCents: int64(e.AmountCents), Kind: string(e.Kind), ReversalOf: e.ReversalOf, CreatedAt: e.CreatedAt.UTC(),
	}
}

// LedgerEntryList is a budget's ledger.
type LedgerEntryList struct {
	LedgerEntries []LedgerEntry `json:"ledgerEntries" nullable:"false" doc:"De boekingen, in de volgorde van schrijven."`
}

type ledgerEntryListInput struct {
	BudgetID string `query:"budgetId" required:"true" maxLength:"64" doc:"Het budget." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
}

type ledgerEntryListOutput struct{ Body LedgerEntryList }

var ledgerEntryListDoc = huma.Operation{
	OperationID: "listLedgerEntries",
	Summary:     "Boekingen van een budget bekijken",
	Description: "Geeft alle boekingen van een budget. Boekingen veranderen nooit: een correctie is een tegenboeking. Voor de inwoner en de consulent van de gemeente; voor ieder ander geeft dit 404.",
	Tags:        []string{"Budget"},
	Errors:      []int{http.StatusBadRequest, http.StatusNotFound},
}

func (s *server) handleLedgerEntryList(ctx context.Context, in *ledgerEntryListInput) (*ledgerEntryListOutput, error) {
	const op = "api.handleLedgerEntryList"
	p, err := s.budgetStart(ctx, op)
	if err != nil {
		return nil, err
	}
	list, err := s.budget.Entries(ctx, p, "", in.BudgetID)
	if err != nil {
		return nil, err
	}
	out := &ledgerEntryListOutput{Body: LedgerEntryList{LedgerEntries: []LedgerEntry{}}}
	for _, e := range list {
		out.Body.LedgerEntries = append(out.Body.LedgerEntries, ledgerEntryOf(e))
	}
	return out, nil
}
