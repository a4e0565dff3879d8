package web

import (
	"bytes"
	"net/http"
)

func (s *Server) handleStoryPrint(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := s.ownStory(r, rq, "print")
	if err != nil {
		return err
	}
	p := s.newPage(rq, r, "story", "story.print.title")
	p.Data = v
	return s.show(w, r, p)
}

// handleStoryDownload sends the printable summary as a file of its own,
// "mijn-verhaal.html", to keep or to mail to someone.
//
// The file is plain, semantic HTML without any styling or script: a
// heading per section, paragraphs, a description list for the ratings. A
// browser's own styles make that readable and printable, and the file
// needs nothing from our site once saved. We chose this over embedding a
// <style> element under a looser Content-Security-Policy for this one
// answer: the response is served by our origin, and keeping the site's
// one strict policy (no 'unsafe-inline' anywhere) leaves no exception to
// reason about. As an extra guard the answer carries "sandbox", so even
// when opened straight from the download it runs nothing and sends no
// form; and "no-store", as it holds the resident's story.
func (s *Server) handleStoryDownload(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := s.ownStory(r, rq, "download")
	if err != nil {
		return err
	}
	p := s.newPage(rq, r, "story", "story.print.title")
	p.Data = v
	var buf bytes.Buffer
	if err := s.tmpl.pages["story"].ExecuteTemplate(&buf, "story_download", &p); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Security-Policy", h.Get("Content-Security-Policy")+"; sandbox")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", p.Lang)
	h.Set("Content-Disposition", `attachment; filename="mijn-verhaal.html"`)
	h.Set("Cache-Control", "no-store")
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
	return nil
}
