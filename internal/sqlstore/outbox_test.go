package sqlstore_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestStore_Outbox(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		// Ids deliberately out of time order: the list follows the time.
		first := sqlstore.OutboxMail{ID: "m3", To: "anna@example.nl", Subject: "Bevestig je e-mailadres", Body: "Hallo Anna,\n…", CreatedAt: at(0)}
		second := sqlstore.OutboxMail{ID: "m1", To: "bram@example.nl", Subject: "Wachtwoord herstellen", Body: "Hallo Bram,", CreatedAt: at(time.Minute)}
		sameTimeLowID := sqlstore.OutboxMail{ID: "m2", To: "cor@example.nl", Subject: "Uitnodiging", Body: "Hallo Cor,", CreatedAt: at(2 * time.Minute)}
		sameTimeHighID := sqlstore.OutboxMail{ID: "m4", To: "dirk@example.nl", Subject: "Uitnodiging", Body: "Hallo Dirk,", CreatedAt: at(2 * time.Minute)}
		for _, m := range []sqlstore.OutboxMail{first, second, sameTimeLowID, sameTimeHighID} {
			must(t, db.AddOutboxMail(ctx, m))
		}

		tests := []struct {
			name  string
			limit int
			want  []sqlstore.OutboxMail
		}{
			{"NewestFirst", 10, []sqlstore.OutboxMail{sameTimeHighID, sameTimeLowID, second, first}},
			{"Limit", 2, []sqlstore.OutboxMail{sameTimeHighID, sameTimeLowID}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := db.FindOutboxMails(ctx, tc.limit)
				must(t, err)
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("FindOutboxMails(%d) (-want +got):\n%s", tc.limit, diff)
				}
			})
		}
		t.Run("ErrDuplicateID", func(t *testing.T) {
			wantKind(t, db.AddOutboxMail(ctx, first), errs.Conflict)
		})
	})
}
