package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/config"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/vault"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
)

// errNoKEK is why serve does not start without a key file.
var errNoKEK = errors.New("INWONERCLOUD_KEK_FILE is not set: serve needs the key-encryption key file that protects residents' data keys. " +
	"Make one with 'inwonercloud keys generate --out PATH', keep a copy apart from every database backup, and set INWONERCLOUD_KEK_FILE=PATH")

// kekName says where the key file came from, for messages.
func kekName(cfg config.Config) string {
	if cfg.KEKFile != "" {
		return "INWONERCLOUD_KEK_FILE " + cfg.KEKFile
	}
	return "demo key file " + cfg.DemoKEKPath()
}

// loadKEK reads the key file named by INWONERCLOUD_KEK_FILE. Without it the
// demo uses (and on first start makes) <data dir>/kek, and every other
// command gets no keyring: only serve insists on one.
func loadKEK(cfg config.Config, demo bool) (*vault.Keyring, error) {
	path := cfg.KEKFile
	if path == "" {
		if !demo {
			return nil, nil
		}
		path = cfg.DemoKEKPath()
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			ring, err := vault.NewKeyring()
			if err != nil {
				return nil, err
			}
			if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
				return nil, fmt.Errorf("%s: %w", kekName(cfg), err)
			}
			if err := vault.WriteKeyFile(path, ring); err != nil {
				return nil, fmt.Errorf("%s: %w", kekName(cfg), err)
			}
			return ring, nil
		}
	}
	ring, err := vault.ReadKeyFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", kekName(cfg), err)
	}
	return ring, nil
}

// openVault opens the key store and checks the keyring against it. The key
// store is <data dir>/keys.db with SQLite, INWONERCLOUD_KEYS_DATABASE_URL
// when set, and else the main database db. The second result is a key store
// the caller must close, or nil. Without a keyring there is no vault.
func openVault(ctx context.Context, cfg config.Config, db *sqlstore.DB, ring *vault.Keyring, clk clock.Clock, log *slog.Logger) (*vault.Vault, *sqlstore.DB, error) {
	if ring == nil {
		return nil, nil, nil
	}
	store, keys := db, (*sqlstore.DB)(nil)
	if cfg.DatabaseURL == "" || cfg.KeysDatabaseURL != "" {
		var err error
		if keys, err = sqlstore.OpenKeyStore(ctx, cfg.KeysDatabaseURL, cfg.KeysSQLitePath()); err != nil {
			return nil, nil, fmt.Errorf("key store: %w", err)
		}
		store = keys
	} else {
		log.Warn("INWONERCLOUD_KEYS_DATABASE_URL is not set: residents' data keys are kept in the main database, " +
			"so an erased resident's data stays readable from database backups until those backups are gone")
	}
	v := vault.New(store, ring, clk)
	if err := v.Check(ctx); err != nil {
		if keys != nil {
			keys.Close()
		}
		return nil, nil, fmt.Errorf("%s does not fit the key store: %w", kekName(cfg), err)
	}
	return v, keys, nil
}

// openKeyStore opens the key store alone, for the keys commands. Unlike
// serve it does not make a missing SQLite key store: a wrong
// INWONERCLOUD_DATA_DIR would otherwise look like an empty one.
func openKeyStore(ctx context.Context, cfg config.Config) (*sqlstore.DB, error) {
	if cfg.DatabaseURL == "" {
		if _, err := os.Stat(cfg.KeysSQLitePath()); err != nil {
			return nil, fmt.Errorf("no key store at %s (is INWONERCLOUD_DATA_DIR right?): %w", cfg.KeysSQLitePath(), err)
		}
	}
	if cfg.DatabaseURL == "" || cfg.KeysDatabaseURL != "" {
		return sqlstore.OpenKeyStore(ctx, cfg.KeysDatabaseURL, cfg.KeysSQLitePath())
	}
	db, err := sqlstore.Open(ctx, cfg.DatabaseURL, "")
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// keysCmd runs the operator's key tasks: make a key file, rotate the
// key-encryption key, and show which keys wrap how many data keys.
func keysCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("keys: want generate, rotate or status")
	}
	switch args[0] {
	case "generate":
		return keysGenerate(args[1:], getenv, stdout, stderr)
	case "rotate":
		return keysRotate(ctx, args[1:], getenv, stdout, stderr)
	case "status":
		return keysStatus(ctx, args[1:], getenv, stdout, stderr)
	}
	return fmt.Errorf("keys: unknown subcommand %q", args[0])
}

func keysGenerate(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("keys generate", flag.ContinueOnError)
	flags.SetOutput(stderr)
	out := flags.String("out", "", "path of the new key file; never overwritten")
	keepOld := flags.Bool("keep-old", false, "also write the keys of INWONERCLOUD_KEK_FILE, below the new one, to unwrap during a rotation")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *out == "" || flags.NArg() > 0 {
		return fmt.Errorf("keys generate: want --out PATH")
	}
	ring, err := vault.NewKeyring()
	if err != nil {
		return err
	}
	if *keepOld {
		cfg, err := config.Load(getenv)
		if err != nil {
			return err
		}
		if cfg.KEKFile == "" {
			return fmt.Errorf("keys generate --keep-old: INWONERCLOUD_KEK_FILE is not set; it names the key file whose keys to keep")
		}
		old, err := loadKEK(cfg, false)
		if err != nil {
			return err
		}
		if ring, err = ring.Merge(old); err != nil {
			return err
		}
	}
	if err := vault.WriteKeyFile(*out, ring); err != nil {
		return fmt.Errorf("keys generate --out %s: %w", *out, err)
	}
	fmt.Fprintf(stdout, "wrote key-encryption key %s to %s (mode 0600)\n", ring.ID(), *out)
	if ids := ring.IDs()[1:]; len(ids) > 0 {
		fmt.Fprintf(stdout, "kept the older keys %s below it, to unwrap data keys until a rotation has rewrapped them\n", strings.Join(ids, ", "))
	}
	fmt.Fprintln(stdout, "Keep a copy of this file in a safe place, apart from every backup of the databases: without it no resident's data can be read.")
	return nil
}

func keysRotate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("keys rotate", flag.ContinueOnError)
	flags.SetOutput(stderr)
	newFile := flags.String("new-kek-file", "", "key file whose first key is to wrap every data key")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *newFile == "" || flags.NArg() > 0 {
		return fmt.Errorf("keys rotate: want --new-kek-file PATH")
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	if cfg.KEKFile == "" {
		return fmt.Errorf("keys rotate: INWONERCLOUD_KEK_FILE is not set; it names the current key file, whose keys unwrap the data keys")
	}
	cur, err := loadKEK(cfg, false)
	if err != nil {
		return err
	}
	next, err := vault.ReadKeyFile(*newFile)
	if err != nil {
		return fmt.Errorf("keys rotate --new-kek-file %s: %w", *newFile, err)
	}
	store, err := openKeyStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	v := vault.New(store, cur, clock.Real{})
	n, err := v.RotateKEK(ctx, next)
	if err != nil {
		return fmt.Errorf("keys rotate: %w (the data keys rewrapped so far stay rewrapped; run the command again)", err)
	}
	fmt.Fprintf(stdout, "rewrapped %d data keys under key-encryption key %s\n", n, next.ID())
	var missing []string
	for _, kid := range cur.IDs() {
		if !next.Has(kid) {
			missing = append(missing, kid)
		}
	}
	fmt.Fprintf(stdout, "Next: set INWONERCLOUD_KEK_FILE=%s on every node and restart them, then run this command again "+
		"to rewrap the data keys that nodes still on the old file made meanwhile; 'inwonercloud keys status' shows what is left.\n", *newFile)
	if len(missing) > 0 {
		fmt.Fprintf(stdout, "Note: %s lacks the old key %s, so until every node uses it, data keys made by nodes on the old file cannot be opened by nodes on the new one. "+
			"'keys generate --keep-old' makes a file that keeps it.\n", *newFile, strings.Join(missing, ", "))
	}
	return nil
}

func keysStatus(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("keys status: takes no arguments")
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	ring, err := loadKEK(cfg, false)
	if err != nil {
		return err
	}
	store, err := openKeyStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	counts, err := store.CountDataKeys(ctx)
	if err != nil {
		return err
	}
	if ring != nil {
		fmt.Fprintf(stdout, "INWONERCLOUD_KEK_FILE %s: current key %s; keys in the file: %s\n", cfg.KEKFile, ring.ID(), strings.Join(ring.IDs(), ", "))
	} else {
		fmt.Fprintln(stdout, "INWONERCLOUD_KEK_FILE is not set")
	}
	erased := 0
	fmt.Fprintln(stdout, "data keys per key-encryption key:")
	for _, c := range counts {
		if c.KEKID == "" {
			erased = c.Count
			continue
		}
		note := ""
		switch {
		case ring == nil:
		case c.KEKID == ring.ID():
			note = "current"
		case ring.Has(c.KEKID):
			note = "older key in the file: rotate to rewrap"
		default:
			note = "NOT IN THE KEY FILE"
		}
		fmt.Fprintf(stdout, "  %s\t%d\t%s\n", c.KEKID, c.Count, note)
	}
	fmt.Fprintf(stdout, "erased residents (destroyed data keys): %d\n", erased)
	return nil
}
