package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// eachRaw is sqltest.Each with, beside the store, a raw connection to the
// same database: the access of a database administrator, or of an
// attacker who has those rights, which is what the hash chain guards
// against.
func eachRaw(t *testing.T, fn func(t *testing.T, db *sqlstore.DB, raw *sql.DB)) {
	t.Helper()
	for _, d := range sqltest.Dialects() {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			var dbURL, sqlitePath, rawDriver, rawDSN string
			switch d {
			case "sqlite":
				sqlitePath = filepath.Join(t.TempDir(), "test.db")
				rawDriver, rawDSN = "sqlite", "file:"+sqlitePath+"?_pragma=busy_timeout(10000)"
			case "postgres":
				dbURL = sqltest.NewSchema(t)
				rawDriver, rawDSN = "pgx", dbURL
			}
			db, err := sqlstore.Open(ctx, dbURL, sqlitePath)
			must(t, err)
			t.Cleanup(func() { db.Close() })
			must(t, db.Migrate(ctx))
			raw, err := sql.Open(rawDriver, rawDSN)
			must(t, err)
			t.Cleanup(func() { raw.Close() })
			fn(t, db, raw)
		})
	}
}

// dropAppendOnly removes the triggers that refuse changes to audit
// records, as anyone with the rights to do so can.
func dropAppendOnly(tb testing.TB, db *sqlstore.DB, raw *sql.DB) {
	tb.Helper()
	stmts := map[string][]string{
		"sqlite":   {`DROP TRIGGER audit_records_no_update`, `DROP TRIGGER audit_records_no_delete`},
		"postgres": {`DROP TRIGGER audit_records_append_only ON audit_records`},
	}[db.Dialect()]
	for _, s := range stmts {
		if _, err := raw.Exec(s); err != nil {
			tb.Fatalf("%s: %v", s, err)
		}
	}
}

// auditChain returns every stored audit record in sequence order.
func auditChain(tb testing.TB, db *sqlstore.DB) []audit.Record {
	tb.Helper()
	list, err := db.FindAuditChain(context.Background(), 0, math.MaxInt64, math.MaxInt32)
	must(tb, err)
	return list
}

// auditRecord is a record with every field set; the store takes the hash
// and links as given.
func auditRecord(seq int64, prev string) audit.Record {
	r := audit.Record{
		Event: audit.Event{
			EventID: "dossier.note.read", Action: audit.ActionRead, Outcome: audit.Denied,
			ActorID: "p-actor", ActorName: "Jo de Wit", ActorRole: "professional",
			ActorOrgID: "o-wijkteam", ActorOrgName: "Wijkteam Woerden", NetworkAddress: "2001:db8::7",
			OnBehalfOfID: "p-responsible", OnBehalfOfName: "Mila Jansen", PurposeOfUse: "support_plan",
			MunicipalityID: "m-woerden", SourceID: "node-1",
			TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", SpanID: "00f067aa0ba902b7",
			SubjectID: "p-subject", Category: "dossier:notes", ObjectID: "note-9", Sensitivity: "special",
			Basis: "legal_task:wmo_onderzoek", ConsentID: "c-17", ConsentVersion: 1 << 40, Emergency: true,
			At: at(time.Duration(seq)*time.Minute + 123*time.Millisecond),
		},
		Seq: seq, PrevHash: prev,
	}
	r.Hash = r.ComputeHash()
	return r
}

func TestStore_AuditRecord(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		head, err := db.FindAuditHead(ctx)
		must(t, err)
		if head != (audit.Head{}) {
			t.Errorf("head of an empty log = %+v, want zero", head)
		}

		first := auditRecord(1, audit.Genesis)
		must(t, db.AppendAuditRecord(ctx, first))
		second := auditRecord(2, first.Hash)
		second.Emergency, second.ConsentVersion, second.NetworkAddress = false, 0, ""
		second.Hash = second.ComputeHash()
		must(t, db.InTx(ctx, func(ctx context.Context) error {
			h, err := db.LockAuditHead(ctx)
			if err != nil {
				return err
			}
			if want := (audit.Head{Seq: 1, Hash: first.Hash}); h != want {
				t.Errorf("LockAuditHead = %+v, want %+v", h, want)
			}
			return db.AppendAuditRecord(ctx, second)
		}))
		if diff := cmp.Diff([]audit.Record{first, second}, auditChain(t, db)); diff != "" {
			t.Errorf("FindAuditChain (-want +got):\n%s", diff)
		}
		head, err = db.FindAuditHead(ctx)
		must(t, err)
		if want := (audit.Head{Seq: 2, Hash: second.Hash}); head != want {
			t.Errorf("head = %+v, want %+v", head, want)
		}

		t.Run("ChainWindow", func(t *testing.T) {
			got, err := db.FindAuditChain(ctx, 1, 2, 10)
			must(t, err)
			if len(got) != 1 || got[0].Seq != 2 {
				t.Errorf("FindAuditChain(1, 2) = %+v, want record 2", got)
			}
			got, err = db.FindAuditChain(ctx, 0, 2, 1)
			must(t, err)
			if len(got) != 1 || got[0].Seq != 1 {
				t.Errorf("FindAuditChain(0, 2, limit 1) = %+v, want record 1", got)
			}
			got, err = db.FindAuditChain(ctx, 0, 1, 10)
			must(t, err)
			if len(got) != 1 || got[0].Seq != 1 {
				t.Errorf("FindAuditChain(0, 1) = %+v, want record 1 only", got)
			}
		})

		for _, tc := range []struct {
			name string
			r    audit.Record
		}{
			{"ErrSeqTaken", auditRecord(2, first.Hash)},
			{"ErrSeqSkipsAhead", auditRecord(4, second.Hash)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantKind(t, db.AppendAuditRecord(ctx, tc.r), errs.Conflict)
				if n := len(auditChain(t, db)); n != 2 {
					t.Errorf("%d records after a refused append, want 2", n)
				}
				head, err := db.FindAuditHead(ctx)
				must(t, err)
				if head.Seq != 2 {
					t.Errorf("a refused append moved the head to %d", head.Seq)
				}
			})
		}
	})
}

// TestStore_AuditRecords_AppendOnly: the database itself refuses to change
// or remove audit records, whoever asks.
func TestStore_AuditRecords_AppendOnly(t *testing.T) {
	t.Parallel()
	eachRaw(t, func(t *testing.T, db *sqlstore.DB, raw *sql.DB) {
		t.Parallel()
		ctx := t.Context()
		log := audit.NewLog(db, clock.NewFake(sqltest.Epoch))
		for i := range 3 {
			must(t, log.Record(ctx, audit.Event{EventID: "story.read", Action: audit.ActionRead, Outcome: audit.Allowed,
				ActorID: fmt.Sprintf("actor-%d", i), SubjectID: "subject"}))
		}
		before := auditChain(t, db)
		type stmt struct{ name, sql string }
		stmts := []stmt{
			{"UpdateOne", `UPDATE audit_records SET actor_id = 'someone-else' WHERE seq = 2`},
			{"UpdateAll", `UPDATE audit_records SET seq = seq + 10`},
			{"DeleteOne", `DELETE FROM audit_records WHERE seq = 3`},
			{"DeleteAll", `DELETE FROM audit_records`},
		}
		if db.Dialect() == "postgres" {
			stmts = append(stmts, stmt{"Truncate", `TRUNCATE audit_records`})
		}
		for _, s := range stmts {
			t.Run(s.name, func(t *testing.T) {
				_, err := raw.ExecContext(ctx, s.sql)
				if err == nil || !strings.Contains(err.Error(), "append-only") {
					t.Errorf("%s: %v, want it refused as append-only", s.sql, err)
				}
			})
		}
		if diff := cmp.Diff(before, auditChain(t, db)); diff != "" {
			t.Errorf("records changed despite the triggers (-before +after):\n%s", diff)
		}
		verify := func() audit.Report {
			rep, err := log.Verify(ctx)
			must(t, err)
			return rep
		}
		if rep := verify(); !rep.OK() || rep.Checked != 3 {
			t.Errorf("Verify = %+v, want 3 records OK", rep)
		}

		// With the triggers dropped, a change goes through; the chain tells.
		dropAppendOnly(t, db, raw)
		if _, err := raw.ExecContext(ctx, `UPDATE audit_records SET actor_id = 'someone-else' WHERE seq = 2`); err != nil {
			t.Fatal(err)
		}
		if rep := verify(); rep.OK() {
			t.Errorf("Verify after tampering = %+v, want a problem", rep)
		}
	})
}

// TestStore_AuditRecords_SubjectIndex: the resident's page reads by
// subject and time, through an index.
func TestStore_AuditRecords_SubjectIndex(t *testing.T) {
	t.Parallel()
	eachRaw(t, func(t *testing.T, db *sqlstore.DB, raw *sql.DB) {
		t.Parallel()
		q := map[string]string{
			"sqlite":   `SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_index_info('audit_records_subject') ORDER BY seqno)`,
			"postgres": `SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE i.indexrelid = 'audit_records_subject'::regclass`,
		}[db.Dialect()]
		var cols sql.NullString
		must(t, raw.QueryRowContext(t.Context(), q).Scan(&cols))
		if cols.String != "subject_id,at" {
			t.Errorf("index audit_records_subject on (%s), want (subject_id,at)", cols.String)
		}
	})
}

// TestStore_AuditRecords_TamperDetected changes the stored log behind the
// store's back, as someone with database rights could, and checks that
// Verify names the exact records.
func TestStore_AuditRecords_TamperDetected(t *testing.T) {
	t.Parallel()
	type tamper func(t *testing.T, db *sqlstore.DB, raw *sql.DB)
	exec := func(stmts ...string) tamper {
		return func(t *testing.T, _ *sqlstore.DB, raw *sql.DB) {
			for _, s := range stmts {
				if _, err := raw.Exec(s); err != nil {
					t.Fatalf("%s: %v", s, err)
				}
			}
		}
	}
	// rehash changes record seq's actor and stores a fresh hash for it, as
	// an attacker who knows the encoding would.
	rehash := func(seq int64) tamper {
		return func(t *testing.T, db *sqlstore.DB, raw *sql.DB) {
			r := auditChain(t, db)[seq-1]
			r.ActorID = "someone-else"
			if _, err := raw.Exec(`UPDATE audit_records SET actor_id = $1, hash = $2 WHERE seq = $3`, r.ActorID, r.ComputeHash(), seq); err != nil {
				t.Fatal(err)
			}
		}
	}
	// swapActorsAndHashes exchanges the actors of two records together
	// with their hashes, so each hash is a valid one, of another record.
	swapActorsAndHashes := func(i, j int64) tamper {
		return func(t *testing.T, db *sqlstore.DB, raw *sql.DB) {
			c := auditChain(t, db)
			a, b := c[i-1], c[j-1]
			for _, u := range []struct {
				seq  int64
				with audit.Record
			}{{i, b}, {j, a}} {
				if _, err := raw.Exec(`UPDATE audit_records SET actor_id = $1, hash = $2 WHERE seq = $3`, u.with.ActorID, u.with.Hash, u.seq); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	// swapSeq exchanges the places of two records, by way of a free seq
	// (negative ones are refused by a CHECK).
	swapSeq := func(i, j int) tamper {
		return exec(
			fmt.Sprintf(`UPDATE audit_records SET seq = 1000 WHERE seq = %d`, i),
			fmt.Sprintf(`UPDATE audit_records SET seq = %d WHERE seq = %d`, i, j),
			fmt.Sprintf(`UPDATE audit_records SET seq = %d WHERE seq = 1000`, j))
	}
	p := func(seq int64, kind, detail string) audit.Problem {
		return audit.Problem{Seq: seq, Kind: kind, Detail: detail}
	}
	changed := func(seq int64) audit.Problem {
		return p(seq, audit.ProblemChanged, fmt.Sprintf("record %d does not match its hash", seq))
	}
	broken := func(seq int64) audit.Problem {
		return p(seq, audit.ProblemBrokenLink, fmt.Sprintf("record %d does not point at the hash of record %d", seq, seq-1))
	}

	// The log holds records 1 to 5 before each tamper.
	for _, tc := range []struct {
		name    string
		tamper  tamper
		checked int
		want    []audit.Problem
	}{
		{"ChangedText", exec(`UPDATE audit_records SET actor_name = 'Iemand Anders' WHERE seq = 3`), 5, []audit.Problem{changed(3)}},
		{"ChangedTime", exec(`UPDATE audit_records SET at = at + 1 WHERE seq = 2`), 5, []audit.Problem{changed(2)}},
		{"ChangedFlag", exec(`UPDATE audit_records SET emergency = 1 WHERE seq = 4`), 5, []audit.Problem{changed(4)}},
		{"ChangedNumber", exec(`UPDATE audit_records SET consent_version = 8 WHERE seq = 1`), 5, []audit.Problem{changed(1)}},
		{"ChangedAndRehashed", rehash(3), 5, []audit.Problem{broken(4)}},
		{"ChangedLastAndRehashed", rehash(5), 5, []audit.Problem{
			p(5, audit.ProblemBrokenLink, "the chain head does not point at the hash of record 5")}},
		{"DeletedFirst", exec(`DELETE FROM audit_records WHERE seq = 1`), 4, []audit.Problem{
			p(1, audit.ProblemMissing, "record 1 is missing")}},
		{"DeletedMiddle", exec(`DELETE FROM audit_records WHERE seq = 3`), 4, []audit.Problem{
			p(3, audit.ProblemMissing, "record 3 is missing")}},
		{"DeletedLast", exec(`DELETE FROM audit_records WHERE seq = 5`), 4, []audit.Problem{
			p(5, audit.ProblemMissing, "record 5 is missing")}},
		{"DeletedRun", exec(`DELETE FROM audit_records WHERE seq BETWEEN 2 AND 4`), 2, []audit.Problem{
			p(2, audit.ProblemMissing, "records 2 to 4 are missing")}},
		{"DeletedAll", exec(`DELETE FROM audit_records`), 0, []audit.Problem{
			p(1, audit.ProblemMissing, "records 1 to 5 are missing")}},
		{"DeletedAndRenumbered", exec(
			`DELETE FROM audit_records WHERE seq = 3`,
			`UPDATE audit_records SET seq = 3 WHERE seq = 4`,
			`UPDATE audit_records SET seq = 4 WHERE seq = 5`,
			`UPDATE audit_head SET seq = 4`), 4, []audit.Problem{changed(3), broken(3), changed(4)}},
		{"SwappedActorsAndHashes", swapActorsAndHashes(2, 4), 5, []audit.Problem{changed(2), broken(3), changed(4), broken(5)}},
		{"SwappedSeq", swapSeq(2, 4), 5, []audit.Problem{changed(2), broken(2), broken(3), changed(4), broken(4), broken(5)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			eachRaw(t, func(t *testing.T, db *sqlstore.DB, raw *sql.DB) {
				t.Parallel()
				ctx := t.Context()
				clk := clock.NewFake(sqltest.Epoch)
				log := audit.NewLog(db, clk)
				for i := range 5 {
					must(t, log.Record(ctx, audit.Event{EventID: "story.read", Action: audit.ActionRead, Outcome: audit.Allowed,
						ActorID: fmt.Sprintf("actor-%d", i+1), ActorName: fmt.Sprintf("Medewerker %d", i+1), SubjectID: "subject"}))
					clk.Advance(time.Minute)
				}
				dropAppendOnly(t, db, raw)
				tc.tamper(t, db, raw)
				rep, err := log.Verify(ctx)
				must(t, err)
				if diff := cmp.Diff(audit.Report{Checked: tc.checked, Problems: tc.want}, rep); diff != "" {
					t.Errorf("Verify (-want +got):\n%s", diff)
				}
			})
		})
	}
}
