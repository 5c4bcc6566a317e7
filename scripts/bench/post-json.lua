-- wrk script: POST a JSON body with a fresh Idempotency-Key per request, so each request creates a
-- new resource (e.g. POST /orders) instead of replaying the first one. The body is env BENCH_BODY,
-- or, with BENCH_BODIES (one JSON document per line), the next line in turn: spreading orders over
-- many products keeps them from all queueing on one product's row lock.
local counter = 0
-- Each wrk thread runs this script in its own Lua state with the same unseeded random numbers, so
-- the key prefix includes the thread's number (set by setup below): keys never repeat across threads.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end
local prefix = nil
local bodies = {}
for line in (os.getenv("BENCH_BODIES") or ""):gmatch("[^\n]+") do
  bodies[#bodies + 1] = line
end
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY") or "{}"
wrk.headers["Content-Type"] = "application/json"

request = function()
  counter = counter + 1
  prefix = prefix or (tostring(os.time()) .. "-" .. tostring(thread_id or 0))
  wrk.headers["Idempotency-Key"] = prefix .. "-" .. counter
  if #bodies > 0 then
    return wrk.format(nil, nil, nil, bodies[(counter % #bodies) + 1])
  end
  return wrk.format(nil)
end
