#!/usr/bin/env bash
# openapi/validate.sh: fail when openapi/lifeboat.yaml is not a valid OpenAPI document.
# Needs Python 3 with `openapi-spec-validator` (pip install openapi-spec-validator).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - openapi/lifeboat.yaml <<'PY'
import sys, yaml
from openapi_spec_validator import validate
path = sys.argv[1]
with open(path) as f:
    validate(yaml.safe_load(f))
print(f"{path}: valid OpenAPI")
PY
