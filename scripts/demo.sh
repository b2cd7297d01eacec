#!/usr/bin/env bash
# The README's first command: the main job against the built-in sandbox cluster, with embedded defaults.
#
# Starts kubesim (over TLS, as kubectl sends tokens only there) seeded with deploy/sandbox (the sample "shop" application), starts lifeboat-server with a
# fresh SQLite catalog, registers the sandbox as a cluster and a filesystem backup location through the CLI,
# waits until the server's own check jobs find them Ready and Available, backs up the shop namespace (Velero's
# format, into the filesystem location), deletes the namespace, restores it, and shows what came back.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product kubesim >/dev/null
swift build --product lifeboat-server >/dev/null
swift build --product lifeboat >/dev/null
bin=$(swift build --show-bin-path)

work=$(mktemp -d /tmp/lifeboat-demo.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_for_line() {  # file pattern -> the first matching line, within 30 s
  for _ in $(seq 300); do
    if line=$(grep -m1 "$2" "$1" 2>/dev/null); then echo "$line"; return 0; fi
    sleep 0.1
  done
  echo "timed out waiting for '$2' in $1" >&2; cat "$1" >&2; return 1
}

echo "==> Starting the sandbox cluster (kubesim) with the sample application"
"$bin/kubesim" --listen 127.0.0.1:0 --tls --seed deploy/sandbox --pod-lifecycle --volume-root "$work/volumes" \
  --token "demo-$RANDOM$RANDOM" --kubeconfig-out "$work/kubeconfig" >"$work/kubesim.out" 2>"$work/kubesim.err" &
pids+=($!)
wait_for_line "$work/kubesim.out" "listening on"

echo "==> Starting lifeboat-server (SQLite catalog in a fresh data directory)"
"$bin/lifeboat-server" --listen 127.0.0.1:0 --data-dir "$work/data" --workers 2 --log-level warning \
  >"$work/server.out" 2>"$work/server.err" &
pids+=($!)
server=$(wait_for_line "$work/server.out" "listening on" | sed 's/.*listening on //')
export LIFEBOAT_SERVER="$server" LIFEBOAT_TOKEN="$(cat "$work/data/admin-token")" LIFEBOAT_CONFIG="$work/config.yaml"
lifeboat() { "$bin/lifeboat" "$@"; }

phase() { lifeboat "$@" -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"].get("phase",""))'; }
wait_phase() {  # want, command...
  local want=$1; shift
  for _ in $(seq 150); do
    got=$(phase "$@"); [ "$got" = "$want" ] && return 0
    sleep 0.2
  done
  echo "expected phase $want, got '$got'" >&2; return 1
}

echo "==> Registering the sandbox cluster and a filesystem backup location"
lifeboat cluster add sandbox --kubeconfig "$work/kubeconfig"
mkdir -p "$work/bucket"
lifeboat backup-location create default --provider filesystem --bucket "$work/bucket" --default
wait_phase Ready cluster get sandbox
wait_phase Available backup-location get default
lifeboat cluster get
lifeboat backup-location get

echo "==> Backing up the shop namespace"
lifeboat backup create shop-backup --cluster sandbox --include-namespaces shop --ttl 24h --wait
lifeboat backup describe shop-backup --details
echo
echo "Objects in the location (Velero's layout):"
(cd "$work/bucket" && find backups -type f | sed 's/%obj$//' | sort)

kubectl() { command kubectl --kubeconfig "$work/kubeconfig" "$@"; }
if command -v kubectl >/dev/null; then
  echo
  echo "==> Disaster: deleting the shop namespace"
  kubectl delete namespace shop --wait=true
  kubectl get namespace shop 2>&1 | tail -1 || true
  target=shop
  mappings=()
else
  echo "(kubectl is not installed: restoring into a new namespace instead of deleting the original)"
  target=shop-restored
  mappings=(--namespace-mappings shop:shop-restored)
fi

echo
echo "==> Restoring the backup"
lifeboat restore create shop-restore --from-backup shop-backup --cluster sandbox "${mappings[@]}" --wait
lifeboat restore describe shop-restore --details
if command -v kubectl >/dev/null; then
  echo
  echo "What is in namespace $target now:"
  kubectl get deployments,services,configmaps,secrets,persistentvolumeclaims -n "$target"
fi
echo
echo "Backup $(phase backup get shop-backup), restore $(phase restore get shop-restore)."
