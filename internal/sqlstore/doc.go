// Package sqlstore is the only package that speaks SQL. One implementation
// serves both the embedded SQLite database (modernc.org/sqlite, no cgo) and
// PostgreSQL (pgx): the SQL is portable ($N placeholders, RETURNING, ON
// CONFLICT), and the few real differences live in dialect.go.
//
// Invariants:
//   - Times are stored as UTC milliseconds (BIGINT) and flags as nullable
//     times, so both dialects read and compare them alike.
//   - Storage never returns "nothing, no error": a missing row is an
//     errs.NotFound; a unique violation is an errs.Conflict.
//   - Migrations are embedded, one directory per dialect, with the same
//     numbered file names (a test keeps them in step).
//   - SQLite has one writer connection (transactions BEGIN IMMEDIATE) beside
//     a pool of readers, in WAL mode with foreign keys on.
package sqlstore
