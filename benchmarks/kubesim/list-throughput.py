#!/usr/bin/env python3
"""KubeSim LIST benchmark: load N objects, list them paged by 500, report throughput and memory.

Usage: list-throughput.py KUBESIM_BINARY [--objects 100000] [--page 500] [--rounds 3]

The objects are ConfigMaps of about 1 KiB spread over 10 namespaces, written as a JSON-lines seed
file (`--seed`), so loading goes through the same create path as the API without a client in the way.
Resident memory is VmRSS of the kubesim process after loading and listing; the objects' JSON size is
the sum of the items' bytes as served.
"""
import argparse, http.client, json, os, re, shutil, subprocess, sys, tempfile, time, urllib.parse


def make_seed(directory, count):
    namespaces = 10
    with open(os.path.join(directory, "00-namespaces.yaml"), "w") as f:
        for i in range(namespaces):
            f.write(f"apiVersion: v1\nkind: Namespace\nmetadata: {{name: bench-{i}}}\n---\n")
    payload = "x" * 700
    with open(os.path.join(directory, "10-objects.jsonl"), "w") as f:
        for i in range(count):
            obj = {"apiVersion": "v1", "kind": "ConfigMap",
                   "metadata": {"name": f"cm-{i:07d}", "namespace": f"bench-{i % namespaces}",
                                "labels": {"app": f"app-{i % 50}", "tier": "bench"},
                                "annotations": {"bench/index": str(i)}},
                   "data": {"index": str(i), "payload": payload}}
            f.write(json.dumps(obj, separators=(",", ":")) + "\n")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def list_all(host, port, page, measure_size=False):
    conn = http.client.HTTPConnection(host, port, timeout=120)
    token, items, size, requests = None, 0, 0, 0
    while True:
        path = f"/api/v1/configmaps?limit={page}"
        if token:
            path += "&continue=" + urllib.parse.quote(token)
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"list failed: {response.status} {body[:200]!r}")
        requests += 1
        document = json.loads(body)
        items += len(document["items"])
        if measure_size:
            size += sum(len(json.dumps(item, separators=(",", ":"))) for item in document["items"])
        token = document["metadata"].get("continue")
        if not token:
            break
    conn.close()
    return items, size, requests


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--objects", type=int, default=100_000)
    parser.add_argument("--page", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="kubesim-bench-")
    try:
        seed = os.path.join(workdir, "seed")
        os.mkdir(seed)
        make_seed(seed, args.objects)
        started = time.monotonic()
        process = subprocess.Popen([args.binary, "--listen", "127.0.0.1:0", "--seed", seed],
                                   stdout=subprocess.PIPE, text=True)
        try:
            line = process.stdout.readline()
            match = re.search(r"listening on https?://([\d.]+):(\d+)", line)
            if not match:
                raise SystemExit(f"kubesim did not start: {line!r}")
            load_seconds = time.monotonic() - started
            host, port = match.group(1), int(match.group(2))
            print(f"objects loaded:      {args.objects} in {load_seconds:.1f} s ({args.objects / load_seconds:,.0f} objects/s, incl. startup)")
            best = None
            for round in range(args.rounds):
                t0 = time.monotonic()
                items, _, requests = list_all(host, port, args.page)
                elapsed = time.monotonic() - t0
                rate = items / elapsed
                best = rate if best is None else max(best, rate)
                print(f"round {round + 1}: listed {items} objects in {requests} pages of {args.page} in {elapsed:.2f} s -> {rate:,.0f} objects/s")
            _, size, _ = list_all(host, port, args.page, measure_size=True)
            rss = rss_kib(process.pid) * 1024
            print(f"LIST throughput:     {best:,.0f} objects/s (target >= 20,000)")
            print(f"objects JSON size:   {size / 1e6:.1f} MB")
            print(f"resident memory:     {rss / 1e6:.1f} MB = {rss / size:.2f} x JSON size (target < 2)")
        finally:
            process.terminate()
            process.wait(timeout=30)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
