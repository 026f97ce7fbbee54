#!/usr/bin/env bash
# The bulk FHIR export benchmark (issue 12; docs/performance.md, "Bulk FHIR export"; ADR 0019): the Release API on a
# generated clinic (bench/ClinicTracker.Bench generate), one `GET /fhir/r4/Patient/$export` of every patient by an
# integrator of all sites, polled to the manifest, then every file downloaded as stored (gzip) and once more
# decompressed by the server. Reports: kick-off to manifest, files, resources per type, stored (gzip) and NDJSON bytes,
# both download times, the API's peak RSS during the export and during the downloads.
#   bash bench/export.sh [sqlite|postgres] [large|small]
# Needs: dotnet build ClinicTracker.sln -c Release (this script builds nothing), curl, python3; for postgres also root.
# Settings (environment): CLINICTRACKER_BENCH_DIR (default /tmp/hrun-<provider>-<size>, the folder bench/run.sh
# generates and reuses; the export adds its job, files and audit rows to that database, and the API's start-up applies
# the FhirExport migration to it), PORT (5194), BATCH (Fhir:Export:PatientsPerBatch, default 200), SEED (20261127),
# CLINICTRACKER_BENCH_POSTGRES_PORT (55481), RANDOM_PAGE_COST (1.1), FORCE=1 to generate afresh (bench/clinic.sh), KEEP=1
# keeps the downloaded files in $DIR/export.
set -euo pipefail
cd "$(dirname "$0")/.."
PROVIDER=${1:-sqlite}
SIZE=${2:-large}
case "$PROVIDER/$SIZE" in sqlite/small|sqlite/large|postgres/small|postgres/large) ;;
  *) echo "usage: bench/export.sh [sqlite|postgres] [large|small]" >&2; exit 2 ;; esac
DIR=${CLINICTRACKER_BENCH_DIR:-/tmp/hrun-$PROVIDER-$SIZE}
PORT=${PORT:-5194}
BATCH=${BATCH:-200}
SEED=${SEED:-20261127}
PG_PORT=${CLINICTRACKER_BENCH_POSTGRES_PORT:-55481}
PG_DIR=$DIR/pg
BASE=http://127.0.0.1:$PORT
BENCH=bench/ClinicTracker.Bench/bin/Release/net10.0/ClinicTracker.Bench.dll
API=src/ClinicTracker.Api/bin/Release/net10.0/ClinicTracker.Api.dll
OUT=$DIR/export
for f in "$BENCH" "$API"; do
  [ -f "$f" ] || { echo "$f is missing: run dotnet build ClinicTracker.sln -c Release first" >&2; exit 1; }
done
mkdir -p "$DIR"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

API_PID=
cleanup() {
  if [ -n "$API_PID" ]; then kill "$API_PID" 2>/dev/null || true; wait "$API_PID" 2>/dev/null || true; fi
  if [ "$PROVIDER" = postgres ]; then .ci/postgres-cluster stop "$PG_DIR" || true; fi
  if [ "${KEEP:-0}" != 1 ]; then rm -rf "$OUT"; fi
}
trap cleanup EXIT

. bench/clinic.sh
prepare_clinic

# The worker looks for work every second (the default is 5 s: it would add up to 5 s to the figure below).
export Logging__LogLevel__Default=Warning BENCH_REGISTERED=1 Fhir__Export__PollSeconds=1 Fhir__Export__PatientsPerBatch=$BATCH
. bench/api.sh
start_bench_api
echo "API start to ready: ${READY_MS} ms"
# bench.integrator: in the generated register, at every site (domain.md §9: integrators read records and exports).
AUTH="Authorization: Bearer $(bench_token bench.integrator integrator)"

# Peak resident memory of the API over a phase: VmHWM after resetting it (clear_refs 5).
reset_peak() { echo 5 >"/proc/$API_PID/clear_refs"; }
peak_mib() { awk '/^VmHWM/ {printf "%d", $2 / 1024}' "/proc/$API_PID/status"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

reset_peak
started=$(now_ms)
status=$(curl -sf -D - -o /dev/null "$BASE/fhir/r4/Patient/\$export" -H "$AUTH" -H "Prefer: respond-async" -H "Accept: application/fhir+json" |
  tr -d '\r' | awk -F': ' 'tolower($1) == "content-location" {print $2}')
[ -n "$status" ] || { echo "the kick-off gave no Content-Location; see $DIR/api.log" >&2; exit 1; }
kicked=$(now_ms)
echo "kick-off: $((kicked - started)) ms → $status"
last=
while true; do
  code=$(curl -s -D "$DIR/poll.headers" -o "$DIR/manifest.json" -w '%{http_code}' "$status" -H "$AUTH")
  case "$code" in
    200) break ;;
    202) progress=$(tr -d '\r' <"$DIR/poll.headers" | awk -F': ' 'tolower($1) == "x-progress" {print $2}')
         if [ "$progress" != "$last" ]; then echo "  $(( ($(now_ms) - started) / 1000 )) s: $progress"; last=$progress; fi
         sleep 0.5 ;;
    *) echo "poll answered $code:" >&2; cat "$DIR/manifest.json" >&2; exit 1 ;;
  esac
done
done_ms=$(now_ms)
EXPORT_MS=$((done_ms - started))
EXPORT_RSS=$(peak_mib)
echo "kick-off to manifest: $EXPORT_MS ms; API peak RSS during the export: $EXPORT_RSS MiB"

# Every file as stored (Accept-Encoding: gzip), then every file decompressed by the API (no Accept-Encoding).
rm -rf "$OUT"
mkdir -p "$OUT"
python3 -c '
import json, sys
for i, f in enumerate(json.load(open(sys.argv[1]))["output"]):
    print(i, f["type"], f["count"], f["url"])' "$DIR/manifest.json" >"$OUT/files.txt"
reset_peak
started=$(now_ms)
while read -r i type count url; do
  curl -sf -H "$AUTH" -H "Accept-Encoding: gzip" -o "$OUT/$i.ndjson.gz" "$url"
done <"$OUT/files.txt"
GZIP_MS=$(($(now_ms) - started))
GZIP_RSS=$(peak_mib)
reset_peak
started=$(now_ms)
while read -r i type count url; do
  curl -sf -H "$AUTH" -o "$OUT/plain.ndjson" "$url"
  stat -c %s "$OUT/plain.ndjson" >"$OUT/$i.plain-bytes"
done <"$OUT/files.txt"
PLAIN_MS=$(($(now_ms) - started))
PLAIN_RSS=$(peak_mib)

# Each file: its lines equal the manifest's count, every line is of the file's type, the decompressed size equals
# what the identity download sent.
: >"$OUT/checked.txt"
while read -r i type count url; do
  lines=$(gzip -dc "$OUT/$i.ndjson.gz" | wc -l)
  wrong=$(gzip -dc "$OUT/$i.ndjson.gz" | grep -cv "^{\"resourceType\":\"$type\"" || true)
  bytes=$(gzip -dc "$OUT/$i.ndjson.gz" | wc -c)
  [ "$lines" = "$count" ] || { echo "file $i ($type): $lines lines, the manifest says $count" >&2; exit 1; }
  [ "$wrong" = 0 ] || { echo "file $i ($type): $wrong lines of another type" >&2; exit 1; }
  [ "$bytes" = "$(cat "$OUT/$i.plain-bytes")" ] || { echo "file $i ($type): the identity download differs in size" >&2; exit 1; }
  echo "$type $count $(stat -c %s "$OUT/$i.ndjson.gz") $bytes" >>"$OUT/checked.txt"
done <"$OUT/files.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$PROVIDER" "$SIZE" "$BATCH" "$EXPORT_MS" "$EXPORT_RSS" "$GZIP_MS" "$GZIP_RSS" "$PLAIN_MS" "$PLAIN_RSS" "$OUT/checked.txt" <<'EOF'
import sys
provider, size, batch, export_ms, export_rss, gzip_ms, gzip_rss, plain_ms, plain_rss, checked = sys.argv[1:]
types = {}
for line in open(checked):
    t, count, stored, raw = line.split()
    f = types.setdefault(t, [0, 0, 0, 0])
    f[0] += 1; f[1] += int(count); f[2] += int(stored); f[3] += int(raw)
mib = lambda b: b / 1024 / 1024
total = [sum(f[i] for f in types.values()) for i in range(4)]
print()
print(f"Provider: {provider}, size: {size}, Fhir:Export:PatientsPerBatch {batch}; kick-off to manifest {int(export_ms) / 1000:.1f} s "
      f"(API peak RSS {export_rss} MiB); {total[0]} files; download as stored (gzip) {int(gzip_ms) / 1000:.1f} s (RSS {gzip_rss} MiB), "
      f"decompressed by the API {int(plain_ms) / 1000:.1f} s (RSS {plain_rss} MiB)")
print("| Type | files | resources | stored (gzip) MiB | NDJSON MiB | ratio |")
print("|---|---:|---:|---:|---:|---:|")
for t, f in types.items():
    print(f"| {t} | {f[0]} | {f[1]:,} | {mib(f[2]):,.1f} | {mib(f[3]):,.1f} | {f[3] / f[2]:.1f} |")
print(f"| all | {total[0]} | {total[1]:,} | {mib(total[2]):,.1f} | {mib(total[3]):,.1f} | {total[3] / total[2]:.1f} |")
print(f"resources per second of the export: {total[1] / (int(export_ms) / 1000):,.0f}")
EOF
