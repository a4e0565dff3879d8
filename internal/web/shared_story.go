package web

import (
	"net/http"

	"github.com/inwonercloud/inwonercloud/internal/app/story"
	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// sharedStory builds the grantee's view of a resident's story: only the
// shared sections, what changed since the previous visit, the comments,
// and a comment form where the grant allows commenting. Without access
// the story service answers NotFound (and logs the refusal).
func (s *Server) sharedStory(r *http.Request, rq *request, residentID string) (storyView, error) {
	ctx := r.Context()
	// Always as oneself: "shared with me" never uses a mandate.
	reader := story.Reader{Person: *rq.person}
	reading, err := s.Story.Get(ctx, reader, residentID)
	if err != nil {
		return storyView{}, err
	}
	comments, err := s.Story.Comments(ctx, reader, residentID)
	if err != nil {
		return storyView{}, err
	}
	v, err := s.viewOf(r, rq, "shared", reading.Story, comments, reading.ChangedSince)
	if err != nil {
		return storyView{}, err
	}
	v.FirstVisit = reading.LastRead == 0
	if v.FirstVisit {
		for i := range v.Sections {
			v.Sections[i].Changed = false
		}
	}
	for i, sec := range v.Sections {
		// Whether to offer the form; AddComment checks again, and logs.
		d, err := s.Consent.Decide(ctx, *rq.person, "", residentID, consent.Request{
			Category: story.SectionCategory(sec.Key) + consent.CommentSuffix, Action: audit.ActionCreate})
		if err != nil {
			return storyView{}, err
		}
		v.Sections[i].CanComment = d.Allowed
	}
	return v, nil
}

func (s *Server) handleSharedStory(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := s.sharedStory(r, rq, r.PathValue("resident"))
	if err != nil {
		return err
	}
	p := s.newPage(rq, r, "story", "shared.story.title")
	p.Data = v
	return s.show(w, r, p)
}

// handleSharedComment adds a grantee's comment to one section. Without
// read-and-comment access to it the answer is the normal 404 page.
func (s *Server) handleSharedComment(w http.ResponseWriter, r *http.Request, rq *request) error {
	residentID, section := r.PathValue("resident"), r.PathValue("section")
	if !story.ValidSection(section) {
		return errs.E("web.handleSharedComment", errs.NotFound)
	}
	f, err := readForm(r, map[string]int{"body": story.MaxComment})
	if err != nil {
		return err
	}
	if f.Errors["body"] == "field.too_long" {
		f.Errors["body"] = "field.story.too_long"
	}
	if !f.HasErrors() {
		_, err = s.Story.AddComment(r.Context(), story.Reader{Person: *rq.person}, residentID, section, f.Values["body"])
		if err == nil {
			s.redirect(w, r, "/gedeeld/"+residentID+"/verhaal#sectie-"+section, "flash.comment_added")
			return nil
		}
		if len(errs.FieldsOf(err)) == 0 {
			return err
		}
		f.merge(err)
	}
	v, err := s.sharedStory(r, rq, residentID)
	if err != nil {
		return err
	}
	for i := range v.Sections {
		if v.Sections[i].Key == section {
			v.Sections[i].CommentValue = f.Values["body"]
			v.Sections[i].CommentError = f.Errors["body"]
		}
	}
	p := s.newPage(rq, r, "story", "shared.story.title")
	if k := f.Errors["body"]; k != "" {
		v.Errors = Summary{Heading: p.T("error.invalid"), Errors: []FieldError{{ID: "f-comment-" + section, Message: p.T(k)}}}
	}
	p.Form = f
	p.Data = v
	return s.show(w, r, p)
}
