#!/usr/bin/env bash
# Lists 100k config maps through LifeboatKube and through kubectl (--chunk-size=500 -o json) from the same
# kubesim (HTTPS: kubectl sends bearer tokens only over TLS) with 1 ms injected latency, in the same run, and prints objects/s and peak memory of each.
#
#   benchmarks/kube/run.sh [COUNT]        (default 100000; CONFIG=debug for a debug build;
#                                          SCRATCH=<repo>/.build-release keeps release builds out of .build)
set -euo pipefail
count="${1:-100000}"
config="${CONFIG:-release}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
scratch="${SCRATCH:-$root/.build-release}"
work="$(mktemp -d)"
sim_pid=""
cleanup() {
    if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

cd "$root"
swift build -c "$config" --scratch-path "$scratch" --product kubesim >&2
swift build -c "$config" --scratch-path "$scratch" --product kube-benchmark >&2
bin="$(swift build -c "$config" --scratch-path "$scratch" --show-bin-path)"

# Seed through kubesim's .jsonl loader: much faster than 100k POSTs (`kube-benchmark seed` does those).
mkdir -p "$work/seed"
python3 - "$count" "$work/seed" <<'PY'
import json, sys
count, directory = int(sys.argv[1]), sys.argv[2]
with open(f"{directory}/namespace.yaml", "w") as f:
    f.write("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bench\n")
with open(f"{directory}/configmaps.jsonl", "w") as f:
    for i in range(count):
        name = f"bench-{i:06d}"
        f.write(json.dumps({"apiVersion": "v1", "kind": "ConfigMap",
                            "metadata": {"name": name, "namespace": "bench", "labels": {"app": "bench"}},
                            "data": {"payload": "x" * 200, "index": name}}) + "\n")
PY

"$bin/kubesim" --listen 127.0.0.1:0 --tls --token bench-token --latency 1 --seed "$work/seed" --kubeconfig-out "$work/kubeconfig" >"$work/kubesim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 1 3000); do [ -s "$work/kubeconfig" ] && break; sleep 0.1; done
[ -s "$work/kubeconfig" ] || { echo "kubesim did not start" >&2; cat "$work/kubesim.log" >&2; exit 1; }

"$bin/kube-benchmark" list --kubeconfig "$work/kubeconfig" --namespace bench --limit 500

start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$work/kubectl.rss" \
    kubectl --kubeconfig "$work/kubeconfig" --cache-dir "$work/kubectl-cache" get configmaps -n bench --chunk-size=500 -o json >"$work/kubectl.json"
end=$(date +%s.%N)
objects=$(grep -c '"kind": "ConfigMap"' "$work/kubectl.json" || true)
python3 - "$start" "$end" "$objects" "$(cat "$work/kubectl.rss")" <<'PY'
import sys
start, end, objects, rss_kib = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
elapsed = end - start
print(f"kubectl get --chunk-size=500 -o json: {objects} objects in {elapsed:.2f} s = {objects / elapsed:.0f} objects/s, peak RSS {rss_kib / 1024:.1f} MiB")
PY
