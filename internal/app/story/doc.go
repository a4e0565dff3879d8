// Package story is Eigen verhaal: the resident tells their story once — a
// free narrative, what matters to them, and per life domain their own
// words, a rating and whether they want to talk about it — and shares
// chosen sections with chosen people until a date they choose.
//
// Who may see what:
//   - The resident sees and edits their whole story, every version and
//     every comment.
//   - A delegate acting for the resident (a mandate whose scope covers
//     "story") may do what the resident may; both persons are recorded.
//   - A professional or consultant sees only the sections a live consent
//     grant covers ("story" covers every section, "story:finances" only
//     that one), and may comment on a section only with read-and-comment
//     permission. Without any covered section the story does not exist
//     for them (NotFound), and the refusal is logged.
//   - Nobody else sees anything: not moderators, not municipality or
//     platform admins.
//
// Invariants:
//   - Every access by someone other than the resident goes through the
//     consent service's Check, which writes the access log.
//   - Story content and comments are stored only sealed with the
//     resident's data key (vault), bound to table, column and row; erasing
//     the key makes every copy unreadable.
//   - Every save is a new version; versions are never changed. A save that
//     changes nothing makes no version.
package story
