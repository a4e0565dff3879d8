package main

import (
	"os"
	"path/filepath"
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

func TestRun_MarketImportExport(t *testing.T) {
	t.Parallel()
	for name, e := range databases(t) {
		t.Run(name, func(t *testing.T) {
			if r := runCmd(t, e, "", "market", "seed", "--count", "25", "--municipality", "woerden"); r.err != nil {
				t.Fatalf("market seed: %v", r.err)
			}
			dir := t.TempDir()
			for _, format := range []string{"json", "csv"} {
				file := filepath.Join(dir, "aanbod."+format)
				r := runCmd(t, e, "", "market", "export", "--municipality", "woerden", "--format", format, file)
				if r.err != nil {
					t.Fatalf("export %s: %v", format, r.err)
				}
				// Standard output gives the same file (made at another moment).
				out := runCmd(t, e, "", "market", "export", "--municipality", "woerden", "--format", format, "-")
				if b, err := os.ReadFile(file); err != nil || withoutTime(string(b)) != withoutTime(out.stdout) || len(b) < 1000 {
					t.Fatalf("export %s: file and standard output differ, or are short (%d bytes): %v", format, len(b), err)
				}
				// Importing the export updates every offering and adds none.
				r = runCmd(t, e, "", "market", "import", "--municipality", "woerden", file)
				if r.err != nil || !strings.Contains(r.stdout, "in Woerden: 0 nieuw, 25 bijgewerkt, 0 geweigerd") {
					t.Fatalf("import %s: %v\n%s", format, r.err, r.stdout)
				}
			}

			bad := filepath.Join(dir, "fout.csv")
			csv := "id,organization_name,organization_kvk,name,summary,description,application_process,cost_option,kind,categories\n" +
				"n-1,Buurtkracht,87654321,Koffie in de buurt,Koffie en een praatje.,Vrijwilligers schenken koffie.,Loop binnen.,free,volunteer,schuldhulp\n" +
				"n-2,Buurtkracht,87654321,Tuinhulp,Wij maken uw tuin netjes.,Een hovenier komt langs.,Bel ons.,free,volunteer,tuinonderhoud\n"
			if err := os.WriteFile(bad, []byte(csv), 0o600); err != nil {
				t.Fatal(err)
			}
			r := runCmd(t, e, "", "market", "import", "--municipality", "woerden", "--format", "csv", bad)
			if r.err == nil || !strings.Contains(r.err.Error(), "1 van 2 regels geweigerd") {
				t.Errorf("import with a bad row: error %v, want one refused", r.err)
			}
			for _, want := range []string{"1 nieuw, 0 bijgewerkt, 1 geweigerd",
				"regel 3, categories: De categorie 'tuinonderhoud' bestaat niet in Woerden."} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("report lacks %q:\n%s", want, r.stdout)
				}
			}
			if r := runCmd(t, e, "", "market", "import", "--municipality", "woerden", filepath.Join(dir, "aanbod.json"), "--format", "csv"); r.err == nil {
				t.Errorf("flags after the file were accepted")
			}
			if r := runCmd(t, e, "", "market", "import", "--municipality", "woerden", "--format", "csv", filepath.Join(dir, "aanbod.json")); r.err == nil ||
				!strings.Contains(r.err.Error(), "De eerste regel moet de namen van de kolommen hebben") {
				t.Errorf("JSON read as CSV: %v", r.err)
			}
			if r := runCmd(t, e, "", "market", "export", "--municipality", "atlantis", "--format", "csv"); r.err == nil {
				t.Errorf("export of an unknown municipality succeeded")
			}
			if r := runCmd(t, e, "", "market", "export", "--municipality", "woerden"); r.err == nil {
				t.Errorf("export without --format succeeded")
			}
		})
	}
}

// withoutTime drops the JSON export's line that says when it was made.
func withoutTime(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if !strings.Contains(l, `"generated_at"`) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
