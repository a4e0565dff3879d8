// Package review is Waarderen: ratings and reviews of marketplace
// offerings, only from residents who used them, moderated before anyone
// reads them, with the provider's right to reply once.
//
// Who may do what:
//   - Only the resident whose request for an offering was delivered (the
//     Deliveries seam, the requests app) writes a review of it, once per
//     delivered request (a unique index on the request id), within
//     ReviewWindowMonths of the delivery. A delegate acting for the
//     resident may do it for them when their mandate's scope covers
//     Category; the consent service checks and logs that. Nobody else can:
//     not the provider (a person with any role in the provider's
//     organisation is refused, even with a delivered request of their
//     own), not staff, not the API — every route goes through Create.
//   - The author (or their delegate) sees their own reviews in every
//     state, with the moderator's reason when a text was refused, edits
//     them and withdraws them.
//   - A moderator (role moderator in a municipality the offering serves)
//     sees the queue of texts awaiting moderation and approves or refuses
//     each with a house rule (Reasons) and an optional note. The queue
//     shows the text, the scores, the display choice and the offering,
//     never who wrote it: QueueItem has no author field.
//   - A provider admin of the offering's organisation sees the published
//     reviews of their offerings (without the author) and replies once to
//     each; the reply passes moderation too.
//   - Anyone sees the published reviews that count, under the author's
//     pseudonym or as "anonymous", and the aggregate of an offering.
//
// Choices:
//   - "Would recommend" is yes or no (a bool): a recommendation is a
//     yes/no question in the usual review forms, and a percentage of yes
//     reads more easily than a fourth average.
//   - An edit of a published review waits for moderation while the
//     published version stays visible; on approval the edit replaces it,
//     on refusal the published version simply stays. An edit of a review
//     that was never published replaces its pending text.
//   - Withdrawing is final: the review leaves the public page and the
//     counts at once, its text and pseudonym are blanked (in the review
//     and in its submissions), and the row stays so that the delivery
//     cannot be reviewed a second time.
//   - Reviews count, and are shown, for CountYears after they were first
//     written (ZorgkaartNederland hides older ones too); editing does not
//     make a review young again. The author still sees them.
//   - Erasure (rights.Erase) deletes the resident's reviews and their
//     submissions: a review is the resident's own words about their
//     support, and an anonymised copy could still identify them.
//
// Invariants:
//   - Every write takes the next number of one change sequence
//     (review_state), so the in-memory Summary on each node reloads only
//     when something changed: at once after a write through this node's
//     Service, and within Options.Freshness for other nodes (Run).
//   - RatingOf answers from memory only; it is called for every match of
//     a search sorted by rating (market.RatingSummary). When the ratings
//     it gives change, Options.RatingsChanged is called, so the
//     marketplace drops its cached result pages
//     (market.Service.RatingsChanged).
//   - At most one content text and one reply per review await moderation
//     (a unique index); a decision names a pending submission and fails
//     with Conflict when it was decided or cancelled meanwhile.
//   - Reviews are not sealed with the resident's key: they are written to
//     be published. The link to the author is personal data: it is shown
//     only to the author and their delegate.
package review
