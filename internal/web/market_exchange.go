package web

import (
	"bytes"
	"errors"
	"net/http"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/i18n"
)

// exchangeUploadLimit caps the import form's body: the largest file the
// import takes plus room for the form around it. Only this route gets it;
// every other route keeps the site-wide cap (limitBody).
const exchangeUploadLimit = market.MaxImportBytes + 1<<20

// marketExchangeRoutes are the municipality admin's import and export of
// offerings (HSDS JSON and CSV). The literal paths win over the approval
// pages' /beheer/aanbod/{id} in ServeMux.
func (s *Server) marketExchangeRoutes(mux *http.ServeMux) {
	mux.Handle("GET /beheer/aanbod/uitwisselen", s.page(loggedIn, s.handleMarketExchangeShow))
	mux.Handle("POST /beheer/aanbod/uitwisselen", allowBody(exchangeUploadLimit, s.page(loggedIn, s.handleMarketExchangeImport)))
	mux.Handle("GET /beheer/aanbod/export.json", s.page(loggedIn, s.handleMarketExportJSON))
	mux.Handle("GET /beheer/aanbod/export.csv", s.page(loggedIn, s.handleMarketExportCSV))
}

// exchangeData is what the exchange page shows.
type exchangeData struct {
	MaxMB      int
	MaxRecords int
	Columns    string // the CSV columns, for the explanation
	Formats    []string
	// FileError is the translated reason the whole file was refused.
	FileError string
	Summary   Summary
	Report    *exchangeReport
}

// exchangeReport is an import's outcome as the page shows it.
type exchangeReport struct {
	Format                    string
	Created, Updated, Refused int
	Rows                      []exchangeRow
}

// exchangeRow is one reason a record was refused.
type exchangeRow struct {
	Line, Record int
	Field        string
	Reason       string
}

func (s *Server) exchangePage(rq *request, r *http.Request) Page {
	p := s.newPage(rq, r, "market_exchange", "marketexchange.title")
	p.Data = exchangeData{MaxMB: market.MaxImportBytes >> 20, MaxRecords: market.MaxImportRecords,
		Columns: strings.Join(market.CSVColumns(), ", "), Formats: []string{"", "json", "csv"}}
	return p
}

func (s *Server) handleMarketExchangeShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := requireTenantAdmin(rq); err != nil {
		return err
	}
	return s.show(w, r, s.exchangePage(rq, r))
}

// handleMarketExchangeImport reads the uploaded file and shows the report.
func (s *Server) handleMarketExchangeImport(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := requireTenantAdmin(rq); err != nil {
		return err
	}
	p := s.exchangePage(rq, r)
	d := p.Data.(exchangeData)
	fileErr := func(key string, args map[string]any) error {
		p.Form.Errors["file"] = key
		d.FileError = s.Catalog.T(rq.lang, key, args)
		d.Summary = Summary{Heading: p.T("error.invalid"), Errors: []FieldError{{ID: "f-file", Message: d.FileError}}}
		p.Data = d
		return s.show(w, r, p)
	}
	// The whole form is kept in memory: nothing uploaded reaches the disk.
	if err := r.ParseMultipartForm(exchangeUploadLimit); err != nil {
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			return fileErr("hsds.error.too_large", map[string]any{"MB": market.MaxImportBytes >> 20})
		case errors.Is(err, http.ErrNotMultipart):
			return fileErr("hsds.error.no_file", nil) // a form without its file
		}
		return errs.E("web.handleMarketExchangeImport", errs.Invalid, errs.Key("error.bad_request"), err)
	}
	defer r.MultipartForm.RemoveAll() //nolint:errcheck // only memory to free
	format := r.PostFormValue("format")
	p.Form.Values["format"] = format
	if format != "" && format != string(market.FormatJSON) && format != string(market.FormatCSV) {
		p.Form.Errors["format"] = "hsds.error.format"
		d.Summary = p.Summary("file format")
		p.Data = d
		return s.show(w, r, p)
	}
	file, _, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		return fileErr("hsds.error.no_file", nil)
	} else if err != nil {
		return errs.E("web.handleMarketExchangeImport", errs.Invalid, errs.Key("error.bad_request"), err)
	}
	defer file.Close()
	rep, err := s.Exchange.Import(r.Context(), rq.person, rq.municipality.ID, market.Format(format), file)
	var fe *market.FileError
	switch {
	case errors.As(err, &fe):
		args := map[string]any{}
		for k, v := range fe.Args {
			args[k] = v
		}
		key := fe.Key
		if fe.Line > 0 {
			args["Reason"], args["Line"] = s.Catalog.T(rq.lang, fe.Key, fe.Args), fe.Line
			key = "hsds.error.at_line"
		}
		return fileErr(key, args)
	case err != nil:
		return err
	}
	d.Report = &exchangeReport{Format: string(rep.Format), Created: rep.Created, Updated: rep.Updated, Refused: rep.Refused}
	for _, pr := range rep.Problems {
		d.Report.Rows = append(d.Report.Rows, exchangeRow{Line: pr.Line, Record: pr.Record, Field: pr.Field,
			Reason: importReason(s.Catalog, rq.lang, pr)})
	}
	p.Data = d
	return s.show(w, r, p)
}

// importReason is the reason of a refused record in lang. A reason the
// catalog lacks reads as a general one rather than as a message key.
func importReason(c *i18n.Catalog, lang string, p market.Problem) string {
	key := p.Key
	if !c.Has(lang, key) {
		key = "hsds.error.field"
	}
	return c.T(lang, key, p.Args)
}

// handleMarketExportJSON downloads the municipality's published offerings as HSDS JSON.
func (s *Server) handleMarketExportJSON(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.marketExport(w, r, rq, market.FormatJSON)
}

// handleMarketExportCSV downloads them as CSV, one row per offering.
func (s *Server) handleMarketExportCSV(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.marketExport(w, r, rq, market.FormatCSV)
}

func (s *Server) marketExport(w http.ResponseWriter, r *http.Request, rq *request, format market.Format) error {
	if err := requireTenantAdmin(rq); err != nil {
		return err
	}
	// Written whole before the first byte is sent, so a failure is an
	// error page rather than half a file.
	var buf bytes.Buffer
	var err error
	contentType := "application/json; charset=utf-8"
	if format == market.FormatJSON {
		err = s.Exchange.ExportJSON(r.Context(), rq.person, rq.municipality.ID, &buf)
	} else {
		contentType = "text/csv; charset=utf-8"
		err = s.Exchange.ExportCSV(r.Context(), rq.person, rq.municipality.ID, &buf)
	}
	if err != nil {
		return err
	}
	attachment(w, contentType, "aanbod-"+rq.municipality.Slug+"-"+rq.now.In(market.Amsterdam).Format("2006-01-02")+"."+string(format))
	_, err = w.Write(buf.Bytes())
	return err
}
