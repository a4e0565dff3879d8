// Package consent keeps what lets anyone other than a resident use that
// resident's data — the resident's consents (grants), the mandates of the
// people who act for them, and the named legal tasks — and is the one
// policy decision point of the platform: Decide answers "may this actor do
// this to that resident's data?", and Check answers it and writes the
// answer to the access log. Every app's Service calls Check before it
// reads or changes a resident's data; no handler, job or WebSocket decides
// for itself.
//
// # Invariants
//
//   - Deny by default. An access is allowed only on one of four bases:
//     own (the resident), mandate (a delegate acting for the resident),
//     consent (a live grant) or legal_task:<name> (a task written down in
//     this package and enabled at start-up). There is no administrator
//     bypass and no "log in as".
//   - A denial looks like absence: Check returns errs.NotFound, the same as
//     for data that does not exist, so a denial leaks no existence.
//   - Every access by someone other than the resident, allowed or denied,
//     is recorded as exactly one audit.Event with the NEN 7513 fields
//     (actor, role, organisation, on whose behalf, subject, category,
//     action, basis, consent id and version, purpose, outcome) before the
//     access happens; if recording fails, the access fails. The resident's
//     own accesses are not recorded: the access log is the resident's view
//     of who else touched their data. Every change to a grant or mandate
//     is recorded too — by whoever makes it, the resident included — as
//     proof of consent (AVG art. 7(1)).
//   - Nothing is cached: every decision reads the grants and mandates as
//     they are, so a revocation takes effect at the very next decision.
//   - Time is the injected clock, cut to milliseconds as stored. A grant
//     or mandate is live from ValidFrom (inclusive) to ValidUntil
//     (exclusive): at ValidUntil to the millisecond it no longer allows
//     anything, one millisecond earlier it still does.
//   - Grants are versioned and never deleted: creating makes version 1,
//     each extension or revocation the next version, and every version is
//     kept for the consent receipt. What a grant covers (grantee,
//     categories, permission, purpose) never changes; to share something
//     else, the resident revokes and grants anew.
//   - Validity: a grant lasts the municipality's Policy.DefaultDays unless
//     the resident picks an end, and at most Policy.MaxDays (default 90 and
//     365 days, SECURITY.md §6), counted from the start or, for an
//     extension, from the moment of extending. The end lies after the start
//     and after now; a start in the past is taken as now.
//   - Only the resident, or a delegate whose live mandate's scope holds
//     CategoryConsent, grants, extends, revokes and reads grants. Only the
//     resident appoints trusted persons; staff under MandateRegistration
//     record parents and legal representatives. No grant can name
//     CategoryConsent: a grantee never manages the consents that let them
//     in.
//
// # Categories
//
// Data categories are open strings registered by the apps (Categories,
// RegisterCategory), in a tree by ":" — "story", "story:finances". A grant,
// mandate scope or legal task for a category covers that category and all
// below it: "story" covers "story:finances", but "story:finances" covers
// neither "story" nor "story:housing". Every category c has a comment
// category c + ":comment", which is never registered.
//
// # The decision table
//
// Decide(actor, actingFor, subject, {category, action}) takes the first row
// that matches, top to bottom:
//
//  1. Unknown category or action, or no subject: an error (a defect in the
//     caller), never an allowance.
//  2. No actor (nobody logged in) or a disabled account: denied. (Check
//     answers errs.Unauthorized for no actor, without a record.)
//  3. Acting for someone (actingFor is not "" and not the actor): allowed,
//     basis "mandate", only when actingFor is the subject and the actor
//     holds a live mandate of that resident whose scope covers the
//     category; then for every action, as the resident could. Otherwise
//     denied — a delegate never falls back on grants, and a mandate never
//     works without saying whom one acts for.
//  4. The actor is the subject: allowed, basis "own", every action. Not
//     logged.
//  5. A live grant of the subject to the actor personally, or to an
//     organisation in which the actor holds a grantee role (professional
//     or consultant, or a role an app registered for the requested
//     category with RegisterGranteeRole — provider_admin for "request")
//     with that organisation, in a municipality the organisation works
//     in: allowed, basis "consent", when the grant covers the category and
//     - the action is read (permission read or read_comment; a comment
//     category is read under a grant for what it comments on), or
//     - the action is create on a comment category "<c>:comment", the
//     grant covers c and its permission is read_comment.
//     No other action (update, delete, share, export, search) is ever
//     allowed by consent. Grants to the person are tried first, then the
//     oldest. A personal grant works whatever roles the grantee holds —
//     a platform admin or moderator the resident chose by name included,
//     for instance for a support session (the log names their role). A
//     role without an organisation, a role in another organisation, a role
//     such as provider_admin or editor (outside the categories registered
//     for it), and a role whose organisation does not work in the role's
//     municipality reach no organisation's grants.
//  6. An enabled legal task that covers the category and action, for a
//     role the task names that the actor holds in the subject's home
//     municipality: allowed, basis "legal_task:<name>". None is enabled
//     today; platform admins can never hold one.
//  7. Anything else: denied. In particular a moderator, an editor, a
//     provider admin, a municipality admin and a platform admin have no
//     access by their role alone, nor does another resident, a delegate
//     without a live mandate or with a mandate of another scope, or a
//     professional whose grant expired, was revoked, has not started yet or
//     is for another section.
//
// # Mandates
//
// A trusted person (MandateTrustedPerson) is appointed by the resident. A
// parent of a minor (MandateParent) and a legal representative
// (MandateLegalRepresentative: curator, bewindvoerder, mentor) are recorded
// by a consultant or municipality admin of the resident's municipality,
// who checked the parental authority or court decision and names it in
// LegalBasis; never with themselves as the delegate. A parent's mandate
// records the child's year of birth and ends at the latest on 1 January of
// the year the child turns 18 (the year alone cannot be more precise, so
// it ends early rather than late). Mandates last a year unless another end
// is chosen, and at most five years. The delegate can always step down;
// the resident ends a trusted person's mandate but not a parent's or
// legal representative's (staff do). CategoryConsent in the scope lets the
// delegate manage the resident's grants; appointing further delegates is
// never in a scope.
//
// # FHIR mapping
//
// A Grant maps onto a FHIR R5 Consent resource as follows:
//
//	Consent.id                      Grant.ID
//	Consent.meta.versionId          Grant.Version (each Receipt version is one history entry)
//	Consent.status                  active until revoked or expired (the period says from
//	                                when it applies); inactive after
//	Consent.category                v3-ActCode INFA (information access)
//	Consent.subject                 Patient/<GrantorID> (the resident)
//	Consent.date                    Grant.CreatedAt
//	Consent.period                  ValidFrom .. ValidUntil (RevokedAt ends it early)
//	Consent.grantor                 Patient/<GrantorID>; when CreatedByID is a delegate, also
//	                                RelatedPerson/<CreatedByID>
//	Consent.grantee                 Practitioner or RelatedPerson/<GranteePersonID>, or
//	                                Organization/<GranteeOrgID>
//	Consent.controller              the cooperative's organisation (the platform)
//	Consent.regulatoryBasis         AVG art. 6(1)(a) and 9(2)(a): explicit consent
//	Consent.decision                permit (the platform denies by default and has no deny-consents)
//	Consent.provision.period        as Consent.period
//	Consent.provision.actor         role IRCP (information recipient), reference = the grantee
//	Consent.provision.action        consentaction "access"; read_comment adds a local code
//	                                "comment" (https://inwonercloud.nl/fhir/CodeSystem/consent-action)
//	Consent.provision.purpose       Grant.Purpose in a local code system, with v3-ActReason
//	                                near-equivalents: support_plan ≈ CAREMGT, assessment ≈
//	                                COVAUTH, care_delivery ≈ TREAT, informal_care ≈ FAMRQT
//	Consent.provision.code          one code per entry of Grant.Categories (local code system of
//	                                data categories; the ":" tree is our covering rule)
//
// A revocation is a new version with status inactive; an extension a new
// version with a later period end. A Mandate is not a Consent but a
// RelatedPerson of the resident with relationship PRN (parent), GUARD
// (legal representative) or POWATT-like (trusted person: a limited power
// of attorney), period ValidFrom .. ValidUntil, and its scope as the
// provision codes of a Consent whose grantee is that RelatedPerson.
package consent
