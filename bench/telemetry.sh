#!/usr/bin/env bash
# The cost of telemetry (docs/integrators.md, Telemetry): the same Release API on an empty SQLite file, once with
# OpenTelemetry's SDK switched off (OTEL_SDK_DISABLED=true) and once as shipped (spans and metrics recorded, no
# exporter), alternating ROUNDS times; wrk on a trivial endpoint and on one EF-backed read. Bounded runs only.
# Needs: dotnet build -c Release (API + bench), apt-get install -y wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${CLINICTRACKER_BENCH_DIR:-$(mktemp -d)}
PORT=${PORT:-5191}
ROUNDS=${ROUNDS:-2}
SECONDS_EACH=${SECONDS_EACH:-10}
BASE=http://127.0.0.1:$PORT
BENCH=bench/ClinicTracker.Bench/bin/Release/net10.0/ClinicTracker.Bench.dll
API=src/ClinicTracker.Api/bin/Release/net10.0/ClinicTracker.Api.dll
export Database__DataDirectory="$DIR"
API_PID=
trap 'kill $API_PID 2>/dev/null || true' EXIT
. bench/api.sh

rps() { wrk -t2 -c16 -d"${SECONDS_EACH}s" --timeout 10s "$@" | awk '/Requests\/sec/ {print $2}'; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$ROUNDS"); do
  for mode in off on; do
    if [ $mode = off ]; then export OTEL_SDK_DISABLED=true; else unset OTEL_SDK_DISABLED; fi
    start_bench_api
    # One EF read with record keeping (staff register lookup, audit row through the batch writer).
    READ="$BASE/api/v1/patients?limit=10"
    curl -sf -o /dev/null -H "$AUTH" "$READ"
    echo "round $round telemetry $mode: /health/live $(rps "$BASE/health/live") req/s, $READ $(rps -H "$AUTH" "$READ") req/s"
    kill $API_PID; wait $API_PID 2>/dev/null || true
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
