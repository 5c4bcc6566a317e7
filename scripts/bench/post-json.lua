-- wrk script: POST a JSON body (env BENCH_BODY) with a fresh Idempotency-Key per request, so each
-- request creates a new resource (e.g. POST /orders) instead of replaying the first one.
local counter = 0
local prefix = tostring(os.time()) .. "-" .. tostring(math.random(1, 1e9))
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY") or "{}"
wrk.headers["Content-Type"] = "application/json"

request = function()
  counter = counter + 1
  wrk.headers["Idempotency-Key"] = prefix .. "-" .. counter
  return wrk.format(nil)
end
