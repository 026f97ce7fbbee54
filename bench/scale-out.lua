-- wrk script of bench/scale-out.sh (docs/performance.md, "Scale-out"). Arguments after `--`:
--   static                                 the URL's own path on every request (GET /health/live)
--   get  <ids file> <threads> <path>       GET <path> with "{id}" replaced by the next id of the file
--   dose <ids file> <threads> <run id>     POST /api/v1/sessions/{id}/doses, a unique Idempotency-Key each
-- Thread t of T takes the ids t, t+T, t+2T, … in turn, so rows are not served from one cached page and, for
-- doses, no two requests in flight share a session (a concurrent dose on one session is a 409 by design).
-- Every response's status is counted; done() prints one RESULT line that the shell script reads.

local threads = {}
local counter = 0

function setup(thread)
  if not invocation then
    -- One per wrk invocation, so a warm-up and the measured run never send the same key (a replay is not a write).
    math.randomseed(os.time())
    invocation = string.format("%x%07x", os.time(), math.random(0, 0xfffffff))
  end
  table.insert(threads, thread)
  -- Globals of the thread's own Lua state.
  thread:set("tid", #threads)
  thread:set("nonce", invocation)
end

local mode, ids, step, position, template, run, static_request, headers

local function read_ids(file)
  local list = {}
  for line in io.lines(file) do
    if #line > 0 then list[#list + 1] = line end
  end
  if #list == 0 then error("no ids in " .. file) end
  return list
end

function init(args)
  statuses = {}
  mode = args[1] or "static"
  if mode == "static" then
    static_request = wrk.format()
    return
  end
  ids = read_ids(args[2])
  step = tonumber(args[3])
  position = tid - step
  if mode == "get" then
    template = args[4]
  else
    run = args[4]
    headers = {}
    for name, value in pairs(wrk.headers) do headers[name] = value end
    headers["Content-Type"] = "application/json"
  end
end

local function next_id()
  position = position + step
  if position > #ids then position = tid end
  return ids[position]
end

function request()
  if mode == "static" then
    return static_request
  end
  local id = next_id()
  if mode == "get" then
    return wrk.format("GET", (template:gsub("{id}", id)))
  end
  counter = counter + 1
  headers["Idempotency-Key"] = run .. "-" .. nonce .. "-" .. tid .. "-" .. counter
  -- 0.25 mg oral ketamine "now" (a second back: the API refuses a dose in the future). bench/ClinicTracker.Bench
  -- seeds these sessions at 70 kg with a first dose of 25 mg: the 24-hour total stays under the 210 mg soft limit
  -- (3.0 mg/kg, domain.md §3) for 740 doses per session, far more than one run gives each.
  local body = '{"medication":"ketamine","route":"oral","amountMg":0.25,"administeredAt":"'
    .. os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() - 1) .. '","lotNumber":"BENCH-LOT"}'
  return wrk.format("POST", "/api/v1/sessions/" .. id .. "/doses", headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local all, codes = {}, {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses") or {}) do
      all[status] = (all[status] or 0) + count
    end
  end
  local non2xx = 0
  for status, count in pairs(all) do
    codes[#codes + 1] = status .. "x" .. count
    if status < 200 or status > 299 then non2xx = non2xx + count end
  end
  table.sort(codes)
  local e = summary.errors
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f requests=%d non2xx=%d statuses=%s socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, non2xx, table.concat(codes, ","), e.connect + e.read + e.write + e.timeout))
end
