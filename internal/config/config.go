// Package config reads Inwonercloud's one Config from environment
// variables. A bad value stops start-up with a message naming the variable.
package config

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is the whole configuration of one process.
type Config struct {
	Addr        string   // INWONERCLOUD_ADDR: listen address, default ":8080"
	DatabaseURL string   // INWONERCLOUD_DATABASE_URL: "" → SQLite in DataDir; postgres://… → PostgreSQL
	DataDir     string   // INWONERCLOUD_DATA_DIR: default "./data"
	BaseURL     *url.URL // INWONERCLOUD_BASE_URL: default http://localhost:8080
	LogLevel    string   // INWONERCLOUD_LOG_LEVEL: debug, info (default), warn, error
	// DefaultMunicipality is the slug of the municipality a visitor sees
	// when nothing else selects one (INWONERCLOUD_DEFAULT_MUNICIPALITY);
	// empty means the first by name. The demo defaults to "woerden".
	DefaultMunicipality string
	Demo                bool          // set by the demo subcommand, never by the environment
	SMTP                SMTP          // INWONERCLOUD_SMTP_*
	ShutdownMax         time.Duration // INWONERCLOUD_SHUTDOWN_TIMEOUT: how long running requests may finish, default 20s
	// KEKFile is the key file holding the key-encryption key
	// (INWONERCLOUD_KEK_FILE); serve refuses to start without it, the demo
	// makes DemoKEKPath when it is empty.
	KEKFile string
	// KeysDatabaseURL is the PostgreSQL database of the residents' data
	// keys (INWONERCLOUD_KEYS_DATABASE_URL); empty keeps them in the main
	// database. With SQLite the keys are always in KeysSQLitePath.
	KeysDatabaseURL string
}

// SMTP configures real mail delivery. An empty Host means no SMTP: mail is
// kept in the outbox (demo) or refused with a logged error (serve).
type SMTP struct {
	Host     string // INWONERCLOUD_SMTP_HOST
	Port     int    // INWONERCLOUD_SMTP_PORT, default 587
	Username string // INWONERCLOUD_SMTP_USERNAME
	Password string // INWONERCLOUD_SMTP_PASSWORD
	From     string // INWONERCLOUD_SMTP_FROM, default "Inwonercloud <noreply@localhost>"
	TLS      string // INWONERCLOUD_SMTP_TLS: starttls (default), tls, none
}

// SQLitePath is the database file used when DatabaseURL is empty.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "inwonercloud.db") }

// KeysSQLitePath is the key store used with SQLite: a file apart from the
// data, so that a copy of the data holds no data key.
func (c Config) KeysSQLitePath() string { return filepath.Join(c.DataDir, "keys.db") }

// DemoKEKPath is the key file the demo makes on first start when
// INWONERCLOUD_KEK_FILE is not set.
func (c Config) DemoKEKPath() string { return filepath.Join(c.DataDir, "kek") }

// Secure reports whether the site is served over HTTPS, which decides the
// __Host- cookie prefix and HSTS.
func (c Config) Secure() bool { return c.BaseURL.Scheme == "https" }

// Load reads the configuration through getenv.
func Load(getenv func(string) string) (Config, error) {
	c := Config{
		Addr:        ":8080",
		DataDir:     "data",
		LogLevel:    "info",
		ShutdownMax: 20 * time.Second,
		SMTP:        SMTP{Port: 587, From: "Inwonercloud <noreply@localhost>", TLS: "starttls"},
	}
	var problems []string
	bad := func(name, why string) { problems = append(problems, name+": "+why) }

	if v := getenv("INWONERCLOUD_ADDR"); v != "" {
		if _, port, err := net.SplitHostPort(v); err != nil {
			bad("INWONERCLOUD_ADDR", "not a host:port address ("+err.Error()+")")
		} else if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
			bad("INWONERCLOUD_ADDR", "port must be a number from 0 to 65535")
		}
		c.Addr = v
	}
	if v := getenv("INWONERCLOUD_DATABASE_URL"); v != "" {
		u, err := url.Parse(v)
		switch {
		case err != nil:
			bad("INWONERCLOUD_DATABASE_URL", "not a URL")
		case u.Scheme != "postgres" && u.Scheme != "postgresql":
			bad("INWONERCLOUD_DATABASE_URL", "must start with postgres:// (leave it empty for the embedded SQLite database)")
		}
		c.DatabaseURL = v
	}
	if v := getenv("INWONERCLOUD_DATA_DIR"); v != "" {
		c.DataDir = v
	}
	base := "http://localhost:8080"
	if v := getenv("INWONERCLOUD_BASE_URL"); v != "" {
		base = v
	}
	if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("INWONERCLOUD_BASE_URL", "must be an absolute http:// or https:// URL")
		c.BaseURL = &url.URL{Scheme: "http", Host: "localhost:8080"}
	} else {
		u.Path = strings.TrimSuffix(u.Path, "/")
		c.BaseURL = u
	}
	if v := getenv("INWONERCLOUD_LOG_LEVEL"); v != "" {
		switch v {
		case "debug", "info", "warn", "error":
			c.LogLevel = v
		default:
			bad("INWONERCLOUD_LOG_LEVEL", "must be debug, info, warn or error")
		}
	}
	c.DefaultMunicipality = strings.ToLower(strings.TrimSpace(getenv("INWONERCLOUD_DEFAULT_MUNICIPALITY")))
	if v := getenv("INWONERCLOUD_SHUTDOWN_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			bad("INWONERCLOUD_SHUTDOWN_TIMEOUT", "must be a positive duration such as 20s")
		}
		c.ShutdownMax = d
	}
	c.SMTP.Host = getenv("INWONERCLOUD_SMTP_HOST")
	if v := getenv("INWONERCLOUD_SMTP_PORT"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 || p > 65535 {
			bad("INWONERCLOUD_SMTP_PORT", "must be a number from 1 to 65535")
		}
		c.SMTP.Port = p
	}
	c.SMTP.Username = getenv("INWONERCLOUD_SMTP_USERNAME")
	c.SMTP.Password = getenv("INWONERCLOUD_SMTP_PASSWORD")
	if v := getenv("INWONERCLOUD_SMTP_FROM"); v != "" {
		if _, err := mail.ParseAddress(v); err != nil {
			bad("INWONERCLOUD_SMTP_FROM", "not a valid e-mail address")
		}
		c.SMTP.From = v
	}
	if v := getenv("INWONERCLOUD_SMTP_TLS"); v != "" {
		switch v {
		case "starttls", "tls", "none":
			c.SMTP.TLS = v
		default:
			bad("INWONERCLOUD_SMTP_TLS", "must be starttls, tls or none")
		}
	}
	if v := getenv("INWONERCLOUD_KEK_FILE"); v != "" {
		if strings.TrimSpace(v) == "" || strings.ContainsAny(v, "\n\r\x00") {
			bad("INWONERCLOUD_KEK_FILE", "must be the path of a key file (make one with: inwonercloud keys generate --out PATH)")
		}
		c.KEKFile = v
	}
	if v := getenv("INWONERCLOUD_KEYS_DATABASE_URL"); v != "" {
		u, err := url.Parse(v)
		switch {
		case err != nil:
			bad("INWONERCLOUD_KEYS_DATABASE_URL", "not a URL")
		case u.Scheme != "postgres" && u.Scheme != "postgresql":
			bad("INWONERCLOUD_KEYS_DATABASE_URL", "must start with postgres://")
		case c.DatabaseURL == "":
			bad("INWONERCLOUD_KEYS_DATABASE_URL", "only used with PostgreSQL (INWONERCLOUD_DATABASE_URL); with SQLite the data keys are in keys.db in the data directory")
		case v == c.DatabaseURL:
			bad("INWONERCLOUD_KEYS_DATABASE_URL", "must name another database than INWONERCLOUD_DATABASE_URL (leave it empty to keep the data keys in the main database)")
		}
		c.KeysDatabaseURL = v
	}
	if len(problems) > 0 {
		return c, fmt.Errorf("configuration: %s", strings.Join(problems, "; "))
	}
	return c, nil
}
