#!/usr/bin/env bash
# The project's test command (the README's second command, and what CI runs after installing prerequisites).
# Builds everything including tests, checks the API contract, then runs every Swift test target.
#
# Targets run one after another (tests inside a target still run in parallel): the heavy suites (kubectl over
# the whole corpus, 300 MiB object transfers, 100k-object lists) starve each other's timers on a 2-core machine
# when they all run at once.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f openapi/lifeboat.yaml ]; then
  python3 - <<'PY'
import sys, yaml
from openapi_spec_validator import validate
validate(yaml.safe_load(open("openapi/lifeboat.yaml")))
print("openapi/lifeboat.yaml: valid")
PY
fi

swift build --build-tests "$@"
passed=0
failed=0
for target in $(ls Tests); do
  echo "==> $target"
  if swift test --skip-build --filter "^$target\." "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures="${failures:-} $target"
  fi
done
echo "targets: $passed passed, $failed failed"
if [ "$failed" -gt 0 ]; then
  echo "failed:$failures" >&2
  exit 1
fi
