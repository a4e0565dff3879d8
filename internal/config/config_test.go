package config_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/config"
)

// env returns a getenv that reads from m.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// summary is the part of a Config a test compares; BaseURL as text.
type summary struct {
	Addr, DatabaseURL, DataDir, BaseURL, LogLevel, DefaultMunicipality string
	SMTP                                                               config.SMTP
	ShutdownMax                                                        time.Duration
	Secure                                                             bool
	SQLitePath                                                         string
	KEKFile, KeysDatabaseURL, KeysSQLitePath, DemoKEKPath              string
}

func summarize(c config.Config) summary {
	return summary{
		Addr: c.Addr, DatabaseURL: c.DatabaseURL, DataDir: c.DataDir, BaseURL: c.BaseURL.String(), LogLevel: c.LogLevel,
		DefaultMunicipality: c.DefaultMunicipality, SMTP: c.SMTP, ShutdownMax: c.ShutdownMax,
		Secure: c.Secure(), SQLitePath: c.SQLitePath(),
		KEKFile: c.KEKFile, KeysDatabaseURL: c.KeysDatabaseURL, KeysSQLitePath: c.KeysSQLitePath(), DemoKEKPath: c.DemoKEKPath(),
	}
}

func TestLoad_Defaults(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatalf("Load(empty environment): %v", err)
	}
	want := summary{
		Addr: ":8080", DataDir: "data", BaseURL: "http://localhost:8080", LogLevel: "info",
		SMTP:        config.SMTP{Port: 587, From: "Inwonercloud <noreply@localhost>", TLS: "starttls"},
		ShutdownMax: 20 * time.Second, SQLitePath: filepath.Join("data", "inwonercloud.db"),
		KeysSQLitePath: filepath.Join("data", "keys.db"), DemoKEKPath: filepath.Join("data", "kek"),
	}
	if diff := cmp.Diff(want, summarize(c)); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	if c.Demo {
		t.Error("Demo is on without the demo subcommand")
	}
}

func TestLoad_Set(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(map[string]string{
		"INWONERCLOUD_ADDR":                 "127.0.0.1:9000",
		"INWONERCLOUD_DATABASE_URL":         "postgres://app@db.internal:5432/inwonercloud",
		"INWONERCLOUD_DATA_DIR":             "/var/lib/inwonercloud",
		"INWONERCLOUD_BASE_URL":             "https://woerden.inwonercloud.nl/",
		"INWONERCLOUD_LOG_LEVEL":            "debug",
		"INWONERCLOUD_DEFAULT_MUNICIPALITY": " Woerden ",
		"INWONERCLOUD_SHUTDOWN_TIMEOUT":     "45s",
		"INWONERCLOUD_SMTP_HOST":            "smtp.example.nl",
		"INWONERCLOUD_SMTP_PORT":            "465",
		"INWONERCLOUD_SMTP_USERNAME":        "inwonercloud",
		"INWONERCLOUD_SMTP_PASSWORD":        "geheim",
		"INWONERCLOUD_SMTP_FROM":            "Gemeente Woerden <noreply@woerden.nl>",
		"INWONERCLOUD_SMTP_TLS":             "tls",
		"INWONERCLOUD_KEK_FILE":             "/etc/inwonercloud/kek",
		"INWONERCLOUD_KEYS_DATABASE_URL":    "postgres://keys@keys.internal:5432/inwonercloud_keys",
	}))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := summary{
		Addr: "127.0.0.1:9000", DatabaseURL: "postgres://app@db.internal:5432/inwonercloud", DataDir: "/var/lib/inwonercloud",
		BaseURL: "https://woerden.inwonercloud.nl", LogLevel: "debug", DefaultMunicipality: "woerden",
		SMTP: config.SMTP{Host: "smtp.example.nl", Port: 465, Username: "inwonercloud", Password: "geheim",
			From: "Gemeente Woerden <noreply@woerden.nl>", TLS: "tls"},
		ShutdownMax: 45 * time.Second, Secure: true, SQLitePath: "/var/lib/inwonercloud/inwonercloud.db",
		KEKFile: "/etc/inwonercloud/kek", KeysDatabaseURL: "postgres://keys@keys.internal:5432/inwonercloud_keys",
		KeysSQLitePath: "/var/lib/inwonercloud/keys.db", DemoKEKPath: "/var/lib/inwonercloud/kek",
	}
	if diff := cmp.Diff(want, summarize(c)); diff != "" {
		t.Errorf("Load (-want +got):\n%s", diff)
	}
}

// postgresURL is a valid main database for the cases that need one.
const postgresURL = "postgres://app@db.internal:5432/inwonercloud"

func TestLoad_Bad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, value string
	}{
		{"INWONERCLOUD_ADDR", "nonsense"},
		{"INWONERCLOUD_ADDR", ":99999"},
		{"INWONERCLOUD_ADDR", "localhost:http"},
		{"INWONERCLOUD_DATABASE_URL", "mysql://x"},
		{"INWONERCLOUD_DATABASE_URL", "::not a url"},
		{"INWONERCLOUD_BASE_URL", "ftp://x"},
		{"INWONERCLOUD_BASE_URL", "/relative/path"},
		{"INWONERCLOUD_BASE_URL", "https://"},
		{"INWONERCLOUD_SMTP_PORT", "abc"},
		{"INWONERCLOUD_SMTP_PORT", "0"},
		{"INWONERCLOUD_SMTP_PORT", "65536"},
		{"INWONERCLOUD_LOG_LEVEL", "loud"},
		{"INWONERCLOUD_SHUTDOWN_TIMEOUT", "soon"},
		{"INWONERCLOUD_SHUTDOWN_TIMEOUT", "-5s"},
		{"INWONERCLOUD_SMTP_FROM", "noreply"},
		{"INWONERCLOUD_SMTP_TLS", "ssl"},
		{"INWONERCLOUD_KEK_FILE", "   "},
		{"INWONERCLOUD_KEK_FILE", "/etc/kek\n"},
		{"INWONERCLOUD_KEYS_DATABASE_URL", "mysql://x"},
		{"INWONERCLOUD_KEYS_DATABASE_URL", "::not a url"},
		{"INWONERCLOUD_KEYS_DATABASE_URL", postgresURL}, // the same database
	}
	for _, tc := range tests {
		t.Run(strings.TrimPrefix(tc.name, "INWONERCLOUD_")+"="+tc.value, func(t *testing.T) {
			t.Parallel()
			// On PostgreSQL, so that only the value itself is wrong.
			_, err := config.Load(env(map[string]string{"INWONERCLOUD_DATABASE_URL": postgresURL, tc.name: tc.value}))
			if err == nil {
				t.Fatalf("Load(%s=%q) = nil error", tc.name, tc.value)
			}
			if !strings.Contains(err.Error(), tc.name) {
				t.Errorf("error %q does not name %s", err, tc.name)
			}
		})
	}
}

func TestLoad_AllProblemsAtOnce(t *testing.T) {
	t.Parallel()
	_, err := config.Load(env(map[string]string{
		"INWONERCLOUD_ADDR":      "nonsense",
		"INWONERCLOUD_LOG_LEVEL": "loud",
		"INWONERCLOUD_SMTP_PORT": "abc",
	}))
	if err == nil {
		t.Fatal("Load = nil error")
	}
	for _, name := range []string{"INWONERCLOUD_ADDR", "INWONERCLOUD_LOG_LEVEL", "INWONERCLOUD_SMTP_PORT"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
}

func TestLoad_SecretsNotInErrors(t *testing.T) {
	t.Parallel()
	const secret = "s3cret-Wachtwoord"
	for _, vars := range []map[string]string{
		{"INWONERCLOUD_DATABASE_URL": "mysql://app:" + secret + "@db/inwonercloud"},
		{"INWONERCLOUD_DATABASE_URL": postgresURL, "INWONERCLOUD_KEYS_DATABASE_URL": "mysql://keys:" + secret + "@db/keys"},
		{"INWONERCLOUD_KEYS_DATABASE_URL": "postgres://keys:" + secret + "@db/keys"},
	} {
		_, err := config.Load(env(vars))
		if err == nil {
			t.Fatalf("Load(%v) = nil error", vars)
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error shows the database password: %q", err)
		}
	}
}

// TestLoad_KeysDatabaseNeedsPostgres: with SQLite the data keys are always
// in keys.db beside the data; a keys database URL is a mistake.
func TestLoad_KeysDatabaseNeedsPostgres(t *testing.T) {
	t.Parallel()
	_, err := config.Load(env(map[string]string{"INWONERCLOUD_KEYS_DATABASE_URL": "postgres://keys@db/keys"}))
	if err == nil || !strings.Contains(err.Error(), "INWONERCLOUD_KEYS_DATABASE_URL") || !strings.Contains(err.Error(), "keys.db") {
		t.Errorf("Load with a keys database on SQLite = %v, want an error naming INWONERCLOUD_KEYS_DATABASE_URL and keys.db", err)
	}
}
