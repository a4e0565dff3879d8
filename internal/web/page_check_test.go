package web_test

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/inwonercloud/inwonercloud/internal/i18n"
)

// node is an element or a text of a parsed page. The parser is
// encoding/xml in its lenient HTML mode (void elements, attributes without
// a value, HTML entities), which reads our templates' output; a page it
// cannot read fails the test, which is itself a markup finding.
type node struct {
	tag   string // lower case; "" for a text
	attrs map[string]string
	data  string // the text of a text node
	kids  []*node
}

func parseHTML(tb testing.TB, s string) *node {
	tb.Helper()
	// XML refuses C0 control characters, which HTML only calls a parse
	// error; a page echoes them when a person typed them. Read them as
	// U+FFFD, the way a validator reports them.
	s = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return '\uFFFD'
		}
		return r
	}, s)
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	root := &node{tag: "#document", attrs: map[string]string{}}
	stack := []*node{root}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Errorf("page does not parse as HTML: %v", err)
			break
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{tag: strings.ToLower(t.Name.Local), attrs: map[string]string{}}
			for _, a := range t.Attr {
				name := strings.ToLower(a.Name.Local)
				if a.Name.Space != "" {
					name = strings.ToLower(a.Name.Space) + ":" + name
				}
				if _, dup := n.attrs[name]; dup {
					tb.Errorf("<%s> has attribute %q twice", n.tag, name)
				}
				n.attrs[name] = a.Value
			}
			top.kids = append(top.kids, n)
			stack = append(stack, n)
		case xml.EndElement:
			// In its lenient mode the decoder closes what an end tag
			// implies, as HTML does, so the stack stays in step.
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			top.kids = append(top.kids, &node{data: string(t)})
		}
	}
	return root
}

func (n *node) attr(name string) string { return n.attrs[name] }

// walk calls fn for n and every node below it, in document order.
func (n *node) walk(fn func(*node)) {
	fn(n)
	for _, k := range n.kids {
		k.walk(fn)
	}
}

// all returns the elements below n for which match is true.
func (n *node) all(match func(*node) bool) []*node {
	var out []*node
	n.walk(func(m *node) {
		if m != n && m.tag != "" && match(m) {
			out = append(out, m)
		}
	})
	return out
}

func (n *node) first(match func(*node) bool) *node {
	if l := n.all(match); len(l) > 0 {
		return l[0]
	}
	return nil
}

// form returns the form that posts to action.
func (n *node) form(action string) *node {
	return n.first(func(m *node) bool { return m.tag == "form" && m.attr("action") == action })
}

// hidden returns the value of the hidden input name, and whether there is one.
func (n *node) hidden(name string) (string, bool) {
	in := n.first(func(m *node) bool { return m.tag == "input" && m.attr("type") == "hidden" && m.attr("name") == name })
	if in == nil {
		return "", false
	}
	return in.attr("value"), true
}

func (n *node) byID(id string) *node {
	return n.first(func(m *node) bool { return m.attr("id") == id })
}

// input returns the form control with this name.
func (n *node) input(name string) *node {
	return n.first(func(m *node) bool {
		return (m.tag == "input" || m.tag == "select" || m.tag == "textarea") && m.attr("name") == name && m.attr("type") != "hidden"
	})
}

// text is the node's text with white space collapsed.
func (n *node) text() string {
	var b strings.Builder
	n.walk(func(m *node) {
		if m.tag == "" {
			b.WriteString(m.data)
			b.WriteByte(' ')
		}
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

// keyPattern matches a message key shown as text: the catalogue returns a
// missing key unchanged, e.g. "login.title".
var keyPattern = sync.OnceValue(func() *regexp.Regexp {
	c, err := i18n.Load()
	if err != nil {
		panic(err)
	}
	prefixes := map[string]bool{}
	for k := range c.Keys("nl") {
		p, _, _ := strings.Cut(k, ".")
		prefixes[regexp.QuoteMeta(p)] = true
	}
	var list []string
	for p := range prefixes {
		list = append(list, p)
	}
	sort.Strings(list)
	return regexp.MustCompile(`(?:^|[\s(>"])(?:` + strings.Join(list, "|") + `)\.[a-z0-9_]+(?:\.[a-z0-9_]+)*`)
})

var refererPolicies = []string{"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}

// checkPage checks what every HTML answer must keep, whatever the page: the
// security headers, a strict Content-Security-Policy that the markup needs
// no exception to (no inline script or style, no event attributes), the
// language, no untranslated message keys, and references that resolve.
func checkPage(tb testing.TB, cat *i18n.Catalog, req *http.Request, r *response) {
	tb.Helper()
	where := req.Method + " " + req.URL.RequestURI()
	h := r.header
	csp := h.Get("Content-Security-Policy")
	switch {
	case csp == "":
		tb.Errorf("%s: no Content-Security-Policy", where)
	case strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "*"):
		tb.Errorf("%s: weak Content-Security-Policy %q", where, csp)
	case !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "object-src 'none'"):
		tb.Errorf("%s: Content-Security-Policy %q lacks frame-ancestors 'none', script-src 'self' or object-src 'none'", where, csp)
	}
	if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
		tb.Errorf("%s: X-Content-Type-Options = %q, want nosniff", where, got)
	}
	if got := h.Get("Referrer-Policy"); !slices.Contains(refererPolicies, got) {
		tb.Errorf("%s: Referrer-Policy = %q, want one of %v", where, got, refererPolicies)
	}
	if strings.Contains(r.body, "ZgotmplZ") {
		// html/template writes this in place of a value it refused as
		// unsafe in its context, e.g. a URL with an unknown scheme.
		tb.Errorf("%s: html/template refused a value (ZgotmplZ) near: %s", where, around(r.body, "ZgotmplZ"))
	}
	if strings.Contains(r.body, "/static/missing/") {
		tb.Errorf("%s: page links an asset that does not exist", where)
	}

	doc := r.doc
	html := doc.first(func(n *node) bool { return n.tag == "html" })
	if html == nil {
		tb.Errorf("%s: no <html> element", where)
		return
	}
	lang := html.attr("lang")
	if !i18n.Supported(lang) || h.Get("Content-Language") != lang {
		tb.Errorf("%s: <html lang=%q> with Content-Language %q", where, lang, h.Get("Content-Language"))
	}
	if title := doc.first(func(n *node) bool { return n.tag == "title" }); title == nil || title.text() == "" {
		tb.Errorf("%s: no <title>", where)
	}

	ids := map[string]int{}
	var refs []string // ids that attributes point to
	doc.walk(func(n *node) {
		if n.tag == "" {
			if m := keyPattern().FindString(" " + n.data); m != "" {
				tb.Errorf("%s: untranslated message key %q in the text", where, strings.TrimSpace(m))
			}
			return
		}
		switch n.tag {
		case "style":
			tb.Errorf("%s: <style> element; styles belong in a stylesheet (CSP style-src 'self')", where)
		case "script":
			if n.attr("src") == "" || strings.TrimSpace(n.text()) != "" {
				tb.Errorf("%s: inline <script>; scripts belong in a file (CSP script-src 'self')", where)
			}
		}
		for name, v := range n.attrs {
			switch {
			case name == "style":
				tb.Errorf("%s: style attribute on <%s>", where, n.tag)
			case strings.HasPrefix(name, "on"):
				tb.Errorf("%s: event attribute %s on <%s>", where, name, n.tag)
			case name == "id":
				ids[v]++
			case name == "aria-describedby" || name == "aria-labelledby":
				refs = append(refs, strings.Fields(v)...)
			case name == "for" && n.tag == "label":
				refs = append(refs, v)
			case name == "href" && strings.HasPrefix(v, "#") && len(v) > 1 && v != "#ZgotmplZ":
				refs = append(refs, v[1:])
			case name == "aria-label" || name == "title" || name == "alt" || name == "placeholder":
				if m := keyPattern().FindString(" " + v); m != "" {
					tb.Errorf("%s: untranslated message key %q in %s", where, strings.TrimSpace(m), name)
				}
			}
		}
	})
	for id, n := range ids {
		if n > 1 {
			tb.Errorf("%s: id %q is used %d times", where, id, n)
		}
	}
	for _, id := range refs {
		if ids[id] == 0 {
			tb.Errorf("%s: reference to id %q, which the page does not have", where, id)
		}
	}
	// Every visible form control has a label.
	for _, in := range doc.all(func(n *node) bool { return n.tag == "input" || n.tag == "select" || n.tag == "textarea" }) {
		switch in.attr("type") {
		case "hidden", "submit", "button":
			continue
		}
		labelled := in.attr("aria-label") != "" || in.attr("aria-labelledby") != "" ||
			doc.first(func(l *node) bool { return l.tag == "label" && l.attr("for") == in.attr("id") && in.attr("id") != "" }) != nil
		if !labelled {
			tb.Errorf("%s: <%s name=%q> has no label", where, in.tag, in.attr("name"))
		}
	}
}

// around returns the text around the first s in body, for a message.
func around(body, s string) string {
	i := strings.Index(body, s)
	from, to := max(0, i-120), min(len(body), i+len(s)+40)
	return body[from:to]
}

// recorder is a testing.TB that keeps the errors instead of failing.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// TestCheckPage_Catches shows that checkPage fails a page for each thing
// it is meant to catch, so the page tests cannot pass by accident.
func TestCheckPage_Catches(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	good := `<!DOCTYPE html><html lang="nl"><head><title>T</title><script src="/a.js" defer></script></head>` +
		`<body><main id="inhoud"><label for="f-x">X</label><input id="f-x" name="x" required aria-describedby="f-x-hint">` +
		`<p id="f-x-hint">Hint</p><a href="#inhoud">skip</a>%s</main></body></html>`
	headers := http.Header{
		"Content-Security-Policy": {"default-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'"},
		"X-Content-Type-Options":  {"nosniff"}, "Referrer-Policy": {"same-origin"}, "Content-Language": {"nl"},
	}
	req, _ := http.NewRequest(http.MethodGet, "http://x/", nil)
	check := func(extra string, h http.Header) []string {
		rec := &recorder{TB: t}
		r := &response{tb: rec, status: 200, header: h, body: fmt.Sprintf(good, extra)}
		r.doc = parseHTML(rec, r.body)
		checkPage(rec, cat, req, r)
		return rec.errs
	}
	if errs := check("", headers); len(errs) > 0 {
		t.Fatalf("a good page fails: %v", errs)
	}
	without := func(name string) http.Header {
		h := headers.Clone()
		h.Del(name)
		return h
	}
	withCSP := func(csp string) http.Header {
		h := headers.Clone()
		h.Set("Content-Security-Policy", csp)
		return h
	}
	for name, tc := range map[string]struct {
		extra string
		h     http.Header
	}{
		"inline script":      {`<script>alert(1)</script>`, headers},
		"style element":      {`<style>p{}</style>`, headers},
		"style attribute":    {`<p style="color:red">x</p>`, headers},
		"event attribute":    {`<p onclick="x()">x</p>`, headers},
		"untranslated text":  {`<p>login.title</p>`, headers},
		"untranslated label": {`<nav aria-label="layout.nav"></nav>`, headers},
		"duplicate id":       {`<p id="f-x-hint">again</p>`, headers},
		"dangling reference": {`<a href="#nergens">x</a>`, headers},
		"unlabelled input":   {`<input name="y">`, headers},
		"refused value":      {`<a href="#ZgotmplZ">x</a>`, headers},
		"missing asset":      {`<img src="/static/missing/x.png" alt="">`, headers},
		"no CSP":             {"", without("Content-Security-Policy")},
		"unsafe-inline":      {"", withCSP("default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'")},
		"framing allowed":    {"", withCSP("default-src 'self'; script-src 'self'; object-src 'none'")},
		"no nosniff":         {"", without("X-Content-Type-Options")},
		"no referrer policy": {"", without("Referrer-Policy")},
		"language mismatch":  {"", without("Content-Language")},
	} {
		if errs := check(tc.extra, tc.h); len(errs) == 0 {
			t.Errorf("%s: not caught", name)
		}
	}
}
