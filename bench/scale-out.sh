#!/usr/bin/env bash
# Reads and audited dose writes under 32 concurrent connections, on SQLite or PostgreSQL, in ONE run of the
# Release API, each as a ratio to GET /health/live measured in the same run (the machine is shared: absolute
# figures move, ratios less). See docs/performance.md, "Scale-out".
#   bash bench/scale-out.sh [sqlite|postgres]
# Needs: dotnet build ClinicTracker.sln -c Release (this script builds nothing), wrk (installed if missing), curl,
# python3; for postgres also root (its own durable throwaway cluster, .ci/postgres-cluster --durable, port 55480).
# Settings (environment): CLINICTRACKER_BENCH_DIR (default /tmp/hbench-<provider>), PORT (5191), PLANS (10000),
# DOSE_SESSIONS (2000), DURATION (15s), WARMUP (3s), CLINICTRACKER_BENCH_REUSE=1 to keep an existing SQLite
# file instead of seeding afresh (PostgreSQL is always seeded: its cluster is new every run).
set -euo pipefail
cd "$(dirname "$0")/.."
PROVIDER=${1:-sqlite}
case "$PROVIDER" in sqlite|postgres) ;; *) echo "usage: bench/scale-out.sh [sqlite|postgres]" >&2; exit 2 ;; esac
DIR=${CLINICTRACKER_BENCH_DIR:-/tmp/hbench-$PROVIDER}
PORT=${PORT:-5191}
PLANS=${PLANS:-10000}
DOSE_SESSIONS=${DOSE_SESSIONS:-2000}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-3s}
PG_DIR=/tmp/hbench-pg
BASE=http://127.0.0.1:$PORT
BENCH=bench/ClinicTracker.Bench/bin/Release/net10.0/ClinicTracker.Bench.dll
API=src/ClinicTracker.Api/bin/Release/net10.0/ClinicTracker.Api.dll
LUA=bench/scale-out.lua
for f in "$BENCH" "$API"; do
  [ -f "$f" ] || { echo "$f is missing: run dotnet build ClinicTracker.sln -c Release first" >&2; exit 1; }
done
if ! command -v wrk >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi
mkdir -p "$DIR"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

API_PID=
cleanup() {
  if [ -n "$API_PID" ]; then kill "$API_PID" 2>/dev/null || true; wait "$API_PID" 2>/dev/null || true; fi
  if [ "$PROVIDER" = postgres ]; then .ci/postgres-cluster stop "$PG_DIR" || true; fi
}
trap cleanup EXIT

if [ "$PROVIDER" = postgres ]; then
  # Durable: fsync, synchronous_commit and full_page_writes at PostgreSQL's defaults.
  SERVER=$(CLINICTRACKER_TEST_POSTGRES_PORT=${CLINICTRACKER_BENCH_POSTGRES_PORT:-55480} .ci/postgres-cluster start "$PG_DIR" --durable)
  # The pool: 32 connections of wrk are at most 32 requests at once, each holding one database connection (the
  # idempotency claim shares the request's transaction); 50 leaves headroom for the audit batch writers and the
  # hosted cleanup without letting a leak hide behind Npgsql's default of 100.
  CONNECTION="${SERVER/Database=postgres/Database=clinictracker_bench};Maximum Pool Size=50"
  dotnet "$BENCH" seed --provider postgres --connection "$CONNECTION" --plans "$PLANS" --dose-sessions "$DOSE_SESSIONS"
  export Database__Provider=postgres ConnectionStrings__Clinic="$CONNECTION"
else
  CONNECTION=$DIR
  if [ "${CLINICTRACKER_BENCH_REUSE:-0}" = 1 ] && [ -f "$DIR/clinictracker.db" ]; then
    echo "reusing $DIR/clinictracker.db"
  else
    dotnet "$BENCH" seed --provider sqlite --connection "$DIR" --plans "$PLANS" --dose-sessions "$DOSE_SESSIONS"
  fi
  export Database__Provider=sqlite Database__DataDirectory="$DIR"
fi
dotnet "$BENCH" ids --provider "$PROVIDER" --connection "$CONNECTION" --out "$DIR/ids"

# Logging at Warning as in production (EF's SQL log costs about 3x).
export Logging__LogLevel__Default=Warning
. bench/api.sh
start_bench_api
RUN=$(date +%s%N)

# Peak resident memory of the API during one step: VmHWM after resetting it (clear_refs 5), else VmRSS sampled.
reset_peak() { echo 5 >"/proc/$API_PID/clear_refs" 2>/dev/null && echo hwm || echo sample; }
peak_mib() { awk '/^VmHWM/ {printf "%d", $2 / 1024}' "/proc/$API_PID/status"; }
sample_rss() {
  local peak=0 rss
  while kill -0 "$API_PID" 2>/dev/null && [ ! -f "$DIR/step.done" ]; do
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$API_PID/status")
    [ "$rss" -gt "$peak" ] && peak=$rss
    sleep 0.2
  done
  echo $((peak / 1024)) >"$DIR/step.rss"
}

ROWS=()
# step <name> <auth header or ""> <url> <lua args…>: a warm-up run (not counted), then the measured run.
step() {
  local name=$1 auth=$2 url=$3
  shift 3
  local headers=()
  [ -n "$auth" ] && headers=(-H "$auth")
  wrk -t2 -c32 -d"$WARMUP" --timeout 10s "${headers[@]}" -s "$LUA" "$url" -- "$@" >"$DIR/wrk-$name-warmup.txt"
  local how sampler=
  how=$(reset_peak)
  rm -f "$DIR/step.done" "$DIR/step.rss"
  if [ "$how" = sample ]; then sample_rss & sampler=$!; fi
  wrk -t2 -c32 -d"$DURATION" --timeout 10s --latency "${headers[@]}" -s "$LUA" "$url" -- "$@" >"$DIR/wrk-$name.txt"
  touch "$DIR/step.done"
  if [ -n "$sampler" ]; then wait "$sampler"; fi
  local rss
  if [ "$how" = hwm ]; then rss=$(peak_mib); else rss=$(cat "$DIR/step.rss"); fi
  local result
  result=$(grep '^RESULT' "$DIR/wrk-$name.txt")
  echo "$name: $result rss_mib=$rss"
  ROWS+=("$name $result rss_mib=$rss")
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# The trivial endpoint is anonymous and measured without a token, as in bench/http-adherence.sh.
step health-live "" "$BASE/health/live" static
step patient-read "$AUTH" "$BASE" get "$DIR/ids/patients.txt" 2 "/api/v1/patients/{id}"
step session-history "$AUTH" "$BASE" get "$DIR/ids/patients.txt" 2 "/api/v1/patients/{id}/sessions?limit=50"
step plan-adherence "$AUTH" "$BASE" get "$DIR/ids/plans.txt" 2 "/api/v1/plans/{id}/adherence"
BEFORE=$(dotnet "$BENCH" counts --provider "$PROVIDER" --connection "$CONNECTION")
step dose-write "$AUTH" "$BASE" dose "$DIR/ids/dose-sessions.txt" 2 "$RUN"
AFTER=$(dotnet "$BENCH" counts --provider "$PROVIDER" --connection "$CONNECTION")
# Every 201 of the warm-up and the measured run is a standing dose; a refusal or a 500 stores none. The requests
# in flight when wrk stops (up to 32 per wrk run) are stored but not counted, so the rows may exceed the 201s by that.
created() { grep -o '201x[0-9]*' "$1" | cut -c5- || echo 0; }
echo "database: $BEFORE before the dose step, $AFTER after; 201s: $(created "$DIR/wrk-dose-write-warmup.txt") warm-up + $(created "$DIR/wrk-dose-write.txt") measured"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "API log: $(wc -l <"$DIR/api.log") lines in $DIR/api.log; wrk output in $DIR/wrk-*.txt"
# What the failures were, by database message (ids only in these: no patient data is logged).
grep -oE 'MessageText: .*|SQLite Error [0-9]+: .*' "$DIR/api.log" | sed 's/^MessageText: //' | sort | uniq -c | sort -rn | head -5 || true

printf '%s\n' "${ROWS[@]}" | python3 -c '
import re, sys
provider = sys.argv[1]
rows = []
for line in sys.stdin:
    name = line.split()[0]
    f = dict(re.findall(r"(\w+)=(\S*)", line))
    rows.append((name, f))
health = float(rows[0][1]["rps"])
labels = {
    "health-live": "GET /health/live (trivial)",
    "patient-read": "GET /api/v1/patients/{id}",
    "session-history": "GET /api/v1/patients/{id}/sessions?limit=50",
    "plan-adherence": "GET /api/v1/plans/{id}/adherence",
    "dose-write": "POST /api/v1/sessions/{id}/doses (audited, Idempotency-Key)",
}
print()
print(f"Provider: {provider}; wrk -t2 -c32 -d15s --latency each")
print("| Operation | req/s | ratio to /health/live | p50 ms | p99 ms | non-2xx (statuses) | API RSS peak MiB |")
print("|---|---:|---:|---:|---:|---|---:|")
for name, f in rows:
    rps, p50, p99, rss = float(f["rps"]), float(f["p50_ms"]), float(f["p99_ms"]), f["rss_mib"]
    codes = ", ".join(c.replace("x", ": ", 1) for c in f["statuses"].split(",") if c)
    errors = int(f["socket_errors"])
    non = f["non2xx"] + (f" + {errors} socket errors" if errors else "")
    print(f"| {labels[name]} | {rps:,.0f} | {rps / health:.3f} | {p50:.1f} | {p99:.1f} | {non} ({codes}) | {rss} |")
' "$PROVIDER"
