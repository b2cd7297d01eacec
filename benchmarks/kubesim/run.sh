#!/bin/sh
# Builds kubesim in release mode and runs the 100k-object LIST benchmark.
# Usage: benchmarks/kubesim/run.sh [--objects N] [--page N] [--rounds N]
# Set KUBESIM_BIN to use an existing binary instead of building one; SCRATCH (default <repo>/.build-release)
# is where the release build goes, away from the debug .build.
set -eu
root="$(cd "$(dirname "$0")/../.." && pwd)"
if [ -z "${KUBESIM_BIN:-}" ]; then
    scratch="${SCRATCH:-$root/.build-release}"
    swift build --package-path "$root" -c release --scratch-path "$scratch" --product kubesim >&2
    KUBESIM_BIN="$(swift build --package-path "$root" -c release --scratch-path "$scratch" --show-bin-path)/kubesim"
fi
exec python3 "$root/benchmarks/kubesim/list-throughput.py" "$KUBESIM_BIN" "$@"
