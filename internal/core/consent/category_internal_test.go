package consent

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNormalizeCategories(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want []string
	}{
		{nil, nil},
		{[]string{"story"}, []string{"story"}},
		{[]string{" story ", "story"}, []string{"story"}},
		{[]string{"story:housing", "story", "story:finances"}, []string{"story"}},
		{[]string{"story:housing", "story:finances"}, []string{"story:finances", "story:housing"}},
		// "a:b0" sorts between "a:b" and "a:b:c"; "a:b" still covers "a:b:c".
		{[]string{"a:b:c", "a:b0", "a:b"}, []string{"a:b", "a:b0"}},
		{[]string{"", "story"}, []string{"", "story"}},
	} {
		if diff := cmp.Diff(tc.want, normalizeCategories(tc.in)); diff != "" {
			t.Errorf("normalizeCategories(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestCategories_Requestable(t *testing.T) {
	t.Parallel()
	c := NewCategories()
	for _, n := range [][2]string{{"story", ""}, {"story:finances", "story"}} {
		if err := c.Register(n[0], n[1]); err != nil {
			t.Fatal(err)
		}
	}
	for name, want := range map[string]bool{
		"story": true, "story:finances": true, "story:comment": true, "story:finances:comment": true,
		"consent": true, "consent:comment": false, "story:comment:comment": false, "diary": false,
		"diary:comment": false, "story:housing": false, "": false, ":comment": false,
	} {
		if got := c.requestable(name); got != want {
			t.Errorf("requestable(%q) = %v, want %v", name, got, want)
		}
	}
}
