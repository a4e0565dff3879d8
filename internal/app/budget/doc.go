// Package budget is the Eigen budget: a personal care budget that the
// municipality grants a resident and that the resident — or the person
// holding their mandate — spends on the marketplace, through care
// agreements with providers and claims the resident approves before
// anything is paid.
//
// The model:
//   - A Budget belongs to one resident of one municipality and runs over a
//     period. Its amount is never stored: it is what the grant decisions
//     moved in the ledger. A Decision is a consultant's grant, change or
//     withdrawal, with the amount in integer cents, the period, what it may
//     be spent on (categories or offerings of the marketplace; none: any
//     offering payable from a budget) and the legal basis in words.
//     Decisions are never edited: a change or a withdrawal is a new
//     decision that names the one it supersedes.
//   - An Agreement is made from a marketplace request (package request) of
//     the resident, paid from the budget: the provider proposes what they
//     will deliver, how often, at what price per unit, how many units per
//     month and from which month to which; the resident (or mandate
//     holder) accepts it, which reserves its total in the budget, or
//     refuses it. When the municipality's Settings require it for an
//     agreement above an amount, an accepted agreement waits for a
//     consultant of the municipality to approve it (refusal releases the
//     reservation). Ending an agreement releases what is left of it.
//   - A Claim is the provider's bill for one month ("2026-11") under an
//     active agreement: what was delivered and the amount. There is at
//     most one claim per agreement per month. The resident (or mandate
//     holder) approves it — which moves the amount from the agreement's
//     reservation to spent and instructs the payment to the provider —
//     or disputes it with a reason (a disputed claim may still be
//     approved later). A consultant may correct an approved claim by
//     reversing it (the claim becomes reversed; the money goes back to
//     the agreement's reservation).
//
// The ledger is double entry. Every movement is one transaction (TxID) of
// immutable entries whose amounts sum to zero, written in one database
// transaction together with the change it belongs to. A budget's accounts
// are "budget:<id>:funding" (minus what was granted), ":available",
// ":reserved:<agreement id>" (one per agreement), ":payable" and
// ":paid:<provider organisation id>" (the payment instructions to a
// provider). The movements:
//
//	grant          funding −x, available +x (a change: the difference; a withdrawal: back)
//	reservation    available −x, reserved +x (an agreement accepted)
//	release        reserved −x, available +x (an agreement refused or ended)
//	claim_approval reserved −x, payable +x
//	payment        payable −x, paid +x (in the same transaction as the approval)
//	reversal       the entries of an earlier transaction with the opposite sign
//
// Balances are derived from the entries. The database keeps a running
// balance per account, updated by a trigger as each entry is written (so
// in the same transaction, and by no code path that could forget it), for
// speed; Reconcile recomputes every account and transaction from the
// entries and reports any difference. No code path updates or deletes an entry, and the
// database refuses it (triggers); a correction is a reversal.
//
// Who may see and do what:
//   - The resident sees their budgets, decisions, agreements, claims and
//     entries, accepts or refuses agreements, approves or disputes claims.
//     A delegate acting for them under a live mandate whose scope covers
//     Category ("budget") may do the same; consent.Check logs each access.
//   - A consultant of the resident's home municipality makes the grant
//     decisions, approves or refuses agreements that need it and reverses
//     approved claims; they read the budgets of their municipality's
//     residents. This rests on the legal task LegalTask (Wmo 2015 art.
//     2.3.6, the persoonsgebonden budget), which the consent service must
//     have enabled; every access is logged with basis
//     legal_task:budget_decision.
//   - The provider (provider_admin or professional of the request's
//     organisation) proposes agreements on requests paid from a budget,
//     sees only its own agreements and their claims — never the budget —
//     and submits claims. That rests on the grant the resident made when
//     sending the request (category request), checked by consent.Check for
//     each read; when the grant is revoked or expires, the provider sees
//     nothing more.
//   - Settings (whether and above which amount the municipality approves
//     agreements) are set by a tenant admin of the municipality.
//   - Anyone else gets NotFound, as for something that does not exist; a
//     staff member's refused look is logged as denied by consent.Check.
//
// Invariants (each has a test):
//   - Nothing is spent beyond what is left: every movement locks its
//     budget (PostgreSQL SELECT … FOR UPDATE; SQLite's single writer with
//     BEGIN IMMEDIATE) and checks and writes in one transaction; available,
//     reserved and payable never go below zero.
//   - Every money-moving call carries an idempotency key: the same key
//     with the same request returns the first result and moves nothing
//     again; the same key with another request is a Conflict
//     (error.budget.key_reused).
//   - A movement is whole or absent: a failure between two entries rolls
//     the whole transaction back.
package budget
