package sqlstore

import (
	"context"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// DeletePerson removes a person and every row about them as an account
// holder, in one transaction: consent grants they gave or received (and
// the grants' versions), mandates either way, roles, recovery codes,
// sessions, API tokens, e-mail links and queued mail to their address.
// Most of these would also go by ON DELETE CASCADE; deleting them by name
// keeps the erasure explicit and independent of the schema's cascades.
// The access log and the key store are not touched here. NotFound when
// there is no such person.
func (db *DB) DeletePerson(ctx context.Context, personID string) error {
	const op = "sqlstore.DeletePerson"
	return db.InTx(ctx, func(ctx context.Context) error {
		var email string
		if err := db.r(ctx).QueryRowContext(ctx, `SELECT email FROM persons WHERE id = $1`, personID).Scan(&email); err != nil {
			return db.wrap(op, err)
		}
		for _, q := range []string{
			`DELETE FROM consent_grant_versions WHERE grant_id IN
				(SELECT id FROM consent_grants WHERE grantor_id = $1 OR grantee_person_id = $1)`,
			`DELETE FROM consent_grants WHERE grantor_id = $1 OR grantee_person_id = $1`,
			`DELETE FROM consent_mandates WHERE resident_id = $1 OR delegate_id = $1`,
			`DELETE FROM role_assignments WHERE person_id = $1`,
			`DELETE FROM recovery_codes WHERE person_id = $1`,
			`DELETE FROM sessions WHERE person_id = $1`,
			`DELETE FROM api_tokens WHERE person_id = $1`,
			`DELETE FROM email_tokens WHERE person_id = $1`,
		} {
			if err := db.exec(ctx, op, false, q, personID); err != nil {
				return err
			}
		}
		if err := db.exec(ctx, op, false, `DELETE FROM mail_outbox WHERE to_addr = $1`, email); err != nil {
			return err
		}
		if err := db.exec(ctx, op, true, `DELETE FROM persons WHERE id = $1`, personID); err != nil {
			return errs.E(op, err)
		}
		return nil
	})
}
