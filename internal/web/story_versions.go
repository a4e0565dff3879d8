package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// versionRow is one line of the version list.
type versionRow struct {
	Number      int
	SavedAt     time.Time
	SavedByName string
	Changed     []string // sections
}

type storyVersionsData struct {
	ActingFor    bool
	ResidentName string
	Versions     []versionRow
}

func (s *Server) handleStoryVersions(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	reader, residentID := storyReader(rq)
	list, err := s.Story.Versions(ctx, reader, residentID)
	if err != nil {
		return err
	}
	names := map[string]string{}
	d := storyVersionsData{ActingFor: residentID != rq.person.ID}
	if d.ActingFor {
		if d.ResidentName, err = s.personName(ctx, names, residentID); err != nil {
			return err
		}
	}
	for _, v := range list {
		name, err := s.personName(ctx, names, v.SavedByID)
		if err != nil {
			return err
		}
		d.Versions = append(d.Versions, versionRow{Number: v.Number, SavedAt: v.SavedAt, SavedByName: name, Changed: v.Changed})
	}
	p := s.newPage(rq, r, "story_versions", "story.versions.title")
	p.Data = d
	return s.show(w, r, p)
}

func (s *Server) handleStoryVersion(w http.ResponseWriter, r *http.Request, rq *request) error {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		return errs.E("web.handleStoryVersion", errs.NotFound)
	}
	reader, residentID := storyReader(rq)
	st, err := s.Story.Version(r.Context(), reader, residentID, n)
	if err != nil {
		return err
	}
	v, err := s.viewOf(r, rq, "version", st, nil, nil)
	if err != nil {
		return err
	}
	p := s.newPage(rq, r, "story", "story.version.title")
	p.Data = v
	return s.show(w, r, p)
}
