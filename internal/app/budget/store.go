package budget

import (
	"context"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Idempotency is the record of a money-moving call made with a key.
type Idempotency struct {
	ActorID     string
	Key         string
	Operation   string
	RequestHash string
	ResultID    string // the decision, agreement or claim the call returned
}

// AccountSum is an account's balance as kept and as recomputed from its
// entries, for Reconcile.
type AccountSum struct {
	Account  string
	BudgetID string
	Kept     Cents // the running balance
	Entries  Cents // the sum of the entries
	HasKept  bool  // a running balance row exists
}

// LedgerTotals counts what Reconcile checked.
type LedgerTotals struct {
	Entries      int
	Transactions int
}

// Store is the storage the budget service needs.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	FindPersonByID(ctx context.Context, id string) (identity.Person, error)
	// FindProviderAdmins lists the persons holding provider_admin in an
	// organisation, to tell them of news.
	FindProviderAdmins(ctx context.Context, orgID string) ([]identity.Person, error)

	// ClaimIdempotencyKey records (actor, key) for a call, or returns the
	// record already there (found true). Inside a transaction, a second
	// caller with the same key waits for the first to finish.
	ClaimIdempotencyKey(ctx context.Context, rec Idempotency, now int64) (Idempotency, bool, error)
	// SetIdempotencyResult stores the result of the call made with a key.
	SetIdempotencyResult(ctx context.Context, actorID, key, resultID string) error

	CreateBudget(ctx context.Context, b Budget) error
	// UpdateBudget stores b's status, period, eligibility and updated at
	// as Version prev+1; Conflict when the stored version is not prev.
	UpdateBudget(ctx context.Context, b Budget, prev int64) error
	FindBudget(ctx context.Context, id string) (Budget, error)
	// LockBudget reads a budget and locks it until the transaction ends
	// (PostgreSQL FOR UPDATE; SQLite's writer is single already): every
	// movement of its money locks it first.
	LockBudget(ctx context.Context, id string) (Budget, error)
	// LockBudgetID is LockBudget without reading the budget.
	LockBudgetID(ctx context.Context, id string) error
	FindBudgetsByResident(ctx context.Context, residentID string) ([]Budget, error)
	FindBudgetsByMunicipalities(ctx context.Context, municipalityIDs []string) ([]Budget, error)

	CreateDecision(ctx context.Context, d Decision) error
	FindDecision(ctx context.Context, id string) (Decision, error)
	FindDecisions(ctx context.Context, budgetID string) ([]Decision, error)

	CreateAgreement(ctx context.Context, a Agreement) error
	// UpdateAgreement stores a's budget, status, reason, acceptance,
	// decision and end as Version prev+1; Conflict when changed meanwhile.
	UpdateAgreement(ctx context.Context, a Agreement, prev int64) error
	FindAgreement(ctx context.Context, id string) (Agreement, error)
	FindAgreementsByResident(ctx context.Context, residentID string) ([]Agreement, error)
	FindAgreementsByProvider(ctx context.Context, orgID string) ([]Agreement, error)
	FindAgreementsByBudget(ctx context.Context, budgetID string) ([]Agreement, error)
	FindAgreementsAwaiting(ctx context.Context, municipalityIDs []string) ([]Agreement, error)

	// CreateClaim stores a new claim; Conflict when the agreement has one
	// for the period.
	CreateClaim(ctx context.Context, c Claim) error
	UpdateClaim(ctx context.Context, c Claim, prev int64) error
	// DecideClaim stores c's status, decision and transactions (and its
	// dispute reason when not "") as the next version when the stored
	// status is one of from, and returns the claim as stored; Conflict
	// (error.budget.claim_decided) otherwise.
	DecideClaim(ctx context.Context, c Claim, from ...ClaimStatus) (Claim, error)
	// FindClaimOwner returns the resident and budget of a claim: all an
	// access check needs.
	FindClaimOwner(ctx context.Context, id string) (residentID, budgetID string, err error)
	FindClaim(ctx context.Context, id string) (Claim, error)
	FindClaimsByAgreement(ctx context.Context, agreementID string) ([]Claim, error)
	FindClaimsByBudget(ctx context.Context, budgetID string) ([]Claim, error)
	FindClaimsByProvider(ctx context.Context, orgID string) ([]Claim, error)

	// AppendEntries adds entries and adds their amounts to their
	// accounts' running balances. It never changes an entry. When an
	// account other than funding would go below zero, it writes nothing
	// and returns Conflict (error.budget.insufficient): the database's own
	// check, atomic with the write.
	AppendEntries(ctx context.Context, list []Entry) error
	// AccountBalances returns the running balances of a budget's accounts.
	AccountBalances(ctx context.Context, budgetID string) (map[string]Cents, error)
	// SumsByAgreement sums a budget's entries per agreement and account.
	// (agreement id → account → sum).
	SumsByAgreement(ctx context.Context, budgetID string) (map[string]map[string]Cents, error)
	FindEntriesByBudget(ctx context.Context, budgetID string) ([]Entry, error)
	FindEntriesByTx(ctx context.Context, txID string) ([]Entry, error)
	// FindPaymentsToProvider lists the entries on the paid accounts of an
	// organisation (payments and their reversals), in the order written.
	FindPaymentsToProvider(ctx context.Context, orgID string) ([]Entry, error)

	// ReconcileAccounts recomputes every account from its entries, beside
	// its running balance.
	ReconcileAccounts(ctx context.Context) ([]AccountSum, error)
	// UnbalancedTransactions lists the transactions whose entries do not
	// sum to zero, with their sums.
	UnbalancedTransactions(ctx context.Context) (map[string]Cents, error)
	CountLedger(ctx context.Context) (LedgerTotals, error)

	FindSettings(ctx context.Context, municipalityID string) (Settings, error)
	SaveSettings(ctx context.Context, s Settings) error
}
