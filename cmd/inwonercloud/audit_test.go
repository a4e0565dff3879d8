package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
)

// rawDB opens the environment's database directly, as an administrator
// (or an attacker with those rights) would, bypassing the application.
func rawDB(t *testing.T, name string, e env) *sql.DB {
	t.Helper()
	driver, dsn := "sqlite", "file:"+filepath.Join(e["INWONERCLOUD_DATA_DIR"], "inwonercloud.db")+"?_pragma=busy_timeout(10000)"
	if name == "postgres" {
		driver, dsn = "pgx", e["INWONERCLOUD_DATABASE_URL"]
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestRun_AuditVerify(t *testing.T) {
	t.Parallel()
	for name, e := range databases(t) {
		t.Run(name, func(t *testing.T) {
			for _, tc := range []struct {
				args    []string
				wantErr string
			}{
				{[]string{"audit"}, "audit: want verify"},
				{[]string{"audit", "check"}, `audit: unknown subcommand "check"`},
				{[]string{"audit", "verify", "--all"}, "audit verify: takes no arguments"},
			} {
				if r := runCmd(t, e, "", tc.args...); r.err == nil || !strings.Contains(r.err.Error(), tc.wantErr) {
					t.Errorf("%v: err = %v, want one containing %q", tc.args, r.err, tc.wantErr)
				}
			}

			r := runCmd(t, e, "", "audit", "verify")
			if r.err != nil || r.stdout != "audit log OK: 0 records checked\n" {
				t.Fatalf("verify of an empty log: %v %q %q", r.err, r.stdout, r.stderr)
			}

			// Record three accesses the way a service does.
			a, err := open(context.Background(), e.get, io.Discard, false)
			if err != nil {
				t.Fatal(err)
			}
			log := audit.NewLog(a.db, a.clock)
			for i := range 3 {
				err := log.Record(context.Background(), audit.Event{EventID: "story.read", Action: audit.ActionRead,
					Outcome: audit.Allowed, ActorID: fmt.Sprintf("actor-%d", i+1), SubjectID: "subject"})
				if err != nil {
					t.Fatal(err)
				}
			}
			a.Close()

			r = runCmd(t, e, "", "audit", "verify")
			if r.err != nil || r.stdout != "audit log OK: 3 records checked\n" {
				t.Fatalf("verify of an intact log: %v %q %q", r.err, r.stdout, r.stderr)
			}

			// Tamper with record 2 behind the application's back.
			raw := rawDB(t, name, e)
			drop := map[string]string{
				"sqlite":   `DROP TRIGGER audit_records_no_update`,
				"postgres": `DROP TRIGGER audit_records_append_only ON audit_records`,
			}[name]
			for _, s := range []string{drop, `UPDATE audit_records SET actor_id = 'someone-else' WHERE seq = 2`} {
				if _, err := raw.Exec(s); err != nil {
					t.Fatalf("%s: %v", s, err)
				}
			}
			r = runCmd(t, e, "", "audit", "verify")
			if r.err == nil || !strings.Contains(r.err.Error(), "audit log damaged: 1 problem found in 3 records checked") {
				t.Errorf("verify of a tampered log: err = %v, want it to fail", r.err)
			}
			if want := "seq 2: changed: record 2 does not match its hash\n"; r.stdout != want {
				t.Errorf("verify of a tampered log printed %q, want %q", r.stdout, want)
			}
		})
	}
}
