package sqlstore

import "context"

// DeleteRequestsByResident deletes a resident's requests with their
// timelines, for the erasure of their account; a request with a care
// agreement (budget) keeps its row, without its timeline.
func (db *DB) DeleteRequestsByResident(ctx context.Context, residentID string) error {
	const op = "sqlstore.DeleteRequestsByResident"
	return db.InTx(ctx, func(ctx context.Context) error {
		// The events go first: a SQLite connection without foreign keys
		// would not cascade them.
		if err := db.exec(ctx, op, false, `DELETE FROM request_events WHERE request_id IN
			(SELECT id FROM requests WHERE resident_id = $1)`, residentID); err != nil {
			return err
		}
		// A request a care agreement was made from stays, as part of the
		// budget's financial records (rights.Erase keeps those); its
		// sealed message was unreadable once the key was destroyed.
		return db.exec(ctx, op, false, `DELETE FROM requests WHERE resident_id = $1
			AND id NOT IN (SELECT request_id FROM budget_agreements)`, residentID)
	})
}
