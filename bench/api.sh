# Sourced by the benchmark scripts: start the Release API for a run and sign its prescriber in.
#   start_bench_api   needs API, BENCH, BASE, DIR and the database settings already exported;
#                     sets API_PID, AUTH (the header of bench.prescriber's token), BENCH_KEY, and READY_MS (process
#                     start to the first 200 of GET /health/ready, polled every 20 ms).
#   bench_token <user> <role>   a token of this run's key (after start_bench_api).
# A throwaway signing key: only this run's API and tokens know it. The per-user rate limit is lifted so the
# figures measure the API, not the limiter (600 requests/min would turn most of a wrk run into 429s). The
# caller exports any other setting (the database, the log level). BENCH_REGISTERED=1 skips registering
# bench.prescriber (a generated clinic has it in its register already, at every site).
BENCH_ISSUER=clinictracker-bench
BENCH_AUDIENCE=clinictracker-api
bench_token() { dotnet "$BENCH" token $BENCH_ISSUER $BENCH_AUDIENCE "$BENCH_KEY" "$1" "$2"; }
start_bench_api() {
  local admin token started
  BENCH_KEY=$(head -c 32 /dev/urandom | base64)
  started=$(date +%s%N)
  ASPNETCORE_ENVIRONMENT=Production \
  Authentication__Schemes__Bearer__ValidIssuer=$BENCH_ISSUER \
  Authentication__Schemes__Bearer__ValidAudiences__0=$BENCH_AUDIENCE \
  Authentication__Schemes__Bearer__SigningKeys__0__Issuer=$BENCH_ISSUER \
  Authentication__Schemes__Bearer__SigningKeys__0__Value="$BENCH_KEY" \
  Security__PermitsPerWindow=100000000 \
    dotnet "$API" --urls "$BASE" >"$DIR/api.log" 2>&1 &
  API_PID=$!
  for _ in $(seq 3000); do curl -sf "$BASE/health/ready" >/dev/null 2>&1 && break; sleep 0.02; done
  curl -sf "$BASE/health/ready" >/dev/null || { echo "the API did not start; see $DIR/api.log" >&2; exit 1; }
  READY_MS=$((($(date +%s%N) - started) / 1000000))

  if [ "${BENCH_REGISTERED:-0}" != 1 ]; then
    # The staff register is the ceiling of a token's roles (ADR 0009): an admin (from the token alone) registers
    # the benchmark's prescriber first; 409 when an earlier run on the same database already did.
    admin=$(bench_token bench.admin admin)
    curl -s -o /dev/null -w 'register bench.prescriber: %{http_code}\n' -X POST "$BASE/api/v1/clinicians" \
      -H "Authorization: Bearer $admin" -H "Content-Type: application/json" \
      -d '{"userName":"bench.prescriber","displayName":"Benchmark prescriber","role":"prescriber"}'
  fi
  token=$(bench_token bench.prescriber prescriber)
  AUTH="Authorization: Bearer $token"
}
