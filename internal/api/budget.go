package api

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// The Eigen budget over the API follows the budget service: a resident
// sees their budgets, accepts agreements and approves or disputes claims;
// a consultant grants, changes and withdraws budgets of their
// municipality's residents and approves agreements; a provider proposes
// agreements and submits claims. The API acts for the token's person only.
// Steps that are not CRUD are sub-resources (POST /claims/{id}/approve),
// a change of a budget is a new decision (POST /budgets/{id}/decisions).
//
// Every call that moves money needs an Idempotency-Key header: the same
// key with the same request answers the first result again and moves
// nothing twice; the same key with another request is 409.

// budgetRoutes registers the operations on budgets, agreements, claims
// and ledger entries.
func (s *server) budgetRoutes() {
	s.api.OpenAPI().Tags = append(s.api.OpenAPI().Tags,
		&huma.Tag{Name: "Budget", Description: "Het eigen budget (pgb) van een inwoner: besluiten van de gemeente, zorgafspraken, declaraties en de boekingen."},
	)
	register(s, http.MethodGet, "/budgets", bearer, budgetListDoc, s.handleBudgetList)
	register(s, http.MethodPost, "/budgets", bearer, budgetGrantDoc, s.handleBudgetGrant)
	register(s, http.MethodGet, "/budgets/{id}", bearer, budgetShowDoc, s.handleBudgetShow)
	register(s, http.MethodGet, "/budgets/{id}/decisions", bearer, decisionListDoc, s.handleDecisionList)
	register(s, http.MethodPost, "/budgets/{id}/decisions", bearer, decisionCreateDoc, s.handleDecisionCreate)
	s.agreementRoutes()   // budget_agreement.go
	s.claimRoutes()       // budget_claim.go
	s.ledgerEntryRoutes() // budget_ledger.go
	s.requireIdempotencyKeys()
}

// idempotencyHeader is the header that carries an idempotency key.
const idempotencyHeader = "Idempotency-Key"

// IdempotencyKey is the Idempotency-Key header of a money-moving call. huma
// reads it as optional, so that a missing key gets this API's own clear
// message; the document marks it required (requireIdempotencyKeys).
type IdempotencyKey struct {
	Key string `header:"Idempotency-Key" maxLength:"200" doc:"Verplicht. Een sleutel die je zelf kiest, uniek per handeling (bijvoorbeeld een UUID). Stuur je dezelfde aanvraag opnieuw met dezelfde sleutel, dan krijg je hetzelfde antwoord en gebeurt er niets twee keer. Dezelfde sleutel met een andere aanvraag geeft 409." example:"5f0c2a7e-8d1b-4c3e-9a6f-2b7d9e1c4a80"`
}

// key returns the idempotency key, or a 400 that says it is missing.
func (k IdempotencyKey) key(op string) (string, error) {
	v := strings.TrimSpace(k.Key)
	if v == "" {
		return "", errs.E(op, errs.Invalid, errs.Key("error.budget.key_required"),
			errs.Fields{idempotencyHeader: "field.idempotency_key.required"})
	}
	return v, nil
}

// requireIdempotencyKeys marks the Idempotency-Key header required in the
// document for every operation that reads it.
func (s *server) requireIdempotencyKeys() {
	for _, item := range s.api.OpenAPI().Paths {
		for _, op := range []*huma.Operation{item.Post, item.Put, item.Patch, item.Delete} {
			if op == nil {
				continue
			}
			for _, p := range op.Parameters {
				if p.In == "header" && p.Name == idempotencyHeader {
					p.Required = true
				}
			}
		}
	}
}

// budgetFields renames the budget service's field names to the API's,
// keeping the error's kind and message.
func budgetFields(err error) error {
	f := errs.FieldsOf(err)
	if len(f) == 0 {
		return err
	}
	out := errs.Fields{}
	for k, v := range f {
		if n, ok := budgetFieldNames[k]; ok {
			k = n
		} else {
			parts := strings.Split(k, "_")
			for i := 1; i < len(parts); i++ {
				if parts[i] != "" {
					parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
				}
			}
			k = strings.Join(parts, "")
		}
		out[k] = v
	}
	key := errs.KeyOf(err)
	if key == "" {
		key = "error.invalid"
	}
	return errs.E("api.budgetFields", errs.KindOf(err), errs.Key(key), out)
}

// budgetFieldNames maps the service's field names to the API's where
// they differ by more than camel case.
var budgetFieldNames = map[string]string{
	"amount": "amountCents", "unit_price": "unitPriceCents", "resident": "residentId", "budget": "budgetId",
	"offerings": "offeringIds", "idempotency_key": idempotencyHeader,
}

// budgetStart checks the token and that the service is there.
func (s *server) budgetStart(ctx context.Context, op string) (*identity.Person, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if s.budget == nil {
		return nil, unavailable(op)
	}
	return &a.Person, nil
}

// moneyStep runs one money-moving call as the token's person, with the
// request's idempotency key, and maps the service's field errors.
func moneyStep[T any](ctx context.Context, s *server, op string, k IdempotencyKey, fn func(p *identity.Person, key string) (T, error)) (T, error) {
	var zero T
	p, err := s.budgetStart(ctx, op)
	if err != nil {
		return zero, err
	}
	key, err := k.key(op)
	if err != nil {
		return zero, err
	}
	v, err := fn(p, key)
	if err != nil {
		return zero, budgetFields(err)
	}
	return v, nil
}

// Balance is what a budget holds, derived from its ledger entries.
type Balance struct {
	GrantedCents   int64 `json:"grantedCents" doc:"Wat de besluiten samen toekenden, in eurocent." example:"125000"`
	AvailableCents int64 `json:"availableCents" doc:"Wat over is: niet vastgelegd en niet uitgegeven, in eurocent." example:"80000"`
	ReservedCents  int64 `json:"reservedCents" doc:"Wat vastligt voor zorgafspraken, in eurocent." example:"35000"`
	SpentCents     int64 `json:"spentCents" doc:"Wat goedgekeurde declaraties kostten, in eurocent." example:"10000"`
	PaidCents      int64 `json:"paidCents" doc:"Wat als betaling aan aanbieders is opgedragen, in eurocent." example:"10000"`
}

// BudgetMonth is one month of a budget's figures.
type BudgetMonth struct {
	Month          string `json:"month" doc:"De maand (jjjj-mm)." example:"2026-11"`
	GrantedCents   int64  `json:"grantedCents" doc:"Netto toegekend in de maand, in eurocent." example:"125000"`
	ReservedCents  int64  `json:"reservedCents" doc:"Netto vastgelegd in de maand, in eurocent." example:"35000"`
	SpentCents     int64  `json:"spentCents" doc:"Uitgegeven in de maand, in eurocent." example:"10000"`
	AvailableCents int64  `json:"availableCents" doc:"Over aan het eind van de maand, in eurocent." example:"80000"`
}

// Budget is a resident's personal budget.
type Budget struct {
	ID             string        `json:"id" doc:"Het nummer van het budget." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	ResidentID     string        `json:"residentId" doc:"De inwoner van wie het budget is." example:"01hzx3k5m7q9s1v3x5z7b9d1f6"`
	ResidentName   string        `json:"residentName" doc:"De naam van de inwoner; leeg als het account is verwijderd." example:"Anna de Vries"`
	MunicipalityID string        `json:"municipalityId" doc:"De gemeente die het budget toekende." example:"01hzx3k5m7q9s1v3x5z7b9d1f7"`
	PeriodStart    string        `json:"periodStart" format:"date" doc:"De eerste dag waarop het budget gebruikt kan worden." example:"2026-01-01"`
	PeriodEnd      string        `json:"periodEnd" format:"date" doc:"De laatste dag waarop het budget gebruikt kan worden." example:"2026-12-31"`
	Status         string        `json:"status" enum:"active,withdrawn" doc:"De stand: loopt of ingetrokken." example:"active"`
	CategoryIDs    []string      `json:"categoryIds" nullable:"false" doc:"De categorieën van de marktplaats waaraan het besteed mag worden; leeg met offeringIds leeg: al het aanbod dat uit een budget betaald kan worden."`
	OfferingIDs    []string      `json:"offeringIds" nullable:"false" doc:"Het aanbod waaraan het besteed mag worden."`
	Balance        Balance       `json:"balance" doc:"Wat het budget nu heeft."`
	Decision       Decision      `json:"decision" doc:"Het besluit dat nu geldt."`
	Months         []BudgetMonth `json:"months" nullable:"false" doc:"De cijfers per maand, de oudste eerst; alleen gevuld als je één budget opvraagt."`
	CreatedAt      time.Time     `json:"createdAt" doc:"Wanneer het budget is toegekend (UTC)." example:"2026-01-01T09:00:00Z"`
	UpdatedAt      time.Time     `json:"updatedAt" doc:"Wanneer het budget het laatst veranderde (UTC)." example:"2026-02-01T09:00:00Z"`
	Version        int64         `json:"version" doc:"De versie van het budget." example:"1"`
}

// Decision is a consultant's decision on a budget; never edited.
type Decision struct {
	ID          string    `json:"id" doc:"Het nummer van het besluit." example:"01hzx3k5m7q9s1v3x5z7b9d1f8"`
	BudgetID    string    `json:"budgetId" doc:"Het budget." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	Kind        string    `json:"kind" enum:"grant,change,withdrawal" doc:"Wat het besluit doet: toekennen, wijzigen of intrekken." example:"grant"`
	AmountCents int64     `json:"amountCents" doc:"Het toegekende bedrag na dit besluit, in eurocent (0 bij intrekken)." example:"125000"`
	DeltaCents  int64     `json:"deltaCents" doc:"Wat het besluit verschoof, in eurocent: positief is meer toegekend, negatief minder." example:"125000"`
	PeriodStart string    `json:"periodStart" format:"date" doc:"De eerste dag van de periode." example:"2026-01-01"`
	PeriodEnd   string    `json:"periodEnd" format:"date" doc:"De laatste dag van de periode." example:"2026-12-31"`
	CategoryIDs []string  `json:"categoryIds" nullable:"false" doc:"De categorieën waaraan het besteed mag worden."`
	OfferingIDs []string  `json:"offeringIds" nullable:"false" doc:"Het aanbod waaraan het besteed mag worden."`
	LegalBasis  string    `json:"legalBasis" doc:"De wet en de redenen, in woorden die de inwoner begrijpt." example:"Wmo 2015 art. 2.3.6. U krijgt een budget voor hulp bij het huishouden."`
	DecidedByID string    `json:"decidedById" doc:"De consulent die besliste." example:"01hzx3k5m7q9s1v3x5z7b9d1f9"`
	DecidedAt   time.Time `json:"decidedAt" doc:"Wanneer (UTC)." example:"2026-01-01T09:00:00Z"`
	Supersedes  string    `json:"supersedes" doc:"Het besluit dat dit besluit vervangt; leeg bij een toekenning." example:""`
}

func dateOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

func ids(in []string) []string {
	if in == nil {
		return []string{}
	}
	return slices.Clone(in)
}

func decisionOf(d budget.Decision) Decision {
	return Decision{
		ID: d.ID, BudgetID: d.BudgetID, Kind: string(d.Kind), AmountCents: int64(d.AmountCents), DeltaCents: int64(d.DeltaCents),
		PeriodStart: dateOf(d.PeriodStart), PeriodEnd: dateOf(d.PeriodEnd), CategoryIDs: ids(d.CategoryIDs), OfferingIDs: ids(d.OfferingIDs),
		LegalBasis: d.LegalBasis, DecidedByID: d.DecidedByID, DecidedAt: d.DecidedAt.UTC(), Supersedes: d.Supersedes,
	}
}

func budgetOf(v budget.View) Budget {
	b := v.Budget
	return Budget{
		ID: b.ID, ResidentID: b.ResidentID, ResidentName: b.ResidentName, MunicipalityID: b.MunicipalityID,
		PeriodStart: dateOf(b.PeriodStart), PeriodEnd: dateOf(b.PeriodEnd), Status: string(b.Status),
		CategoryIDs: ids(b.CategoryIDs), OfferingIDs: ids(b.OfferingIDs),
		Balance: Balance{GrantedCents: int64(v.Balance.Granted), AvailableCents: int64(v.Balance.Available), ReservedCents: int64(v.Balance.Reserved),
			SpentCents: int64(v.Balance.Spent), PaidCents: int64(v.Balance.Paid)},
		Decision: decisionOf(v.Decision), Months: []BudgetMonth{},
		CreatedAt: b.CreatedAt.UTC(), UpdatedAt: b.UpdatedAt.UTC(), Version: b.Version,
	}
}

// BudgetList is a list of budgets.
type BudgetList struct {
	Budgets []Budget `json:"budgets" nullable:"false" doc:"De budgetten, het nieuwste eerst."`
}

type budgetListInput struct {
	Role string `query:"role" enum:"resident,consultant" default:"resident" doc:"resident: je eigen budgetten; consultant: de budgetten van de inwoners van de gemeenten waar je consulent bent." example:"resident"`
}

type budgetListOutput struct{ Body BudgetList }

var budgetListDoc = huma.Operation{
	OperationID: "listBudgets",
	Summary:     "Budgetten bekijken",
	Description: "Geeft je eigen budgetten, of (met role=consultant) de budgetten van de inwoners van jouw gemeente. Elk budget dat een consulent zo ziet, komt in het toegangslogboek van de inwoner.",
	Tags:        []string{"Budget"},
	Errors:      []int{http.StatusBadRequest, http.StatusForbidden},
}

func (s *server) handleBudgetList(ctx context.Context, in *budgetListInput) (*budgetListOutput, error) {
	const op = "api.handleBudgetList"
	p, err := s.budgetStart(ctx, op)
	if err != nil {
		return nil, err
	}
	var list []budget.View
	if in.Role == "consultant" {
		if !p.Has(identity.RoleConsultant) {
			return nil, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
		}
		list, err = s.budget.BudgetsForConsultant(ctx, p)
	} else {
		list, err = s.budget.BudgetsOf(ctx, p, "", p.ID)
	}
	if err != nil {
		return nil, err
	}
	out := &budgetListOutput{Body: BudgetList{Budgets: []Budget{}}}
	for _, v := range list {
		out.Body.Budgets = append(out.Body.Budgets, budgetOf(v))
	}
	return out, nil
}

// BudgetGrant is a consultant's grant decision for a new budget.
type BudgetGrant struct {
	ResidentID  string   `json:"residentId" maxLength:"64" doc:"De inwoner; die woont in de gemeente waar je consulent bent." example:"01hzx3k5m7q9s1v3x5z7b9d1f6"`
	AmountCents int64    `json:"amountCents" minimum:"1" maximum:"1000000000" doc:"Het bedrag in eurocent (hele centen)." example:"125000"`
	PeriodStart string   `json:"periodStart" format:"date" doc:"De eerste dag." example:"2026-01-01"`
	PeriodEnd   string   `json:"periodEnd" format:"date" doc:"De laatste dag (die telt mee)." example:"2026-12-31"`
	CategoryIDs []string `json:"categoryIds,omitempty" maxItems:"100" doc:"De categorieën waaraan het besteed mag worden; leeg met offeringIds leeg: al het aanbod dat uit een budget betaald kan worden."`
	OfferingIDs []string `json:"offeringIds,omitempty" maxItems:"100" doc:"Het aanbod waaraan het besteed mag worden."`
	LegalBasis  string   `json:"legalBasis" maxLength:"4000" doc:"De wet en de redenen, in woorden die de inwoner begrijpt." example:"Wmo 2015 art. 2.3.6. U krijgt een budget voor hulp bij het huishouden."`
}

type budgetGrantInput struct {
	IdempotencyKey
	Body BudgetGrant
}

type budgetShowOutput struct{ Body Budget }

var budgetGrantDoc = huma.Operation{
	OperationID:   "createBudget",
	Summary:       "Budget toekennen",
	Description:   "Een consulent kent een inwoner van de eigen gemeente een budget toe. Het bedrag komt als boeking in het grootboek. De inwoner krijgt een e-mail zonder persoonsgegevens. Een inwoner buiten je gemeente geeft 404.",
	Tags:          []string{"Budget"},
	DefaultStatus: http.StatusCreated,
	Errors:        []int{http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType},
}

// parseDay reads a date of the API ("2026-01-31"); the error names the field.
func parseDay(field, v string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, errs.E("api.parseDay", errs.Invalid, errs.Key("error.invalid"), errs.Fields{field: "field.budget_date.invalid"})
	}
	return t, nil
}

func (s *server) handleBudgetGrant(ctx context.Context, in *budgetGrantInput) (*budgetShowOutput, error) {
	const op = "api.handleBudgetGrant"
	p, err := s.budgetStart(ctx, op)
	if err != nil {
		return nil, err
	}
	key, err := in.key(op)
	if err != nil {
		return nil, err
	}
	g := budget.NewGrant{ResidentID: in.Body.ResidentID, AmountCents: budget.Cents(in.Body.AmountCents),
		CategoryIDs: in.Body.CategoryIDs, OfferingIDs: in.Body.OfferingIDs, LegalBasis: in.Body.LegalBasis}
	if g.PeriodStart, err = parseDay("periodStart", in.Body.PeriodStart); err != nil {
		return nil, err
	}
	if g.PeriodEnd, err = parseDay("periodEnd", in.Body.PeriodEnd); err != nil {
		return nil, err
	}
	d, err := s.budget.Grant(ctx, p, g, key)
	if err != nil {
		return nil, budgetFields(err)
	}
	v, err := s.budget.Budget(ctx, p, "", d.BudgetID)
	if err != nil {
		return nil, err
	}
	return &budgetShowOutput{Body: budgetOf(v)}, nil
}

type budgetIDInput struct {
	ID string `path:"id" maxLength:"64" doc:"Het nummer van het budget." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
}

var budgetShowDoc = huma.Operation{
	OperationID: "getBudget",
	Summary:     "Een budget bekijken",
	Description: "Geeft een budget met wat het heeft en de cijfers per maand. Voor de inwoner en de consulent van de gemeente; wanneer de consulent kijkt, komt dat in het toegangslogboek van de inwoner. Voor ieder ander geeft dit 404.",
	Tags:        []string{"Budget"},
	Errors:      []int{http.StatusBadRequest, http.StatusNotFound},
}

func (s *server) handleBudgetShow(ctx context.Context, in *budgetIDInput) (*budgetShowOutput, error) {
	const op = "api.handleBudgetShow"
	p, err := s.budgetStart(ctx, op)
	if err != nil {
		return nil, err
	}
	v, err := s.budget.Budget(ctx, p, "", in.ID)
	if err != nil {
		return nil, err
	}
	months, err := s.budget.Months(ctx, p, "", in.ID)
	if err != nil {
		return nil, err
	}
	out := budgetOf(v)
	for _, m := range months {
		out.Months = append(out.Months, BudgetMonth{Month: m.Month, GrantedCents: int64(m.Granted), ReservedCents: int64(m.Reserved),
			SpentCents: int64(m.Spent), AvailableCents: int64(m.Available)})
	}
	return &budgetShowOutput{Body: out}, nil
}

// DecisionList is a budget's decisions.
type DecisionList struct {
	Decisions []Decision `json:"decisions" nullable:"false" doc:"De besluiten, het oudste eerst."`
}

type decisionListOutput struct{ Body DecisionList }

var decisionListDoc = huma.Operation{
	OperationID: "listBudgetDecisions",
	Summary:     "Besluiten over een budget bekijken",
	Description: "Geeft alle besluiten over een budget: de toekenning, wijzigingen en een intrekking. Een besluit verandert nooit; een wijziging is een nieuw besluit.",
	Tags:        []string{"Budget"},
	Errors:      []int{http.StatusBadRequest, http.StatusNotFound},
}

func (s *server) handleDecisionList(ctx context.Context, in *budgetIDInput) (*decisionListOutput, error) {
	const op = "api.handleDecisionList"
	p, err := s.budgetStart(ctx, op)
	if err != nil {
		return nil, err
	}
	list, err := s.budget.Decisions(ctx, p, "", in.ID)
	if err != nil {
		return nil, err
	}
	out := &decisionListOutput{Body: DecisionList{Decisions: []Decision{}}}
	for _, d := range list {
		out.Body.Decisions = append(out.Body.Decisions, decisionOf(d))
	}
	return out, nil
}

// DecisionInput is a new decision on a budget: a change or a withdrawal.
type DecisionInput struct {
	Kind        string   `json:"kind" enum:"change,withdrawal" doc:"change: een nieuw bedrag, einde of besteding; withdrawal: het budget stopt." example:"change"`
	AmountCents int64    `json:"amountCents,omitempty" minimum:"0" maximum:"1000000000" doc:"Bij change: het nieuwe bedrag in totaal, in eurocent." example:"150000"`
	PeriodEnd   string   `json:"periodEnd,omitempty" format:"date" doc:"Bij change: de nieuwe laatste dag." example:"2026-12-31"`
	CategoryIDs []string `json:"categoryIds,omitempty" maxItems:"100" doc:"Bij change: de categorieën waaraan het besteed mag worden."`
	OfferingIDs []string `json:"offeringIds,omitempty" maxItems:"100" doc:"Bij change: het aanbod waaraan het besteed mag worden."`
	LegalBasis  string   `json:"legalBasis" maxLength:"4000" doc:"De wet en de redenen, in woorden die de inwoner begrijpt." example:"Uw situatie is veranderd; u krijgt meer uren hulp."`
}

type decisionCreateInput struct {
	IdempotencyKey
	ID   string `path:"id" maxLength:"64" doc:"Het nummer van het budget." example:"01hzx3k5m7q9s1v3x5z7b9d1f3"`
	Body DecisionInput
}

type decisionOutput struct{ Body Decision }

var decisionCreateDoc = huma.Operation{
	OperationID:   "createBudgetDecision",
	Summary:       "Budget wijzigen of intrekken",
	Description:   "Een consulent legt een nieuw besluit vast: een wijziging (het verschil in bedrag wordt geboekt) of een intrekking (lopende zorgafspraken stoppen; wat niet is uitgegeven gaat terug). Minder toekennen dan vastligt en is uitgegeven kan niet (400).",
	Tags:          []string{"Budget"},
	DefaultStatus: http.StatusCreated,
	Errors:        []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType},
}

func (s *server) handleDecisionCreate(ctx context.Context, in *decisionCreateInput) (*decisionOutput, error) {
	const op = "api.handleDecisionCreate"
	p, err := s.budgetStart(ctx, op)
	if err != nil {
		return nil, err
	}
	key, err := in.key(op)
	if err != nil {
		return nil, err
	}
	var d budget.Decision
	if in.Body.Kind == "withdrawal" {
		d, err = s.budget.Withdraw(ctx, p, in.ID, in.Body.LegalBasis, key)
	} else {
		c := budget.GrantChange{AmountCents: budget.Cents(in.Body.AmountCents), CategoryIDs: in.Body.CategoryIDs,
			OfferingIDs: in.Body.OfferingIDs, LegalBasis: in.Body.LegalBasis}
		if c.PeriodEnd, err = parseDay("periodEnd", in.Body.PeriodEnd); err != nil {
			return nil, err
		}
		d, err = s.budget.ChangeGrant(ctx, p, in.ID, c, key)
	}
	if err != nil {
		return nil, budgetFields(err)
	}
	return &decisionOutput{Body: decisionOf(d)}, nil
}
