// Command inwonercloud is the whole platform in one binary: the web site,
// the JSON API, and the operator's tasks.
//
//	inwonercloud demo                  serve with a seeded demo database
//	inwonercloud serve                 serve for production (never seeds)
//	inwonercloud migrate [status]      bring the schema up to date
//	inwonercloud tenant create ...     add a municipality
//	inwonercloud user create ...       add a person with roles
//	inwonercloud user reset-mfa ...    remove a person's second factor
//	inwonercloud market seed|import|export  fill, read or write the marketplace
//	inwonercloud budget reconcile      check that the budget ledger balances
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "inwonercloud:", err)
		os.Exit(1)
	}
}

const usage = `Gebruik / usage: inwonercloud <command>

  demo                     serve http with a demo database, seeded on first start
  serve                    serve http for production; never seeds
  migrate [status]         bring the database schema up to date, or show it
  tenant create --slug S --name N [--host H] [--theme T]
  tenant list
  user create --email E --name N --role R[@municipality[/organisation-id]]... [--home municipality] [--password-stdin]
  user reset-mfa --email E
  audit verify             check the access log's hash chain (fails when tampered with)
  keys generate --out F [--keep-old] | keys rotate --new-kek-file F | keys status
  market seed [--count N] [--seed S] [--municipality slug]...
  market import --municipality slug [--format json|csv] FILE
  market export --municipality slug --format json|csv [FILE|-]
  budget reconcile         check that every budget account balances (fails and lists differences)

Configuration comes from INWONERCLOUD_* environment variables; see README.md.
`

// run is the testable main: arguments, environment and streams come in,
// an error goes out.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("no command given")
	}
	switch args[0] {
	case "demo":
		return serve(ctx, getenv, stdout, stderr, true)
	case "serve":
		return serve(ctx, getenv, stdout, stderr, false)
	case "migrate":
		return migrate(ctx, args[1:], getenv, stdout)
	case "tenant":
		return tenantCmd(ctx, args[1:], getenv, stdout, stderr)
	case "user":
		return userCmd(ctx, args[1:], getenv, stdin, stdout, stderr)
	case "audit":
		return auditCmd(ctx, args[1:], getenv, stdout, stderr)
	case "keys":
		return keysCmd(ctx, args[1:], getenv, stdout, stderr)
	case "market":
		return marketCmd(ctx, args[1:], getenv, stdout, stderr)
	case "budget":
		return budgetCmd(ctx, args[1:], getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}
