#!/usr/bin/env bash
# The project's test command (the README's second command, and what CI runs after installing prerequisites).
# Builds everything including tests, checks the API contract, then runs every Swift test.
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
swift test --skip-build "$@"
