package web

import (
	"net/http"

	"github.com/inwonercloud/inwonercloud/internal/app/story"
)

// ownStory builds the view of the story the person writes: their own, or
// that of the resident they act for.
func (s *Server) ownStory(r *http.Request, rq *request, mode string) (storyView, error) {
	ctx := r.Context()
	reader, residentID := storyReader(rq)
	reading, err := s.Story.Get(ctx, reader, residentID)
	if err != nil {
		return storyView{}, err
	}
	comments, err := s.Story.Comments(ctx, reader, residentID)
	if err != nil {
		return storyView{}, err
	}
	return s.viewOf(r, rq, mode, reading.Story, comments, nil)
}

// viewOf fills a storyView from a story as the reader may see it.
func (s *Server) viewOf(r *http.Request, rq *request, mode string, st story.Story, comments []story.Comment, changed []string) (storyView, error) {
	names := map[string]string{}
	v := storyView{
		Mode: mode, ResidentID: st.ResidentID, ActingFor: st.ResidentID != rq.person.ID,
		Version: st.Version, SavedAt: st.SavedAt, Empty: st.Version == 0,
		Sections: sectionsOf(st, comments, changed), Now: rq.now,
	}
	var err error
	if v.SavedByName, err = s.personName(r.Context(), names, st.SavedByID); err != nil {
		return storyView{}, err
	}
	if v.ActingFor {
		if v.ResidentName, err = s.personName(r.Context(), names, st.ResidentID); err != nil {
			return storyView{}, err
		}
	}
	return v, nil
}

func (s *Server) handleStoryShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := s.ownStory(r, rq, "show")
	if err != nil {
		return err
	}
	p := s.newPage(rq, r, "story", "story.title")
	p.Data = v
	return s.show(w, r, p)
}
