package market

import (
	"context"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Changing a municipality's category tree. Only its admin does this (nil:
// the command line). A category keeps its id through a rename or a move,
// so offerings keep it; its slug follows the new name. A category is
// removed only when no offering uses it, not even in a change awaiting
// approval, and when it has no sub-categories: nothing ever points to a
// category that is gone.

// UpdateCategory renames a category and moves it under parentID ("" for
// the top level). The new parent must belong to the same municipality
// and may not be the category itself or one below it.
func (s *Service) UpdateCategory(ctx context.Context, actor *identity.Person, id, name, parentID string) (Category, error) {
	const op = "market.UpdateCategory"
	cur, err := s.categoryFor(ctx, op, actor, id)
	if err != nil {
		return Category{}, err
	}
	c := cur
	c.Name, c.ParentID = strings.TrimSpace(name), strings.TrimSpace(parentID)
	c.Slug = Slugify(c.Name)
	if err := c.Validate(); err != nil {
		return Category{}, errs.E(op, err)
	}
	if c.ParentID != "" {
		all, err := s.store.FindCategories(ctx, c.MunicipalityID)
		if err != nil {
			return Category{}, errs.E(op, err)
		}
		t := NewTree(all)
		if _, ok := t.Category(c.ParentID); !ok || t.Subtree(c.ID)[c.ParentID] {
			return Category{}, errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"parent": "field.parent.invalid"})
		}
	}
	if err := s.store.UpdateCategory(ctx, &c); err != nil {
		if errs.Is(err, errs.Conflict) {
			return Category{}, errs.E(op, errs.Conflict, errs.Key("error.invalid"), errs.Fields{"slug": "field.slug.taken"}, err)
		}
		return Category{}, errs.E(op, err)
	}
	s.index.changed()
	return c, nil
}

// DeleteCategory removes a category that no offering uses and that has no
// sub-categories; otherwise it answers Conflict with
// error.market.category_in_use or error.market.category_has_children.
func (s *Service) DeleteCategory(ctx context.Context, actor *identity.Person, id string) error {
	const op = "market.DeleteCategory"
	c, err := s.categoryFor(ctx, op, actor, id)
	if err != nil {
		return err
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		all, err := s.store.FindCategories(ctx, c.MunicipalityID)
		if err != nil {
			return err
		}
		for _, other := range all {
			if other.ParentID == c.ID {
				return errs.E(op, errs.Conflict, errs.Key("error.market.category_has_children"))
			}
		}
		n, err := s.store.CategoryInUse(ctx, c.ID)
		if err != nil {
			return err
		}
		if n > 0 {
			return errs.E(op, errs.Conflict, errs.Key("error.market.category_in_use"))
		}
		return s.store.DeleteCategory(ctx, c.ID)
	})
	if err != nil {
		return errs.E(op, err)
	}
	s.index.changed()
	return nil
}

// CategoryUse counts the offerings that use a category, for the admin's
// page; actor must be the municipality's admin.
func (s *Service) CategoryUse(ctx context.Context, actor *identity.Person, id string) (int, error) {
	const op = "market.CategoryUse"
	c, err := s.categoryFor(ctx, op, actor, id)
	if err != nil {
		return 0, err
	}
	n, err := s.store.CategoryInUse(ctx, c.ID)
	if err != nil {
		return 0, errs.E(op, err)
	}
	return n, nil
}

// categoryFor reads a category for a change by actor, its municipality's
// admin. Another municipality's category answers NotFound.
func (s *Service) categoryFor(ctx context.Context, op string, actor *identity.Person, id string) (Category, error) {
	c, err := s.store.FindCategoryByID(ctx, id)
	if errs.Is(err, errs.NotFound) {
		return Category{}, errs.E(op, errs.NotFound, errNotFound, err)
	} else if err != nil {
		return Category{}, errs.E(op, err)
	}
	if actor != nil && !actor.HasIn(identity.RoleTenantAdmin, c.MunicipalityID) {
		return Category{}, errs.E(op, errs.NotFound, errNotFound)
	}
	return c, nil
}
