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

# A throwaway signing key: only this run's API and token know it. The per-user rate limit is lifted so the
# figures measure the API, not the limiter (600 requests/min would turn most of a wrk run into 429s).
KEY=$(head -c 32 /dev/urandom | base64)
ISSUER=clinictracker-bench
AUDIENCE=clinictracker-api
export ASPNETCORE_ENVIRONMENT=Production Database__DataDirectory="$DIR" \
  Authentication__Schemes__Bearer__ValidIssuer=$ISSUER \
  Authentication__Schemes__Bearer__ValidAudiences__0=$AUDIENCE \
  Authentication__Schemes__Bearer__SigningKeys__0__Issuer=$ISSUER \
  Authentication__Schemes__Bearer__SigningKeys__0__Value="$KEY" \
  Security__PermitsPerWindow=100000000
dotnet "$API" --urls "$BASE" >"$DIR/api.log" 2>&1 &
API_PID=$!
trap 'kill $API_PID 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -sf "$BASE/health/live" >/dev/null 2>&1 && break; sleep 0.5; done

# The staff register is the ceiling of a token's roles (ADR 0009): an admin (from the token alone) registers
# the benchmark's prescriber first; 409 when an earlier run already did.
ADMIN=$(dotnet "$BENCH" token $ISSUER $AUDIENCE "$KEY" bench.admin admin)
curl -s -o /dev/null -w 'register bench.prescriber: %{http_code}\n' -X POST "$BASE/api/v1/clinicians" \
  -H "Authorization: Bearer $ADMIN" -H "Content-Type: application/json" \
  -d '{"userName":"bench.prescriber","displayName":"Benchmark prescriber","role":"prescriber"}'
TOKEN=$(dotnet "$BENCH" token $ISSUER $AUDIENCE "$KEY" bench.prescriber prescriber)
AUTH="Authorization: Bearer $TOKEN"
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
