#!/usr/bin/env bash
# The clinic-network benchmark (issue 11; docs/performance.md, "Clinic-network scale"): one run of the Release API on
# a generated clinic (bench/ClinicTracker.Bench generate), every operation under wrk -t2 -c32 in turn, each as a ratio
# to GET /health/live measured in the same run (the machine is shared: absolute figures move, ratios less).
#   bash bench/run.sh [sqlite|postgres] [small|large]
# Needs: dotnet build ClinicTracker.sln -c Release (this script builds nothing), wrk (installed if missing), curl,
# python3; for postgres also root (its own durable cluster, .ci/postgres-cluster --durable).
# Settings (environment): CLINICTRACKER_BENCH_DIR (default /tmp/hrun-<provider>-<size>), PORT (5193), DURATION (10s),
# WARMUP (2s), SEED (20261127), FORCE=1 to generate afresh even when the folder holds a generated clinic of that size
# and seed (otherwise it is reused: the SQLite file, or the PostgreSQL cluster folder, which is restarted as it is),
# CLINICTRACKER_BENCH_POSTGRES_PORT (55481), RANDOM_PAGE_COST (1.1, PostgreSQL's planner setting for SSDs). Writes accumulate in a reused database (each write session takes 740
# doses of 0.25 mg before the soft limit): regenerate with FORCE=1 after many runs, or on another day.
set -euo pipefail
cd "$(dirname "$0")/.."
PROVIDER=${1:-sqlite}
SIZE=${2:-small}
case "$PROVIDER/$SIZE" in sqlite/small|sqlite/large|postgres/small|postgres/large) ;;
  *) echo "usage: bench/run.sh [sqlite|postgres] [small|large]" >&2; exit 2 ;; esac
DIR=${CLINICTRACKER_BENCH_DIR:-/tmp/hrun-$PROVIDER-$SIZE}
PORT=${PORT:-5193}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
SEED=${SEED:-20261127}
PG_PORT=${CLINICTRACKER_BENCH_POSTGRES_PORT:-55481}
PG_DIR=$DIR/pg
BASE=http://127.0.0.1:$PORT
BENCH=bench/ClinicTracker.Bench/bin/Release/net10.0/ClinicTracker.Bench.dll
API=src/ClinicTracker.Api/bin/Release/net10.0/ClinicTracker.Api.dll
LUA=bench/run.lua
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

. bench/clinic.sh
prepare_clinic
IDS=$DIR/ids
dotnet "$BENCH" workload-ids --provider "$PROVIDER" --connection "$CONNECTION" --out "$IDS"

# The request paths each GET step rotates over.
sed 's|.*|/api/v1/patients/&|' "$IDS/patients.txt" >"$IDS/paths-patient.txt"
sed 's|.*|/api/v1/patients?search=&|' "$IDS/mrn-prefixes.txt" >"$IDS/paths-search-mrn.txt"
sed 's|.*|/api/v1/patients?search=&|' "$IDS/name-prefixes.txt" >"$IDS/paths-search-name.txt"
sed 's|.*|/api/v1/patients/&/sessions?limit=50|' "$IDS/patients.txt" >"$IDS/paths-history.txt"
awk '{printf "/api/v1/patients/%s/sessions?limit=50&cursor=%s\n", $1, $2}' "$IDS/deep-history.txt" >"$IDS/paths-deep.txt"
sed 's|.*|/api/v1/sessions/&|' "$IDS/sessions.txt" >"$IDS/paths-session.txt"
sed 's|.*|/api/v1/plans/&/adherence|' "$IDS/plans.txt" >"$IDS/paths-plan-adherence.txt"
sed 's|.*|/api/v1/patients/&/outcomes|' "$IDS/patients.txt" >"$IDS/paths-outcomes.txt"

# Logging at Warning as in production (EF's SQL log costs about 3x). The generated register has the benchmark's users.
export Logging__LogLevel__Default=Warning BENCH_REGISTERED=1
. bench/api.sh
start_bench_api
echo "API start to ready (process start → first 200 of /health/ready): ${READY_MS} ms"
NURSE=$(bench_token bench.nurse nurse)
FRONT_DESK=$(bench_token bench.frontdesk front-desk)
RUN=$(date +%s%N)

# The deep page must be the page after 5,000 sessions: its first item is the 5,001st newest session.
deep=$(head -1 "$IDS/paths-deep.txt")
curl -sf -H "$AUTH" "$BASE$deep" | python3 -c 'import json,sys; p=json.load(sys.stdin); assert len(p["items"]) == 50, p; print("deep page: 50 items, next cursor", "yes" if p["nextCursor"] else "no")'
# The report's page 20: walk the cursor from page 1 (each page a full report request).
REPORT=/api/v1/reports/adherence?limit=50
cursor=
# One request at a time: what a single report page costs when nothing else runs (curl's own time of each request,
# the first page left out: it pays for the API's first compilation of the report's code).
: >"$DIR/report-walk.ms"
for page in $(seq 19); do
  curl -sf --max-time 300 -H "$AUTH" -o "$DIR/report-page.json" -w '%{time_total}\n' "$BASE$REPORT${cursor:+&cursor=$cursor}" >>"$DIR/report-walk.ms"
  cursor=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["nextCursor"]; print(c or "")' "$DIR/report-page.json")
  [ -n "$cursor" ] || { echo "the adherence report has fewer than 20 pages (page $page is the last)" >&2; exit 1; }
done
REPORT20="$REPORT&cursor=$cursor"
WALK_MS=$(tail -n +2 "$DIR/report-walk.ms" | awk '{ s += $1 } END { printf "%.1f", s * 1000 / NR }')
echo "adherence report, one request at a time: ${WALK_MS} ms per page (pages 1-19 walked for the page-20 cursor)"

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

# Wait (up to 3 minutes) until the API has finished what the last step left in flight: wrk stops counting at its
# deadline, but requests it abandoned (a slow report) still run and would be measured against the next step.
settle() {
  local before after
  for _ in $(seq 180); do
    before=$(awk '{print $14 + $15}' "/proc/$API_PID/stat")
    sleep 1
    after=$(awk '{print $14 + $15}' "/proc/$API_PID/stat")
    # Clock ticks (100 per second): under a fifth of a core for a second counts as idle.
    [ $((after - before)) -lt 20 ] && return
  done
  echo "the API was still busy 3 minutes after the last step" >&2
}

ROWS=()
# step <name> <kind: read|write> <auth header or ""> <url> <lua args…>: a warm-up run (not counted), then the measured run.
step() {
  local name=$1 kind=$2 auth=$3 url=$4
  shift 4
  settle
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
  local rss result
  if [ "$how" = hwm ]; then rss=$(peak_mib); else rss=$(cat "$DIR/step.rss"); fi
  result=$(grep '^RESULT' "$DIR/wrk-$name.txt")
  echo "$name: $result rss_mib=$rss"
  ROWS+=("$name $kind $result rss_mib=$rss")
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# The trivial endpoint is anonymous and measured without a token, as in bench/scale-out.sh.
step health-live read "" "$BASE/health/live" static
step patient-read read "$AUTH" "$BASE" paths "$IDS/paths-patient.txt"
step search-mrn read "$AUTH" "$BASE" paths "$IDS/paths-search-mrn.txt"
step search-name read "$AUTH" "$BASE" paths "$IDS/paths-search-name.txt"
step history-page1 read "$AUTH" "$BASE" paths "$IDS/paths-history.txt"
step history-deep read "$AUTH" "$BASE" paths "$IDS/paths-deep.txt"
step session-detail read "$AUTH" "$BASE" paths "$IDS/paths-session.txt"
step plan-adherence read "$AUTH" "$BASE" paths "$IDS/paths-plan-adherence.txt"
step report-page1 read "$AUTH" "$BASE$REPORT" static
step report-page20 read "$AUTH" "$BASE$REPORT20" static
step outcomes read "$AUTH" "$BASE" paths "$IDS/paths-outcomes.txt"
step dose-write write "Authorization: Bearer $NURSE" "$BASE" dose "$IDS/write-sessions.txt" "$RUN"
step observation-write write "Authorization: Bearer $NURSE" "$BASE" observation "$IDS/write-sessions.txt" "$RUN"
step mixed mixed "" "$BASE" mixed "$IDS" "$RUN" "$FRONT_DESK" "$NURSE"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "API log: $(wc -l <"$DIR/api.log") lines in $DIR/api.log; wrk output in $DIR/wrk-*.txt"
# What failures there were, by database message (ids only in these: no patient data is logged).
grep -oE 'MessageText: .*|SQLite Error [0-9]+: .*|Exception: .*' "$DIR/api.log" | sed 's/^MessageText: //' | sort | uniq -c | sort -rn | head -5 || true

printf '%s\n' "${ROWS[@]}" | python3 -c '
import re, sys
provider, size, ready, duration, walk = sys.argv[1:6]
rows = []
for line in sys.stdin:
    name, kind = line.split()[:2]
    rows.append((name, kind, dict(re.findall(r"(\w+)=(\S*)", line))))
health = float(rows[0][2]["rps"])
labels = {
    "health-live": "GET /health/live (trivial)",
    "patient-read": "GET /api/v1/patients/{id}",
    "search-mrn": "GET /api/v1/patients?search={MRN prefix}",
    "search-name": "GET /api/v1/patients?search={name prefix}",
    "history-page1": "GET /api/v1/patients/{id}/sessions?limit=50 (page 1)",
    "history-deep": "… sessions?limit=50&cursor= (after 5,000 sessions)",
    "session-detail": "GET /api/v1/sessions/{id}",
    "plan-adherence": "GET /api/v1/plans/{id}/adherence",
    "report-page1": "GET /api/v1/reports/adherence?limit=50 (page 1)",
    "report-page20": "GET /api/v1/reports/adherence (page 20)",
    "outcomes": "GET /api/v1/patients/{id}/outcomes",
    "dose-write": "POST /api/v1/sessions/{id}/doses (audited, Idempotency-Key)",
    "observation-write": "POST /api/v1/sessions/{id}/observations (Idempotency-Key)",
    "mixed": "mixed front desk + nurse (35% search, 20% patient, 15% history, 10% detail, 10% dose, 10% observation)",
}
print()
print(f"Provider: {provider}, size: {size}; wrk -t2 -c32 -d{duration} --latency each; API start to ready: {ready} ms; "
      f"adherence report one request at a time: {walk} ms per page")
print("| Operation | req/s | ratio to /health/live | p50 ms | p99 ms | non-2xx (statuses) | API RSS peak MiB |")
print("|---|---:|---:|---:|---:|---|---:|")
bad = []
for name, kind, f in rows:
    rps, p50, p99, rss = float(f["rps"]), float(f["p50_ms"]), float(f["p99_ms"]), f["rss_mib"]
    codes = ", ".join(c.replace("x", ": ", 1) for c in f["statuses"].split(",") if c)
    errors = int(f["socket_errors"])
    non = f["non2xx"] + (f" + {errors} socket errors/timeouts" if errors else "")
    if int(f["requests"]) == 0:
        non = f"no response within {duration} (each request longer, 32 at once)"
    if (kind == "read" and (int(f["non2xx"]) or errors or int(f["requests"]) == 0)) or "409x" in f["statuses"] or "500x" in f["statuses"]:
        bad.append(name)
    print(f"| {labels[name]} | {rps:,.0f} | {rps / health:.3f} | {p50:.1f} | {p99:.1f} | {non} ({codes}) | {rss} |")
if bad:
    print()
    print("NOT CLEAN (a read with a non-2xx, a socket error or no response, or a 409/500 anywhere): " + ", ".join(bad))
' "$PROVIDER" "$SIZE" "$READY_MS" "$DURATION" "$WALK_MS"
