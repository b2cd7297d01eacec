#!/usr/bin/env bash
# Backup and restore throughput and memory of LifeboatEngine on kubesim (HTTPS, bearer token), each beside a
# baseline measured in the same run:
#
#   1. Backup of COUNT config maps (~1 KB each, 4 namespaces, whole cluster) with 1 ms latency per request, beside
#      paging through the same LISTs; peak RSS of the backup process at SMALL and at COUNT objects (one process each).
#   2. Restore of SECRETS secrets (~1 KB of data each) with 5 ms latency per request into a new namespace, beside
#      `kubectl create -f` of the same secrets into another new namespace (capped at KUBECTL_TIMEOUT seconds).
#
#   benchmarks/engine/run.sh [COUNT]      (default 100000; SMALL=10000 SECRETS=30000 KUBECTL_TIMEOUT=900
#                                          CONFIG=release SCRATCH=<repo>/.build-release)
#
# The engine's client gets the limits the server gives its engine clients (QPS=2000 BURST=2000, 64 requests in flight).
set -euo pipefail
count="${1:-100000}"
small="${SMALL:-10000}"
secrets="${SECRETS:-30000}"
kubectl_timeout="${KUBECTL_TIMEOUT:-900}"
qps="${QPS:-2000}"
burst="${BURST:-2000}"
config="${CONFIG:-release}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
scratch="${SCRATCH:-$root/.build-release}"
work="$(mktemp -d)"
sim_pid=""
stop_sim() {
    if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
    sim_pid=""
}
cleanup() {
    stop_sim
    rm -rf "$work"
}
trap cleanup EXIT
[ "$small" -le "$count" ] || small="$count"

cd "$root"
swift build -c "$config" --scratch-path "$scratch" --product kubesim >&2
swift build -c "$config" --scratch-path "$scratch" --product engine-benchmark >&2
bin="$(swift build -c "$config" --scratch-path "$scratch" --show-bin-path)"
kubectl_version="$(kubectl version --client 2>/dev/null | head -n1 | sed 's/Client Version: //')"
echo "engine benchmark $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $config build, kubectl $kubectl_version"

# Seeds through kubesim's .jsonl loader (one object per line, namespaces from YAML first).
seed_configmaps() {  # COUNT DIR
    mkdir -p "$2"
    python3 - "$1" "$2" <<'PY'
import json, sys
count, directory = int(sys.argv[1]), sys.argv[2]
namespaces = [f"bench-{n}" for n in range(4)]
with open(f"{directory}/namespaces.yaml", "w") as f:
    f.write("\n---\n".join(f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n  labels:\n    team: bench\n" for ns in namespaces))
with open(f"{directory}/configmaps.jsonl", "w") as f:
    for i in range(count):
        name = f"app-config-{i:06d}"
        f.write(json.dumps({
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": namespaces[i % len(namespaces)],
                         "labels": {"app.kubernetes.io/name": f"service-{i % 250}", "app.kubernetes.io/part-of": "bench",
                                    "tier": ["web", "api", "worker", "db"][i % 4]},
                         "annotations": {"bench.lifeboat.dev/index": str(i)}},
            "data": {"application.properties": "".join(f"setting.{k}=value-{i}-{k:02d}-{'x' * 24}\n" for k in range(18)),
                     "index": str(i)},
        }, separators=(",", ":")) + "\n")
PY
}

seed_secrets() {  # COUNT DIR KUBECTL_FILE
    mkdir -p "$2"
    python3 - "$1" "$2" "$3" <<'PY'
import base64, json, os, sys
count, directory, kubectl_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(f"{directory}/namespaces.yaml", "w") as f:
    f.write("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: secrets\n---\n"
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: secrets-kubectl\n")
def secret(i, namespace):
    return {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
            "metadata": {"name": f"secret-{i:06d}", "namespace": namespace,
                         "labels": {"app.kubernetes.io/name": f"service-{i % 250}", "app.kubernetes.io/part-of": "bench"}},
            "data": {"password": base64.b64encode(os.urandom(24)).decode(),
                     "tls.key": base64.b64encode(os.urandom(720)).decode()}}
items = [secret(i, "secrets") for i in range(count)]
with open(f"{directory}/secrets.jsonl", "w") as f:
    for item in items: f.write(json.dumps(item, separators=(",", ":")) + "\n")
# The same objects for kubectl, in their own namespace: one JSON List.
for item in items: item["metadata"]["namespace"] = "secrets-kubectl"
with open(kubectl_file, "w") as f:
    json.dump({"apiVersion": "v1", "kind": "List", "items": items}, f)
PY
}

start_sim() {  # NAME LATENCY_MS SEED_DIR; sets sim_pid and kubeconfig
    kubeconfig="$work/$1.kubeconfig"
    local start end
    start=$(date +%s.%N)
    "$bin/kubesim" --listen 127.0.0.1:0 --tls --token bench-token --latency "$2" --seed "$3" --kubeconfig-out "$kubeconfig" \
        >"$work/$1.kubesim.log" 2>&1 &
    sim_pid=$!
    for _ in $(seq 1 6000); do [ -s "$kubeconfig" ] && break; sleep 0.1; done
    [ -s "$kubeconfig" ] || { echo "kubesim did not start" >&2; cat "$work/$1.kubesim.log" >&2; exit 1; }
    end=$(date +%s.%N)
    echo "kubesim $1: latency $2 ms, seeded and listening after $(python3 -c "print(f'{$end - $start:.1f}')") s"
}

sim_peak() {  # kubesim's own peak RSS (VmHWM), informational
    awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$sim_pid/status" 2>/dev/null || echo "?"
}

# Runs engine-benchmark under /usr/bin/time; LABEL.json holds its numbers, LABEL.rss its peak RSS in KiB.
engine() {  # LABEL SUBCOMMAND ARGS...
    local label="$1"
    shift
    local status=0
    /usr/bin/time -f "%M" -o "$work/$label.rss" "$bin/engine-benchmark" "$@" --qps "$qps" --burst "$burst" --result "$work/$label.json" \
        || status=$?
    echo "$label: engine-benchmark exit $status, peak RSS $(tail -n1 "$work/$label.rss" | awk '{ printf "%.1f MiB", $1 / 1024 }')"
}

# MARK: - 1. Backup throughput and memory
for size in "$small" "$count"; do
    label="backup-$size"
    seed_configmaps "$size" "$work/seed-$size"
    echo
    echo "== backup of $size config maps =="
    start_sim "sim-$size" 1 "$work/seed-$size"
    engine "$label" backup --kubeconfig "$kubeconfig" --store "$work/store-$size"
    echo "kubesim peak RSS $(sim_peak) MiB"
    stop_sim
    rm -rf "$work/seed-$size" "$work/store-$size"
    [ "$small" = "$count" ] && break
done

# MARK: - 2. Restore beside kubectl create
echo
echo "== restore of $secrets secrets =="
seed_secrets "$secrets" "$work/seed-secrets" "$work/secrets-kubectl.json"
start_sim "sim-secrets" 5 "$work/seed-secrets"
engine "backup-secrets" backup --kubeconfig "$kubeconfig" --store "$work/store-secrets" --namespace secrets --no-baseline
engine "restore-secrets" restore --kubeconfig "$kubeconfig" --store "$work/store-secrets" --backup bench --mapping secrets:secrets-restored

echo "kubectl create -f (one JSON List of $secrets secrets, $(du -m "$work/secrets-kubectl.json" | cut -f1) MB), timeout ${kubectl_timeout} s"
kubectl_status=0
start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$work/kubectl.rss" timeout "$kubectl_timeout" \
    kubectl --kubeconfig "$kubeconfig" --cache-dir "$work/kubectl-cache" create -f "$work/secrets-kubectl.json" \
    >"$work/kubectl.out" 2>"$work/kubectl.err" || kubectl_status=$?
end=$(date +%s.%N)
kubectl_created=$(grep -c ' created$' "$work/kubectl.out" || true)
echo "kubectl: exit $kubectl_status, $kubectl_created created in $(python3 -c "print(f'{$end - $start:.2f}')") s"
head -n 5 "$work/kubectl.err"
echo "kubesim peak RSS $(sim_peak) MiB"
stop_sim

# MARK: - Summary
echo
python3 - "$work" "$small" "$count" "$secrets" "$start" "$end" "$kubectl_status" "$kubectl_created" "$kubectl_timeout" <<'PY'
import json, os, sys
work, small, count, secrets = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
kubectl_start, kubectl_end, kubectl_status, kubectl_created, kubectl_timeout = (
    float(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9]))

def load(label):
    path = f"{work}/{label}.json"
    return json.load(open(path)) if os.path.exists(path) else None

def rss(label):
    try:
        return int(open(f"{work}/{label}.rss").read().split()[-1]) / 1024
    except (OSError, ValueError, IndexError):
        return None

def verdict(ok):
    return "PASS" if ok else "FAIL"

print("== summary ==")
print(f"{'benchmark':<34} {'items':>8} {'seconds':>9} {'items/s':>9} {'baseline s':>11} {'ratio':>7} {'peak RSS':>10}")
sizes = [small] if small == count else [small, count]
for size in sizes:
    b = load(f"backup-{size}")
    if b is None:
        print(f"backup {size}: no result")
        continue
    listed = b.get("list") or {}
    print(f"{'backup ' + str(size) + ' config maps (1 ms)':<34} {b['items']:>8} {b['seconds']:>9.2f} {b['objectsPerSecond']:>9.0f} "
          f"{listed.get('seconds', float('nan')):>11.2f} {b.get('ratioToList') or float('nan'):>7.2f} "
          f"{rss(f'backup-{size}') or float('nan'):>7.1f} MiB")
r = load("restore-secrets")
kubectl_seconds = kubectl_end - kubectl_start
if r:
    print(f"{'restore ' + str(secrets) + ' secrets (5 ms)':<34} {r['created']:>8} {r['seconds']:>9.2f} {r['itemsPerSecond']:>9.0f} "
          f"{'':>11} {'':>7} {rss('restore-secrets') or float('nan'):>7.1f} MiB")
print(f"{'kubectl create -f (5 ms)':<34} {kubectl_created:>8} {kubectl_seconds:>9.2f} {kubectl_created / kubectl_seconds:>9.0f} "
      f"{'':>11} {'':>7} {rss('kubectl') or float('nan'):>7.1f} MiB")
print()
print("== targets ==")
big = load(f"backup-{count}")
if big:
    print(f"backup {count}: {big['objectsPerSecond']:.0f} objects/s >= 5000: {verdict(big['objectsPerSecond'] >= 5000)}")
    if big.get("ratioToList") is not None:
        print(f"backup {count}: {big['ratioToList']:.2f}x the time of paging through the same LISTs <= 1.5: {verdict(big['ratioToList'] <= 1.5)}")
    print(f"backup {count}: phase {big['phase']}, {big['errors']} errors")
for size in sizes:
    peak = rss(f"backup-{size}")
    if peak is not None:
        print(f"backup {size}: peak RSS {peak:.1f} MiB < 300 MiB: {verdict(peak < 300)}")
if len(sizes) == 2 and rss(f"backup-{small}") and rss(f"backup-{count}"):
    growth = rss(f"backup-{count}") / rss(f"backup-{small}")
    print(f"peak RSS growth {small} -> {count} objects: {growth:.2f}x (not growing: <= 1.25x): {verdict(growth <= 1.25)}")
if r:
    print(f"restore {secrets}: {r['seconds']:.2f} s < 60 s: {verdict(r['seconds'] < 60 and r['created'] >= secrets and r['failed'] == 0)} "
          f"({r['created']} created, {r['failed']} failed, phase {r['phase']})")
    if kubectl_status == 124:
        rate = kubectl_created / kubectl_seconds if kubectl_seconds > 0 else 0
        estimate = f", about {secrets / rate:.0f} s for all at that rate" if rate > 0 else ""
        print(f"kubectl create -f: timed out after {kubectl_timeout} s with {kubectl_created} of {secrets} created ({rate:.0f}/s{estimate}); "
              f"restore is at least {kubectl_seconds / r['seconds']:.1f}x faster")
    else:
        print(f"kubectl create -f: exit {kubectl_status}, {kubectl_created} created in {kubectl_seconds:.2f} s; "
              f"kubectl / restore time: {kubectl_seconds / r['seconds']:.1f}x")
PY
