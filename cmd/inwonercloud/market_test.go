package main

import (
	"strings"
	"testing"
)

func TestRun_MarketSeed(t *testing.T) {
	t.Parallel()
	for name, e := range databases(t) {
		t.Run(name, func(t *testing.T) {
			r := runCmd(t, e, "", "market", "seed", "--count", "120", "--seed", "3")
			if r.err != nil || !strings.HasPrefix(r.stdout, "seeded 120 offerings from 10 providers (42 new categories)") {
				t.Fatalf("market seed: %v, %q", r.err, r.stdout)
			}
			// A second run adds offerings to the same categories.
			r = runCmd(t, e, "", "market", "seed", "--count", "30")
			if r.err != nil || !strings.HasPrefix(r.stdout, "seeded 30 offerings from 10 providers (0 new categories)") {
				t.Fatalf("second seed: %v, %q", r.err, r.stdout)
			}
			if r := runCmd(t, e, "", "market", "seed", "--count", "0"); r.err == nil {
				t.Errorf("--count 0 accepted")
			}
			if r := runCmd(t, e, "", "market"); r.err == nil {
				t.Errorf("market without a subcommand accepted")
			}
		})
	}
}
