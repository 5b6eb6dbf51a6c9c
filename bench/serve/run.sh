#!/usr/bin/env bash
# Load run of the local stack: wrk against POST /webhooks/stripe through `payments serve`, every request
# a distinct delivery signed by Stripe's SDK for a payment created through the gateway just before.
#
#   bash bench/serve/run.sh                 COUNT=4000 deliveries per run, CONNECTIONS=4, CONCURRENCY=2
#
# Three runs, each on fresh stores (release builds, static Swift standard library, as bench/run.sh):
#   1. latency, one connection:  serve (the real binaries under the Lambda emulator)
#   2. latency, one connection:  serve --in-process (the same gateway, the functions in its process)
#   3. throughput, CONNECTIONS:  serve, CONCURRENCY instances of each function
# The emulator's cost per request is 1 minus 2 at the median. Each run checks 0 failed requests and
# that the events published are exactly one PaymentSucceeded per distinct accepted delivery.
# Prints one JSON line per run and writes bench/results/serve-load.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${COUNT:-4000}
CONNECTIONS=${CONNECTIONS:-4}
CONCURRENCY=${CONCURRENCY:-2}

command -v wrk >/dev/null || { bash scripts/setup.sh; apt-get install -y -qq wrk >/dev/null; }
[ -x .venv/bin/python3 ] || bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
for product in payments stripe-payment stripe-webhook paypal-payment paypal-webhook braintree-payment braintree-webhook \
               outbox-relay delivery notification; do
    swift build -c release --static-swift-stdlib --product "$product" >/dev/null
done
BIN=$(swift build -c release --static-swift-stdlib --show-bin-path)
PAYMENTS="$BIN/payments"

WORK=$(mktemp -d /tmp/payments-serve-load.XXXXXX)
pids=()
stop_all() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    pids=()
}
trap 'stop_all; rm -rf "$WORK"' EXIT
export STRIPE_SECRET_KEY=sk_test_load STRIPE_WEBHOOK_SECRET="$(python3 scripts/random_credential.py stripe-webhook-secret)"

# run NAME CONNECTIONS [serve options…]: one load run on fresh stores; prints its JSON line.
run() {
    local name=$1 connections=$2
    shift 2
    local dir="$WORK/$name"
    mkdir -p "$dir"
    export PAYMENTS_STORE="sqlite:$dir/payments.sqlite" DELIVERY_STORE="sqlite:$dir/delivery.sqlite"
    export NOTIFICATION_STORE="sqlite:$dir/notifications.sqlite"
    "$PAYMENTS" simulate stripe api --port 0 >"$dir/simulator.out" 2>"$dir/simulator.log" &
    pids+=($!)
    for _ in $(seq 100); do grep -q '^export' "$dir/simulator.out" 2>/dev/null && break; sleep 0.1; done
    eval "$(grep '^export' "$dir/simulator.out")"
    "$PAYMENTS" serve --port 0 --url-file "$dir/url" --concurrency "$CONCURRENCY" "$@" >"$dir/serve.out" 2>"$dir/serve.log" &
    pids+=($!)
    for _ in $(seq 100); do [ -s "$dir/url" ] && break; sleep 0.1; done
    local url
    url=$(cat "$dir/url")
    python3 bench/serve/prepare_load.py --gateway "$url" --secret "$STRIPE_WEBHOOK_SECRET" --count "$COUNT" \
        --out "$dir/deliveries.tsv" 2>"$dir/prepare.log"
    # wrk runs for its whole -d even once every delivery is sent: allow what creating the payments took
    # (a payment costs more than a webhook), plus a margin.
    local seconds threads=$(( connections < 2 ? 1 : 2 ))
    seconds=$(python3 -c 'import re,sys; print(int(float(re.search(r"in ([0-9.]+) s", open(sys.argv[1]).read()).group(1))) + 5)' "$dir/prepare.log")
    DELIVERIES="$dir/deliveries.tsv" wrk -t "$threads" -c "$connections" -d "${seconds}s" --timeout 10s \
        -s bench/serve/load.lua "$url" -- "$threads" >"$dir/wrk.out"
    local summary
    summary=$(grep '^{' "$dir/wrk.out")
    # The local bus publishes after each answer; wait until it has caught up.
    local published=0 previous=-1
    while [ "$published" != "$previous" ]; do
        previous=$published
        sleep 1
        published=$("$PAYMENTS" events | grep -c '"detail-type":"PaymentSucceeded"' || true)
    done
    stop_all
    python3 - "$name" "$summary" "$published" "$COUNT" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'EOF'
import json, sys
name, summary, published, count, cores, load = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
accepted = summary["statuses"].get("200", 0)
failed = summary["requests"] - accepted
result = {"run": name, "requests": summary["requests"], "failed": failed, "errors": summary["errors"],
          "distinct_sent": summary["distinct_sent"],
          "requests_per_second": round(summary["requests"] / summary["seconds"], 1),
          "p50_ms": summary["p50_ms"], "p99_ms": summary["p99_ms"], "published": published,
          "distinct_deliveries": count, "cores": cores, "load_average": load}
print(json.dumps(result))
# wrk may send the first delivery once more while its threads stop (a duplicate: accepted, publishes nothing).
assert failed == 0 and summary["errors"] == 0, f"{name}: {failed} requests not answered 200, {summary['errors']} socket errors"
assert summary["distinct_sent"] == count, f"{name}: only {summary['distinct_sent']} of {count} deliveries were sent within wrk's duration"
assert published == count, f"{name}: {published} PaymentSucceeded events for {count} distinct accepted deliveries"
EOF
}

{
    run emulator-latency 1
    run in-process-latency 1 --in-process
    run emulator-throughput "$CONNECTIONS"
} | tee "$WORK/results.jsonl"
mkdir -p bench/results
python3 - "$WORK/results.jsonl" > bench/results/serve-load.json <<'EOF'
import json, sys
runs = {r["run"]: r for r in map(json.loads, open(sys.argv[1]))}
runs["emulator_overhead_p50_ms"] = round(runs["emulator-latency"]["p50_ms"] - runs["in-process-latency"]["p50_ms"], 3)
print(json.dumps(runs, indent=2, sort_keys=True))
EOF
echo "emulator + child process cost per request at the median: $(python3 -c 'import json; print(json.load(open("bench/results/serve-load.json"))["emulator_overhead_p50_ms"])') ms (bench/results/serve-load.json)"
