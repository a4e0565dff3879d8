package rights

import (
	"context"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Budgets is what the service needs of the budget service: the
// resident's own budgets, decisions, care agreements, claims and ledger
// entries, read as the resident (each read passes consent.Check there).
type Budgets interface {
	BudgetsOf(ctx context.Context, actor *identity.Person, actingFor, residentID string) ([]budget.View, error)
	Decisions(ctx context.Context, actor *identity.Person, actingFor, budgetID string) ([]budget.Decision, error)
	AgreementsOf(ctx context.Context, actor *identity.Person, actingFor string) ([]budget.Agreement, error)
	ClaimsForBudget(ctx context.Context, actor *identity.Person, actingFor, budgetID string) ([]budget.Claim, error)
	Entries(ctx context.Context, actor *identity.Person, actingFor, budgetID string) ([]budget.Entry, error)
}

// BudgetData is one of the resident's budgets (Eigen budget) with its
// decisions, claims and ledger entries. Amounts are in euro cents.
type BudgetData struct {
	ID             string            `json:"id" doc:"Het nummer van het budget."`
	MunicipalityID string            `json:"municipalityId" doc:"De gemeente die het budget gaf."`
	PeriodStart    time.Time         `json:"periodStart" doc:"Vanaf wanneer je het budget mag gebruiken."`
	PeriodEnd      time.Time         `json:"periodEnd" doc:"Tot en met wanneer je het budget mag gebruiken."`
	Status         string            `json:"status" doc:"Hoe het ervoor staat." example:"active"`
	CategoryIDs    []string          `json:"categoryIds" nullable:"false" doc:"Waaraan je het mag uitgeven (soorten aanbod); leeg met offeringIds leeg: elk aanbod dat uit een budget betaald mag worden."`
	OfferingIDs    []string          `json:"offeringIds" nullable:"false" doc:"Welk aanbod je ermee mag betalen."`
	GrantedCents   int64             `json:"grantedCents" doc:"Wat de gemeente in totaal gaf, in centen."`
	AvailableCents int64             `json:"availableCents" doc:"Wat er nog over is, in centen."`
	ReservedCents  int64             `json:"reservedCents" doc:"Wat apart staat voor zorgafspraken, in centen."`
	SpentCents     int64             `json:"spentCents" doc:"Wat is uitgegeven aan goedgekeurde declaraties, in centen."`
	PaidCents      int64             `json:"paidCents" doc:"Wat aan aanbieders is betaald, in centen."`
	Decisions      []DecisionData    `json:"decisions" nullable:"false" doc:"De besluiten van de gemeente over dit budget, de oudste eerst."`
	Claims         []ClaimData       `json:"claims" nullable:"false" doc:"De declaraties van aanbieders uit dit budget."`
	LedgerEntries  []BudgetEntryData `json:"ledgerEntries" nullable:"false" doc:"Elke boeking van dit budget, in volgorde."`
}

// DecisionData is a decision of the municipality on a budget.
type DecisionData struct {
	ID          string    `json:"id" doc:"Het nummer van het besluit."`
	Kind        string    `json:"kind" doc:"Toekenning, wijziging of intrekking." example:"grant"`
	AmountCents int64     `json:"amountCents" doc:"Het budget na dit besluit, in centen."`
	DeltaCents  int64     `json:"deltaCents" doc:"Wat het besluit veranderde, in centen."`
	PeriodStart time.Time `json:"periodStart" doc:"Begin van de periode."`
	PeriodEnd   time.Time `json:"periodEnd" doc:"Einde van de periode."`
	CategoryIDs []string  `json:"categoryIds" nullable:"false" doc:"Waaraan je het mag uitgeven."`
	OfferingIDs []string  `json:"offeringIds" nullable:"false" doc:"Welk aanbod je ermee mag betalen."`
	LegalBasis  string    `json:"legalBasis" doc:"De wet en de redenen."`
	DecidedByID string    `json:"decidedById" doc:"De consulent die besliste."`
	DecidedAt   time.Time `json:"decidedAt" doc:"Wanneer."`
	Supersedes  string    `json:"supersedes" doc:"Het besluit dat dit vervangt, of leeg."`
}

// AgreementData is a care agreement of the resident with a provider.
type AgreementData struct {
	ID             string     `json:"id" doc:"Het nummer van de zorgafspraak."`
	BudgetID       string     `json:"budgetId" doc:"Het budget waaruit je betaalt, of leeg als je nog niet koos."`
	RequestID      string     `json:"requestId" doc:"De aanvraag waar de afspraak uit kwam."`
	OfferingID     string     `json:"offeringId" doc:"Het aanbod."`
	OfferingTitle  string     `json:"offeringTitle" doc:"De naam van het aanbod."`
	ProviderID     string     `json:"providerId" doc:"De aanbieder."`
	ProviderName   string     `json:"providerName" doc:"De naam van de aanbieder."`
	What           string     `json:"what" doc:"Wat de aanbieder levert."`
	Frequency      string     `json:"frequency" doc:"Hoe vaak."`
	UnitPriceCents int64      `json:"unitPriceCents" doc:"De prijs per keer, in centen."`
	UnitsPerMonth  int        `json:"unitsPerMonth" doc:"Hoe vaak per maand."`
	From           time.Time  `json:"from" doc:"De eerste maand."`
	Until          time.Time  `json:"until" doc:"De laatste maand."`
	TotalCents     int64      `json:"totalCents" doc:"Het totaal dat apart werd gezet, in centen."`
	ReservedCents  int64      `json:"reservedCents" doc:"Wat er nog apart staat, in centen."`
	SpentCents     int64      `json:"spentCents" doc:"Wat al is uitgegeven, in centen."`
	Status         string     `json:"status" doc:"Hoe het ervoor staat." example:"active"`
	Reason         string     `json:"reason" doc:"Waarom de afspraak werd geweigerd, of leeg."`
	ProposedByID   string     `json:"proposedById" doc:"Wie van de aanbieder de afspraak voorstelde."`
	AcceptedByID   string     `json:"acceptedById" doc:"Wie de afspraak aannam: jij, of iemand die voor jou mocht handelen."`
	AcceptedAt     *time.Time `json:"acceptedAt" doc:"Wanneer de afspraak werd aangenomen."`
	DecidedByID    string     `json:"decidedById" doc:"De consulent die de afspraak goedkeurde of afwees, of leeg."`
	DecidedAt      *time.Time `json:"decidedAt" doc:"Wanneer de gemeente besliste."`
	EndedAt        *time.Time `json:"endedAt" doc:"Wanneer de afspraak stopte."`
	CreatedAt      time.Time  `json:"createdAt" doc:"Wanneer de aanbieder de afspraak voorstelde."`
}

// ClaimData is a provider's claim for one month under an agreement.
type ClaimData struct {
	ID             string     `json:"id" doc:"Het nummer van de declaratie."`
	AgreementID    string     `json:"agreementId" doc:"De zorgafspraak."`
	ProviderID     string     `json:"providerId" doc:"De aanbieder."`
	Period         string     `json:"period" doc:"De maand." example:"2026-11"`
	Description    string     `json:"description" doc:"Wat de aanbieder leverde."`
	AmountCents    int64      `json:"amountCents" doc:"Het bedrag, in centen."`
	Status         string     `json:"status" doc:"Hoe het ervoor staat." example:"approved"`
	DisputeReason  string     `json:"disputeReason" doc:"Waarom je het er niet mee eens was, of leeg."`
	SubmittedAt    time.Time  `json:"submittedAt" doc:"Wanneer de aanbieder declareerde."`
	DecidedByID    string     `json:"decidedById" doc:"Wie de declaratie goedkeurde of betwistte."`
	DecidedAt      *time.Time `json:"decidedAt" doc:"Wanneer."`
	ReversalReason string     `json:"reversalReason" doc:"Waarom de gemeente een goedkeuring terugdraaide, of leeg."`
}

// BudgetEntryData is one booking of a budget.
type BudgetEntryData struct {
	ID          string    `json:"id" doc:"Het nummer van de boeking."`
	TxID        string    `json:"transactionId" doc:"De boekingen van één transactie tellen op tot nul."`
	Seq         int64     `json:"sequence" doc:"De volgorde."`
	Account     string    `json:"account" doc:"De rekening binnen het budget."`
	AgreementID string    `json:"agreementId" doc:"De zorgafspraak, of leeg."`
	ClaimID     string    `json:"claimId" doc:"De declaratie, of leeg."`
	AmountCents int64     `json:"amountCents" doc:"Het bedrag met teken, in centen."`
	Kind        string    `json:"kind" doc:"Soort boeking." example:"reservation"`
	ReversalOf  string    `json:"reversalOf" doc:"De transactie die deze boeking terugdraait, of leeg."`
	CreatedByID string    `json:"createdById" doc:"Wie de boeking veroorzaakte."`
	CreatedAt   time.Time `json:"createdAt" doc:"Wanneer."`
}

// budgets adds the resident's budgets and care agreements to the bundle.
func (s *Service) budgets(ctx context.Context, p identity.Person, b *Bundle) error {
	if s.d.Budgets == nil {
		return nil
	}
	views, err := s.d.Budgets.BudgetsOf(ctx, &p, "", p.ID)
	if err != nil {
		return err
	}
	for _, v := range views {
		bd, err := s.budget(ctx, p, v)
		if err != nil {
			return err
		}
		b.Budgets = append(b.Budgets, bd)
	}
	agreements, err := s.d.Budgets.AgreementsOf(ctx, &p, "")
	if err != nil {
		return err
	}
	for _, a := range agreements {
		b.Agreements = append(b.Agreements, AgreementOf(a))
	}
	return nil
}

func (s *Service) budget(ctx context.Context, p identity.Person, v budget.View) (BudgetData, error) {
	bu, bal := v.Budget, v.Balance
	out := BudgetData{ID: bu.ID, MunicipalityID: bu.MunicipalityID, PeriodStart: bu.PeriodStart.UTC(), PeriodEnd: bu.PeriodEnd.UTC(),
		Status: string(bu.Status), CategoryIDs: append([]string{}, bu.CategoryIDs...), OfferingIDs: append([]string{}, bu.OfferingIDs...),
		GrantedCents: int64(bal.Granted), AvailableCents: int64(bal.Available), ReservedCents: int64(bal.Reserved),
		SpentCents: int64(bal.Spent), PaidCents: int64(bal.Paid),
		Decisions: []DecisionData{}, Claims: []ClaimData{}, LedgerEntries: []BudgetEntryData{}}
	decisions, err := s.d.Budgets.Decisions(ctx, &p, "", bu.ID)
	if err != nil {
		return BudgetData{}, err
	}
	for _, d := range decisions {
		out.Decisions = append(out.Decisions, DecisionData{ID: d.ID, Kind: string(d.Kind), AmountCents: int64(d.AmountCents), DeltaCents: int64(d.DeltaCents),
			PeriodStart: d.PeriodStart.UTC(), PeriodEnd: d.PeriodEnd.UTC(), CategoryIDs: append([]string{}, d.CategoryIDs...),
			OfferingIDs: append([]string{}, d.OfferingIDs...), LegalBasis: d.LegalBasis, DecidedByID: d.DecidedByID, DecidedAt: d.DecidedAt.UTC(), Supersedes: d.Supersedes})
	}
	claims, err := s.d.Budgets.ClaimsForBudget(ctx, &p, "", bu.ID)
	if err != nil {
		return BudgetData{}, err
	}
	for _, c := range claims {
		out.Claims = append(out.Claims, ClaimData{ID: c.ID, AgreementID: c.AgreementID, ProviderID: c.ProviderOrgID, Period: c.Period,
			Description: c.Description, AmountCents: int64(c.AmountCents), Status: string(c.Status), DisputeReason: c.DisputeReason,
			SubmittedAt: c.SubmittedAt.UTC(), DecidedByID: c.DecidedByID, DecidedAt: utcp(c.DecidedAt), ReversalReason: c.ReversalReason})
	}
	entries, err := s.d.Budgets.Entries(ctx, &p, "", bu.ID)
	if err != nil {
		return BudgetData{}, err
	}
	for _, e := range entries {
		out.LedgerEntries = append(out.LedgerEntries, BudgetEntryData{ID: e.ID, TxID: e.TxID, Seq: e.Seq, Account: e.Account, AgreementID: e.AgreementID,
			ClaimID: e.ClaimID, AmountCents: int64(e.AmountCents), Kind: string(e.Kind), ReversalOf: e.ReversalOf, CreatedByID: e.CreatedByID, CreatedAt: e.CreatedAt.UTC()})
	}
	return out, nil
}

// AgreementOf is the export of a care agreement.
func AgreementOf(a budget.Agreement) AgreementData {
	return AgreementData{ID: a.ID, BudgetID: a.BudgetID, RequestID: a.RequestID, OfferingID: a.OfferingID, OfferingTitle: a.OfferingTitle,
		ProviderID: a.ProviderOrgID, ProviderName: a.ProviderName, What: a.What, Frequency: a.Frequency, UnitPriceCents: int64(a.UnitPriceCents),
		UnitsPerMonth: a.UnitsPerMonth, From: a.From.UTC(), Until: a.Until.UTC(), TotalCents: int64(a.TotalCents), ReservedCents: int64(a.ReservedCents),
		SpentCents: int64(a.SpentCents), Status: string(a.Status), Reason: a.Reason, ProposedByID: a.ProposedByID, AcceptedByID: a.AcceptedByID,
		AcceptedAt: utcp(a.AcceptedAt), DecidedByID: a.DecidedByID, DecidedAt: utcp(a.DecidedAt), EndedAt: utcp(a.EndedAt), CreatedAt: a.CreatedAt.UTC()}
}

// budgetsOpen refuses erasure while money matters of the resident are
// under way: a care agreement proposed, waiting for the municipality or
// running, or a claim waiting for the resident's decision or disputed.
// Those need the resident (or their mandate holder) to act, and the
// provider to be paid or not; once they are settled, the financial
// records are kept without the account (see doc.go).
func (s *Service) budgetsOpen(ctx context.Context, op string, p identity.Person) error {
	if s.d.Budgets == nil {
		return nil
	}
	open := errs.E(op, errs.Conflict, errs.Key("rights.erase.budget_open"))
	agreements, err := s.d.Budgets.AgreementsOf(ctx, &p, "")
	if err != nil {
		return errs.E(op, err)
	}
	for _, a := range agreements {
		if !a.Status.Final() {
			return open
		}
	}
	views, err := s.d.Budgets.BudgetsOf(ctx, &p, "", p.ID)
	if err != nil {
		return errs.E(op, err)
	}
	for _, v := range views {
		claims, err := s.d.Budgets.ClaimsForBudget(ctx, &p, "", v.Budget.ID)
		if err != nil {
			return errs.E(op, err)
		}
		for _, c := range claims {
			if c.Status == budget.ClaimSubmitted || c.Status == budget.ClaimDisputed {
				return open
			}
		}
	}
	return nil
}
