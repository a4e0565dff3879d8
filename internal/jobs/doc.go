// Package jobs runs the platform's background work inside the serve
// process. For now that is one job: reminding residents that a consent
// grant is about to end (ISSUE 4: "A reminder goes out before a grant
// expires").
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
package jobs
