package api

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
)

// Category is one category of a municipality's marketplace.
type Category struct {
	ID       string `json:"id" doc:"Het nummer van de categorie." example:"01hzx3k5m7q9s1v3x5z7b9d1f4"`
	ParentID string `json:"parentId" doc:"Het nummer van de categorie erboven; leeg voor een hoofdcategorie." example:""`
	Name     string `json:"name" doc:"De naam van de categorie." example:"Huishoudelijke hulp"`
	Slug     string `json:"slug" doc:"De korte naam van de categorie, uniek binnen de gemeente." example:"huishoudelijke-hulp"`
	Depth    int    `json:"depth" minimum:"0" doc:"Hoe diep de categorie in de boom zit: 0 voor een hoofdcategorie." example:"0"`
}

// CategoryList is a municipality's category tree, depth first.
type CategoryList struct {
	Categories []Category `json:"categories" nullable:"false" doc:"De categorieën als boom, diepte eerst: elke categorie staat direct na de categorie erboven en na de categorieën die daar eerder onder staan, op naam."`
}

type categoryListInput struct {
	Slug string `path:"slug" maxLength:"64" doc:"De korte naam van de gemeente." example:"woerden"`
}

type categoryListOutput struct{ Body CategoryList }

var categoryListDoc = huma.Operation{
	OperationID: "listMunicipalityCategories",
	Summary:     "Categorieën van het aanbod bekijken",
	Description: "Geeft de categorieën van het aanbod in een gemeente, als boom. Hiervoor hoef je niet in te loggen. Een gemeente die niet bestaat, geeft 404.",
	Tags:        []string{"Aanbod"},
	Errors:      []int{http.StatusBadRequest, http.StatusNotFound},
}

func (s *server) handleCategoryList(ctx context.Context, in *categoryListInput) (*categoryListOutput, error) {
	const op = "api.handleCategoryList"
	if s.market == nil {
		return nil, unavailable(op)
	}
	muni, err := s.tenants.MunicipalityBySlug(ctx, in.Slug)
	if err != nil {
		return nil, err
	}
	cats, err := s.market.Categories(ctx, muni.ID)
	if err != nil {
		return nil, err
	}
	return &categoryListOutput{Body: CategoryList{Categories: categoryTree(cats)}}, nil
}

// categoryTree orders cats depth first, siblings by name. A category
// whose parent is missing is treated as a top-level one.
func categoryTree(cats []market.Category) []Category {
	byID := map[string]bool{}
	for _, c := range cats {
		byID[c.ID] = true
	}
	children := map[string][]market.Category{}
	for _, c := range cats {
		parent := c.ParentID
		if !byID[parent] {
			parent = ""
		}
		children[parent] = append(children[parent], c)
	}
	out := make([]Category, 0, len(cats))
	seen := map[string]bool{}
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		list := children[parent]
		slices.SortFunc(list, func(a, b market.Category) int { return strings.Compare(a.Name, b.Name) })
		for _, c := range list {
			if seen[c.ID] {
				continue
			}
			seen[c.ID] = true
			p := c.ParentID
			if !byID[p] {
				p = ""
			}
			out = append(out, Category{ID: c.ID, ParentID: p, Name: c.Name, Slug: c.Slug, Depth: depth})
			walk(c.ID, depth+1)
		}
	}
	walk("", 0)
	return out
}
