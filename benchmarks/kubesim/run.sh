#!/bin/sh
# Builds kubesim in release mode and runs the 100k-object LIST benchmark.
# Usage: benchmarks/kubesim/run.sh [--objects N] [--page N] [--rounds N]
# Set KUBESIM_BIN to use an existing binary instead of building one.
set -eu
root="$(cd "$(dirname "$0")/../.." && pwd)"
if [ -z "${KUBESIM_BIN:-}" ]; then
    swift build --package-path "$root" -c release --product kubesim >&2
    KUBESIM_BIN="$(swift build --package-path "$root" -c release --show-bin-path)/kubesim"
fi
exec python3 "$root/benchmarks/kubesim/list-throughput.py" "$KUBESIM_BIN" "$@"
