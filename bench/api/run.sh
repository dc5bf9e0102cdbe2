#!/usr/bin/env bash
# The authenticated read of one household, as a partner system makes it: a bearer token,
# the area check, an entry in the audit trail's chain. wrk (Debian's package) drives
# `amparo serve` over loopback; server, database and wrk share the machine.
#
#   DATABASE_URL=postgres://… bench/api/run.sh [--repeat 3] [--duration 30] [--connections 32]
#
# The registry must hold households already (e.g. `amparo demo --households 1000000`).
# A client `bench-…` is added to it (scope registry:read, the whole country), and every
# request writes an audit entry: measure on a copy. Prints each run and the median.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPEAT=3 DURATION=30 CONNECTIONS=32
while [ $# -gt 0 ]; do
    case "$1" in
        --repeat) REPEAT=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
: "${DATABASE_URL:?set DATABASE_URL to the registry to measure}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
command -v psql >/dev/null || { echo "psql is needed: apt-get install postgresql-client" >&2; exit 1; }
AMPARO=${AMPARO_BINARY:-.build/release/amparo}
[ -x "$AMPARO" ] || { echo "build it first: swift build -c release --product amparo" >&2; exit 1; }
export AMPARO_SECRET=${AMPARO_SECRET:-$(python3 -c 'import secrets; print(secrets.token_hex(32))')}
WORK=$(mktemp -d /tmp/amparo-bench-api.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

psql "$DATABASE_URL" -Atc "SELECT id FROM households ORDER BY random() LIMIT 20000" > "$WORK/ids"
echo "$(wc -l < "$WORK/ids") household ids drawn from $(psql "$DATABASE_URL" -Atc 'SELECT count(*) FROM households') households"
CREDENTIALS=$("$AMPARO" client add "bench-$$-$RANDOM" --scope registry:read --area '*' --json --database "$DATABASE_URL")
CLIENT_ID=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["client_id"])' "$CREDENTIALS")
CLIENT_SECRET=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["client_secret"])' "$CREDENTIALS")
"$AMPARO" serve --database "$DATABASE_URL" --port "$PORT" > "$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done

RESULTS=()
for run in $(seq 1 "$REPEAT"); do
    # A token lives ten minutes: a new one for each run.
    export TOKEN=$(curl -sf -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials "http://127.0.0.1:$PORT/oauth/token" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    LINE=$(IDS="$WORK/ids" wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/api/households.lua "http://127.0.0.1:$PORT" | grep '^RESULT')
    echo "run $run: ${LINE#RESULT }"
    RESULTS+=("$LINE")
done
printf '%s\n' "${RESULTS[@]}" | python3 -c '
import re, statistics, sys
runs = [dict((k, float(v)) for k, v in re.findall(r"(\w+)=([0-9.]+)", line)) for line in sys.stdin]
def median(key): return statistics.median(run[key] for run in runs)
rps = [run["rps"] for run in runs]
errors = sum(run["errors"] + run["non2xx"] for run in runs)
print("median of %d: %.0f requests/s, p50 %.1f ms, p99 %.1f ms (requests/s %.0f-%.0f; errors %d)"
      % (len(runs), median("rps"), median("p50"), median("p99"), min(rps), max(rps), errors))
'
