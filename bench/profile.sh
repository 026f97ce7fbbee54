#!/usr/bin/env bash
# What one read costs the API's runtime: dotnet-counters (System.Runtime and the ASP.NET Core hosting counters)
# collected while wrk reads patients of an already generated clinic (docs/performance.md, "What limits them").
#   bash bench/profile.sh [paths file]      default patient reads: $DIR/ids/paths-patient.txt (bench/run.sh writes them)
# Needs: bench/run.sh sqlite small run once (its database and ids in /tmp/hrun-sqlite-small), the Release build,
# wrk, and dotnet-counters (dotnet tool install -g dotnet-counters --version 10.0.750501).
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${CLINICTRACKER_BENCH_DIR:-/tmp/hrun-sqlite-small}
PATHS=${1:-$DIR/ids/paths-patient.txt}
PORT=${PORT:-5196}
BASE=http://127.0.0.1:$PORT
BENCH=bench/ClinicTracker.Bench/bin/Release/net10.0/ClinicTracker.Bench.dll
API=src/ClinicTracker.Api/bin/Release/net10.0/ClinicTracker.Api.dll
COUNTERS=${DOTNET_COUNTERS:-$HOME/.dotnet/tools/dotnet-counters}
[ -f "$DIR/clinictracker.db" ] || { echo "no generated clinic in $DIR: run bash bench/run.sh sqlite small first" >&2; exit 1; }
export Database__Provider=sqlite Database__DataDirectory="$DIR" Logging__LogLevel__Default=Warning BENCH_REGISTERED=1
. bench/api.sh
API_PID=
trap 'if [ -n "$API_PID" ]; then kill "$API_PID" 2>/dev/null || true; wait "$API_PID" 2>/dev/null || true; fi' EXIT
start_bench_api
AUTH="Authorization: Bearer $(bench_token bench.prescriber prescriber)"
# Warm up, then 15 s of reads with the counters collected over the same 15 s.
wrk -t2 -c32 -d3s -H "$AUTH" -s bench/run.lua "$BASE" -- paths "$PATHS" >/dev/null
"$COUNTERS" collect -p "$API_PID" --refresh-interval 5 --format csv -o "$DIR/counters.csv" \
  --counters System.Runtime,Microsoft.AspNetCore.Hosting --duration 00:00:15 >/dev/null &
COLLECTOR=$!
wrk -t2 -c32 -d15s -H "$AUTH" -s bench/run.lua "$BASE" -- paths "$PATHS" | grep -E '^RESULT|Requests/sec'
wait "$COLLECTOR" || true
# The last sample of each counter that matters for the cost of a request.
python3 - "$DIR/counters.csv" <<'PY'
import csv, sys
last = {}
for row in csv.reader(open(sys.argv[1])):
    if len(row) >= 5 and row[0] != "Timestamp":
        last[row[2]] = row[4]
for name in sorted(last):
    if any(k in name for k in ("cpu", "CPU", "alloc", "Alloc", "gc", "GC", "heap", "Heap", "working", "Working", "request", "Request", "thread", "Thread", "lock", "Lock")):
        print(f"{name}: {last[name]}")
PY
