// Package request is the aanvraag: a resident asks a provider for a
// published offering with a short message; the provider accepts it,
// proposes another time or declines it with a reason; the resident
// accepts a proposed time or cancels; on completion the provider marks it
// delivered. Reviews (package review) and the budget (a later issue) use
// Delivered to check that a request was really delivered.
//
// Who may see and do what:
//   - The resident, and a delegate acting for them under a live mandate
//     whose scope covers Category ("request"), see all the resident's
//     requests, make new ones, cancel them and accept a proposed time.
//     A delegate's reads and changes are logged by consent.Check (basis
//     mandate); the resident's own are not (the access log is their view
//     of who else looked).
//   - Only a resident (a person holding the citizen role) can be the one a
//     request is for, and only for a published offering; a person who
//     holds any role in the offering's provider organisation cannot
//     request that organisation's offerings (for themselves, or for a
//     resident they act for), but may request other providers' offerings.
//   - Sending a request shares it with the provider organisation: the
//     service makes a consent grant (category "request", permission read,
//     purpose care_delivery, the municipality's default period) from the
//     resident to the organisation, or reuses a live one with at least
//     ReuseGrantDays left. The provider side — a person holding
//     provider_admin or professional in the request's provider
//     organisation — reads every request through consent.Check, so each
//     read lands in the resident's access log (/wie-keek-mee), with the
//     grant as basis. The provider's answers (accept, propose, decline,
//     deliver) are logged as reads of the request they act on; what they
//     changed is kept in the request's timeline, with who did it. When the
//     resident revokes the grant, or it expires, the provider no longer
//     sees the request.
//   - Anyone else — another resident, a professional of another
//     organisation (even one the resident also shared requests with), a
//     municipality or platform admin — gets NotFound, as for a request
//     that does not exist. A person without a role in the provider
//     organisation gets NotFound before any check (they touched nothing,
//     so nothing is logged); a person with such a role whose grant is gone
//     is refused by consent.Check, which logs the denial.
//   - Delivered answers other services without an actor and without a log
//     entry: the caller decides its own policy (a review is allowed only
//     for the resident of a delivered request). It leaves the message and
//     reason out.
//
// Invariants:
//   - The state machine (Status.Next): sent → accepted | time_proposed |
//     declined | cancelled; time_proposed → accepted (the resident accepts
//     the time) | declined | cancelled; accepted → delivered | cancelled.
//     Delivered, declined and cancelled are final. Any other step is a
//     Conflict (error.request.transition).
//   - Every change names the Request.Version its author saw and fails with
//     Conflict (error.request.changed) when someone changed it meanwhile;
//     each change adds one Event to the timeline in the same transaction.
//   - The message and the decline reason are the resident's personal data
//     and are stored only sealed with the resident's data key (vault),
//     bound to table, column and row: erasing the key erases them.
//   - Mail to the other side says only that something changed and where to
//     log in; it never names the offering, the resident or the message.
//   - The resident's data export (rights.Export, through Export) holds
//     their requests with the message, the reason and the timeline; the
//     erasure of their account (rights.Erase, through Erase) deletes the
//     rows and their timelines after their key was destroyed.
package request
