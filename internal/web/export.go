package web

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/inwonercloud/inwonercloud/internal/app/budget"
	"github.com/inwonercloud/inwonercloud/internal/app/rights"
)

// rights is the service behind the export and erasure pages, built from
// the services the server already has; the JSON API builds the same one.
func (s *Server) rights() *rights.Service {
	d := rights.Deps{
		Tx: s.DB, Accounts: s.Identity, Consents: s.Consent, Stories: s.Story,
		Log: s.Audit, Vault: s.Vault, Clock: s.Clock, Events: s.Log,
	}
	// A nil service must stay a nil interface: rights skips what is absent.
	if s.Requests != nil {
		d.Requests = s.Requests
	}
	if s.Reviews != nil {
		d.Reviews = s.Reviews
	}
	if s.Budget != nil {
		d.Budgets = s.Budget
	}
	return rights.NewService(d)
}

// exportBack is where the step-up page sends the person after confirming
// their password: the page with the download links, not the download.
const exportBack = "/account/gegevens"

func (s *Server) handleExportShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.newPage(rq, r, "export", "rights.export.title")
	p.Data = exportPage{Fresh: rq.session != nil && rq.session.FreshAuth(rq.now)}
	return s.show(w, r, p)
}

type exportPage struct {
	Fresh  bool // the password was entered recently: the downloads work at once
	Bundle rights.Bundle
}

// Euro writes an amount of the bundle in cents as the budget pages do:
// "€ 1.234,50", a minus sign before a negative amount.
func (exportPage) Euro(cents int64) string { return "€ " + budget.Cents(cents).String() }

// exportBundle returns the person's bundle, after the step-up check; ok is
// false when the person was sent to confirm their password.
func (s *Server) exportBundle(w http.ResponseWriter, r *http.Request, rq *request) (rights.Bundle, bool, error) {
	if !s.requireFreshAuth(w, r, rq, exportBack) {
		return rights.Bundle{}, false, nil
	}
	b, err := s.rights().Export(r.Context(), *rq.person, rq.person.ID)
	if err != nil {
		return rights.Bundle{}, false, err
	}
	return b, true, nil
}

// attachment sets the headers of a download that no browser may run,
// frame or keep.
func attachment(w http.ResponseWriter, contentType, filename string) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	h.Set("Cache-Control", "no-store")
	// The HTML download has no script and no style of its own; even
	// opened from the site it may load nothing and run nothing.
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox")
	h.Set("X-Content-Type-Options", "nosniff")
}

func exportName(b rights.Bundle, ext string) string {
	return "inwonercloud-gegevens-" + b.ExportedAt.Format("2006-01-02") + "." + ext
}

func (s *Server) handleExportJSON(w http.ResponseWriter, r *http.Request, rq *request) error {
	b, ok, err := s.exportBundle(w, r, rq)
	if err != nil || !ok {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b); err != nil {
		return err
	}
	attachment(w, "application/json; charset=utf-8", exportName(b, "json"))
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
	return nil
}

func (s *Server) handleExportHTML(w http.ResponseWriter, r *http.Request, rq *request) error {
	b, ok, err := s.exportBundle(w, r, rq)
	if err != nil || !ok {
		return err
	}
	p := s.newPage(rq, r, "export", "rights.export.title")
	p.Data = exportPage{Bundle: b}
	var buf bytes.Buffer
	// A document of its own, without the site's layout: it is read from
	// the person's disk, where the site's style sheets do not load.
	if err := s.tmpl.pages["export"].ExecuteTemplate(&buf, "export_document", &p); err != nil {
		return err
	}
	attachment(w, "text/html; charset=utf-8", exportName(b, "html"))
	w.Header().Set("Content-Language", p.Lang)
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
	return nil
}
