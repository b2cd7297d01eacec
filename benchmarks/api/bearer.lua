-- wrk script for benchmarks/api/run.sh: sends `Authorization: Bearer $LIFEBOAT_TOKEN` with every request and,
-- at the end, writes the run's numbers as one JSON object to $WRK_RESULT (latencies in microseconds, taken
-- from wrk's own histogram, so they match what `--latency` prints).
local token = os.getenv("LIFEBOAT_TOKEN")
if token == nil or token == "" then
    io.stderr:write("bearer.lua: LIFEBOAT_TOKEN is not set\n")
    os.exit(1)
end
wrk.headers["Authorization"] = "Bearer " .. token

-- UNIQUE_QUERY=1 appends `&n=<thread>-<counter>` to every request, a parameter the server ignores, so no two
-- requests share a query string and none can be answered from the server's whole-response cache.
if os.getenv("UNIQUE_QUERY") == "1" then
    local threads = 0
    function setup(thread)
        threads = threads + 1
        thread:set("id", threads)
    end
    local counter = 0
    function request()
        counter = counter + 1
        return wrk.format(nil, wrk.path .. "&n=" .. tostring(id) .. "-" .. counter)
    end
end

function done(summary, latency, requests)
    local path = os.getenv("WRK_RESULT")
    if path == nil or path == "" then return end
    local errors = summary.errors
    local out = assert(io.open(path, "w"))
    out:write(string.format(
        '{"requests":%d,"durationMicroseconds":%d,"bytes":%d,' ..
        '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
        '"latencyMicroseconds":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"max":%d}}\n',
        summary.requests, summary.duration, summary.bytes,
        errors.connect, errors.read, errors.write, errors.status, errors.timeout,
        latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
    out:close()
end
