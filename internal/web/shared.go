package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/story"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
)

// sharedResident is one resident who shared something with the person,
// with each live grant.
type sharedResident struct {
	ID       string
	Name     string
	HasStory bool // a grant covers the story or part of it
	Grants   []sharedGrant
}

// sharedGrant is what one grant lets the person see, and until when.
type sharedGrant struct {
	Sections   []string // the story sections; "story" alone for the whole story
	Other      int      // categories of other apps
	Permission consent.Permission
	ValidUntil time.Time
}

// WholeStory reports whether the grant covers the whole story.
func (g sharedGrant) WholeStory() bool { return slices.Contains(g.Sections, story.Category) }

// sharedOf turns the live grants to the person into one entry per
// resident, in the order of the first grant.
func sharedOf(grants []consent.Grant) []sharedResident {
	var out []sharedResident
	at := map[string]int{}
	for _, g := range grants {
		sg := sharedGrant{Permission: g.Permission, ValidUntil: g.ValidUntil}
		for _, c := range g.Categories {
			switch {
			case c == story.Category:
				sg.Sections = append(sg.Sections, c)
			case strings.HasPrefix(c, story.Category+":"):
				sg.Sections = append(sg.Sections, strings.TrimPrefix(c, story.Category+":"))
			default:
				sg.Other++
			}
		}
		i, ok := at[g.GrantorID]
		if !ok {
			i = len(out)
			at[g.GrantorID] = i
			out = append(out, sharedResident{ID: g.GrantorID})
		}
		out[i].Grants = append(out[i].Grants, sg)
		if len(sg.Sections) > 0 {
			out[i].HasStory = true
		}
	}
	return out
}

func (s *Server) handleSharedList(w http.ResponseWriter, r *http.Request, rq *request) error {
	grants, err := s.Consent.GrantsTo(r.Context(), *rq.person)
	if err != nil {
		return err
	}
	list := sharedOf(grants)
	names := map[string]string{}
	for i := range list {
		// The resident shared with this person, so they may see the name.
		if list[i].Name, err = s.personName(r.Context(), names, list[i].ID); err != nil {
			return err
		}
	}
	p := s.newPage(rq, r, "shared", "shared.title")
	p.Data = list
	return s.show(w, r, p)
}
