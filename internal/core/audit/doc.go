// Package audit is the access log (NEN 7513): every access to a resident's
// personal data by someone else — allowed or denied — is recorded with who
// did it, in which role and organisation, on whose behalf, whose data and
// which data, what was done, when, on what basis, and the outcome.
//
// The services that decide on an access build the Event and hand it to a
// Recorder (Log) in the same transaction as the business change, so a
// change and its audit record commit or roll back together; web handlers,
// the API and jobs never write it themselves.
//
// Invariants:
//   - Append-only. The Store has no method that changes or removes a
//     record, and database triggers refuse UPDATE and DELETE (and, on
//     PostgreSQL, TRUNCATE) of the records table.
//   - Hash-chained. Record n carries Seq n (1, 2, 3, … with no gaps),
//     PrevHash (the hash of record n-1, Genesis for record 1) and Hash,
//     the SHA-256 of a canonical, versioned encoding of all its fields
//     (see Record.ComputeHash). A one-row chain head holds the last Seq and
//     Hash; appends lock it (BEGIN IMMEDIATE on SQLite, SELECT … FOR UPDATE
//     on PostgreSQL), so concurrent appends queue and the chain never forks.
//   - Times are UTC milliseconds from the injected clock, taken while the
//     head is locked, so they follow the sequence as far as the clocks of
//     the application nodes agree.
//   - Verify recomputes every hash and link and names each problem by Seq:
//     a changed record, a missing one, records swapped or reordered, and
//     records removed from or rewritten at the end (through the head).
//
// Why a chain when there are triggers: anyone with administrator rights on
// the database can drop the triggers (the tests do exactly that to tamper),
// or the runtime role owns the table and could. The chain makes such
// tampering evident. It cannot stop someone who rewrites the whole chain
// from the point of change onwards, head included; that needs a signed
// anchor of the head kept off-box (a daily signed Merkle root, SECURITY.md
// §7), which is not part of this package yet. Until then, give the
// application's database role only INSERT and SELECT on the records table
// in production, with a separate owner role for migrations.
//
// Who may read the log — a contract for the callers, which this package
// does not enforce:
//   - A resident reads the records about themselves (ForSubject with their
//     own subject id): their "who looked at my data" page and export.
//   - Staff reading someone's audit records must have passed their second
//     factor recently (step-up, SECURITY.md §4), and that read is itself
//     recorded as an Event (EventID "audit.read", Action read) before the
//     records are shown.
//   - Verify reads hashes and sequence numbers and reports no contents; it
//     is an operator's task (inwonercloud audit verify).
//
// Records hold pseudonymous ids (never a BSN) and the display names at the
// time of access, so the resident can read who it was. Retention (NEN 7513:
// at least five years, to be verified) and a signed daily anchor are out of
// scope here.
package audit
