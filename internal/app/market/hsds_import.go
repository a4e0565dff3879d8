package market

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

// FileError is why a whole file was refused; nothing of it was imported.
type FileError struct {
	Line int // the line the problem is on, or 0 for the whole file
	Key  string
	Args map[string]any
}

func (e *FileError) Error() string {
	return fmt.Sprintf("line %d: %s %v", e.Line, e.Key, e.Args)
}

func fileError(op string, line int, key string, args map[string]any) error {
	return errs.E(op, errs.Invalid, errs.Key(key), &FileError{Line: line, Key: key, Args: args})
}

// record is one offering read from a file, before it is checked against
// the database.
type record struct {
	line   int // where it starts in the file
	number int // JSON: from 1; CSV: 0
	id     string
	org    orgFields
	// content without MunicipalityIDs and CategoryIDs, which come from
	// categories and the importing municipality.
	content    Content
	categories []string // slugs or names
	areas      []string // slugs or names; nil when the file names none
	problems   []Problem
	broken     bool // the record could not be read at all: nothing more to check
	// field turns a Content, Provider or "organization." field name into
	// the file's name for it.
	field func(string) string
}

// orgFields are the provider's details in a record.
type orgFields struct {
	Name, KvK, AGB, Email, Phone, Website string
}

func (o orgFields) hasDetails() bool {
	return o.AGB != "" || o.Email != "" || o.Phone != "" || o.Website != ""
}

// problem adds a parse problem with the file's own field name.
func (r *record) problem(field, key string, args map[string]any) {
	r.problems = append(r.problems, Problem{Line: r.line, Record: r.number, Field: field, Key: key, Args: args})
}

// Import reads a file of offerings for a municipality and imports every
// record that passes the checks (see Exchange). format "" guesses it from
// the first character. actor must be the municipality's admin (nil: the
// command line). A file that cannot be read as the format at all is an
// error wrapping a *FileError; otherwise the report says per record what
// happened.
func (x *Exchange) Import(ctx context.Context, actor *identity.Person, municipalityID string, format Format, r io.Reader) (ImportReport, error) {
	const op = "market.Import"
	if actor != nil && !actor.HasIn(identity.RoleTenantAdmin, municipalityID) {
		return ImportReport{}, errs.E(op, errs.Forbidden, errs.Key("error.forbidden"))
	}
	muni, err := x.municipality(ctx, municipalityID)
	if err != nil {
		return ImportReport{}, errs.E(op, err)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return ImportReport{}, errs.E(op, err)
	}
	switch {
	case len(data) > MaxImportBytes:
		return ImportReport{}, fileError(op, 0, "hsds.error.too_large", map[string]any{"MB": MaxImportBytes >> 20})
	case len(bytes.TrimSpace(data)) == 0:
		return ImportReport{}, fileError(op, 0, "hsds.error.empty", nil)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a byte order mark from a spreadsheet
	if !utf8.Valid(data) {
		return ImportReport{}, fileError(op, 0, "hsds.error.not_text", nil)
	}
	if format == "" {
		format = Detect(data)
	}
	var recs []*record
	switch format {
	case FormatJSON:
		recs, err = readJSON(op, data)
	case FormatCSV:
		recs, err = readCSV(op, data)
	default:
		return ImportReport{}, errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"format": "hsds.error.format"})
	}
	if err != nil {
		return ImportReport{}, err
	}
	if len(recs) == 0 {
		return ImportReport{}, fileError(op, 0, "hsds.error.no_records", nil)
	}
	if len(recs) > MaxImportRecords {
		return ImportReport{}, fileError(op, 0, "hsds.error.too_many", map[string]any{"N": len(recs), "Max": MaxImportRecords})
	}
	cats, err := x.market.store.FindCategories(ctx, muni.ID)
	if err != nil {
		return ImportReport{}, errs.E(op, err)
	}
	rep := ImportReport{Format: format}
	seen := map[string]int{} // external id → line of its first record
	for _, rec := range recs {
		if rec.id != "" {
			if first, ok := seen[rec.id]; ok {
				rec.problem(rec.field("id"), "hsds.error.id_twice", map[string]any{"Line": first})
			} else {
				seen[rec.id] = rec.line
			}
		}
		created, err := x.importRecord(ctx, actor, muni, cats, rec)
		if err != nil {
			return rep, errs.E(op, err)
		}
		switch {
		case len(rec.problems) > 0:
			rep.Refused++
			sort.SliceStable(rec.problems, func(i, j int) bool { return rec.problems[i].Field < rec.problems[j].Field })
			rep.Problems = append(rep.Problems, rec.problems...)
		case created:
			rep.Created++
		default:
			rep.Updated++
		}
	}
	if rep.Created+rep.Updated > 0 {
		x.market.index.changed()
	}
	return rep, nil
}

// Detect guesses a file's format: JSON when it starts with { or [, else CSV.
func Detect(data []byte) Format {
	t := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return FormatJSON
	}
	return FormatCSV
}

func (x *Exchange) municipality(ctx context.Context, municipalityID string) (tenant.Municipality, error) {
	list, err := x.tenants.Municipalities(ctx)
	if err != nil {
		return tenant.Municipality{}, err
	}
	for _, m := range list {
		if m.ID == municipalityID {
			return m, nil
		}
	}
	return tenant.Municipality{}, errs.E("market.municipality", errs.NotFound, errNotFound)
}

// importRecord checks one record and, when it passes, writes it in its
// own transaction. The record's problems say why it was refused; the
// error is for what is no fault of the file (a database failure).
func (x *Exchange) importRecord(ctx context.Context, actor *identity.Person, muni tenant.Municipality, cats []Category, rec *record) (created bool, err error) {
	if rec.broken {
		return false, nil
	}
	if rec.id == "" {
		rec.problem(rec.field("id"), "hsds.error.id_required", nil)
	} else if utf8.RuneCountInString(rec.id) > MaxExternalIDLen || strings.ContainsFunc(rec.id, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		rec.problem(rec.field("id"), "hsds.error.id_invalid", map[string]any{"Max": MaxExternalIDLen})
	}
	var catIDs []string
	for _, name := range rec.categories {
		c, key := findCategory(cats, name)
		if key != "" {
			rec.problem(rec.field("categories"), key, map[string]any{"Name": name, "Municipality": muni.Name})
			continue
		}
		if !slices.Contains(catIDs, c.ID) {
			catIDs = append(catIDs, c.ID)
		}
	}
	if len(catIDs) > 1 {
		rec.problem(rec.field("categories"), "hsds.error.one_category", nil)
	}
	if len(rec.areas) > 0 && !slices.ContainsFunc(rec.areas, func(a string) bool {
		return strings.EqualFold(a, muni.Slug) || strings.EqualFold(a, muni.Name)
	}) {
		rec.problem(rec.field("municipalities"), "hsds.error.area_missing", map[string]any{"Municipality": muni.Name})
	}
	if len(rec.problems) > 0 {
		return false, nil
	}
	err = x.market.store.InTx(ctx, func(ctx context.Context) error {
		prov, err := x.provider(ctx, actor, muni, rec.org)
		if err != nil {
			return err
		}
		cur, err := x.existing(ctx, muni, rec.id, prov)
		if err != nil {
			return err
		}
		c := rec.content
		c.MunicipalityIDs, c.CategoryIDs = []string{muni.ID}, catIDs
		if cur != nil {
			// Keep the other municipalities' part of the offering.
			for _, m := range cur.MunicipalityIDs {
				if m != muni.ID {
					c.MunicipalityIDs = append(c.MunicipalityIDs, m)
				}
			}
			for _, cid := range cur.CategoryIDs {
				cat, err := x.market.store.FindCategoryByID(ctx, cid)
				if err != nil {
					return err
				}
				if cat.MunicipalityID != muni.ID {
					c.CategoryIDs = append(c.CategoryIDs, cid)
				}
			}
		}
		if err := x.market.checkContent(ctx, "market.importRecord", prov, &c); err != nil {
			return err
		}
		now := x.clock.Now()
		if cur == nil {
			o := Offering{
				ID: id.New(), ProviderOrgID: prov.OrganisationID, ProviderName: prov.Name, Content: c,
				Status: StatusPublished, LastCheckedAt: now, LastCheckedByID: actorID(actor), CreatedAt: now, UpdatedAt: now,
			}
			if err := x.market.store.CreateOffering(ctx, &o); err != nil {
				return err
			}
			created = true
			cur = &o
		} else {
			cur.Content, cur.Status, cur.RefusalReason, cur.StaleSince = c, StatusPublished, "", nil
			cur.LastCheckedAt, cur.LastCheckedByID, cur.UpdatedAt = now, actorID(actor), now
			if err := x.market.store.UpdateOffering(ctx, cur); err != nil {
				return err
			}
		}
		return x.store.SaveExternalID(ctx, muni.ID, rec.id, cur.ID, now)
	})
	if err == nil {
		return created, nil
	}
	created = false
	if f := errs.FieldsOf(err); len(f) > 0 {
		for field, key := range f {
			rec.problem(rec.field(field), "hsds."+key, nil)
		}
		return false, nil
	}
	switch errs.KindOf(err) {
	case errs.Conflict, errs.Invalid, errs.Forbidden, errs.NotFound:
		// Someone changed the offering meanwhile, or a reference is gone:
		// this record only.
		rec.problem("", "hsds.error.record", nil)
		return false, nil
	}
	return false, err
}

// findCategory finds a category by slug, then by name, ignoring case.
func findCategory(cats []Category, name string) (Category, string) {
	name = strings.TrimSpace(name)
	for _, c := range cats {
		if strings.EqualFold(c.Slug, name) {
			return c, ""
		}
	}
	var found []Category
	for _, c := range cats {
		if strings.EqualFold(c.Name, name) {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 0:
		return Category{}, "hsds.error.category_unknown"
	case 1:
		return found[0], ""
	}
	return Category{}, "hsds.error.category_ambiguous"
}

// provider finds the record's provider by KvK number, or makes it.
// Problems are field errors named "organization.field".
func (x *Exchange) provider(ctx context.Context, actor *identity.Person, muni tenant.Municipality, f orgFields) (Provider, error) {
	const op = "market.importProvider"
	bad := func(field, key string) error {
		return errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"organization." + field: key})
	}
	switch {
	case f.KvK == "":
		return Provider{}, bad("kvk", "error.kvk_required")
	case len(f.KvK) != 8 || strings.Trim(f.KvK, "0123456789") != "":
		return Provider{}, bad("kvk", "field.kvk.invalid")
	}
	list, err := x.store.FindProvidersByKvK(ctx, f.KvK)
	if err != nil {
		return Provider{}, err
	}
	var prov Provider
	switch len(list) {
	case 0:
		if strings.TrimSpace(f.Name) == "" {
			return Provider{}, bad("name", "error.organization_name_required")
		}
		org, err := x.tenants.CreateOrganisation(ctx, actor, tenant.Organisation{
			Name: f.Name, Kind: tenant.OrgProvider, KvK: f.KvK, MunicipalityIDs: []string{muni.ID}})
		if errs.Is(err, errs.Forbidden) {
			return Provider{}, bad("kvk", "error.organization_forbidden")
		} else if fe := errs.FieldsOf(err); len(fe) > 0 {
			out := errs.Fields{}
			for k, v := range fe {
				out["organization."+k] = v
			}
			return Provider{}, errs.E(op, errs.Invalid, errs.Key("error.invalid"), out)
		} else if err != nil {
			return Provider{}, err
		}
		prov = Provider{OrganisationID: org.ID, Name: org.Name, KvK: org.KvK, MunicipalityIDs: org.MunicipalityIDs}
	case 1:
		prov = list[0]
		if !slices.Contains(prov.MunicipalityIDs, muni.ID) {
			return Provider{}, bad("kvk", "error.organization_elsewhere")
		}
	default:
		return Provider{}, bad("kvk", "error.kvk_ambiguous")
	}
	// The file's details fill in a provider that has none of its own: a
	// provider keeps its own details up to date.
	if prov.UpdatedAt.IsZero() && f.hasDetails() {
		p := prov
		p.AGB, p.Email, p.Phone, p.Website = f.AGB, f.Email, f.Phone, f.Website
		p.Normalize()
		if err := p.Validate(); err != nil {
			out := errs.Fields{}
			for k, v := range errs.FieldsOf(err) {
				out["organization."+k] = v
			}
			return Provider{}, errs.E(op, errs.Invalid, errs.Key("error.invalid"), out)
		}
		p.UpdatedAt = x.clock.Now()
		if err := x.market.store.SaveProvider(ctx, &p); err != nil {
			return Provider{}, err
		}
		prov = p
	}
	return prov, nil
}

// existing finds the offering a record updates: the one imported under
// its id before, or our own offering with that id (from our export).
// nil means a new offering.
func (x *Exchange) existing(ctx context.Context, muni tenant.Municipality, extID string, prov Provider) (*Offering, error) {
	const op = "market.importExisting"
	oid, err := x.store.FindOfferingByExternalID(ctx, muni.ID, extID)
	linked := err == nil
	if errs.Is(err, errs.NotFound) {
		oid = extID
	} else if err != nil {
		return nil, err
	}
	o, err := x.market.store.FindOfferingByID(ctx, oid)
	if errs.Is(err, errs.NotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if !linked && !slices.Contains(o.MunicipalityIDs, muni.ID) {
		// Our own id of another municipality's offering: this import may
		// not take it over.
		return nil, errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"id": "error.id_elsewhere"})
	}
	if o.ProviderOrgID != prov.OrganisationID {
		return nil, errs.E(op, errs.Invalid, errs.Key("error.invalid"), errs.Fields{"organization.kvk": "error.provider_changed"})
	}
	return &o, nil
}
