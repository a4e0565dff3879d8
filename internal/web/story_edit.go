package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/app/story"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// storyEditData is what the edit form needs beyond the form values.
type storyEditData struct {
	ActingFor    bool
	ResidentName string
	Domains      []story.Domain
	Ratings      []int // the choices of each rating, 1 to 5 (0 is "not said")
}

// The form's text fields outside the life domains, with their limits.
var storyTextFields = map[string]int{
	"narrative": story.MaxNarrative, "what_matters": story.MaxText, "can_do_myself": story.MaxText,
	"who_helps": story.MaxText, "what_i_need": story.MaxText,
}

func (s *Server) storyEditPage(r *http.Request, rq *request) (Page, error) {
	p := s.newPage(rq, r, "story_edit", "story.edit.title")
	_, residentID := storyReader(rq)
	d := storyEditData{ActingFor: residentID != rq.person.ID, Domains: story.Domains, Ratings: []int{1, 2, 3, 4, 5}}
	if d.ActingFor {
		name, err := s.personName(r.Context(), map[string]string{}, residentID)
		if err != nil {
			return Page{}, err
		}
		d.ResidentName = name
	}
	p.Data = d
	return p, nil
}

func (s *Server) handleStoryEditShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.storyEditPage(r, rq)
	if err != nil {
		return err
	}
	reader, residentID := storyReader(rq)
	reading, err := s.Story.Get(r.Context(), reader, residentID)
	if err != nil {
		return err
	}
	c := reading.Content
	v := p.Form.Values
	v["narrative"], v["what_matters"], v["can_do_myself"], v["who_helps"], v["what_i_need"] = c.Narrative, c.WhatMatters, c.CanDoMyself, c.WhoHelps, c.WhatINeed
	for _, d := range story.Domains {
		e := c.Entry(d)
		v[string(d)+"_text"] = e.Text
		v[string(d)+"_rating"] = strconv.Itoa(e.Rating)
		if e.WantToTalk {
			v[string(d)+"_talk"] = "1"
		}
	}
	return s.show(w, r, p)
}

// handleStoryEdit saves the whole story in one version: a wrong field
// shows the form again with every input kept, and nothing is saved.
func (s *Server) handleStoryEdit(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.storyEditPage(r, rq)
	if err != nil {
		return err
	}
	limits := map[string]int{}
	for k, v := range storyTextFields {
		limits[k] = v
	}
	for _, d := range story.Domains {
		limits[string(d)+"_text"], limits[string(d)+"_rating"], limits[string(d)+"_talk"] = story.MaxText, 1, 1
	}
	f, err := readForm(r, limits)
	if err != nil {
		return err
	}
	p.Form = f
	for name, key := range f.Errors {
		switch {
		case strings.HasSuffix(name, "_rating") || strings.HasSuffix(name, "_talk"):
			f.Errors[name] = "field.story.rating"
		case key == "field.too_long":
			f.Errors[name] = "field.story.too_long"
		}
	}
	c := story.Content{
		Narrative: f.Values["narrative"], WhatMatters: f.Values["what_matters"], CanDoMyself: f.Values["can_do_myself"],
		WhoHelps: f.Values["who_helps"], WhatINeed: f.Values["what_i_need"], Domains: map[story.Domain]story.DomainEntry{},
	}
	for _, d := range story.Domains {
		e := story.DomainEntry{Text: f.Values[string(d)+"_text"], WantToTalk: f.Values[string(d)+"_talk"] != ""}
		if rv := f.Values[string(d)+"_rating"]; rv != "" {
			n, err := strconv.Atoi(rv)
			if err != nil || n < 0 || n > 5 {
				f.Errors[string(d)+"_rating"] = "field.story.rating"
			}
			e.Rating = n
		}
		if e != (story.DomainEntry{}) {
			c.Domains[d] = e
		}
	}
	if !f.HasErrors() {
		reader, residentID := storyReader(rq)
		_, err := s.Story.Save(r.Context(), reader, residentID, c)
		if err == nil {
			s.redirect(w, r, "/verhaal", "flash.story_saved")
			return nil
		}
		if len(errs.FieldsOf(err)) == 0 {
			return err
		}
		p.Form.merge(err)
	}
	return s.show(w, r, p)
}

// storyFieldOrder lists the form's fields in page order, for the error
// summary.
func storyFieldOrder() string {
	out := "narrative what_matters can_do_myself who_helps what_i_need"
	for _, d := range story.Domains {
		out += " " + string(d) + "_text " + string(d) + "_rating " + string(d) + "_talk"
	}
	return out
}

// SummaryOrder is the order of the story form's fields, for the template.
func (storyEditData) SummaryOrder() string { return storyFieldOrder() }
