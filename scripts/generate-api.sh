#!/usr/bin/env bash
# scripts/generate-api.sh: regenerate LifeboatAPI from openapi/lifeboat.yaml; commit the result with the spec.
# `--check` regenerates and fails when the committed Generated/ differs (the CI guard).
set -euo pipefail
cd "$(dirname "$0")/.."
openapi/validate.sh
swift build --product swift-openapi-generator
rm -rf Sources/LifeboatAPI/Generated
"$(swift build --show-bin-path)/swift-openapi-generator" generate \
  --config openapi/openapi-generator-config.yaml \
  --output-directory Sources/LifeboatAPI/Generated \
  openapi/lifeboat.yaml
if [[ "${1:-}" == "--check" ]]; then
  git diff --exit-code -- Sources/LifeboatAPI/Generated
fi
