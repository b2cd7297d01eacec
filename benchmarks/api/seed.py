#!/usr/bin/env python3
"""Seeds a running lifeboat-server for benchmarks/api/run.sh through its real API, then waits for the queue to drain.

Usage: seed.py BASE_URL TOKEN COUNT BUCKET_DIR [--threads 8]

1. Starts a stand-in Kubernetes API server on 127.0.0.1:0 (in this process) that answers every request with
   403 Forbidden: a 4xx is not retried by the server's Kubernetes client, so every backup job fails at its first
   request instead of backing off against an unreachable address for seconds.
2. POST /v1/clusters (token credentials for the stand-in) and POST /v1/backup-locations (filesystem,
   default), the two things POST /v1/backups checks exist.
3. POST /v1/backups COUNT times from THREADS keep-alive connections; each one stores the backup in phase New and
   enqueues its job, which the worker pool runs (and fails) meanwhile.
4. Waits until no backup is New or InProgress and lifeboat_jobs_finished_total{kind="backup"} reaches COUNT, so
   the measurement that follows runs against an idle worker pool.

Prints one JSON object on stdout: create rate, drain time, phases, the average item size.
"""
import argparse, http.client, http.server, json, sys, threading, time, urllib.parse


class Forbidden(http.server.BaseHTTPRequestHandler):
    """Every request: 403 with a Kubernetes Status body."""
    protocol_version = "HTTP/1.1"

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = json.dumps({"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "Forbidden", "code": 403,
                           "message": "benchmark stand-in cluster: forbidden"}).encode()
        self.send_response(403)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = answer

    def log_message(self, *args):
        pass


class Client:
    """One keep-alive connection to the server."""

    def __init__(self, base, token):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.connection = None

    def request(self, method, path, body=None):
        for attempt in range(3):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                self.connection.request(method, path, body=None if body is None else json.dumps(body), headers=self.headers)
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise

    def require(self, method, path, body=None, expected=(200, 201)):
        status, data = self.request(method, path, body)
        if status not in expected:
            raise SystemExit(f"{method} {path}: HTTP {status}: {data[:300]!r}")
        return json.loads(data) if data else None


def backup_body(i):
    return {"metadata": {"name": f"nightly-{i:06d}",
                         "labels": {"app.kubernetes.io/part-of": "bench", "team": f"team-{i % 20}"}},
            "spec": {"cluster": "bench", "includedNamespaces": [f"shop-{i % 50}"], "excludedResources": ["events"],
                     "ttl": "720h0m0s", "snapshotVolumes": False}}


def jobs_finished(client, kind):
    status, data = client.request("GET", "/metrics")
    if status != 200:
        return 0
    total = 0.0
    for line in data.decode().splitlines():
        if line.startswith("lifeboat_jobs_finished_total{") and f'kind="{kind}"' in line:
            total += float(line.rsplit(" ", 1)[1])
    return int(total)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("token")
    parser.add_argument("count", type=int)
    parser.add_argument("bucket")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--drain-timeout", type=float, default=1800)
    args = parser.parse_args()

    cluster = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Forbidden)
    cluster.daemon_threads = True
    threading.Thread(target=cluster.serve_forever, daemon=True).start()
    cluster_url = f"http://127.0.0.1:{cluster.server_address[1]}"

    client = Client(args.base, args.token)
    client.require("POST", "/v1/clusters", {"metadata": {"name": "bench"}, "spec": {"server": cluster_url, "token": "bench-token"}})
    client.require("POST", "/v1/backup-locations",
                   {"metadata": {"name": "default"},
                    "spec": {"provider": "filesystem", "objectStorage": {"bucket": args.bucket}, "default": True}})

    next_index = iter(range(args.count))
    lock = threading.Lock()
    failures = []

    def worker():
        own = Client(args.base, args.token)
        while True:
            with lock:
                i = next(next_index, None)
            if i is None:
                return
            status, data = own.request("POST", "/v1/backups", backup_body(i))
            if status != 201:
                with lock:
                    failures.append(f"nightly-{i:06d}: HTTP {status}: {data[:200]!r}")
                return

    start = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    created_seconds = time.monotonic() - start
    if failures:
        raise SystemExit("creating backups failed: " + failures[0])

    # Drain: nothing New or InProgress and every backup job recorded as finished.
    drain_start = time.monotonic()
    while True:
        pending = sum(len(client.require("GET", f"/v1/backups?phase={phase}&limit=1")["items"]) for phase in ("New", "InProgress"))
        finished = jobs_finished(client, "backup")
        if pending == 0 and finished >= args.count:
            break
        if time.monotonic() - drain_start > args.drain_timeout:
            raise SystemExit(f"the queue did not drain in {args.drain_timeout:.0f} s ({finished} of {args.count} backup jobs finished)")
        time.sleep(0.5)
    drained_seconds = time.monotonic() - start
    cluster.shutdown()

    phases, items, item_bytes, token = {}, 0, 0, None
    while True:
        path = "/v1/backups?limit=1000" + (f"&continue={urllib.parse.quote(token)}" if token else "")
        page = client.require("GET", path)
        for item in page["items"]:
            phase = (item.get("status") or {}).get("phase", "?")
            phases[phase] = phases.get(phase, 0) + 1
            item_bytes += len(json.dumps(item, separators=(",", ":")))
        items += len(page["items"])
        token = page.get("continue")
        if not token:
            break
    json.dump({"created": args.count, "createSeconds": round(created_seconds, 2),
               "createsPerSecond": round(args.count / created_seconds, 1), "drainedAfterSeconds": round(drained_seconds, 2),
               "backupJobsFinished": jobs_finished(client, "backup"), "listed": items, "phases": phases,
               "averageItemBytes": round(item_bytes / max(items, 1))}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
