package market

import (
	"regexp"
	"strings"
	"time"
)

// Category is a node in a municipality's tree of categories (HSDS
// taxonomy term). Each municipality manages its own tree; an offering has
// at most one category per municipality it serves.
type Category struct {
	ID             string
	MunicipalityID string
	ParentID       string // "" for a top-level category
	Name           string // e.g. "Huishoudelijke hulp"
	Slug           string // e.g. "huishoudelijke-hulp"; unique within the municipality
	CreatedAt      time.Time
}

// MaxCategoryNameLen is the longest category name, in characters.
const MaxCategoryNameLen = 80

var categorySlugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate checks a category on its own; the parent is checked by the Service.
func (c Category) Validate() error {
	f := fieldErrors{}
	f.text("name", c.Name, true, MaxCategoryNameLen, false)
	if len(c.Slug) > 60 || !categorySlugRE.MatchString(c.Slug) {
		f.Add("slug", "field.slug.invalid")
	}
	if c.MunicipalityID == "" {
		f.Add("municipality", "field.municipality.required")
	}
	return f.Err("market.Category")
}

// Slugify makes a slug from a name: "Hulp bij schulden" → "hulp-bij-schulden".
func Slugify(name string) string {
	return strings.Join(words(name), "-")
}

// Tree is a municipality's categories, for finding sub-categories.
type Tree struct {
	byID     map[string]Category
	children map[string][]string
}

// NewTree indexes categories by id and parent.
func NewTree(cats []Category) Tree {
	t := Tree{byID: map[string]Category{}, children: map[string][]string{}}
	for _, c := range cats {
		t.byID[c.ID] = c
		t.children[c.ParentID] = append(t.children[c.ParentID], c.ID)
	}
	return t
}

// Category returns one category.
func (t Tree) Category(id string) (Category, bool) {
	c, ok := t.byID[id]
	return c, ok
}

// Subtree returns the ids of a category and all categories below it.
func (t Tree) Subtree(id string) map[string]bool {
	out := map[string]bool{}
	var walk func(string)
	walk = func(id string) {
		if out[id] {
			return // a cycle cannot be stored, but never loop on one
		}
		out[id] = true
		for _, c := range t.children[id] {
			walk(c)
		}
	}
	if _, ok := t.byID[id]; ok {
		walk(id)
	}
	return out
}
