#!/usr/bin/env bash
# Starts the API on a free loopback port with a fresh SQLite database and a random HS256 signing key,
# then, in clients/typescript: npm ci (when node_modules is missing), check:generated, typecheck, test.
# The API is always stopped. Exits non-zero, naming the step, when anything fails.
#
#   clients/typescript/scripts/run-against-api.sh [path/to/ClinicTracker.Api.dll]
#
# Without an argument it builds src/ClinicTracker.Api (Release) and uses its DLL.
# EXTRA_CHECKS (optional): a command run with the same environment while the API is up (for .ci/run).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo=$(cd "$here/../.." && pwd)
dll=${1:-}

fail() { echo "run-against-api: FAILED: $*" >&2; exit 1; }

if [[ -z "$dll" ]]; then
  echo "run-against-api: building src/ClinicTracker.Api (Release)"
  dotnet build "$repo/src/ClinicTracker.Api" -c Release -nologo -v quiet || fail "dotnet build src/ClinicTracker.Api"
  dll="$repo/src/ClinicTracker.Api/bin/Release/net10.0/ClinicTracker.Api.dll"
fi
[[ -f "$dll" ]] || fail "no API DLL at $dll"
command -v node >/dev/null || fail "node is not installed"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/clinictracker-client.XXXXXX")
api_pid=""
stop_api() {
  if [[ -n "$api_pid" ]] && kill -0 "$api_pid" 2>/dev/null; then
    kill "$api_pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$api_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$api_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap stop_api EXIT
trap 'exit 130' INT TERM

# A free port: bind port 0 on the loopback and read what the kernel chose.
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})') \
  || fail "finding a free port"
url="http://127.0.0.1:$port"
key=$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64"))')
issuer=clinictracker-ci
audience=clinictracker-api

echo "run-against-api: starting $(basename "$dll") on $url (database $tmp/clinic.db)"
ASPNETCORE_ENVIRONMENT=Production \
ConnectionStrings__Clinic="Data Source=$tmp/clinic.db" \
Database__Provider=sqlite \
Authentication__Schemes__Bearer__ValidIssuer=$issuer \
Authentication__Schemes__Bearer__ValidAudiences__0=$audience \
Authentication__Schemes__Bearer__SigningKeys__0__Issuer=$issuer \
Authentication__Schemes__Bearer__SigningKeys__0__Value="$key" \
Logging__LogLevel__Default=Warning \
  dotnet "$dll" --urls "$url" >"$tmp/api.log" 2>&1 &
api_pid=$!

ready=""
for _ in $(seq 1 120); do
  if ! kill -0 "$api_pid" 2>/dev/null; then
    tail -n 40 "$tmp/api.log" >&2
    fail "the API exited before it was ready"
  fi
  if [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/health/ready")" == 200 ]]; then ready=1; break; fi
  sleep 0.5
done
[[ -n "$ready" ]] || { tail -n 40 "$tmp/api.log" >&2; fail "the API was not ready on $url/health/ready within 60 s"; }
echo "run-against-api: API ready"

export CLINICTRACKER_API_URL=$url
export CLINICTRACKER_TEST_SIGNING_KEY=$key
export CLINICTRACKER_TEST_ISSUER=$issuer
export CLINICTRACKER_TEST_AUDIENCE=$audience

cd "$here" || fail "cd $here"
if [[ ! -d node_modules ]]; then
  npm ci --no-audit --no-fund || fail "npm ci"
fi
status=0
failed=()
step() {
  local name=$1; shift
  echo "run-against-api: $name"
  if ! "$@"; then failed+=("$name"); status=1; fi
}
step "npm run check:generated" npm run --silent check:generated
step "npm run typecheck" npm run --silent typecheck
step "npm test" npm test
if [[ -n "${EXTRA_CHECKS:-}" ]]; then step "EXTRA_CHECKS" bash -c "$EXTRA_CHECKS"; fi

if ! kill -0 "$api_pid" 2>/dev/null; then failed+=("the API died during the run"); status=1; fi
if grep -q "fail: \|Unhandled exception" "$tmp/api.log"; then
  echo "run-against-api: the API logged errors:" >&2
  grep -A5 "fail: \|Unhandled exception" "$tmp/api.log" | head -n 60 >&2
  failed+=("errors in the API log"); status=1
fi
if (( status != 0 )); then
  fail "$(IFS=', '; echo "${failed[*]}")"
fi
echo "run-against-api: all client checks passed"
