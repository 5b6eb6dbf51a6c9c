#!/usr/bin/env bash
# The routes' contract against the running local stack (issue 11, item 7).
#
#   1. scripts/openapi_check.sh: docs/openapi.yaml is valid OpenAPI 3.1 and describes exactly the
#      function registry's HTTP routes;
#   2. in a temporary folder (its SQLite stores and the simulator's PayPal certificate live there):
#      the three provider simulators (`payments simulate stripe|paypal|braintree api --port 0`) and
#      `payments serve --port 0`, the real function binaries behind the local API Gateway, all on
#      127.0.0.1, each in its own process group, stopped by a trap however this script ends;
#   3. schemathesis (scripts/requirements-contract.txt, installed into .venv) against every operation
#      of the spec, bounded (examples per operation, response time, fixed seed), with the checks
#      not_a_server_error, status_code_conformance, content_type_conformance,
#      response_headers_conformance, response_schema_conformance, and webhook_unverified_is_400
#      (scripts/contract_hooks.py: schemathesis cannot sign, so every webhook answer must be a 400);
#   4. scripts/contract_probes.py: the 413s and the idempotent replay, which generated requests do not
#      reach, validated against the spec;
#   5. the stack's log holds no function error, crash or timeout; the forged deliveries reached each
#      webhook's signature comparison (not only its header parsing); after the stop no process
#      started from the temporary folder is left.
#
# Options (environment): CONTRACT_MAX_EXAMPLES (default 100 per operation), CONTRACT_SEED (default 11),
# CONTRACT_WORKERS (default 1), CONTRACT_KEEP=1 keeps the temporary folder (logs, reports).
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

MAX_EXAMPLES="${CONTRACT_MAX_EXAMPLES:-100}"
SEED="${CONTRACT_SEED:-11}"
# One worker: with two threads, Python 3.11's ast module (which Hypothesis calls to describe its
# strategies) can fail with "SystemError: AST constructor recursion depth mismatch" (CPython
# gh-106905), an error of the test tool, not of the API; it stopped one clean-clone run.
WORKERS="${CONTRACT_WORKERS:-1}"

[ -x .venv/bin/python3 ] || bash scripts/setup.sh
.venv/bin/python3 -m pip install -q --disable-pip-version-check -r scripts/requirements-contract.txt
SCHEMATHESIS="$ROOT/.venv/bin/schemathesis"

swift build >/dev/null
BIN="$(swift build --show-bin-path)"
PAYMENTS="$BIN/payments"
WORK=""
RUNNER=""
GROUPS_STARTED=()
ALL_GROUPS=()
stop_all() {
    local group
    for group in "${GROUPS_STARTED[@]}"; do kill -TERM -- "-$group" 2>/dev/null || true; done
    for _ in $(seq 50); do
        local alive=0
        for group in "${GROUPS_STARTED[@]}"; do kill -0 -- "-$group" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && break
        sleep 0.1
    done
    for group in "${GROUPS_STARTED[@]}"; do kill -KILL -- "-$group" 2>/dev/null || true; done
    GROUPS_STARTED=()
}
cleanup() {
    local status=$?
    [ -n "$RUNNER" ] && kill "$RUNNER" 2>/dev/null
    stop_all
    [ -n "$WORK" ] || exit "$status"
    # The functions lead process groups of their own (payments serve stops them): they are found by
    # their path under $WORK; the simulators and serve by the groups this script made.
    local left group
    left="$(pgrep -f "$WORK/" || true)"
    for group in "${ALL_GROUPS[@]}"; do left="$left $(pgrep -g "$group" || true)"; done
    left="$(echo $left)"
    if [ -n "$left" ]; then
        echo "contract: processes left behind after the stop:" >&2
        ps -o pid,pgid,args -p "$(echo $left | tr ' ' ',')" >&2 || true
        kill -KILL $left 2>/dev/null || true
        [ "$status" = 0 ] && status=1
    fi
    if [ "${CONTRACT_KEEP:-0}" = 1 ] || [ "$status" != 0 ]; then
        echo "contract: logs and reports kept in $WORK" >&2
    else
        rm -rf "$WORK"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

WORK="$(mktemp -d "${TMPDIR:-/tmp}/payments-contract.XXXXXX")"
"$PAYMENTS" functions > "$WORK/functions.tsv"
# The registry's listing from the binaries just built (openapi_check.sh would build the CLI alone again).
bash scripts/openapi_check.sh --functions "$WORK/functions.tsv"
# The functions run from links in $WORK/bin, so every process this test starts names $WORK on its
# command line: that is how the end checks that none is left.
mkdir "$WORK/bin"
while IFS=$'\t' read -r name _; do
    ln -s "$BIN/$name" "$WORK/bin/$name"
done < "$WORK/functions.tsv"

# start NAME COMMAND...: runs COMMAND in $WORK as the leader of a new process group (setsid), output
# in $WORK/NAME.out and $WORK/NAME.log.
start() {
    local name="$1"; shift
    (cd "$WORK" && exec setsid "$@" >"$WORK/$name.out" 2>"$WORK/$name.log") &
    GROUPS_STARTED+=("$!")
    ALL_GROUPS+=("$!")
}
# wait_for FILE PATTERN NAME: up to 20 s for PATTERN in FILE.
wait_for() {
    for _ in $(seq 200); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "contract: $3 did not start:" >&2
    cat "${1%.out}.log" >&2 || true
    exit 1
}

# Every setting the functions read (README's configuration table), local test values only.
export PAYMENTS_STORE="sqlite:$WORK/payments.sqlite" PAYMENTS_EVENTS=sqlite
export DELIVERY_STORE="sqlite:$WORK/delivery.sqlite" NOTIFICATION_STORE="sqlite:$WORK/notifications.sqlite"
# Webhook secrets of the providers' real shapes (the functions refuse typed placeholders), fresh each run.
export STRIPE_SECRET_KEY=sk_test_contract STRIPE_WEBHOOK_SECRET="$(python3 scripts/random_credential.py stripe-webhook-secret)"
export PAYPAL_CLIENT_ID=contract-client PAYPAL_CLIENT_SECRET=contract-secret PAYPAL_WEBHOOK_ID="$(python3 scripts/random_credential.py paypal-webhook-id)"
export BRAINTREE_MERCHANT_ID=contract_merchant BRAINTREE_PUBLIC_KEY="$(python3 scripts/random_credential.py braintree-public-key)" BRAINTREE_PRIVATE_KEY="$(python3 scripts/random_credential.py braintree-private-key)"
unset AWS_ENDPOINT_URL PAYPAL_WEBHOOK_VERIFICATION PAYPAL_TRUSTED_ROOTS

start stripe-api "$PAYMENTS" simulate stripe api --port 0
start paypal-api "$PAYMENTS" simulate paypal api --port 0 --state "$WORK/simulator"
start braintree-api "$PAYMENTS" simulate braintree api --port 0
for provider in stripe paypal braintree; do
    wait_for "$WORK/$provider-api.out" '^export .*_API_BASE=' "payments simulate $provider api"
    eval "$(grep '^export' "$WORK/$provider-api.out")"
done
[ "$PAYPAL_WEBHOOK_CERT" = "$WORK/simulator/paypal/cert.pem" ] || { echo "contract: unexpected PAYPAL_WEBHOOK_CERT $PAYPAL_WEBHOOK_CERT" >&2; exit 1; }

start serve "$PAYMENTS" serve --port 0 --url-file "$WORK/url" --bin-path "$WORK/bin" --timeout 10
wait_for "$WORK/serve.out" '^payments serve: API Gateway on ' "payments serve"
URL="$(cat "$WORK/url")"
echo "contract: the local stack is on $URL (simulators: $STRIPE_API_BASE $PAYPAL_API_BASE $BRAINTREE_API_BASE)"

started=$(date +%s)
status=0
# In the background and waited for, so that a signal to this script runs its trap at once.
(cd "$WORK" && PYTHONPATH="$ROOT/scripts" SCHEMATHESIS_HOOKS=contract_hooks exec "$SCHEMATHESIS" run "$ROOT/docs/openapi.yaml" \
    --url "$URL" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,webhook_unverified_is_400 \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "$MAX_EXAMPLES" --seed "$SEED" --generation-database none \
    --workers "$WORKERS" --max-response-time 5 --request-timeout 15 \
    --continue-on-failure --no-color \
    --report junit --report-dir "$WORK/reports") &
RUNNER=$!
wait "$RUNNER" || status=$?
RUNNER=""
echo "contract: schemathesis ran $(( $(date +%s) - started )) s"
# What generated requests do not reach (bodies over the limits, an idempotent replay), once each.
"$ROOT/.venv/bin/python3" "$ROOT/scripts/contract_probes.py" "$ROOT/docs/openapi.yaml" "$URL" || status=1

# A crash, a function error or a timeout answers 500/503, which not_a_server_error catches; the log
# says so too, and it must not, whatever the answers were.
stop_all
if grep -E "\((function error|runtime failed|Task timed out|integration timeout|not a valid response)" "$WORK/serve.log"; then
    echo "contract: the local stack logged failed invocations (above)" >&2
    status=1
fi
# The forged deliveries of contract_hooks.py must have reached each webhook's signature comparison
# (the functions log why they refused a delivery); else the webhook pass only tested the parsers.
for reason in "No Stripe-Signature v1 signature matches the body" "PAYPAL-TRANSMISSION-SIG does not match the body" \
              "bt_signature does not match bt_payload"; do
    count=$(grep -cF "\"reason\":\"$reason" "$WORK/serve.log" || true)
    echo "contract: $count deliveries refused at the signature itself: $reason"
    [ "$count" -gt 0 ] || { echo "contract: no generated delivery reached this signature check" >&2; status=1; }
done
# The answers whose schemas matter most must have been seen (and so checked): a created payment on
# each provider, a decline, a stored payment read back. Gateway log: "ID METHOD PATH -> FUNCTION STATUS N ms [lambda ID]".
for expected in "POST /payments/stripe -> stripe-payment 201 " "POST /payments/paypal -> paypal-payment 201 " \
                "POST /payments/braintree -> braintree-payment 201 " "POST /payments/stripe -> stripe-payment 402 " \
                "POST /payments/braintree -> braintree-payment 402 " "GET /payments/pay_[0-9a-z]* -> [a-z]*-payment 200 "; do
    grep -qE "^\[gateway\] [^ ]+ $expected" "$WORK/serve.log" || { echo "contract: no answer '$expected' was seen" >&2; status=1; }
done
requests=$(grep -cE "^\[gateway\] " "$WORK/serve.log" || true)
echo "contract: the gateway answered $requests requests"
[ "$requests" -gt 0 ] || { echo "contract: no request reached the gateway" >&2; status=1; }
exit "$status"
