#!/usr/bin/env bash
# Benchmarks (release build, pinned to one core). Prints each number beside bench/baseline.json
# and writes bench/results/latest.json. Copy that over the baseline to accept new numbers.
#   bash bench/run.sh            full run (20,000 webhook events, 21 cold starts)
#   bash bench/run.sh --quick    a short smoke run
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --static-swift-stdlib --product stripe-webhook >/dev/null
swift build -c release --static-swift-stdlib --product payments-bench >/dev/null
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)
pin=""
command -v taskset >/dev/null && pin="taskset -c 0"
$pin "$bin/payments-bench" --bootstrap "$bin/stripe-webhook" --baseline bench/baseline.json --out bench/results/latest.json "$@"
