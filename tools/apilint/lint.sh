#!/usr/bin/env bash
# lint.sh checks Inwonercloud's OpenAPI document against the NL API Design
# Rules with the official Spectral ruleset; it fails on any error.
#
# Usage: tools/apilint/lint.sh <URL or file of the OpenAPI document>
#   tools/apilint/lint.sh http://127.0.0.1:8080/api/v1/openapi.json
#   tools/apilint/lint.sh /tmp/openapi.json
#
# The ruleset is not copied into this repository: it is read from the shared
# checkout beside it, <repo>/../shared/api-design-rules/ruleset.yaml. Spectral
# is pinned in package.json and package-lock.json and installed with `npm ci`
# (without install scripts) when node_modules is missing.
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: $0 <URL or file of openapi.json>" >&2
	exit 2
fi
doc=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel 2>/dev/null || (cd "$here/../.." && pwd))
ruleset="$root/../shared/api-design-rules/ruleset.yaml"
if [ ! -f "$ruleset" ]; then
	echo "lint.sh: ruleset not found at $ruleset (shared/ must be a sibling of the repository)" >&2
	exit 2
fi

case "$doc" in
http://* | https://*) ;;
*)
	if [ ! -f "$doc" ]; then
		echo "lint.sh: no such file: $doc" >&2
		exit 2
	fi
	# Absolute, as Spectral runs from this directory.
	doc="$(cd "$(dirname "$doc")" && pwd)/$(basename "$doc")"
	;;
esac

cd "$here"
if [ ! -x node_modules/.bin/spectral ]; then
	npm ci --ignore-scripts --no-audit --no-fund >&2
fi
# --no-install: never fetch an unpinned Spectral from the registry.
exec npx --no-install spectral lint --fail-severity=error -r "$ruleset" "$doc"
