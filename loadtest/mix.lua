-- wrk script: a realistic mix of Lyon Assos traffic (home, searches, filters, listings, API).
-- Paths of listings come from $SLUGS_FILE (one slug a line, written by loadtest/run.sh).
-- Prints requests/s, p50/p95/p99 and the answers that were not 2xx/3xx, as one JSON line.

local searches = {
  "/associations/?q=sport", "/associations/?q=aide+alimentaire", "/associations/?q=cours+de+fran%C3%A7ais",
  "/associations/?q=soutien+scolaire", "/associations/?q=foot+croix+rousse", "/associations/?q=futball",
  "/associations/?categorie=alimentation", "/associations/?territoire=lyon-3",
  "/associations/?territoire=villeurbanne&gratuit=1", "/associations/?q=sport&territoire=villeurbanne",
  "/associations/?public=familles&langue=ar", "/associations/?tri=distance&lat=45.76&lon=4.84&rayon=2",
  "/associations/?q=association&page=5", "/associations/?categorie=football&page=2",
}
local api = {
  "/api/associations/?q=sport", "/api/associations/?territoire=lyon-7&page_size=20",
  "/api/suggestions/?q=dev", "/api/suggestions/?q=croix", "/api/categories/",
}
local pages = { "/", "/categories/alimentation/", "/territoires/lyon-1/", "/a-propos/" }

local slugs = {}
local f = io.open(os.getenv("SLUGS_FILE") or "/tmp/lyonassos-slugs.txt", "r")
if f then
  for line in f:lines() do slugs[#slugs + 1] = line end
  f:close()
end

-- Weights: 20 % home/landing, 40 % searches, 25 % listings, 15 % API.
local function pick()
  local r = math.random(100)
  if r <= 20 then return pages[math.random(#pages)]
  elseif r <= 60 then return searches[math.random(#searches)]
  elseif r <= 85 and #slugs > 0 then return "/associations/" .. slugs[math.random(#slugs)] .. "/"
  else return api[math.random(#api)] end
end

local threads = {}
function setup(thread) threads[#threads + 1] = thread end

function init(args)
  math.randomseed(os.time() + math.random(100000))
  errors, by_status = 0, {}
  wrk.headers["X-Forwarded-Proto"] = "https"  -- as nginx forwards it
end

function request() return wrk.format("GET", pick()) end

function response(status, headers, body)
  if status >= 400 then
    errors = errors + 1
    by_status[status] = (by_status[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local bad, statuses = 0, {}
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("errors")
    for status, n in pairs(thread:get("by_status")) do statuses[status] = (statuses[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(statuses) do parts[#parts + 1] = string.format('"%d": %d', status, n) end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.1f, "rps": %.1f, "p50_ms": %.1f, "p95_ms": %.1f, "p99_ms": %.1f, ' ..
    '"max_ms": %.1f, "http_errors": %d, "by_status": {%s}, "socket_errors": {"connect": %d, "read": %d, ' ..
    '"write": %d, "timeout": %d}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, bad, table.concat(parts, ", "), e.connect, e.read, e.write, e.timeout))
end
