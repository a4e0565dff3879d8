package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// TestMarketCategory_Tree: the municipality admin adds, renames, moves and
// removes categories; one in use is not removed, with a clear message.
func TestMarketCategory_Tree(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		k := newPortalKit(t, db)
		hanna := k.as(t, tenantAdmin)
		tree := hanna.get(t, "/beheer/categorieen")
		if tree.status != 200 || tree.h1() != k.t("category.title") {
			t.Fatalf("status %d, heading %q", tree.status, tree.h1())
		}
		// Nested lists: Huishoudelijke hulp is inside Wonen en huishouden's item.
		nested := tree.html().first(func(n *node) bool {
			return n.tag == "li" && strings.HasPrefix(n.text(), "Wonen en huishouden") && n.first(func(m *node) bool { return m.tag == "ul" }) != nil
		})
		if nested == nil || !strings.Contains(nested.text(), "Huishoudelijke hulp") {
			t.Fatalf("no nested tree")
		}

		if r := hanna.post(t, "/beheer/categorieen", url.Values{"name": {""}}); r.status != 422 || r.fieldError("name") != k.t("field.name.required") {
			t.Errorf("empty name: status %d, %q", r.status, r.fieldError("name"))
		}
		if r := hanna.post(t, "/beheer/categorieen", url.Values{"name": {"Maaltijden"}, "parent": {k.cat["meedoen"].ID}}); r.status != 422 ||
			r.fieldError("name") != k.t("field.category_name.taken") || r.html().input("name").attr("value") != "Maaltijden" {
			t.Errorf("taken name: status %d, %q", r.status, r.fieldError("name"))
		}
		if r := hanna.post(t, "/beheer/categorieen", url.Values{"name": {"Hulp bij rouw"}, "parent": {k.cat["meedoen"].ID}}); r.status != 303 {
			t.Fatalf("create: status %d", r.status)
		}
		cats, err := k.market.Categories(context.Background(), k.muni["woerden"].ID)
		if err != nil {
			t.Fatal(err)
		}
		var rouw string
		for _, c := range cats {
			if c.Name == "Hulp bij rouw" && c.ParentID == k.cat["meedoen"].ID {
				rouw = c.ID
			}
		}
		if rouw == "" {
			t.Fatal("created category not stored under Meedoen")
		}

		// Rename and move to the top level.
		page := hanna.get(t, "/beheer/categorieen/"+rouw)
		if page.status != 200 || page.html().input("name").attr("value") != "Hulp bij rouw" || page.html().form("/beheer/categorieen/"+rouw+"/verwijderen") == nil {
			t.Fatalf("category page: status %d", page.status)
		}
		if r := hanna.post(t, "/beheer/categorieen/"+rouw, url.Values{"name": {"Rouw en verlies"}, "parent": {""}}); r.status != 303 {
			t.Fatalf("rename: status %d", r.status)
		}
		if r := hanna.get(t, "/beheer/categorieen"); !strings.Contains(r.text(), "Rouw en verlies") || !strings.Contains(r.text(), k.t("flash.category.updated")) {
			t.Errorf("tree does not show the new name")
		}
		// Moving a category under its own child is refused at the field.
		top := k.cat["wonen-en-huishouden"].ID
		if r := hanna.post(t, "/beheer/categorieen/"+top, url.Values{"name": {"Wonen en huishouden"}, "parent": {k.cat["maaltijden"].ID}}); r.status != 422 ||
			r.fieldError("parent") != k.t("field.parent.invalid") {
			t.Errorf("cycle: status %d, %q", r.status, r.fieldError("parent"))
		}

		// In use: not removed, and the page says why.
		k.submitThroughPortal(t, k.as(t, providerAdmin), "Schoonmaakhulp") // in Huishoudelijke hulp
		used := k.cat["huishoudelijke-hulp"].ID
		if r := hanna.get(t, "/beheer/categorieen/"+used); !strings.Contains(r.text(), k.t("category.delete.in_use")) || r.html().form("/beheer/categorieen/"+used+"/verwijderen") != nil {
			t.Errorf("in-use category offers removal")
		}
		r := hanna.post(t, "/beheer/categorieen/"+used+"/verwijderen", nil)
		if r.status != 422 || r.alert() != k.t("error.market.category_in_use") {
			t.Errorf("remove in use: status %d, alert %q", r.status, r.alert())
		}
		if _, err := db.FindCategoryByID(context.Background(), used); err != nil {
			t.Errorf("in-use category removed: %v", err)
		}
		// Unused: removed.
		if r := hanna.post(t, "/beheer/categorieen/"+rouw+"/verwijderen", nil); r.status != 303 {
			t.Fatalf("remove: status %d", r.status)
		}
		if _, err := db.FindCategoryByID(context.Background(), rouw); err == nil {
			t.Errorf("category not removed")
		}
		// Another municipality's admin cannot touch Woerden's tree.
		other := sqltest.Staff(t, db, k.muni["oudewater"], "tenant_admin", "beheer@oudewater.example")
		oc := k.as(t, other.Email)
		if r := oc.post(t, "/beheer/categorieen/"+k.cat["vervoer"].ID+"/verwijderen", nil); r.status != 404 {
			t.Errorf("other municipality's admin: status %d, want 404", r.status)
		}
	})
}
