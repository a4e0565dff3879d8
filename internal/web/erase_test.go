package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/story"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/vault"
	"github.com/inwonercloud/inwonercloud/internal/seed"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestErase(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newKit(t, db)
		ctx := context.Background()
		w := newRightsWorld(t, k)
		// A sealed copy of anna's story, as a backup would hold it.
		before, err := db.LatestStoryVersion(ctx, w.anna.ID)
		if err != nil {
			t.Fatal(err)
		}
		bind := vault.Binding{Table: "story_versions", Column: "content", RowID: w.anna.ID + "/1"}
		if _, err := k.vault.Open(ctx, w.anna.ID, bind, before.Sealed); err != nil {
			t.Fatalf("the copy does not open before erasure: %v", err)
		}
		c := k.as(t, resident)
		if r := c.get(t, "/account/verwijderen"); r.status != http.StatusOK || r.h1() != k.t("rights.erase.title") ||
			!strings.Contains(r.text(), k.t("rights.erase.kept_heading")) {
			t.Fatalf("page: status %d, h1 %q", r.status, r.h1())
		}

		unchanged := func(t *testing.T) {
			t.Helper()
			k.person(t, resident)
			if _, err := k.vault.Open(ctx, w.anna.ID, bind, before.Sealed); err != nil {
				t.Errorf("anna's story no longer opens: %v", err)
			}
		}
		t.Run("WrongPassword", func(t *testing.T) {
			r := c.post(t, "/account/verwijderen", url.Values{"password": {"not my password"}, "confirm": {"yes"}})
			if r.status != http.StatusUnprocessableEntity || r.fieldError("password") != k.t("field.password.wrong") {
				t.Errorf("status %d, password error %q", r.status, r.fieldError("password"))
			}
			unchanged(t)
		})
		t.Run("NotConfirmed", func(t *testing.T) {
			r := c.post(t, "/account/verwijderen", url.Values{"password": {seed.Password}})
			if r.status != http.StatusUnprocessableEntity || r.fieldError("confirm") != k.t("rights.erase.confirm_required") {
				t.Errorf("status %d, confirm error %q", r.status, r.fieldError("confirm"))
			}
			unchanged(t)
		})

		other := k.as(t, resident) // a second browser of anna's
		r := c.post(t, "/account/verwijderen", url.Values{"password": {seed.Password}, "confirm": {"yes"}})
		if r.status != http.StatusOK || r.h1() != k.t("rights.erase.done_title") {
			t.Fatalf("erase: status %d, h1 %q, alert %q", r.status, r.h1(), r.alert())
		}
		if got := r.header.Get("Clear-Site-Data"); !strings.Contains(got, `"cookies"`) {
			t.Errorf("Clear-Site-Data %q", got)
		}
		if _, err := db.FindPersonByEmail(ctx, resident); !errs.Is(err, errs.NotFound) {
			t.Errorf("anna is still stored: %v", err)
		}
		if r := other.get(t, "/account"); r.status != http.StatusSeeOther {
			t.Errorf("anna's other session still works: status %d", r.status)
		}
		res := k.client().post(t, "/inloggen", url.Values{"email": {resident}, "password": {seed.Password}})
		if res.status == http.StatusSeeOther {
			t.Error("anna can still log in")
		}
		if _, err := k.vault.Open(ctx, w.anna.ID, bind, before.Sealed); err == nil {
			t.Error("the copy taken before erasure still opens")
		}
		if _, err := k.story.Get(ctx, story.Reader{Person: w.carla}, w.anna.ID); err == nil {
			t.Error("carla still reads anna's story")
		}
		if _, err := k.story.Get(ctx, story.Reader{Person: w.jan}, w.jan.ID); err != nil {
			t.Errorf("jan's story suffered: %v", err)
		}
		rep, err := k.audit.Verify(ctx)
		if err != nil || !rep.OK() {
			t.Fatalf("audit verify: %v %+v", err, rep)
		}
		head, err := db.FindAuditHead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		all, err := db.FindAuditChain(ctx, 0, head.Seq, int(head.Seq)+1)
		if err != nil {
			t.Fatal(err)
		}
		erased := false
		for _, rec := range all {
			if v := fmt.Sprintf("%+v", rec); strings.Contains(v, resident) || strings.Contains(v, w.anna.DisplayName) {
				t.Errorf("audit record %d names anna: %s", rec.Seq, v)
			}
			if rec.EventID == "account.erase" && rec.SubjectID == w.anna.ID && rec.Category == "account" && rec.Action == "delete" {
				erased = true
			}
		}
		if !erased {
			t.Error("the erasure is not in the access log")
		}
	})
}
