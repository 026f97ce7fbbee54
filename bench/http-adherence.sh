#!/usr/bin/env bash
# Times GET /api/v1/reports/adherence (and one plan's report) on the real API over loopback, against a
# seeded clinic of 10,000 active plans. Bounded runs only. See docs/performance.md.
# Needs: dotnet build -c Release (API + bench), apt-get install -y hyperfine wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${CLINICTRACKER_BENCH_DIR:-/tmp/clinictracker-bench}
PORT=${PORT:-5190}
BASE=http://127.0.0.1:$PORT
BENCH=bench/ClinicTracker.Bench/bin/Release/net10.0/ClinicTracker.Bench.dll
API=src/ClinicTracker.Api/bin/Release/net10.0/ClinicTracker.Api.dll

[ -f "$DIR/clinictracker.db" ] || dotnet "$BENCH" seed "$DIR" 10000

export Database__DataDirectory="$DIR"
API_PID=
trap 'kill $API_PID 2>/dev/null || true' EXIT
. bench/api.sh
start_bench_api
REPORT="$BASE/api/v1/reports/adherence?limit=50"
PLAN=$(curl -sf -H "$AUTH" "$REPORT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["planId"])')
ONE="$BASE/api/v1/plans/$PLAN/adherence"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

hyperfine --warmup 3 --runs 30 --export-markdown "$DIR/hyperfine.md" -n report-limit-50 -n one-plan \
  "curl -sf -o /dev/null -H '$AUTH' '$REPORT'" \
  "curl -sf -o /dev/null -H '$AUTH' '$ONE'"
wrk -t1 -c1 -d30s --timeout 10s --latency -H "$AUTH" "$REPORT"
wrk -t2 -c2 -d30s --timeout 10s --latency -H "$AUTH" "$REPORT"
# The trivial endpoint in the same run, for the ratio (the machine is shared: absolute figures move).
wrk -t2 -c16 -d15s --timeout 10s --latency "$BASE/health/live"
wrk -t2 -c16 -d15s --timeout 10s --latency -H "$AUTH" "$ONE"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
