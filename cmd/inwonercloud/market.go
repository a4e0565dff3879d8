package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/market/marketseed"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

// marketCmd runs the marketplace's operator tasks:
//
//	inwonercloud market seed [--count N] [--seed S] [--municipality slug]...
//
// seed adds N published offerings (default 10,000) to the named
// municipalities (default woerden and oudewater, made when missing), for
// demos, load tests and benchmarks.
func marketCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "seed" {
		return fmt.Errorf("market: want seed")
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
