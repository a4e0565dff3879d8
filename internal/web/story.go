package web

import (
	"context"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/story"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// storyReader is who reads or writes a story in this request, and whose
// story it is: the person's own, or, when a delegate switched to acting
// for a resident, that resident's. The story service checks the mandate.
func storyReader(rq *request) (story.Reader, string) {
	r := story.Reader{Person: *rq.person}
	if rq.session != nil && rq.session.ActingFor != "" {
		r.ActingFor = rq.session.ActingFor
		return r, r.ActingFor
	}
	return r, rq.person.ID
}

// storyView is what the story templates show: the story page, a saved
// version, the printable summary, the download and a grantee's view.
type storyView struct {
	Mode         string // "show", "version", "print", "download" or "shared"
	ResidentID   string
	ResidentName string // shown when it is not the reader's own story
	ActingFor    bool   // a delegate reads the story of the resident they act for
	Version      int
	SavedAt      time.Time
	SavedByName  string
	Empty        bool // nothing written yet
	FirstVisit   bool // a grantee reads this story for the first time
	Sections     []storySection
	Errors       Summary   // a grantee's comment that could not be added
	Now          time.Time // when the page or file was made
}

// storySection is one section of the story as shown.
type storySection struct {
	Key        string // the section: narrative, about or a life domain
	Text       string
	About      []storyPart // the "about me" answers
	Rating     int
	WantToTalk bool
	ChangedAt  time.Time
	Changed    bool // changed since the grantee's previous visit
	Comments   []story.Comment
	// For a grantee with read-and-comment access: the comment form.
	CanComment   bool
	CommentValue string
	CommentError string // message key
}

// storyPart is one answer of the "about me" section.
type storyPart struct {
	Key  string // message key suffix: what_matters, can_do_myself, who_helps, what_i_need
	Text string
}

// Blank reports whether the section holds nothing the resident wrote.
func (s storySection) Blank() bool {
	if s.Text != "" || s.Rating != 0 || s.WantToTalk {
		return false
	}
	for _, p := range s.About {
		if p.Text != "" {
			return false
		}
	}
	return true
}

// sectionsOf lays out the visible sections of a story in display order,
// with the comments on each.
func sectionsOf(st story.Story, comments []story.Comment, changed []string) []storySection {
	var out []storySection
	for _, key := range story.Sections() {
		if !st.Shows(key) {
			continue
		}
		s := storySection{Key: key}
		c := st.Content
		switch key {
		case story.SectionNarrative:
			s.Text, s.ChangedAt = c.Narrative, c.NarrativeChanged
		case story.SectionAbout:
			s.ChangedAt = c.AboutChanged
			s.About = []storyPart{
				{"what_matters", c.WhatMatters}, {"can_do_myself", c.CanDoMyself},
				{"who_helps", c.WhoHelps}, {"what_i_need", c.WhatINeed},
			}
		default:
			e := c.Entry(story.Domain(key))
			s.Text, s.Rating, s.WantToTalk, s.ChangedAt = e.Text, e.Rating, e.WantToTalk, e.ChangedAt
		}
		for _, cm := range comments {
			if cm.Section == key {
				s.Comments = append(s.Comments, cm)
			}
		}
		for _, ch := range changed {
			if ch == key {
				s.Changed = true
			}
		}
		out = append(out, s)
	}
	return out
}

// personName resolves a person's display name for showing who saved a
// version or whose story is shared; names are cached per request.
func (s *Server) personName(ctx context.Context, cache map[string]string, id string) (string, error) {
	if id == "" {
		return "", nil
	}
	if n, ok := cache[id]; ok {
		return n, nil
	}
	p, err := s.Identity.Person(ctx, id)
	if errs.Is(err, errs.NotFound) {
		cache[id] = ""
		return "", nil
	} else if err != nil {
		return "", err
	}
	cache[id] = p.DisplayName
	return p.DisplayName, nil
}

// Paragraphs splits a text the resident typed into its lines, each shown
// as a paragraph, so line breaks survive without styling (also in the
// downloaded file, which has none).
func (storySection) Paragraphs(text string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Shown reports whether the section appears in this view: the printed
// summary and the download leave out what is empty.
func (v storyView) Shown(s storySection) bool {
	return !(v.Mode == "print" || v.Mode == "download") || !s.Blank()
}
