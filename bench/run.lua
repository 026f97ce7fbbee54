-- wrk script of bench/run.sh (docs/performance.md, "Clinic-network scale"). Arguments after `--`:
--   static                                   the URL's own path on every request (GET /health/live, one report page)
--   paths <file>                             GET each line of the file (a path with its query) in turn
--   dose <ids file> <run id>                 POST /api/v1/sessions/{id}/doses, 0.25 mg oral ketamine, an Idempotency-Key each
--   observation <ids file> <run id>          POST /api/v1/sessions/{id}/observations, a heart rate, an Idempotency-Key each
--   mixed <dir> <run id> <front-desk token> <nurse token>
--                                            the front desk and the nurses of a clinic at once, per 20 requests: 4 MRN
--                                            searches, 3 name searches, 4 patient reads, 3 history pages (front-desk
--                                            token); 2 session details, 2 doses, 2 observations (nurse token)
-- Thread t of T takes lines t, t+T, t+2T, … of each file in turn, so rows are not served from one cached page and no two
-- writes in flight share a session (a concurrent dose on one session is a 409 by design; domain.md §3's 24-hour limits
-- are per patient, and each write session is its own patient's). Every response's status is counted; done() prints
-- one RESULT line that run.sh reads.

local threads = {}
local counter = 0

function setup(thread)
  if not invocation then
    -- One per wrk invocation, so a warm-up and the measured run never send the same key (a replay is not a write).
    math.randomseed(os.time())
    invocation = string.format("%x%07x", os.time(), math.random(0, 0xfffffff))
  end
  table.insert(threads, thread)
  thread:set("tid", #threads)
  thread:set("nonce", invocation)
end

local mode, run, static_request, json_headers
local lists = {}

local function read_lines(file)
  local list = {}
  for line in io.lines(file) do
    if #line > 0 then list[#list + 1] = line end
  end
  if #list == 0 then error("no lines in " .. file) end
  return { items = list, position = tid - 2 }
end

-- The next line of a list for this thread (2 threads: wrk -t2).
local function next_of(list)
  list.position = list.position + 2
  if list.position > #list.items then list.position = tid end
  return list.items[list.position]
end

local function headers_with(token)
  local h = {}
  for name, value in pairs(wrk.headers) do h[name] = value end
  h["Content-Type"] = "application/json"
  if token then h["Authorization"] = "Bearer " .. token end
  return h
end

function init(args)
  statuses = {}
  mode = args[1] or "static"
  if mode == "static" then
    static_request = wrk.format()
  elseif mode == "paths" then
    lists.paths = read_lines(args[2])
  elseif mode == "dose" or mode == "observation" then
    lists.writes = read_lines(args[2])
    run = args[3]
    json_headers = headers_with(nil)
  else
    local dir = args[2]
    run = args[3]
    front_desk = headers_with(args[4])
    nurse = headers_with(args[5])
    lists.mrn = read_lines(dir .. "/paths-search-mrn.txt")
    lists.name = read_lines(dir .. "/paths-search-name.txt")
    lists.patient = read_lines(dir .. "/paths-patient.txt")
    lists.history = read_lines(dir .. "/paths-history.txt")
    lists.detail = read_lines(dir .. "/paths-session.txt")
    lists.writes = read_lines(dir .. "/write-sessions.txt")
    -- Observations start half the list away from doses, so the two never reach one session at the same time.
    lists.observations = read_lines(dir .. "/write-sessions.txt")
    lists.observations.position = lists.observations.position + 2 * math.floor(#lists.observations.items / 4)
  end
end

local function now_minus_one()
  -- A second back: the API refuses a time in the future.
  return os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() - 1)
end

local function keyed(headers)
  counter = counter + 1
  headers["Idempotency-Key"] = run .. "-" .. nonce .. "-" .. tid .. "-" .. counter
  return headers
end

-- 0.25 mg oral ketamine: the write sessions are at 70 kg with a first dose of 25 mg, so the 24-hour total stays under
-- the 210 mg soft limit (3.0 mg/kg, domain.md §3) for 740 doses per session, far more than a run gives each.
local function dose(headers, id)
  local body = '{"medication":"ketamine","route":"oral","amountMg":0.25,"administeredAt":"' .. now_minus_one() .. '","lotNumber":"BENCH-LOT"}'
  return wrk.format("POST", "/api/v1/sessions/" .. id .. "/doses", keyed(headers), body)
end

local function observation(headers, id)
  local body = '{"kind":"heart-rate","value":' .. (60 + counter % 30) .. ',"observedAt":"' .. now_minus_one() .. '"}'
  return wrk.format("POST", "/api/v1/sessions/" .. id .. "/observations", keyed(headers), body)
end

local slot = 0

function request()
  if mode == "static" then
    return static_request
  elseif mode == "paths" then
    return wrk.format("GET", next_of(lists.paths))
  elseif mode == "dose" then
    return dose(json_headers, next_of(lists.writes))
  elseif mode == "observation" then
    return observation(json_headers, next_of(lists.writes))
  end
  slot = slot % 20 + 1
  if slot <= 4 then return wrk.format("GET", next_of(lists.mrn), front_desk) end
  if slot <= 7 then return wrk.format("GET", next_of(lists.name), front_desk) end
  if slot <= 11 then return wrk.format("GET", next_of(lists.patient), front_desk) end
  if slot <= 14 then return wrk.format("GET", next_of(lists.history), front_desk) end
  if slot <= 16 then return wrk.format("GET", next_of(lists.detail), nurse) end
  if slot <= 18 then return dose(nurse, next_of(lists.writes)) end
  return observation(nurse, next_of(lists.observations))
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
