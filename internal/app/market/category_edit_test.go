package market_test

import (
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestService_UpdateCategory(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		k := newKit(t, db)
		taal := k.cat["taal"]

		t.Run("OK", func(t *testing.T) {
			c, err := k.svc.UpdateCategory(ctx, &k.woerdenAdmin, taal.ID, " Taal en lezen ", k.cat["geld-en-schulden"].ID)
			must(t, err)
			if c.Name != "Taal en lezen" || c.Slug != "taal-en-lezen" || c.ParentID != k.cat["geld-en-schulden"].ID || c.ID != taal.ID {
				t.Fatalf("updated %+v", c)
			}
			list, err := k.svc.Categories(ctx, k.woerden.ID)
			must(t, err)
			tree := market.NewTree(list)
			if got, _ := tree.Category(taal.ID); got.Name != "Taal en lezen" {
				t.Errorf("stored %+v", got)
			}
			if !tree.Subtree(k.cat["geld-en-schulden"].ID)[taal.ID] {
				t.Errorf("not moved under Geld en schulden")
			}
			// To the top level.
			c, err = k.svc.UpdateCategory(ctx, &k.woerdenAdmin, taal.ID, "Taal", "")
			must(t, err)
			if c.ParentID != "" {
				t.Errorf("parent %q, want top level", c.ParentID)
			}
		})
		t.Run("ErrCycle", func(t *testing.T) {
			top := k.cat["wonen-en-huishouden"]
			_, err := k.svc.UpdateCategory(ctx, &k.woerdenAdmin, top.ID, top.Name, k.cat["maaltijden"].ID)
			wantProblem(t, err, invalid(map[string]string{"parent": "field.parent.invalid"}))
			_, err = k.svc.UpdateCategory(ctx, &k.woerdenAdmin, top.ID, top.Name, top.ID)
			wantProblem(t, err, invalid(map[string]string{"parent": "field.parent.invalid"}))
		})
		t.Run("ErrOtherMunicipalityParent", func(t *testing.T) {
			_, err := k.svc.UpdateCategory(ctx, &k.woerdenAdmin, k.cat["vervoer"].ID, "Vervoer", k.oudeCat["meedoen"].ID)
			wantProblem(t, err, invalid(map[string]string{"parent": "field.parent.invalid"}))
		})
		t.Run("ErrFields", func(t *testing.T) {
			_, err := k.svc.UpdateCategory(ctx, &k.woerdenAdmin, k.cat["vervoer"].ID, " ", "")
			wantProblem(t, err, invalid(map[string]string{"name": "field.name.required", "slug": "field.slug.invalid"}))
			_, err = k.svc.UpdateCategory(ctx, &k.woerdenAdmin, k.cat["vervoer"].ID, "Mantelzorg", "")
			wantProblem(t, err, problem{Kind: errs.Conflict, Key: "error.invalid", Fields: map[string]string{"slug": "field.slug.taken"}})
		})
		t.Run("ErrNotTheirs", func(t *testing.T) {
			_, err := k.svc.UpdateCategory(ctx, &k.oudeAdmin, k.cat["vervoer"].ID, "Reizen", "")
			wantProblem(t, err, notFound)
			_, err = k.svc.UpdateCategory(ctx, &k.woerdenConsultant, k.cat["vervoer"].ID, "Reizen", "")
			wantProblem(t, err, notFound)
			_, err = k.svc.UpdateCategory(ctx, &k.woerdenAdmin, "bestaat-niet", "Reizen", "")
			wantProblem(t, err, notFound)
			got, err := db.FindCategoryByID(ctx, k.cat["vervoer"].ID)
			must(t, err)
			if got.Name != "Vervoer" {
				t.Errorf("changed by someone not allowed: %q", got.Name)
			}
		})
	})
}

func TestService_DeleteCategory(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		k := newKit(t, db)

		t.Run("OK", func(t *testing.T) {
			must(t, k.svc.DeleteCategory(ctx, &k.woerdenAdmin, k.cat["vervoer"].ID))
			_, err := db.FindCategoryByID(ctx, k.cat["vervoer"].ID)
			if !errs.Is(err, errs.NotFound) {
				t.Errorf("still stored: %v", err)
			}
		})
		t.Run("ErrInUse", func(t *testing.T) {
			c := k.content("Hulp in huis")
			c.CategoryIDs = []string{k.cat["maaltijden"].ID}
			k.publish(t, k.groeneHartAdmin, k.groeneHart, c, k.woerdenAdmin)
			n, err := k.svc.CategoryUse(ctx, &k.woerdenAdmin, k.cat["maaltijden"].ID)
			must(t, err)
			if n != 1 {
				t.Errorf("use = %d, want 1", n)
			}
			err = k.svc.DeleteCategory(ctx, &k.woerdenAdmin, k.cat["maaltijden"].ID)
			wantProblem(t, err, problem{Kind: errs.Conflict, Key: "error.market.category_in_use"})
		})
		t.Run("ErrInUseByDraft", func(t *testing.T) {
			c := k.content("Nog een concept")
			c.CategoryIDs = []string{k.cat["taal"].ID}
			_, err := k.svc.CreateOffering(ctx, &k.groeneHartAdmin, k.groeneHart.ID, c, false)
			must(t, err)
			err = k.svc.DeleteCategory(ctx, &k.woerdenAdmin, k.cat["taal"].ID)
			wantProblem(t, err, problem{Kind: errs.Conflict, Key: "error.market.category_in_use"})
		})
		t.Run("ErrInUseByPendingChange", func(t *testing.T) {
			o := k.publish(t, k.groeneHartAdmin, k.groeneHart, k.content("Schoonmaakhulp"), k.woerdenAdmin)
			c := k.content("Schoonmaakhulp")
			c.CategoryIDs = []string{k.cat["eenzaamheid"].ID}
			_, err := k.svc.UpdateOffering(ctx, &k.groeneHartAdmin, o.ID, o.Version, c, true)
			must(t, err)
			err = k.svc.DeleteCategory(ctx, &k.woerdenAdmin, k.cat["eenzaamheid"].ID)
			wantProblem(t, err, problem{Kind: errs.Conflict, Key: "error.market.category_in_use"})
		})
		t.Run("ErrHasChildren", func(t *testing.T) {
			err := k.svc.DeleteCategory(ctx, &k.woerdenAdmin, k.cat["geld-en-schulden"].ID)
			wantProblem(t, err, problem{Kind: errs.Conflict, Key: "error.market.category_has_children"})
		})
		t.Run("ErrNotTheirs", func(t *testing.T) {
			err := k.svc.DeleteCategory(ctx, &k.oudeAdmin, k.cat["jeugd-en-gezin"].ID)
			wantProblem(t, err, notFound)
			err = k.svc.DeleteCategory(ctx, &k.groeneHartAdmin, k.cat["jeugd-en-gezin"].ID)
			wantProblem(t, err, notFound)
			if _, err := db.FindCategoryByID(ctx, k.cat["jeugd-en-gezin"].ID); err != nil {
				t.Errorf("removed by someone not allowed: %v", err)
			}
		})
		t.Run("SearchSeesTheChange", func(t *testing.T) {
			c := k.content("Vervoer naar de dagbesteding")
			c.CategoryIDs = []string{k.cat["dagbesteding"].ID}
			k.publish(t, k.groeneHartAdmin, k.groeneHart, c, k.woerdenAdmin)
			// Moving Dagbesteding under Mantelzorg puts the offering in
			// Mantelzorg's subtree at once.
			_, err := k.svc.UpdateCategory(ctx, &k.woerdenAdmin, k.cat["dagbesteding"].ID, "Dagbesteding", k.cat["mantelzorg"].ID)
			must(t, err)
			got := k.search(t, nil, market.Query{MunicipalityID: k.woerden.ID, CategoryID: k.cat["mantelzorg"].ID})
			if got.Total != 1 || got.Hits[0].Offering.Title != "Vervoer naar de dagbesteding" {
				t.Errorf("search in the new parent = %q", titles(got))
			}
		})
	})
}

func TestService_QueueConsultant(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		k := newKit(t, db)
		o, err := k.svc.CreateOffering(ctx, &k.groeneHartAdmin, k.groeneHart.ID, k.content("Wacht op de gemeente"), true)
		must(t, err)
		// A consultant looks at the queue, but cannot decide.
		queue, err := k.svc.Queue(ctx, &k.woerdenConsultant, k.woerden.ID)
		must(t, err)
		if len(queue) != 1 || queue[0].Offering.ID != o.ID {
			t.Fatalf("consultant's queue = %+v", queue)
		}
		_, err = k.svc.Approve(ctx, &k.woerdenConsultant, o.ID, o.Version)
		wantProblem(t, err, forbidden)
		_, err = k.svc.Queue(ctx, &k.woerdenConsultant, k.oudewater.ID)
		wantProblem(t, err, forbidden)
		_, err = k.svc.Queue(ctx, &k.groeneHartAdmin, k.woerden.ID)
		wantProblem(t, err, forbidden)
		_, err = k.svc.Queue(ctx, &k.resident, k.woerden.ID)
		wantProblem(t, err, forbidden)
	})
}

func TestService_PublishedOfferings(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		k := newKit(t, db)
		pub := k.publish(t, k.groeneHartAdmin, k.groeneHart, k.content("Gepubliceerd aanbod"), k.woerdenAdmin)
		_, err := k.svc.UpdateOffering(ctx, &k.groeneHartAdmin, pub.ID, pub.Version, k.content("Nieuwe titel in afwachting"), true)
		must(t, err)
		_, err = k.svc.CreateOffering(ctx, &k.groeneHartAdmin, k.groeneHart.ID, k.content("Concept"), false)
		must(t, err)
		_, err = k.svc.CreateOffering(ctx, &k.groeneHartAdmin, k.groeneHart.ID, k.content("Ingediend"), true)
		must(t, err)
		list, err := k.svc.PublishedOfferings(ctx, k.groeneHart.ID)
		must(t, err)
		if len(list) != 1 || list[0].Title != "Gepubliceerd aanbod" {
			t.Fatalf("published = %+v", list)
		}
		counts, err := k.svc.ProvidersOf(ctx, []string{pub.ID, "weg"})
		must(t, err)
		if len(counts) != 1 || counts[k.groeneHart.ID] != 1 {
			t.Errorf("providers of = %v", counts)
		}
		_, err = k.svc.PublishedOfferings(ctx, "bestaat-niet")
		if !errs.Is(err, errs.NotFound) {
			t.Errorf("unknown provider: %v", err)
		}
	})
}
