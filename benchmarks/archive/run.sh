#!/usr/bin/env bash
# Archive benchmark: write N corpus-sized items (default 100000) through LifeboatArchive's
# JSON re-encoding + tar + gzip, beside `tar czf` of the same files, in the same run.
# Needs: python3 with PyYAML (apt: python3-yaml), GNU tar, gzip, zlib1g-dev, the Swift toolchain.
set -euo pipefail
cd "$(dirname "$0")/../.."
ITEMS="${1:-100000}"
OUT="benchmarks/out/archive"
rm -rf "$OUT/tree"
mkdir -p "$OUT"

swift build -c release --target LifeboatArchive >/dev/null
BIN="$(swift build -c release --show-bin-path)"
swiftc -O -parse-as-library benchmarks/archive/ArchiveBenchmark.swift \
  -I "$BIN/Modules" -I Sources/CZlib \
  "$BIN"/LifeboatArchive.build/*.o "$BIN"/LifeboatCore.build/*.o -lz \
  -o "$OUT/archive-bench"

python3 benchmarks/archive/prepare_items.py ../shared/corpus "$OUT" "$ITEMS"

echo "== LifeboatArchive (parse + Go-style JSON + tar + gzip, single thread) =="
"$OUT/archive-bench" "$OUT/corpus.jsonl" "$ITEMS" "$OUT/lifeboat.tar.gz"

echo "== tar czf of the same files (GNU tar + gzip, reading from the page cache) =="
tar cf - -C "$OUT/tree" . > /dev/null  # warm the page cache so both sides read from memory
start=$(date +%s.%N)
tar czf "$OUT/baseline.tar.gz" -C "$OUT/tree" metadata resources
end=$(date +%s.%N)
python3 - "$start" "$end" "$ITEMS" "$OUT" <<'PY'
import os, sys
start, end, items, out = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
seconds = end - start
size = 0
for root, _, files in os.walk(os.path.join(out, "tree")):
    size += sum(os.path.getsize(os.path.join(root, f)) for f in files)
gz = os.path.getsize(os.path.join(out, "baseline.tar.gz"))
print("tar czf   items=%d  files=%.1f MB  gz=%.1f MB  time=%.2f s  items/s=%.0f  MB/s(files in)=%.1f" % (items, size / 1e6, gz / 1e6, seconds, items / seconds, size / 1e6 / seconds))
PY
rm -rf "$OUT/tree"
