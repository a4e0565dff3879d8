package sqlstore_test

import (
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// wantKind fails the test unless err is of kind k.
func wantKind(tb testing.TB, err error, k errs.Kind) {
	tb.Helper()
	if !errs.Is(err, k) {
		tb.Fatalf("error = %v (kind %v), want kind %v", err, errs.KindOf(err), k)
	}
}

// must fails the test on an error.
func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// at returns the kit's epoch plus d; stored times keep milliseconds.
func at(d time.Duration) time.Time { return sqltest.Epoch.Add(d) }

// ptr returns a pointer to t.
func ptr(t time.Time) *time.Time { return &t }
