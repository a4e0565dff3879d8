package story

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// Domain is a life domain of the story, and a section that can be shared
// on its own.
type Domain string

// The life domains, in the order the story shows them.
const (
	Finances Domain = "finances" // financiën
	Housing  Domain = "housing"  // wonen
	Work     Domain = "work"     // werk en dagbesteding
	Health   Domain = "health"   // lichamelijke gezondheid
	Mental   Domain = "mental"   // psychisch welbevinden
	Family   Domain = "family"   // gezin en relaties
	Network  Domain = "network"  // sociaal netwerk
	Daily    Domain = "daily"    // dagelijks leven, zelfzorg
	Caring   Domain = "caring"   // zorg voor anderen (mantelzorg)
	Law      Domain = "law"      // justitie en de wet
)

// Domains lists every life domain in display order.
var Domains = []Domain{Finances, Housing, Work, Health, Mental, Family, Network, Daily, Caring, Law}

// Section names that are not life domains but can be shared on their own.
const (
	// SectionNarrative is the free story in the resident's own words.
	SectionNarrative = "narrative"
	// SectionAbout holds what matters to me, what I can do myself, who
	// helps me already and what I need.
	SectionAbout = "about"
)

// Sections lists every shareable section: the narrative, the "about me"
// part and the life domains.
func Sections() []string {
	out := []string{SectionNarrative, SectionAbout}
	for _, d := range Domains {
		out = append(out, string(d))
	}
	return out
}

// ValidSection reports whether s names a section.
func ValidSection(s string) bool { return slices.Contains(Sections(), s) }

// Category is the consent data category of the whole story; a section's
// category is Category + ":" + section.
const Category = "story"

// SectionCategory is the consent category of one section.
func SectionCategory(section string) string { return Category + ":" + section }

// Limits on the resident's texts, in characters.
const (
	MaxNarrative = 20000
	MaxText      = 5000
	MaxComment   = 2000
)

// DomainEntry is what the resident says about one life domain.
type DomainEntry struct {
	Text       string
	Rating     int  // how things are going: 1 (very badly) to 5 (very well); 0 = not said
	WantToTalk bool // "ik wil hierover praten"
	// ChangedAt is when this section last changed (set by the service).
	ChangedAt time.Time
}

// Content is one version of the story: what the resident wrote.
type Content struct {
	Narrative        string
	NarrativeChanged time.Time
	WhatMatters      string // wat vind ik belangrijk
	CanDoMyself      string // wat kan ik zelf
	WhoHelps         string // wie helpt mij al
	WhatINeed        string // wat heb ik nodig
	AboutChanged     time.Time
	Domains          map[Domain]DomainEntry
}

// Entry returns the entry of a domain, empty when there is none.
func (c Content) Entry(d Domain) DomainEntry { return c.Domains[d] }

// Validate checks the resident's texts; field names are the form's.
func (c Content) Validate() error {
	f := errs.Fields{}
	text := func(field, v string, max int) {
		switch {
		case !utf8.ValidString(v):
			f.Add(field, "field.invalid_text")
		case strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\r' && r != '\t' }):
			f.Add(field, "field.invalid_text")
		case utf8.RuneCountInString(v) > max:
			f.Add(field, "field.story.too_long")
		}
	}
	text("narrative", c.Narrative, MaxNarrative)
	text("what_matters", c.WhatMatters, MaxText)
	text("can_do_myself", c.CanDoMyself, MaxText)
	text("who_helps", c.WhoHelps, MaxText)
	text("what_i_need", c.WhatINeed, MaxText)
	for d, e := range c.Domains {
		if !slices.Contains(Domains, d) {
			f.Add("domain", "field.story.domain_unknown")
			continue
		}
		text(string(d)+"_text", e.Text, MaxText)
		if e.Rating < 0 || e.Rating > 5 {
			f.Add(string(d)+"_rating", "field.story.rating")
		}
	}
	return f.Err("story.Content")
}

// Story is a resident's story as a reader sees it: the latest version, or
// only the sections the reader may see.
type Story struct {
	ResidentID string
	Version    int
	SavedAt    time.Time
	SavedByID  string // the resident, or a delegate acting for them
	Content    Content
	// Visible lists the sections in Content the reader may see; the others
	// are empty. For the resident it is every section.
	Visible []string
}

// Shows reports whether the reader may see a section.
func (s Story) Shows(section string) bool { return slices.Contains(s.Visible, section) }

// Changed lists the sections that differ between two versions of the
// content, in display order: what changed since a reader last read it.
func Changed(old, cur Content) []string {
	var out []string
	if old.Narrative != cur.Narrative {
		out = append(out, SectionNarrative)
	}
	if old.WhatMatters != cur.WhatMatters || old.CanDoMyself != cur.CanDoMyself || old.WhoHelps != cur.WhoHelps || old.WhatINeed != cur.WhatINeed {
		out = append(out, SectionAbout)
	}
	for _, d := range Domains {
		a, b := old.Domains[d], cur.Domains[d]
		if a.Text != b.Text || a.Rating != b.Rating || a.WantToTalk != b.WantToTalk {
			out = append(out, string(d))
		}
	}
	return out
}

// stamp sets the changed-at times of the sections that differ from prev.
func stamp(prev, next Content, now time.Time) Content {
	changed := Changed(prev, next)
	next.NarrativeChanged, next.AboutChanged = prev.NarrativeChanged, prev.AboutChanged
	domains := make(map[Domain]DomainEntry, len(Domains))
	for _, d := range Domains {
		e := next.Domains[d]
		e.ChangedAt = prev.Domains[d].ChangedAt
		domains[d] = e
	}
	next.Domains = domains
	for _, s := range changed {
		switch s {
		case SectionNarrative:
			next.NarrativeChanged = now
		case SectionAbout:
			next.AboutChanged = now
		default:
			e := next.Domains[Domain(s)]
			e.ChangedAt = now
			next.Domains[Domain(s)] = e
		}
	}
	return next
}

// only returns the content with every section not in visible emptied.
func only(c Content, visible []string) Content {
	out := Content{Domains: map[Domain]DomainEntry{}}
	for _, s := range visible {
		switch s {
		case SectionNarrative:
			out.Narrative, out.NarrativeChanged = c.Narrative, c.NarrativeChanged
		case SectionAbout:
			out.WhatMatters, out.CanDoMyself, out.WhoHelps, out.WhatINeed, out.AboutChanged = c.WhatMatters, c.CanDoMyself, c.WhoHelps, c.WhatINeed, c.AboutChanged
		default:
			out.Domains[Domain(s)] = c.Domains[Domain(s)]
		}
	}
	return out
}

// Comment is a remark a professional with read-and-comment access leaves
// on a section; the resident sees it.
type Comment struct {
	ID         string
	ResidentID string
	Section    string
	AuthorID   string
	AuthorName string
	Body       string
	CreatedAt  time.Time
}
