// Package jobs runs the platform's background work inside the serve
// process: reminding residents that a consent grant is about to end
// (ISSUE 4: "A reminder goes out before a grant expires"), and keeping
// the marketplace fresh (ISSUE 7: "offerings not checked for 12 months
// are flagged to the provider and then hidden"; see Freshness), and
// reconciling the budget ledger every night (SECURITY.md §10: "a nightly
// reconciliation raises alerts"; see Reconciliation).
//
// Invariants:
//   - One goroutine, started by Run, ticking every Interval; it stops when
//     the context is cancelled, and Run returns only then.
//   - A reminder mail holds only a link to the resident's sharing page:
//     never who the grantee is, what is shared, or any other personal
//     detail, since mail leaves the platform.
//   - Each grant is reminded once (consent.Service.MarkReminded after the
//     mail went out); extending a grant makes it due again before its new
//     end. When the mail fails, the grant is not marked, and the next tick
//     tries again.
//   - A freshness mail goes to the provider's admins and holds only a
//     count and a link to the provider portal: no titles, no names.
//     Each offering is flagged once and hidden once (the store changes
//     its state in the same step), so each step is mailed once.
//   - The reconciliation only reads. An alert goes to the operational log
//     (level ERROR, "alert":"budget_reconcile") with counts and opaque
//     account, transaction and budget ids only, never a name or another
//     personal detail; the gauge inwonercloud_budget_reconcile_differences
//     on /metrics holds the count of the last run.
package jobs
