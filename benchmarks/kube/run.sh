#!/usr/bin/env bash
# Lists 100k config maps through LifeboatKube and through kubectl (--chunk-size=500 -o json) from the same
# kubesim with 1 ms injected latency, in the same run, and prints objects/s and peak memory of each.
#
#   benchmarks/kube/run.sh [COUNT]        (default 100000; CONFIG=debug for a debug build)
set -euo pipefail
count="${1:-100000}"
config="${CONFIG:-release}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
sim_pid=""
cleanup() {
    if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

cd "$root"
swift build -c "$config" --product kubesim >&2
swift build -c "$config" --product kube-benchmark >&2
bin="$(swift build -c "$config" --show-bin-path)"

"$bin/kubesim" --listen 127.0.0.1:0 --token bench-token --latency 1 --kubeconfig-out "$work/kubeconfig" >"$work/kubesim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 1 200); do [ -s "$work/kubeconfig" ] && break; sleep 0.1; done
[ -s "$work/kubeconfig" ] || { echo "kubesim did not start" >&2; cat "$work/kubesim.log" >&2; exit 1; }

"$bin/kube-benchmark" seed --kubeconfig "$work/kubeconfig" --namespace bench --count "$count"
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
