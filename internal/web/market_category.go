package web

import (
	"net/http"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

// The category tree of a municipality's marketplace, managed by its
// admin: the page shows the tree as nested lists with a form to add a
// category; each category has its own page to rename, move or remove it.

// categoryNode is a category with the ones below it.
type categoryNode struct {
	market.Category
	Children []categoryNode
}

// categoryTreeData is what the tree page shows.
type categoryTreeData struct {
	Municipality tenant.Municipality
	Tree         []categoryNode
	Options      []categoryOption // for the parent select
}

// categoryEditData is what a category's page shows.
type categoryEditData struct {
	Municipality tenant.Municipality
	Category     market.Category
	Options      []categoryOption // possible parents: not itself nor below it
	InUse        int
	HasChildren  bool
}

// categoryMunicipality returns the municipality whose tree the person
// manages: the request's municipality when they are its admin, else the
// first where they are.
func (s *Server) categoryMunicipality(r *http.Request, rq *request) (tenant.Municipality, error) {
	if rq.person == nil {
		return tenant.Municipality{}, errApproval
	}
	if rq.person.HasIn(identity.RoleTenantAdmin, rq.municipality.ID) {
		return rq.municipality, nil
	}
	for _, a := range rq.person.Roles {
		if a.Role == identity.RoleTenantAdmin && a.MunicipalityID != "" {
			return s.Tenants.Municipality(r.Context(), a.MunicipalityID)
		}
	}
	return tenant.Municipality{}, errApproval
}

// categoryNodes builds the tree from a flat list, siblings by name.
func categoryNodes(cats []market.Category) []categoryNode {
	children := map[string][]market.Category{}
	for _, c := range cats {
		children[c.ParentID] = append(children[c.ParentID], c)
	}
	var build func(parent string, depth int) []categoryNode
	build = func(parent string, depth int) []categoryNode {
		if depth > 8 {
			return nil
		}
		var out []categoryNode
		for _, c := range children[parent] {
			out = append(out, categoryNode{Category: c, Children: build(c.ID, depth+1)})
		}
		return out
	}
	return build("", 0)
}

// handleCategoryTree shows the municipality's tree and the form to add one.
func (s *Server) handleCategoryTree(w http.ResponseWriter, r *http.Request, rq *request) error {
	m, err := s.categoryMunicipality(r, rq)
	if err != nil {
		return err
	}
	p := s.newPage(rq, r, "market_category", "category.title")
	return s.showCategoryTree(w, r, p, m)
}

func (s *Server) showCategoryTree(w http.ResponseWriter, r *http.Request, p Page, m tenant.Municipality) error {
	cats, err := s.Market.Categories(r.Context(), m.ID)
	if err != nil {
		return err
	}
	p.Data = categoryTreeData{Municipality: m, Tree: categoryNodes(cats), Options: categoryOptions(cats)}
	return s.show(w, r, p)
}

// categoryFields are the category form's fields.
var categoryFields = map[string]int{"name": market.MaxCategoryNameLen, "parent": 64}

// handleCategoryCreate adds a category.
func (s *Server) handleCategoryCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	m, err := s.categoryMunicipality(r, rq)
	if err != nil {
		return err
	}
	p := s.newPage(rq, r, "market_category", "category.title")
	form, err := readForm(r, categoryFields)
	if err != nil {
		return err
	}
	p.Form = form
	if !form.HasErrors() {
		_, err := s.Market.CreateCategory(r.Context(), rq.person, market.Category{MunicipalityID: m.ID, Name: form.Values["name"], ParentID: form.Values["parent"]})
		if err == nil {
			s.redirect(w, r, "/beheer/categorieen", "flash.category.created")
			return nil
		}
		if err := formError(&p, categoryNameError(err)); err != nil {
			return err
		}
	}
	return s.showCategoryTree(w, r, p, m)
}

// categoryNameError shows a slug problem at the name, the field the admin
// typed: the slug is made from it.
func categoryNameError(err error) error {
	f := errs.FieldsOf(err)
	if k, ok := f["slug"]; ok {
		if _, named := f["name"]; !named {
			if k == "field.slug.taken" {
				k = "field.category_name.taken"
			} else {
				k = "field.category_name.invalid"
			}
			return errs.E("web.category", errs.Invalid, errs.Key("error.invalid"), errs.Fields{"name": k})
		}
	}
	return err
}

// handleCategoryShow shows one category with its rename, move and remove forms.
func (s *Server) handleCategoryShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.newPage(rq, r, "market_category_edit", "category.edit.title")
	return s.showCategory(w, r, rq, p, true)
}

func (s *Server) showCategory(w http.ResponseWriter, r *http.Request, rq *request, p Page, fill bool) error {
	m, err := s.categoryMunicipality(r, rq)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	n, err := s.Market.CategoryUse(r.Context(), rq.person, id)
	if err != nil {
		return err
	}
	cats, err := s.Market.Categories(r.Context(), m.ID)
	if err != nil {
		return err
	}
	tree := market.NewTree(cats)
	c, ok := tree.Category(id)
	if !ok {
		// Another municipality's category, which this admin also manages:
		// show it within its own tree.
		all, err := s.Market.Categories(r.Context(), "")
		if err != nil {
			return err
		}
		for _, x := range all {
			if x.ID == id {
				c = x
			}
		}
		if m, err = s.Tenants.Municipality(r.Context(), c.MunicipalityID); err != nil {
			return err
		}
		if cats, err = s.Market.Categories(r.Context(), m.ID); err != nil {
			return err
		}
		tree = market.NewTree(cats)
	}
	below := tree.Subtree(c.ID)
	d := categoryEditData{Municipality: m, Category: c, InUse: n, HasChildren: len(below) > 1}
	for _, o := range categoryOptions(cats) {
		if !below[o.ID] {
			d.Options = append(d.Options, o)
		}
	}
	if fill {
		p.Form.Values = map[string]string{"name": c.Name, "parent": c.ParentID}
	}
	p.Data = d
	return s.show(w, r, p)
}

// handleCategoryUpdate renames or moves a category.
func (s *Server) handleCategoryUpdate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if _, err := s.categoryMunicipality(r, rq); err != nil {
		return err
	}
	p := s.newPage(rq, r, "market_category_edit", "category.edit.title")
	form, err := readForm(r, categoryFields)
	if err != nil {
		return err
	}
	p.Form = form
	if !form.HasErrors() {
		_, err := s.Market.UpdateCategory(r.Context(), rq.person, r.PathValue("id"), form.Values["name"], form.Values["parent"])
		if err == nil {
			s.redirect(w, r, "/beheer/categorieen", "flash.category.updated")
			return nil
		}
		if errs.Is(err, errs.NotFound) {
			return err
		}
		if err := formError(&p, categoryNameError(err)); err != nil {
			return err
		}
	}
	return s.showCategory(w, r, rq, p, false)
}

// handleCategoryDelete removes a category nothing uses; otherwise the
// category's page says why not.
func (s *Server) handleCategoryDelete(w http.ResponseWriter, r *http.Request, rq *request) error {
	if _, err := s.categoryMunicipality(r, rq); err != nil {
		return err
	}
	err := s.Market.DeleteCategory(r.Context(), rq.person, r.PathValue("id"))
	if err == nil {
		s.redirect(w, r, "/beheer/categorieen", "flash.category.deleted")
		return nil
	}
	if !errs.Is(err, errs.Conflict) {
		return err
	}
	p := s.newPage(rq, r, "market_category_edit", "category.edit.title")
	p.Alert = errs.KeyOf(err)
	return s.showCategory(w, r, rq, p, true)
}
