// Package identity holds people, their accounts and roles, and everything
// that proves who someone is: passwords, second factors, sessions and API
// tokens.
//
// Invariants:
//   - Passwords are stored only as argon2id hashes; secrets handed out
//     (session, API, e-mail tokens, recovery codes) are stored only as
//     SHA-256 hashes.
//   - Every staff role needs a second factor before a session becomes
//     active; a resident may turn one on.
//   - Login messages never reveal whether an account exists: unknown
//     e-mail, wrong password, disabled account and lock-out look alike.
//   - After five failed logins for one account from one address within 15
//     minutes, that pair is locked for 15 minutes.
//   - A session ends after 15 idle minutes and at most 8 hours after login
//     (1 hour when the person holds an admin role); its token changes when
//     the second factor is passed.
//   - A platform admin manages municipalities but no person's data; a
//     municipality admin manages the staff of their own municipality only.
package identity
