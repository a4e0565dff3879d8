package web

import (
	"net/http"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

type municipalitiesData struct {
	Municipalities []tenant.Municipality
	Themes         []string
}

func (s *Server) municipalitiesPage(rq *request, r *http.Request) (Page, error) {
	list, err := s.Tenants.Municipalities(r.Context())
	if err != nil {
		return Page{}, err
	}
	p := s.newPage(rq, r, "admin_municipalities", "municipalities.title")
	p.Data = municipalitiesData{Municipalities: list, Themes: tenant.Themes}
	return p, nil
}

func requirePlatformAdmin(rq *request) error {
	if !rq.person.Has(identity.RolePlatformAdmin) {
		return errs.E("web.requirePlatformAdmin", errs.NotFound)
	}
	return nil
}

func (s *Server) handleMunicipalitiesShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := requirePlatformAdmin(rq); err != nil {
		return err
	}
	p, err := s.municipalitiesPage(rq, r)
	if err != nil {
		return err
	}
	p.Form.Values["theme"] = "default"
	return s.show(w, r, p)
}

func (s *Server) handleMunicipalityCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := requirePlatformAdmin(rq); err != nil {
		return err
	}
	p, err := s.municipalitiesPage(rq, r)
	if err != nil {
		return err
	}
	f, err := readForm(r, map[string]int{"name": identity.MaxNameLen, "slug": 40, "host": 253, "theme": 40})
	if err != nil {
		return err
	}
	p.Form = f
	if !f.HasErrors() {
		_, err := s.Tenants.CreateMunicipality(r.Context(), rq.person, tenant.Municipality{
			Name: f.Values["name"], Slug: f.Values["slug"], Host: f.Values["host"], Theme: f.Values["theme"],
		})
		if err == nil {
			s.redirect(w, r, "/beheer/gemeenten", "flash.municipality_added")
			return nil
		}
		if err := formError(&p, err); err != nil {
			return err
		}
	}
	return s.show(w, r, p)
}
