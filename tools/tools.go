//go:build tools

// Package tools pins the versions of the static-analysis tools that CI runs.
// It is a separate module so that the tools' dependencies never enter the
// main module's go.mod.
package tools

import (
	_ "honnef.co/go/tools/cmd/staticcheck"
)
