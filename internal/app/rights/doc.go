// Package rights carries out the resident's rights under the AVG over
// everything the platform holds about them: the export (art. 15 and 20)
// and the erasure (art. 17). The web pages and the JSON API both call this
// service, so they export and erase alike.
//
// Who may:
//   - Only the resident themselves. A delegate acting for a resident
//     cannot export or erase that resident's account, whatever their
//     mandate covers: both are about the account as a whole, and erasure
//     needs the resident's own password. (A later issue may add an export
//     by a legal representative; it would be logged as action export.)
//   - The JSON API acts for the token's person only, never for someone
//     else, so API exports follow the same rule.
//
// Invariants:
//   - An export holds the person, their sessions and API tokens (metadata,
//     never secrets or hashes), every version of the story with its
//     comments, the consent grants given (with every version) and those
//     received, the mandates given and held, the whole access log about
//     them, and on the marketplace their requests (with their message,
//     the provider's decline reason and the timeline, opened with their
//     key) and their reviews in every state (with a moderator's refusal),
//     and of the Eigen budget every budget with its balance, the
//     municipality's decisions, the providers' claims and every ledger
//     entry, and every care agreement (proposed, running, refused or
//     ended; a proposal has no budget yet). The budget parts are read
//     through the budget service as the resident, so consent.Check logs
//     them like any own read. It never holds anything about another
//     resident beyond the ids and names the resident's own records carry.
//   - An export is noted as a security event in the operational log
//     without personal data (no id, name or address).
//   - Erasure happens only after the password is confirmed; a wrong
//     password changes nothing. It first destroys the resident's data key
//     (crypto-shredding: every sealed copy, backups included, becomes
//     unreadable), then in one transaction deletes the story rows, the
//     resident's reviews (Waarderen: their own words, so deleted rather
//     than kept anonymously), then their requests with their timelines
//     (the sealed message and reason were unreadable already; requests
//     they made as someone's delegate are that resident's and stay), the
//     grants and mandates either way, the sessions and tokens and the
//     person with roles, recovery codes and e-mail links, and records the
//     erasure in the access log (action delete, category "account").
//   - The Eigen budget's financial records are kept, not erased: a Wmo
//     budget is public money, and the municipality must keep its
//     decisions, the care agreements, the claims and the ledger for the
//     fiscal and archive retention periods (AVG art. 17(3)(b): a legal
//     obligation). So erasure is refused (Conflict,
//     rights.erase.budget_open, before anything changes, the key
//     included) while money matters need the resident: a care agreement
//     proposed, waiting for the municipality or running, or a claim
//     submitted or disputed. Once those are settled the account goes as
//     above, and the budget rows, decisions, agreements, claims and
//     entries stay under the resident's opaque id — pseudonymised, like
//     the access log: they never held a name. The marketplace request an
//     agreement was made from stays as a row too (the agreement refers to
//     it), without its timeline and with its message unreadable; the
//     resident's other requests go. After erasure no page shows the
//     budget (the consultant's legal task follows a home municipality the
//     id no longer has, the provider's grant is gone); the provider keeps
//     its payment instructions, and Reconcile keeps checking the entries.
//     A budget with money left is not withdrawn by erasure: that is the
//     consultant's decision.
//   - The access log is kept, as the law requires. Its records name
//     persons only by opaque ids (the consent service writes no names), so
//     once the person row is gone they identify nobody: pseudonymised.
package rights
