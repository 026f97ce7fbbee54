#!/usr/bin/env bash
# The clinic outcomes report (domain.md §13; docs/outcomes.md) on a generated clinic of 10,000 patients: latency of
# GET /api/v1/reports/outcomes (JSON, SVG, one start year) with hyperfine, and wrk throughput as a ratio to
# GET /health/live at the same settings in the same run (the machine is shared: absolute figures move, ratios less).
#   bash bench/outcomes.sh [sqlite|postgres] [large|small]
# Reuses the clinic bench/run.sh generates (bench/clinic.sh: /tmp/hrun-<provider>-<size>, seed 20261127; generated
# when missing). Needs: dotnet build ClinicTracker.sln -c Release, hyperfine and wrk (installed if missing), curl.
# Settings: CLINICTRACKER_BENCH_DIR, PORT (5196), DURATION (60s), CONNECTIONS (1), RUNS (5), SEED, FORCE=1,
# CLINICTRACKER_BENCH_POSTGRES_PORT (55481). On PostgreSQL a cluster already running in the folder is used as it is
# and left running; one this script starts, it stops.
set -euo pipefail
cd "$(dirname "$0")/.."
PROVIDER=${1:-sqlite}
SIZE=${2:-large}
case "$PROVIDER/$SIZE" in sqlite/small|sqlite/large|postgres/small|postgres/large) ;;
  *) echo "usage: bench/outcomes.sh [sqlite|postgres] [large|small]" >&2; exit 2 ;; esac
DIR=${CLINICTRACKER_BENCH_DIR:-/tmp/hrun-$PROVIDER-$SIZE}
PORT=${PORT:-5196}
DURATION=${DURATION:-60s}
CONNECTIONS=${CONNECTIONS:-1}
RUNS=${RUNS:-5}
SEED=${SEED:-20261127}
PG_PORT=${CLINICTRACKER_BENCH_POSTGRES_PORT:-55481}
PG_DIR=$DIR/pg
BASE=http://127.0.0.1:$PORT
BENCH=bench/ClinicTracker.Bench/bin/Release/net10.0/ClinicTracker.Bench.dll
API=src/ClinicTracker.Api/bin/Release/net10.0/ClinicTracker.Api.dll
OUT=${OUT:-$(mktemp -d /tmp/outcomes-bench-XXXX)}
for f in "$BENCH" "$API"; do
  [ -f "$f" ] || { echo "$f is missing: run dotnet build ClinicTracker.sln -c Release first" >&2; exit 1; }
done
for tool in wrk hyperfine; do
  command -v $tool >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $tool; }
done
mkdir -p "$DIR"

API_PID=
STARTED_PG=0
cleanup() {
  if [ -n "$API_PID" ]; then kill "$API_PID" 2>/dev/null || true; wait "$API_PID" 2>/dev/null || true; fi
  if [ "$STARTED_PG" = 1 ]; then .ci/postgres-cluster stop "$PG_DIR" || true; fi
}
trap cleanup EXIT

. bench/clinic.sh
if [ "$PROVIDER" = postgres ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
  # Someone's run left it up (or is using it): read it as it is, leave it running.
  CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=clinictracker_bench;Maximum Pool Size=50"
  export Database__Provider=postgres ConnectionStrings__Clinic="$CONNECTION"
  echo "using the running cluster in $PG_DIR"
else
  [ "$PROVIDER" = postgres ] && STARTED_PG=1
  prepare_clinic
fi
export Logging__LogLevel__Default=Warning
BENCH_REGISTERED=1
. bench/api.sh
start_bench_api
echo "start to ready: $READY_MS ms; results in $OUT"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

REPORT="$BASE/api/v1/reports/outcomes"
YEAR="$REPORT?from=2025-01-01&to=2025-12-31"
curl -sf -H "$AUTH" "$REPORT" -o "$OUT/report.json" -w 'first call (cold): %{time_total} s\n'
curl -sf -H "$AUTH" -H 'Accept: image/svg+xml' "$REPORT" -o "$OUT/report.svg"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); o=r["overall"]; print("plans", o["plans"], "phq9 counted", o["phq9"]["counted"], "madrs counted", o["madrs"]["counted"])' "$OUT/report.json"

hyperfine --warmup 2 --runs "$RUNS" --export-markdown "$OUT/hyperfine.md" \
  -n json "curl -sf -o /dev/null -H '$AUTH' '$REPORT'" \
  -n svg "curl -sf -o /dev/null -H '$AUTH' -H 'Accept: image/svg+xml' '$REPORT'" \
  -n one-year "curl -sf -o /dev/null -H '$AUTH' '$YEAR'" \
  -n health-live "curl -sf -o /dev/null '$BASE/health/live'"

# Same wrk settings for both, so the ratio compares like with like (one thread: wrk needs connections ≥ threads).
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --timeout 60s --latency "$BASE/health/live" | tee "$OUT/wrk-health-live.txt"
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --timeout 60s --latency -H "$AUTH" "$REPORT" | tee "$OUT/wrk-outcomes.txt"
live=$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk-health-live.txt")
report=$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk-outcomes.txt")
python3 -c "import sys; l,r=float(sys.argv[1]),float(sys.argv[2]); print(f'outcomes {r:.3f} req/s, /health/live {l:.0f} req/s: ratio {r/l:.6f}' + (f' ({l/r:.0f}x slower)' if r else ' (no report finished: raise DURATION)'))" "$live" "$report" \
  | tee "$OUT/ratio.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
