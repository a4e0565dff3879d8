package sqlstore

import (
	"context"
	"time"
)

// OutboxMail is a mail kept in the demo outbox.
type OutboxMail struct {
	ID        string
	To        string
	Subject   string
	Body      string
	CreatedAt time.Time
}

// AddOutboxMail stores a mail in the outbox.
func (db *DB) AddOutboxMail(ctx context.Context, m OutboxMail) error {
	return db.exec(ctx, "sqlstore.AddOutboxMail", false, `INSERT INTO mail_outbox (id, to_addr, subject, body, created_at)
		VALUES ($1, $2, $3, $4, $5)`, m.ID, m.To, m.Subject, m.Body, ms(m.CreatedAt))
}

// FindOutboxMails lists the newest mails in the outbox.
func (db *DB) FindOutboxMails(ctx context.Context, limit int) ([]OutboxMail, error) {
	const op = "sqlstore.FindOutboxMails"
	rows, err := db.r(ctx).QueryContext(ctx, `SELECT id, to_addr, subject, body, created_at FROM mail_outbox
		ORDER BY created_at DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var list []OutboxMail
	for rows.Next() {
		var m OutboxMail
		var created int64
		if err := rows.Scan(&m.ID, &m.To, &m.Subject, &m.Body, &created); err != nil {
			return nil, db.wrap(op, err)
		}
		m.CreatedAt = fromMS(created)
		list = append(list, m)
	}
	return list, db.wrap(op, rows.Err())
}
