#!/usr/bin/env bash
# Load test of the marketplace search page: 10,000 seeded offerings, the
# real server on loopback, an open-loop load of RATE requests per second
# (default 500) for DURATION (default 30s), on SQLite and — when
# INWONERCLOUD_TEST_DATABASE_URL points at a PostgreSQL server — on
# PostgreSQL (in a database of its own, dropped afterwards). Fails when the
# 99th percentile is above MAX_P99 (default 20ms) or a request fails.
#
#   tools/loadtest.sh            # from the repository root
#   RATE=800 DURATION=60s tools/loadtest.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RATE="${RATE:-500}"
DURATION="${DURATION:-30s}"
MAX_P99="${MAX_P99:-20ms}"
PORT="${PORT:-18089}"
work="$(mktemp -d)"
server_pid=""
cleanup() {
	if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/inwonercloud" ./cmd/inwonercloud
go build -o "$work/loadtest" ./cmd/loadtest
"$work/inwonercloud" keys generate --out "$work/kek" >/dev/null

base="http://127.0.0.1:$PORT"
urls=(
	"$base/aanbod?q=hulp"
	"$base/aanbod?q=huishoudelijke+hulp"
	"$base/aanbod?q=schulden&page=3"
	"$base/aanbod?q=mantelzorger+ondersteuning"
	"$base/aanbod?open=1&postcode=3441+AB&distance=5&sort=distance"
)

# one DB_NAME DATABASE_URL: seed, serve, load, stop.
one() {
	local name="$1" url="$2"
	echo "== $name"
	export INWONERCLOUD_DATA_DIR="$work/data-$name" INWONERCLOUD_DATABASE_URL="$url"
	export INWONERCLOUD_KEK_FILE="$work/kek" INWONERCLOUD_ADDR="127.0.0.1:$PORT" INWONERCLOUD_BASE_URL="$base"
	export INWONERCLOUD_DEFAULT_MUNICIPALITY=woerden INWONERCLOUD_LOG_LEVEL=warn
	mkdir -p "$INWONERCLOUD_DATA_DIR"
	"$work/inwonercloud" migrate >/dev/null
	"$work/inwonercloud" market seed --count 10000
	"$work/inwonercloud" serve >"$work/serve-$name.log" 2>&1 &
	server_pid=$!
	for _ in $(seq 1 100); do
		curl -fsS "$base/readyz" >/dev/null 2>&1 && break
		sleep 0.2
	done
	curl -fsS "$base/readyz" >/dev/null || { cat "$work/serve-$name.log" >&2; return 1; }
	"$work/loadtest" -rate "$RATE" -duration "$DURATION" -max-p99 "$MAX_P99" "${urls[@]}"
	kill "$server_pid"
	wait "$server_pid" 2>/dev/null || true
	server_pid=""
}

one sqlite ""
if [ -n "${INWONERCLOUD_TEST_DATABASE_URL:-}" ]; then
	admin="$INWONERCLOUD_TEST_DATABASE_URL"
	psql "$admin" -qc 'DROP DATABASE IF EXISTS inwonercloud_load' -qc 'CREATE DATABASE inwonercloud_load'
	one postgres "${admin/\/postgres\?//inwonercloud_load?}"
	psql "$admin" -qc 'DROP DATABASE inwonercloud_load'
fi
