#!/usr/bin/env bash
# API benchmark: `GET /v1/backups` against a catalog of COUNT backups under wrk (200 connections, 2 threads), beside
# two floors measured the same way in the same run: `/healthz` (routing, middleware, HTTP/1.1; no auth) and
# `/v1/status` (the same plus bearer-token authentication and the OpenAPI layer, with a tiny body).
#
#   benchmarks/api/run.sh [COUNT]      (default 10000; CONNECTIONS=200 THREADS=2 DURATION=30s TIMEOUT=60s
#                                       BARE_CONNECTIONS=4 SEED_THREADS=8 LOG_LEVEL=info
#                                       CONFIG=release SCRATCH=<repo>/.build-release)
#
# Needs wrk (apt-get install -y wrk), python3 and curl; installs nothing. The backups are created through
# POST /v1/backups; their jobs run against a stand-in cluster that answers 403 and fail at once, and the
# measurement starts only when the queue has drained (benchmarks/api/seed.py).
# Target: p99 < 20 ms at 200 connections on 2 cores.
set -euo pipefail
count="${1:-10000}"
connections="${CONNECTIONS:-200}"
threads="${THREADS:-2}"
duration="${DURATION:-30s}"
timeout="${TIMEOUT:-60s}"
seed_threads="${SEED_THREADS:-8}"
bare_connections="${BARE_CONNECTIONS:-4}"
log_level="${LOG_LEVEL:-info}"
config="${CONFIG:-release}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/benchmarks/api"
scratch="${SCRATCH:-$root/.build-release}"

missing=0
for tool in wrk python3 curl; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        case "$tool" in
            wrk) echo "wrk is not installed: apt-get install -y wrk" >&2 ;;
            *) echo "$tool is not installed" >&2 ;;
        esac
        missing=1
    fi
done
[ "$missing" = 0 ] || exit 1

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

cd "$root"
swift build -c "$config" --scratch-path "$scratch" --product lifeboat-server >&2
bin="$(swift build -c "$config" --scratch-path "$scratch" --show-bin-path)"
echo "api benchmark $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $config build, $(wrk --version 2>&1 | head -n1 | cut -d' ' -f1-2)"
echo "wrk: $connections connections, $threads threads, $duration per URL, socket timeout $timeout; server log level $log_level"

# MARK: - Server
mkdir -p "$work/data" "$work/bucket"
"$bin/lifeboat-server" --listen 127.0.0.1:0 --data-dir "$work/data" --log-level "$log_level" \
    >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
port=""
for _ in $(seq 1 600); do
    port="$(sed -n 's#^lifeboat-server listening on http://127.0.0.1:\([0-9]*\)$#\1#p' "$work/server.out")"
    [ -n "$port" ] && [ -s "$work/data/admin-token" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$port" ]; then echo "lifeboat-server did not start" >&2; cat "$work/server.log" >&2; exit 1; fi
base="http://127.0.0.1:$port"
token="$(tr -d '\n' <"$work/data/admin-token")"
workers="$(curl -fsS -H "Authorization: Bearer $token" "$base/v1/status" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("workers"))')"
echo "lifeboat-server pid $server_pid on $base, $workers workers"

rss() {  # FIELD (VmHWM or VmRSS) of the server, in MiB
    awk -v field="$1:" '$1 == field { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status"
}

# MARK: - Seed
echo
echo "== seeding $count backups through POST /v1/backups ($seed_threads keep-alive connections) =="
python3 "$here/seed.py" "$base" "$token" "$count" "$work/bucket" --threads "$seed_threads" >"$work/seed.json"
python3 - "$work/seed.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"created {s['created']} in {s['createSeconds']:.1f} s ({s['createsPerSecond']:.0f}/s); queue drained "
      f"{s['drainedAfterSeconds']:.1f} s after the first POST ({s['backupJobsFinished']} backup jobs finished)")
print(f"catalog: {s['listed']} backups, phases {s['phases']}, {s['averageItemBytes']} bytes of JSON per item")
PY
echo "server RSS after seeding: $(rss VmRSS) MiB (peak $(rss VmHWM) MiB)"

# MARK: - Measure
cpu_ticks() {  # utime + stime of the server, in clock ticks
    awk '{ print $14 + $15 }' "/proc/$server_pid/stat"
}
wait_idle() {  # until the server used under 5% of a core for a second (wrk leaves requests in flight when it stops)
    local before after
    for _ in $(seq 1 300); do
        before="$(cpu_ticks)"
        sleep 1
        after="$(cpu_ticks)"
        [ $((after - before)) -le 5 ] && return 0
    done
}

# Each URL: a probe (status, items and bytes of one response, time of a lone request), a 3 s warm-up, the server
# left to go idle, then the measured wrk run.
labels=()
probe() {  # LABEL PATH
    curl -sS -o "$work/$1.body" -w '%{http_code} %{size_download} %{time_total}\n' \
        -H "Authorization: Bearer $token" "$base$2" >"$work/$1.probe"
    python3 - "$work/$1.body" >>"$work/$1.probe" <<'PY'
import json, sys
try:
    print(len(json.load(open(sys.argv[1]))["items"]))
except Exception:
    print("-")
PY
}
measure() {  # LABEL PATH CONNECTIONS [UNIQUE_QUERY]
    local label="$1" path="$2" conns="$3"
    export UNIQUE_QUERY="${4:-0}"
    [ -s "$work/$label.probe" ] || probe "$label" "$path"
    LIFEBOAT_TOKEN="$token" wrk -t "$threads" -c "$conns" -d 3s --timeout "$timeout" -s "$here/bearer.lua" "$base$path" >/dev/null
    wait_idle
    echo
    echo "== $label: GET $path, $conns connections =="
    LIFEBOAT_TOKEN="$token" WRK_RESULT="$work/$label.json" \
        wrk -t "$threads" -c "$conns" -d "$duration" --timeout "$timeout" --latency -s "$here/bearer.lua" "$base$path" \
        | tee "$work/$label.txt" | sed -n '/Latency Distribution/,/requests in/p;/Requests\/sec/p;/Non-2xx\|Socket errors/p'
    echo "$conns" >"$work/$label.connections"
    echo "server RSS $(rss VmRSS) MiB, peak $(rss VmHWM) MiB"
    wait_idle
    labels+=("$label")
}
measure healthz "/healthz" "$connections"
# A body of list size from memory, no token: what the server and the loopback cost to send ~45 KB, whatever made it.
measure openapi "/openapi.yaml" "$connections"
measure status "/v1/status" "$connections"
# The contract pages lists by 100 unless asked otherwise. A server that answers the bare GET with more than the
# largest page (1000) is sending the whole catalog, seconds of work per request: 200 connections of that would
# leave minutes of backlog on a shared machine, so that case runs at BARE_CONNECTIONS and is reported as such.
probe backups "/v1/backups"
bare_items="$(tail -n1 "$work/backups.probe")"
if [ "$bare_items" != "-" ] && [ "$bare_items" -gt 1000 ]; then
    echo
    echo "note: GET /v1/backups returned $bare_items items ($(awk 'NR==1 { printf "%.1f MB", $2 / 1e6 }' "$work/backups.probe")," \
         "$(awk 'NR==1 { printf "%.2f s", $3 }' "$work/backups.probe") alone) instead of the contract's default page of 100;" \
         "measuring it at $bare_connections connections"
    measure backups "/v1/backups" "$bare_connections"
else
    measure backups "/v1/backups" "$connections"
fi
measure backups-limit-100 "/v1/backups?limit=100" "$connections"
measure backups-limit-500 "/v1/backups?limit=500" "$connections"
# Every request a new query string: each one is read from SQLite and assembled from the per-object documents,
# the cost of a page the server has not been asked for since the last write.
measure backups-limit-100-uncached "/v1/backups?limit=100" "$connections" 1
peak="$(rss VmHWM)"

# MARK: - Summary
echo
python3 - "$work" "$connections" "$peak" "${labels[@]}" <<'PY'
import json, sys
work, connections, peak, labels = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
paths = {"healthz": "/healthz", "openapi": "/openapi.yaml", "status": "/v1/status", "backups": "/v1/backups",
         "backups-limit-100": "/v1/backups?limit=100", "backups-limit-500": "/v1/backups?limit=500",
         "backups-limit-100-uncached": "/v1/backups?limit=100&n=…"}

def result(label):
    r = json.load(open(f"{work}/{label}.json"))
    status, size, seconds, items = open(f"{work}/{label}.probe").read().split()
    r["probe"] = {"status": int(status), "bytes": int(size), "ms": float(seconds) * 1000, "items": items}
    r["rps"] = r["requests"] / (r["durationMicroseconds"] / 1e6)
    r["connections"] = int(open(f"{work}/{label}.connections").read())
    return r

results = {label: result(label) for label in labels}
floor = results["healthz"]
print("== summary ==")
print(f"{'GET':<28} {'conns':>5} {'items':>6} {'KiB':>8} {'alone ms':>9} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} "
      f"{'MiB/s':>7} {'errors':>7} {'/healthz req/s':>15}")
for label, r in results.items():
    lat, errors = r["latencyMicroseconds"], sum(r["errors"].values())
    ratio = f"{floor['rps'] / r['rps']:.1f}x" if r["rps"] else "-"
    print(f"{paths.get(label, label):<28} {r['connections']:>5} {r['probe']['items']:>6} {r['probe']['bytes'] / 1024:>8.1f} "
          f"{r['probe']['ms']:>9.1f} {r['rps']:>9.1f} {lat['p50'] / 1000:>9.2f} {lat['p99'] / 1000:>9.2f} "
          f"{r['bytes'] / (r['durationMicroseconds'] / 1e6) / 2**20:>7.0f} {errors:>7} {ratio:>15}")
print("(KiB and alone ms: one response, one request on an idle server; errors: connect/read/write/timeout/non-2xx;")
print(" MiB/s: response bytes wrk read per second, headers included; /healthz req/s: how many times the floor's")
print(" throughput this URL's is)")
print(f"server peak RSS (VmHWM): {peak} MiB")
needed = connections / 0.020
print(f"with {connections} connections always busy, mean latency = {connections} / req/s, so p99 < 20 ms needs more than "
      f"{needed:.0f} req/s; /healthz did {floor['rps']:.0f}")
print()
print(f"== target: p99 < 20 ms at {connections} connections ==")
for label in ("backups", "backups-limit-100", "backups-limit-500", "backups-limit-100-uncached"):
    if label not in results:
        continue
    r = results[label]
    p99 = r["latencyMicroseconds"]["p99"] / 1000
    errors = sum(r["errors"].values())
    name = f"GET {paths[label]} ({r['probe']['items']} items)"
    if r["connections"] != connections:
        print(f"{name}: FAIL, measured at {r['connections']} connections only (p99 {p99:.0f} ms): the bare GET returns the "
              f"whole catalog instead of the contract's default page of 100")
        continue
    ok = p99 < 20 and errors == 0 and r["probe"]["status"] == 200
    note = f", {errors} errors (latencies over the timeout are not in the percentiles)" if errors else ""
    print(f"{name}: p99 {p99:.2f} ms: {'PASS' if ok else 'FAIL'}{note}")
PY
