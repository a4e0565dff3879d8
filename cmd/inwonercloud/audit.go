package main

import (
	"context"
	"fmt"
	"io"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
)

// auditCmd runs the operator's tasks on the access log. "audit verify"
// walks the hash chain and prints each problem by sequence number, never
// the contents of a record.
func auditCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	switch {
	case len(args) == 0:
		return fmt.Errorf("audit: want verify")
	case args[0] != "verify":
		return fmt.Errorf("audit: unknown subcommand %q", args[0])
	case len(args) > 1:
		return fmt.Errorf("audit verify: takes no arguments")
	}
	a, err := open(ctx, getenv, stderr, false)
	if err != nil {
		return err
	}
	defer a.Close()
	rep, err := audit.NewLog(a.db, a.clock).Verify(ctx)
	if err != nil {
		return fmt.Errorf("audit verify: %w", err)
	}
	if rep.OK() {
		fmt.Fprintf(stdout, "audit log OK: %d records checked\n", rep.Checked)
		return nil
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(stdout, "seq %d: %s: %s\n", p.Seq, p.Kind, p.Detail)
	}
	noun := "problems"
	if len(rep.Problems) == 1 {
		noun = "problem"
	}
	return fmt.Errorf("audit log damaged: %d %s found in %d records checked", len(rep.Problems), noun, rep.Checked)
}
