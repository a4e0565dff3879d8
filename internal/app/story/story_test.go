package story

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

func TestContent_Validate(t *testing.T) {
	tests := []struct {
		name string
		c    Content
		want map[string]string
	}{
		{"OK", Content{Narrative: "Sinds mijn val\nkan ik niet meer traplopen.", Domains: map[Domain]DomainEntry{Housing: {Text: "Trap", Rating: 2}}}, nil},
		{"Empty", Content{}, nil},
		{"ErrNarrativeTooLong", Content{Narrative: strings.Repeat("a", MaxNarrative+1)}, map[string]string{"narrative": "field.story.too_long"}},
		{"ErrInvalidUTF8", Content{WhatMatters: "\xff"}, map[string]string{"what_matters": "field.invalid_text"}},
		{"ErrControl", Content{WhoHelps: "a\x07"}, map[string]string{"who_helps": "field.invalid_text"}},
		{"ErrRating", Content{Domains: map[Domain]DomainEntry{Health: {Rating: 6}}}, map[string]string{"health_rating": "field.story.rating"}},
		{"ErrDomainText", Content{Domains: map[Domain]DomainEntry{Law: {Text: strings.Repeat("b", MaxText+1)}}}, map[string]string{"law_text": "field.story.too_long"}},
		{"ErrUnknownDomain", Content{Domains: map[Domain]DomainEntry{"sport": {}}}, map[string]string{"domain": "field.story.domain_unknown"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.c.Validate()
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("Validate() = %v, want Invalid", err)
			}
			if diff := cmp.Diff(tc.want, errs.FieldsOf(err)); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestChanged(t *testing.T) {
	old := Content{Narrative: "a", WhatINeed: "x", Domains: map[Domain]DomainEntry{Finances: {Text: "schulden", Rating: 2}}}
	cur := Content{Narrative: "a", WhatINeed: "y", Domains: map[Domain]DomainEntry{Finances: {Text: "schulden", Rating: 3}, Health: {WantToTalk: true}}}
	if diff := cmp.Diff([]string{SectionAbout, string(Finances), string(Health)}, Changed(old, cur)); diff != "" {
		t.Errorf("Changed (-want +got):\n%s", diff)
	}
	if got := Changed(cur, cur); len(got) != 0 {
		t.Errorf("Changed(same, same) = %v, want none", got)
	}
}

func TestStamp(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	t1 := t0.Add(time.Hour)
	prev := stamp(Content{}, Content{Narrative: "a", Domains: map[Domain]DomainEntry{Work: {Text: "geen werk"}}}, t0)
	if prev.NarrativeChanged != t0 || prev.Domains[Work].ChangedAt != t0 || !prev.Domains[Housing].ChangedAt.IsZero() {
		t.Fatalf("first stamp: %+v", prev)
	}
	next := stamp(prev, Content{Narrative: "a", Domains: map[Domain]DomainEntry{Work: {Text: "geen werk"}, Housing: {Rating: 4}}}, t1)
	if next.NarrativeChanged != t0 || next.Domains[Work].ChangedAt != t0 || next.Domains[Housing].ChangedAt != t1 {
		t.Errorf("second stamp keeps unchanged times and moves changed ones: %+v", next)
	}
}

func TestOnly(t *testing.T) {
	c := Content{Narrative: "geheim", WhatMatters: "mijn kat", Domains: map[Domain]DomainEntry{Finances: {Text: "schulden"}, Housing: {Text: "trap"}}}
	got := only(c, []string{string(Housing), SectionAbout})
	want := Content{WhatMatters: "mijn kat", Domains: map[Domain]DomainEntry{Housing: {Text: "trap"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("only (-want +got):\n%s", diff)
	}
}

func TestSections(t *testing.T) {
	s := Sections()
	if len(s) != 12 || s[0] != SectionNarrative || s[1] != SectionAbout || !ValidSection("law") || ValidSection("sport") {
		t.Errorf("Sections() = %v", s)
	}
	if SectionCategory("finances") != "story:finances" {
		t.Errorf("SectionCategory = %q", SectionCategory("finances"))
	}
}
