#!/usr/bin/env bash
# Runs the fuzz tests of the parsers a request or the operator's files reach (the cluster query
# language, IAM policy documents, the auth file, ECS request bodies) in release mode, with
# 100,000 cases each. Pass another count as the first argument.
set -euo pipefail
cd "$(dirname "$0")/.."

export PARSER_FUZZ_CASES="${1:-100000}"
cargo test -p scheduler --release --lib query::tests::fuzz_parse -- --nocapture
cargo test -p auth --release --lib fuzz_ -- --nocapture
cargo test -p api --release --test json_limits fuzz_request_bodies -- --nocapture
