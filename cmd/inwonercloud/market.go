package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/market"
	"github.com/inwonercloud/inwonercloud/internal/app/market/marketseed"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

const marketUsage = `market seed [--count N] [--seed S] [--municipality slug]...
market import --municipality slug [--format json|csv] FILE
market export --municipality slug --format json|csv [FILE|-]`

// marketCmd runs the marketplace's operator tasks:
//
//	inwonercloud market seed [--count N] [--seed S] [--municipality slug]...
//	inwonercloud market import --municipality slug [--format json|csv] FILE
//	inwonercloud market export --municipality slug --format json|csv [FILE|-]
//
// seed adds N published offerings (default 10,000) to the named
// municipalities (default woerden and oudewater, made when missing), for
// demos, load tests and benchmarks. import reads an HSDS JSON or CSV file
// of a municipality's offerings (see market.Exchange: good records are
// published, bad ones are listed by line with the reason in Dutch, and the
// command fails when any was refused); export writes the municipality's
// published offerings to FILE, or to standard output for - or no FILE.
func marketCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "import":
			return marketImport(ctx, args[1:], getenv, stdout, stderr)
		case "export":
			return marketExport(ctx, args[1:], getenv, stdout, stderr)
		}
	}
	if len(args) == 0 || args[0] != "seed" {
		return fmt.Errorf("market: want one of:\n%s", marketUsage)
	}
	fs := flag.NewFlagSet("market seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	count := fs.Int("count", 10000, "number of offerings to add")
	seed := fs.Uint64("seed", 1, "seed of the generator: the same seed gives the same catalogue")
	var slugs roleFlags
	fs.Var(&slugs, "municipality", "municipality slug; repeat for several (default woerden and oudewater)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *count < 1 || *count > 1_000_000 {
		return fmt.Errorf("--count: want 1 to 1000000")
	}
	if len(slugs) == 0 {
		slugs = roleFlags{"woerden", "oudewater"}
	}
	a, err := open(ctx, getenv, stderr, false)
	if err != nil {
		return err
	}
	defer a.Close()
	var munis []tenant.Municipality
	for _, slug := range slugs {
		if slug == "" {
			return fmt.Errorf("--municipality: empty slug")
		}
		m, err := a.tenants.MunicipalityBySlug(ctx, slug)
		if errs.Is(err, errs.NotFound) {
			m, err = a.tenants.CreateMunicipality(ctx, nil, tenant.Municipality{Slug: slug, Name: strings.ToUpper(slug[:1]) + slug[1:]})
		}
		if err != nil {
			return fmt.Errorf("--municipality %q: %w", slug, describe(a, err))
		}
		munis = append(munis, m)
	}
	start := time.Now()
	rep, err := marketseed.Seed(ctx, a.db, a.clock.Now(), munis, *count, *seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded %d offerings from %d providers (%d new categories) in %s on %s\n",
		rep.Offerings, rep.Providers, rep.Categories, time.Since(start).Round(time.Millisecond), a.db.Dialect())
	return nil
}

// marketImport is "market import".
func marketImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("market import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	slug := fs.String("municipality", "", "slug of the municipality whose offerings these are")
	format := fs.String("format", "", "json or csv (default: recognised from the file)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *slug == "" || fs.NArg() != 1 {
		return fmt.Errorf("market import: want --municipality slug and one FILE")
	}
	if *format != "" && *format != string(market.FormatJSON) && *format != string(market.FormatCSV) {
		return fmt.Errorf("--format: want json or csv")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	a, err := open(ctx, getenv, stderr, false)
	if err != nil {
		return err
	}
	defer a.Close()
	m, err := a.tenants.MunicipalityBySlug(ctx, *slug)
	if err != nil {
		return fmt.Errorf("--municipality %q: %w", *slug, err)
	}
	rep, err := a.exchange.Import(ctx, nil, m.ID, market.Format(*format), f)
	var fe *market.FileError
	if errors.As(err, &fe) {
		msg := a.catalog.T("nl", fe.Key, fe.Args)
		if fe.Line > 0 {
			msg = a.catalog.T("nl", "hsds.error.at_line", map[string]any{"Line": fe.Line, "Reason": msg})
		}
		return fmt.Errorf("%s: %s", fs.Arg(0), msg)
	} else if err != nil {
		return describe(a, err)
	}
	fmt.Fprintf(stdout, "%s (%s) in %s: %d nieuw, %d bijgewerkt, %d geweigerd\n",
		fs.Arg(0), rep.Format, m.Name, rep.Created, rep.Updated, rep.Refused)
	for _, p := range rep.Problems {
		where := fmt.Sprintf("regel %d", p.Line)
		if p.Record > 0 {
			where += fmt.Sprintf(" (aanbod %d)", p.Record)
		}
		if p.Field != "" {
			where += ", " + p.Field
		}
		key := p.Key
		if !a.catalog.Has("nl", key) {
			key = "hsds.error.field"
		}
		fmt.Fprintf(stdout, "%s: %s\n", where, a.catalog.T("nl", key, p.Args))
	}
	if rep.Refused > 0 {
		return fmt.Errorf("%d van %d regels geweigerd", rep.Refused, rep.Created+rep.Updated+rep.Refused)
	}
	return nil
}

// marketExport is "market export".
func marketExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("market export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	slug := fs.String("municipality", "", "slug of the municipality whose published offerings to write")
	format := fs.String("format", "", "json or csv")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *slug == "" || fs.NArg() > 1 {
		return fmt.Errorf("market export: want --municipality slug, --format json|csv and at most one FILE")
	}
	if *format != string(market.FormatJSON) && *format != string(market.FormatCSV) {
		return fmt.Errorf("--format: want json or csv")
	}
	a, err := open(ctx, getenv, stderr, false)
	if err != nil {
		return err
	}
	defer a.Close()
	m, err := a.tenants.MunicipalityBySlug(ctx, *slug)
	if err != nil {
		return fmt.Errorf("--municipality %q: %w", *slug, err)
	}
	var buf strings.Builder
	if *format == string(market.FormatJSON) {
		err = a.exchange.ExportJSON(ctx, nil, m.ID, &buf)
	} else {
		err = a.exchange.ExportCSV(ctx, nil, m.ID, &buf)
	}
	if err != nil {
		return err
	}
	if name := fs.Arg(0); name != "" && name != "-" {
		// The export is made before the file is opened: a failed export leaves no file.
		return os.WriteFile(name, []byte(buf.String()), 0o644)
	}
	_, err = io.WriteString(stdout, buf.String())
	return err
}
