-- One request, repeated by wrk on every connection; done() prints one JSON line for the harness.
--   wrk -t1 -c50 -d5s -s perf/wrk/request.lua http://127.0.0.1:PORT -- METHOD PATH [BODY_FILE]
-- BODY_FILE holds the exact request body (sent with Content-Type: application/json).
-- The harness (perf/Registry.LoadTest/Load/WrkRunner.cs) reads the line that starts with WRK_JSON.

function init(args)
  wrk.method = args[1] or "GET"
  wrk.path = args[2] or "/"
  if args[3] then
    local f = assert(io.open(args[3], "rb"))
    wrk.body = f:read("*a")
    f:close()
    wrk.headers["Content-Type"] = "application/json"
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_s":%.6f,"rps":%.2f,"bytes":%d,' ..
    '"p50_ms":%.4f,"p95_ms":%.4f,"p99_ms":%.4f,"max_ms":%.4f,' ..
    '"errors_status":%d,"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_timeout":%d}\n',
    summary.requests, seconds, summary.requests / seconds, summary.bytes,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout))
end
