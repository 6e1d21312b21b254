#!/usr/bin/env bash
# Runs the fuzz harness of the auth crate's SigV4 verifier (crates/auth/tests/fuzz_verify.rs)
# with a million cases in release mode. Pass another count as the first argument.
set -euo pipefail
cd "$(dirname "$0")/.."

cases="${1:-1000000}"
AUTH_FUZZ_CASES="$cases" cargo test -p auth --release --test fuzz_verify -- --nocapture
