#!/usr/bin/env bash
# Runs every test of the project: the Rust test suite (unit, store conformance, integration
# tests driving a real server with aws-sdk-ecs) and the AWS CLI test.
set -euo pipefail
cd "$(dirname "$0")/.."

# The committed ECS wire types and schema are what the generator writes from the model.
if python3 -c 'import botocore' 2>/dev/null; then
  python3 tools/gen-ecs-api.py --check
  python3 tools/gen-models.py --check
else
  echo "botocore is not installed: not checking crates/api's generated files" >&2
fi

cargo build --workspace --all-targets
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast
  cargo test --workspace --doc
else
  cargo test --workspace --no-fail-fast
fi
bash tests/aws-cli.sh
