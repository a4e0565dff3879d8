package sqlstore_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
)

// TestMigrations_InStep fails when the SQLite and PostgreSQL migration
// trees diverge: same numbers, same names.
func TestMigrations_InStep(t *testing.T) {
	lite, err := sqlstore.MigrationNames("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	pg, err := sqlstore.MigrationNames("postgres")
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 {
		t.Fatal("no migrations found")
	}
	if diff := cmp.Diff(lite, pg); diff != "" {
		t.Errorf("migration trees differ (-sqlite +postgres):\n%s", diff)
	}
}
