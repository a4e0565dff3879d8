// Package market is the Marktplaats: every form of support on offer —
// professional and volunteer, free, through the municipality or paid from
// a budget — modelled on Open Referral HSDS (organization → Provider,
// service → Offering, location and schedule → Location and OpeningHours,
// taxonomy → Category, service_area → the municipalities served), with
// the municipality's approval in between, and a Dutch search over it.
//
// Who may see what:
//   - Anyone, logged in or not, sees published offerings: their approved
//     content, in search and on the offering's page. Nothing else exists
//     for them: a draft, pending, refused or hidden offering, or a change
//     awaiting approval, answers NotFound (Offering) and is never a hit
//     (Search).
//   - A provider admin (role provider_admin with the provider's
//     organisation id) sees and edits all offerings of that provider, in
//     every status, with the latest revision and its refusal reason. They
//     cannot touch another provider's offerings (Forbidden when published,
//     NotFound otherwise), and cannot approve anything.
//   - The admins (tenant_admin) and consultants of a municipality see what
//     awaits approval for offerings serving it (new offerings and pending
//     revisions, marked Pending in search); drafts stay the provider's.
//     Staff of another municipality see only the published content.
//   - Only a tenant_admin of a municipality the proposed content serves
//     approves or refuses it (with a reason the provider reads). One
//     approval publishes the offering in all its municipalities; a
//     provider may only name municipalities its organisation works in,
//     and only a platform admin or those municipalities' admins link an
//     organisation to a municipality (tenant.CreateOrganisation).
//     Approval per municipality is future work.
//   - A nil actor is the operator's command line for writes (as in the
//     tenant service) and an anonymous visitor for reads.
//
// Invariants:
//   - A published offering keeps its approved content visible while a
//     change waits: the change is a Revision (at most one pending per
//     offering, enforced by a unique index); approval copies it into the
//     offering, refusal leaves the offering as it was.
//   - Every change bumps Offering.Version; an approval, refusal or edit
//     names the version its author saw and fails with Conflict
//     (error.market.changed) when someone changed it meanwhile, so an admin
//     never approves text they did not see.
//   - Freshness: an offering not checked for StaleAfterMonths is flagged
//     (Stale) and hidden HideAfter later (HideStale); a check or an
//     approved change shows it again.
//   - Search uses the same Go analysis (fold accents, Snowball Dutch stems,
//     social-domain compounds; see analyze.go) for the in-process index and
//     for the terms stored for SQLite FTS5 and PostgreSQL GIN, so both
//     databases and the index agree on what matches.
//   - The in-process index (index.go) follows the database through one
//     change sequence: a node sees its own writes in its next search and
//     other nodes' within Options.Freshness (default one second).
//   - Offerings are municipality-owned data, not personal data: no access
//     log entries are written for reading them. Who proposed, checked and
//     decided is kept on the offering and its revisions.
package market
