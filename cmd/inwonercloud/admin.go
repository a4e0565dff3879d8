package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	a, err := open(ctx, getenv, io.Discard, false) // open migrates
	if err != nil {
		return err
	}
	defer a.Close()
	if len(args) > 0 && args[0] == "status" {
		lines, err := a.db.MigrationStatus(ctx)
		if err != nil {
			return err
		}
		for _, l := range lines {
			fmt.Fprintln(stdout, l)
		}
		return nil
	}
	fmt.Fprintf(stdout, "database (%s) is up to date\n", a.db.Dialect())
	return nil
}

func tenantCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("tenant: want create or list")
	}
	a, err := open(ctx, getenv, stderr, false)
	if err != nil {
		return err
	}
	defer a.Close()
	switch args[0] {
	case "list":
		list, err := a.tenants.Municipalities(ctx)
		if err != nil {
			return err
		}
		for _, m := range list {
			fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\n", m.ID, m.Slug, m.Name, m.Host)
		}
		return nil
	case "create":
		fs := flag.NewFlagSet("tenant create", flag.ContinueOnError)
		fs.SetOutput(stderr)
		slug := fs.String("slug", "", "short name, e.g. woerden")
		name := fs.String("name", "", "display name, e.g. Woerden")
		host := fs.String("host", "", "optional host name that selects this municipality")
		theme := fs.String("theme", "default", "design-token theme: "+strings.Join(tenant.Themes, ", "))
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		m, err := a.tenants.CreateMunicipality(ctx, nil, tenant.Municipality{Slug: *slug, Name: *name, Host: *host, Theme: *theme})
		if err != nil {
			return describe(a, err)
		}
		fmt.Fprintf(stdout, "municipality %s created (id %s)\n", m.Slug, m.ID)
		return nil
	}
	return fmt.Errorf("tenant: unknown subcommand %q", args[0])
}

// roleFlags collects repeated --role values.
type roleFlags []string

func (r *roleFlags) String() string     { return strings.Join(*r, ",") }
func (r *roleFlags) Set(v string) error { *r = append(*r, v); return nil }

func userCmd(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("user: want create or reset-mfa")
	}
	a, err := open(ctx, getenv, stderr, false)
	if err != nil {
		return err
	}
	defer a.Close()
	switch args[0] {
	case "create":
		fs := flag.NewFlagSet("user create", flag.ContinueOnError)
		fs.SetOutput(stderr)
		email := fs.String("email", "", "e-mail address")
		name := fs.String("name", "", "display name")
		home := fs.String("home", "", "home municipality slug (residents)")
		pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input; without it an invitation is mailed")
		var roles roleFlags
		fs.Var(&roles, "role", "role[@municipality-slug[/organisation-id]]; repeat for several")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		np := identity.NewPerson{Email: *email, DisplayName: *name, Locale: "nl"}
		if *home != "" {
			m, err := a.tenants.MunicipalityBySlug(ctx, *home)
			if err != nil {
				return fmt.Errorf("--home %q: no such municipality", *home)
			}
			np.HomeMunicipalityID = m.ID
		}
		for _, r := range roles {
			ra, err := parseRole(ctx, a, r)
			if err != nil {
				return err
			}
			np.Roles = append(np.Roles, ra)
		}
		if *pwStdin {
			line, err := bufio.NewReader(stdin).ReadString('\n')
			if err != nil && line == "" {
				return fmt.Errorf("--password-stdin: no password on standard input")
			}
			np.Password = strings.TrimRight(line, "\r\n")
		}
		if np.Password == "" && !a.mailOK {
			return fmt.Errorf("no SMTP server configured (INWONERCLOUD_SMTP_HOST), so no invitation can be mailed: give a password with --password-stdin")
		}
		p, err := a.identity.CreatePerson(ctx, np)
		if err != nil {
			return describe(a, err)
		}
		how := "an invitation to choose a password was mailed"
		if np.Password != "" {
			how = "the password was set"
		}
		fmt.Fprintf(stdout, "person %s created (id %s); %s\n", p.Email, p.ID, how)
		if p.IsStaff() {
			fmt.Fprintln(stdout, "staff roles need a second factor: it is set up at the first login")
		}
		return nil
	case "reset-mfa":
		fs := flag.NewFlagSet("user reset-mfa", flag.ContinueOnError)
		fs.SetOutput(stderr)
		email := fs.String("email", "", "e-mail address")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if err := a.identity.ResetMFA(ctx, *email); err != nil {
			if errs.Is(err, errs.NotFound) {
				return fmt.Errorf("no person with e-mail %q", *email)
			}
			return err
		}
		fmt.Fprintf(stdout, "second factor of %s removed; all sessions and API tokens ended\n", identity.NormalizeEmail(*email))
		return nil
	}
	return fmt.Errorf("user: unknown subcommand %q", args[0])
}

// parseRole reads role[@municipality[/organisation-id]].
func parseRole(ctx context.Context, a *app, s string) (identity.RoleAssignment, error) {
	role, rest, _ := strings.Cut(s, "@")
	ra := identity.RoleAssignment{Role: identity.Role(role)}
	if !ra.Role.Valid() {
		return ra, fmt.Errorf("--role %q: unknown role; known: %v", role, identity.Roles)
	}
	slug, org, _ := strings.Cut(rest, "/")
	if slug != "" {
		m, err := a.tenants.MunicipalityBySlug(ctx, slug)
		if err != nil {
			return ra, fmt.Errorf("--role %q: no municipality %q", s, slug)
		}
		ra.MunicipalityID = m.ID
	}
	if org != "" {
		o, err := a.tenants.Organisation(ctx, org)
		if err != nil {
			return ra, fmt.Errorf("--role %q: no organisation %q", s, org)
		}
		ra.OrganisationID = o.ID
	}
	return ra, nil
}

// describe turns field errors into a readable line for the operator, in
// English, naming the flag.
func describe(a *app, err error) error {
	f := errs.FieldsOf(err)
	if len(f) == 0 {
		return err
	}
	names := make([]string, 0, len(f))
	for k := range f {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = "--" + k + ": " + a.catalog.T("en", f[k], nil)
	}
	return fmt.Errorf("invalid input: %s", strings.Join(parts, "; "))
}
