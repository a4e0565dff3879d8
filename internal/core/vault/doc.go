// Package vault encrypts residents' sensitive fields at rest with a data
// key per resident, and erases a resident by destroying that key
// (crypto-shredding). It is envelope encryption with the standard library
// only: AES-256-GCM for the data and for wrapping the data keys.
//
// A service seals a field before it stores it and opens it after reading:
//
//	ct, err := v.Seal(ctx, person.ID, vault.Binding{Table: "stories", Column: "body", RowID: story.ID}, []byte(text))
//	text, err := v.Open(ctx, person.ID, vault.Binding{Table: "stories", Column: "body", RowID: story.ID}, ct)
//
// # Crypto inventory
//
// Algorithms and sizes (no choices to configure):
//
//	what                      algorithm     key      nonce              tag      where the key lives
//	key-encryption key (KEK)  AES-256-GCM   256 bit  96 bit, random     128 bit  the key file (INWONERCLOUD_KEK_FILE), never a database
//	data key (DEK)            AES-256-GCM   256 bit  96 bit, random     128 bit  the key store, wrapped by the KEK; unwrapped only in memory
//
// Keys come from crypto/rand. One DEK per resident (subject id), made on the
// first Seal for that resident. Random 96-bit nonces are safe far beyond
// what one resident's data will ever need (NIST SP 800-38D limits a key to
// 2^32 random-nonce messages).
//
// Key file: text, one key per line as v1:<key id>:<base64 of 32 bytes>;
// blank lines and # comments are ignored. The first key is current: it
// wraps new DEKs. Later lines are older keys, kept only to unwrap DEKs a
// rotation has not reached yet. The file must not be open to all users
// (mode 0600 or 0640); ReadKeyFile refuses it otherwise. Key ids are
// sortable text ids from internal/core/id.
//
// Sealed field (what Seal returns and the caller stores, e.g. in a BLOB or
// BYTEA column):
//
//	byte 0       version, 1
//	bytes 1–12   nonce
//	bytes 13–    AES-256-GCM ciphertext under the subject's DEK, then the 16-byte tag
//
// so a sealed value is Overhead (29) bytes longer than its plaintext. The
// additional data is the label "inwonercloud/vault/data/v1", the version
// byte, and the subject id, table, column and row id, each prefixed with
// its length as 4 bytes big-endian. A sealed value therefore opens only for
// the same resident in the same table, column and row: copied elsewhere it
// fails with ErrCorrupt. No key id is needed in it, because a resident has
// exactly one DEK. The municipality (tenant) is deliberately not bound: a
// resident's data belongs to the resident and moves with them.
//
// Wrapped DEK (the key store's wrapped_key): version byte 1, a 12-byte
// nonce, and the AES-256-GCM encryption of the 32-byte DEK under the KEK
// with its tag (61 bytes). Its additional data is the label
// "inwonercloud/vault/dek/v1", the version byte, the subject id and the
// KEK id, so a wrapped key cannot be moved to another resident or passed
// off as wrapped by another KEK.
//
// # Key store and backups
//
// The DEKs are kept in a key store apart from the data: on SQLite the file
// keys.db next to the database file inwonercloud.db; on PostgreSQL the
// database named by INWONERCLOUD_KEYS_DATABASE_URL, or the main database
// when that is not set. This is what lets an erasure reach backups:
//
//   - A copy of the data (inwonercloud.db, or a dump of the main PostgreSQL
//     database when the key store is apart) holds no DEK at all, only
//     sealed values. Whenever it was taken, it opens only through the live
//     key store, where an erased resident's DEK is gone. Data backups can
//     therefore be kept as long as the retention rules allow.
//   - A copy of the key store taken before an erasure still holds that
//     resident's wrapped DEK, and with the KEK it opens their data in any
//     data backup. No scheme can take back a copy of a key that already
//     exists, so the honest promise is: an erasure reaches every backup
//     once the key store backups from before it are gone. Keep key store
//     backups apart from data backups and short-lived (at most 30 days,
//     inside the month the AVG allows for answering an erasure request).
//     Do keep them: a key store lost without a backup loses every
//     resident's data. To restore, use the newest key store backup with any
//     data backup (the key store only gains keys and tombstones).
//   - With PostgreSQL and no INWONERCLOUD_KEYS_DATABASE_URL the DEKs are in
//     the main database and in all of its backups, so an erasure reaches
//     those backups only when they expire; the app logs a warning at start.
//     A physical backup or WAL archive of a PostgreSQL cluster holds every
//     database in it, so a separate key store belongs on another cluster
//     (or at least outside the long-kept backups).
//   - A destroyed key is overwritten in place. SQLite zeroes freed bytes in
//     the key store (secure_delete on every key store write) and truncates
//     its write-ahead log after each destroy. PostgreSQL keeps the old row
//     version until VACUUM reuses the space, and in its WAL archive for the
//     archive's retention, which therefore counts as a key store backup.
//   - Whoever holds the KEK and a key store copy can open everything: keep
//     the key file out of every database and key store backup, and keep a
//     copy of it in a safe place of its own.
//
// # Rotation
//
// RotateKEK ("inwonercloud keys rotate") rewraps every live DEK under a new
// KEK, one batch per transaction; sealed data is untouched. Procedure: make
// a key file that keeps the old key as its second line ("keys generate
// --out NEW --keep-old"), rotate, point INWONERCLOUD_KEK_FILE at the new
// file on every node, rotate again for the DEKs that nodes still on the old
// file made meanwhile, check with "keys status" that the old key wraps
// nothing, then delete the old key's line. Key store backups from before
// the rotation need the old KEK; destroying the old KEK retires them too.
// A DEK itself is never rotated: a suspected exposure of one resident's
// DEK calls for re-sealing that resident's data, which is not built yet.
//
// # Invariants
//
//   - A DEK is never stored unwrapped, never logged, and exists in the
//     clear only in memory, in a bounded cache of unwrapped keys (the Go
//     runtime does not guarantee that freed memory is wiped).
//   - Every Seal and Open reads the resident's key state from the key store
//     (one primary-key read), so a key destroyed on one node is refused on
//     every node at once; the cache only saves unwrapping.
//   - After Destroy, Open fails with ErrErased (kind NotFound) and Seal
//     refuses; a destroyed key keeps a row without key material as a
//     tombstone, so the resident can never get a new DEK under the old id.
//   - One DEK per resident: two nodes sealing for a new resident at once
//     agree on the first key stored.
//   - The key store keeps its own transactions: it never joins the caller's
//     database transaction, because it may be another database. A DEK made
//     for a transaction that rolls back stays, unused.
//   - A node refuses to start (Check) when its key file lacks a KEK that
//     wraps live DEKs, or a DEK does not unwrap under it.
package vault
