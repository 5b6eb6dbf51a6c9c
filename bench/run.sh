#!/usr/bin/env bash
# Benchmarks (release build, pinned to one core). Prints each number beside bench/baseline.json
# and writes bench/results/latest.json. Copy that over the baseline to accept new numbers.
#   bash bench/run.sh            full run (20,000 webhook events, 21 cold starts)
#   bash bench/run.sh --quick    a short smoke run
set -euo pipefail
cd "$(dirname "$0")/.."
for product in floor-bootstrap stripe-webhook stripe-payment paypal-payment paypal-webhook braintree-payment braintree-webhook outbox-relay payments-bench; do
    swift build -c release --static-swift-stdlib --product "$product" >/dev/null
done
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)
pin=""
command -v taskset >/dev/null && pin="taskset -c 0"
# The Python peer runs on the test virtualenv's interpreter (scripts/setup.sh installs the Stripe SDK there).
python=()
[ -x .venv/bin/python3 ] && python=(--python "$PWD/.venv/bin/python3")
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
$pin "$bin/payments-bench" --bootstrap "$bin/stripe-webhook" --floor-bootstrap "$bin/floor-bootstrap" --bin "$bin" --baseline bench/baseline.json --out bench/results/latest.json "${python[@]}" "$@"
