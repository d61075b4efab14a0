-- wrk script for bench/: round-robin over the paths given after "--", each with the credentials of
-- its kind, and one JSON line at the end (prefixed "BENCH_JSON ") with throughput, latency
-- percentiles and errors (non-2xx responses counted per thread, plus wrk's socket errors).
-- Arguments: <token> <sessionid> <kind> <path> [<kind> <path> ...]; kind is "api" or "web".

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   non2xx = 0
   local token, session = args[1], args[2]
   local host = wrk.headers["Host"]
   requests = {}
   for i = 3, #args, 2 do
      local headers = { ["Host"] = host, ["X-Forwarded-Proto"] = "https" }
      if args[i] == "api" then
         headers["Authorization"] = "Token " .. token
         headers["Accept"] = "application/json"
      else
         headers["Cookie"] = "sessionid=" .. session
      end
      table.insert(requests, wrk.format("GET", args[i + 1], headers))
   end
   counter = 0
end

function request()
   counter = counter + 1
   return requests[(counter % #requests) + 1]
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
   end
end

function done(summary, latency, requests)
   local bad = 0
   for _, thread in ipairs(threads) do
      bad = bad + (thread:get("non2xx") or 0)
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,'
         .. '"max_us":%d,"mean_us":%.1f,"non2xx":%d,"socket_errors":%d}\n',
      summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, latency.mean, bad,
      e.connect + e.read + e.write + e.timeout))
end
