# Sourced by the benchmark scripts: start the Release API for a run and sign its prescriber in.
#   start_bench_api   needs API, BENCH, BASE, DIR and the database settings already exported;
#                     sets API_PID, and AUTH (the header of bench.prescriber's token).
# A throwaway signing key: only this run's API and tokens know it. The per-user rate limit is lifted so the
# figures measure the API, not the limiter (600 requests/min would turn most of a wrk run into 429s). The
# caller exports any other setting (the database, the log level).
start_bench_api() {
  local key issuer=clinictracker-bench audience=clinictracker-api admin token
  key=$(head -c 32 /dev/urandom | base64)
  ASPNETCORE_ENVIRONMENT=Production \
  Authentication__Schemes__Bearer__ValidIssuer=$issuer \
  Authentication__Schemes__Bearer__ValidAudiences__0=$audience \
  Authentication__Schemes__Bearer__SigningKeys__0__Issuer=$issuer \
  Authentication__Schemes__Bearer__SigningKeys__0__Value="$key" \
  Security__PermitsPerWindow=100000000 \
    dotnet "$API" --urls "$BASE" >"$DIR/api.log" 2>&1 &
  API_PID=$!
  for _ in $(seq 120); do curl -sf "$BASE/health/live" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -sf "$BASE/health/live" >/dev/null || { echo "the API did not start; see $DIR/api.log" >&2; exit 1; }

  # The staff register is the ceiling of a token's roles (ADR 0009): an admin (from the token alone) registers
  # the benchmark's prescriber first; 409 when an earlier run on the same database already did.
  admin=$(dotnet "$BENCH" token $issuer $audience "$key" bench.admin admin)
  curl -s -o /dev/null -w 'register bench.prescriber: %{http_code}\n' -X POST "$BASE/api/v1/clinicians" \
    -H "Authorization: Bearer $admin" -H "Content-Type: application/json" \
    -d '{"userName":"bench.prescriber","displayName":"Benchmark prescriber","role":"prescriber"}'
  token=$(dotnet "$BENCH" token $issuer $audience "$key" bench.prescriber prescriber)
  AUTH="Authorization: Bearer $token"
}
