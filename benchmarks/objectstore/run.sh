#!/usr/bin/env bash
# Object-store benchmark: a 1 GiB stream to moto and to the filesystem store, beside `aws s3 cp` of the
# same file to the same moto in the same run. Prints throughput, ratio and peak memory (VmHWM / max RSS).
#
#   benchmarks/objectstore/run.sh [SIZE_MIB]        (default 1024)
#
# Needs: swift, python3 with moto, boto3 and awscli (`aws`), /usr/bin/time. Not run by `swift test`.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
SUPPORT="$HERE/../../Tests/LifeboatObjectStoreTests/Support"
SIZE_MIB="${1:-1024}"
WORK="$(mktemp -d /tmp/lifeboat-objectstore-bench.XXXXXX)"
cleanup() { exec 3>&- 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

echo "building the benchmark (release)..." >&2
swift build -c release --package-path "$HERE" --product objectstore-bench >&2
BENCH="$(swift build -c release --package-path "$HERE" --show-bin-path)/objectstore-bench"

echo "generating a ${SIZE_MIB} MiB file..." >&2
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom > "$WORK/data.bin"

# moto with signature checking on; it exits when fd 3 (its stdin) closes.
mkfifo "$WORK/moto-in"
python3 "$SUPPORT/moto_launcher.py" < "$WORK/moto-in" > "$WORK/moto.json" 2>"$WORK/moto.log" &
exec 3>"$WORK/moto-in"
for _ in $(seq 1 600); do [ -s "$WORK/moto.json" ] && break; sleep 0.2; done
read -r ENDPOINT AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY < <(python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); print(d["endpoint"], d["accessKeyId"], d["secretAccessKey"])' "$WORK/moto.json")
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_DEFAULT_REGION=us-east-1 S3_ENDPOINT="$ENDPOINT"
export HOME="$WORK" AWS_CONFIG_FILE="$WORK/aws-config" AWS_SHARED_CREDENTIALS_FILE="$WORK/aws-credentials"
python3 "$SUPPORT/s3_interop.py" create-bucket bench-bucket

seconds() { python3 -c 'import sys,time; print(f"{time.time():.3f}")'; }

echo "aws s3 cp upload..." >&2
START=$(seconds)
/usr/bin/time -f "%M" -o "$WORK/aws-up.rss" aws --endpoint-url "$ENDPOINT" s3 cp --quiet "$WORK/data.bin" s3://bench-bucket/bench/aws.bin
AWS_UP=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$START" "$(seconds)")
echo "aws s3 cp download..." >&2
START=$(seconds)
/usr/bin/time -f "%M" -o "$WORK/aws-down.rss" aws --endpoint-url "$ENDPOINT" s3 cp --quiet s3://bench-bucket/bench/aws.bin "$WORK/aws-back.bin"
AWS_DOWN=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$START" "$(seconds)")
cmp "$WORK/data.bin" "$WORK/aws-back.bin"
rm -f "$WORK/aws-back.bin"

echo "lifeboat S3 store..." >&2
"$BENCH" s3 "$WORK/data.bin" "$ENDPOINT" bench-bucket > "$WORK/s3.jsonl"
echo "lifeboat filesystem store..." >&2
mkdir -p "$WORK/fs-root"
"$BENCH" fs "$WORK/data.bin" "$WORK/fs-root" > "$WORK/fs.jsonl"

python3 - "$SIZE_MIB" "$AWS_UP" "$AWS_DOWN" "$(cat "$WORK/aws-up.rss")" "$(cat "$WORK/aws-down.rss")" "$WORK/s3.jsonl" "$WORK/fs.jsonl" <<'PY'
import json, sys
size, aws_up, aws_down, aws_up_kb, aws_down_kb = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rows = [json.loads(l) for f in sys.argv[6:8] for l in open(f) if l.strip()]
aws = {"upload": (aws_up, aws_up_kb // 1024), "download": (aws_down, aws_down_kb // 1024)}
print(f"\n{size} MiB stream, moto on 127.0.0.1 with signature checking on")
print(f"{'store':<12}{'direction':<10}{'seconds':>9}{'MiB/s':>9}{'peak MiB':>10}{'vs aws s3 cp':>14}")
for direction in ("upload", "download"):
    seconds, rss = aws[direction]
    print(f"{'aws s3 cp':<12}{direction:<10}{seconds:>9.2f}{size / seconds:>9.1f}{rss:>10}{'1.00x':>14}")
    for r in rows:
        if r["direction"] == direction:
            ratio = f"{(r['MiBps'] / (size / seconds)):.2f}x" if r["store"] == "s3" else "-"
            print(f"{r['store']:<12}{direction:<10}{r['seconds']:>9.2f}{r['MiBps']:>9.1f}{r['peakRSSMiB']:>10}{ratio:>14}")
PY
