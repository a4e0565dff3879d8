package market

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
)

// The CSV file has one row per offering, after a first line with the
// column names (in any order; unknown columns are ignored). Columns:
//
//	id                      the offering's id in the municipality's own social map (HSDS service id); required
//	organization_name       the provider's name (used when its KvK number is new)
//	organization_kvk        the provider's KvK number, 8 digits; required
//	organization_agb        the AGB code, 8 digits, for care providers
//	organization_email, organization_phone, organization_website   how to reach the provider
//	name                    the offering's title
//	summary, description, eligibility_description, application_process (how to request it)
//	target_groups           list
//	languages               list of ISO 639-1 codes, e.g. "nl | en"
//	cost_option             free, price_per_unit, open_service, tailored_via_municipality or own_budget
//	amount                  the price in euros, e.g. "12,50" or "12.50"; empty when free
//	amount_description      the unit of the price, e.g. "uur"
//	kind                    professional or volunteer
//	categories              the municipality's category: its slug or name
//	service_areas           list of municipalities (name or slug); must name the importing one, or be empty
//	location_address, location_postal_code, location_city        per location, as a list
//	location_latitude, location_longitude                        per location, decimal degrees (may be empty)
//	location_wheelchair     per location: ja or nee
//	location_schedule       per location: "MO,TU,WE,TH,FR 09:00-17:00; SA 10:00-12:00"; empty is by appointment
//	assured_date            when the offering was last checked (written by the export; the import sets today)
//
// A list is its items joined with " | " (a pipe; an item cannot hold one).
// The nth item of each location_ column belongs to the nth location.
//
// A cell that starts with = + - @ or a tab is written with a ' before it,
// so that a spreadsheet shows it as text instead of running it as a
// formula (CSV injection); the import takes that ' off again.
var csvColumns = []string{
	"id", "organization_name", "organization_kvk", "organization_agb", "organization_email", "organization_phone",
	"organization_website", "name", "summary", "description", "eligibility_description", "application_process",
	"target_groups", "languages", "cost_option", "amount", "amount_description", "kind", "categories", "service_areas",
	"location_address", "location_postal_code", "location_city", "location_latitude", "location_longitude",
	"location_wheelchair", "location_schedule", "assured_date",
}

// CSVColumns returns the columns of the CSV format, in the order the
// export writes them.
func CSVColumns() []string { return append([]string(nil), csvColumns...) }

// csvRequired are the columns a file must have.
var csvRequired = []string{"id", "organization_kvk", "name"}

const listSep = "|"

func joinList(items []string) string { return strings.Join(items, " "+listSep+" ") }

func splitList(v string) []string {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	parts := strings.Split(v, listSep)
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// readCSV reads the rows of a CSV file as records, each with its line.
func readCSV(op string, data []byte) ([]*record, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1 // a row with too few or many cells is that row's problem
	r.ReuseRecord = false
	bad := func(err error) error {
		line := 0
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			line = pe.StartLine
		}
		return fileError(op, line, "hsds.error.not_csv", nil)
	}
	head, err := r.Read()
	if err != nil {
		return nil, bad(err)
	}
	// A semicolon-separated file (Dutch spreadsheets) is read as such.
	if len(head) == 1 && strings.Count(head[0], ";") > 0 {
		r = csv.NewReader(bytes.NewReader(data))
		r.Comma, r.FieldsPerRecord = ';', -1
		if head, err = r.Read(); err != nil {
			return nil, bad(err)
		}
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	var missing []string
	for _, c := range csvRequired {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fileError(op, 1, "hsds.error.columns", map[string]any{"Columns": strings.Join(missing, ", ")})
	}
	var recs []*record
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, bad(err)
		}
		line, _ := r.FieldPos(0)
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue // an empty line
		}
		recs = append(recs, csvRecord(row, line, len(head), col))
		if len(recs) > MaxImportRecords {
			break // Import refuses the file; no need to read on
		}
	}
	return recs, nil
}

// csvRecord turns one row into a record.
func csvRecord(row []string, line, width int, col map[string]int) *record {
	rec := &record{line: line, field: csvField}
	if len(row) != width {
		rec.problem("", "hsds.error.cells", map[string]any{"N": len(row), "Want": width})
		rec.broken = true
		return rec
	}
	get := func(name string) string {
		if i, ok := col[name]; ok {
			return unquoteCell(row[i])
		}
		return ""
	}
	rec.id = strings.TrimSpace(get("id"))
	rec.org = orgFields{Name: strings.TrimSpace(get("organization_name")), KvK: strings.TrimSpace(get("organization_kvk")),
		AGB: get("organization_agb"), Email: get("organization_email"), Phone: get("organization_phone"), Website: get("organization_website")}
	c := &rec.content
	c.Title, c.Summary, c.Description = get("name"), get("summary"), get("description")
	c.Eligibility, c.HowToRequest = get("eligibility_description"), get("application_process")
	c.TargetGroups, c.Languages = splitList(get("target_groups")), splitList(get("languages"))
	c.CostType, c.Unit, c.Kind = CostType(strings.TrimSpace(get("cost_option"))), get("amount_description"), Kind(strings.TrimSpace(get("kind")))
	if cents, ok := parseAmount(get("amount")); ok {
		c.PriceCents = cents
	} else {
		rec.problem("amount", "hsds.error.amount", nil)
	}
	rec.categories, rec.areas = splitList(get("categories")), splitList(get("service_areas"))
	cols := map[string][]string{}
	n := 0
	for _, name := range []string{"location_address", "location_postal_code", "location_city", "location_latitude",
		"location_longitude", "location_wheelchair", "location_schedule"} {
		cols[name] = splitList(get(name))
		n = max(n, len(cols[name]))
	}
	item := func(name string, i int) string {
		if i < len(cols[name]) {
			return cols[name][i]
		}
		return ""
	}
	for i := range n {
		l := Location{Address: item("location_address", i), Postcode: item("location_postal_code", i), City: item("location_city", i)}
		nth := "[" + strconv.Itoa(i+1) + "]"
		lat, lon := item("location_latitude", i), item("location_longitude", i)
		if lat != "" || lon != "" {
			var err1, err2 error
			l.Lat, err1 = strconv.ParseFloat(strings.Replace(lat, ",", ".", 1), 64)
			l.Lon, err2 = strconv.ParseFloat(strings.Replace(lon, ",", ".", 1), 64)
			if err1 != nil || err2 != nil {
				rec.problem("location_latitude"+nth, "hsds.field.coordinates.invalid", nil)
			}
		}
		if w, ok := wheelchairWord(item("location_wheelchair", i)); ok {
			l.Wheelchair = w
		} else {
			rec.problem("location_wheelchair"+nth, "hsds.error.wheelchair", nil)
		}
		if h, ok := parseSchedules(item("location_schedule", i)); ok {
			l.Hours = h
		} else {
			rec.problem("location_schedule"+nth, "hsds.error.schedule", nil)
		}
		c.Locations = append(c.Locations, l)
	}
	return rec
}

// csvField names a content or provider field as its CSV column; a
// location's column gets the location's number from 1: "location_city[2]".
func csvField(f string) string {
	if rest, ok := strings.CutPrefix(f, "locations."); ok {
		n, sub, _ := strings.Cut(rest, ".")
		i, _ := strconv.Atoi(n)
		nth := "[" + strconv.Itoa(i+1) + "]"
		switch sub {
		case "address":
			return "location_address" + nth
		case "postcode":
			return "location_postal_code" + nth
		case "city":
			return "location_city" + nth
		case "coordinates":
			return "location_latitude" + nth
		case "hours":
			return "location_schedule" + nth
		}
		return "location_address" + nth
	}
	switch f {
	case "title":
		return "name"
	case "eligibility":
		return "eligibility_description"
	case "how_to_request":
		return "application_process"
	case "cost_type":
		return "cost_option"
	case "price":
		return "amount"
	case "unit":
		return "amount_description"
	case "municipalities":
		return "service_areas"
	case "locations":
		return "location_address"
	case "organization.contact":
		return "organization_email"
	}
	return strings.Replace(f, "organization.", "organization_", 1)
}

// formulaStart are the first characters a spreadsheet reads as a formula.
const formulaStart = "=+-@\t\r"

// quoteCell makes a cell safe to open in a spreadsheet.
func quoteCell(v string) string {
	if v != "" && strings.IndexByte(formulaStart, v[0]) >= 0 {
		return "'" + v
	}
	return v
}

// unquoteCell undoes quoteCell.
func unquoteCell(v string) string {
	if len(v) > 1 && v[0] == '\'' && strings.IndexByte(formulaStart, v[1]) >= 0 {
		return v[1:]
	}
	return v
}
