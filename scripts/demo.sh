#!/usr/bin/env bash
# The local demo: the whole system on a laptop, with the binaries that go to Lambda, no cloud and no
# provider account.
#   1. sets up (Debian packages, the virtualenv) and builds the nine functions and the `payments` CLI;
#   2. starts the providers' simulators (`payments simulate stripe|paypal|braintree api`) and the local
#      stack (`payments serve`: each function a child process under a local Lambda Runtime API, behind a
#      local API Gateway, the local bus handing events to Delivery and Notification);
#   3. does what a shop and its providers would, over HTTP: a payment through each provider to success,
#      one that fails and is retried to success, one refunded, one disputed; the webhooks come from the
#      simulators (`payments simulate … send`), signed as each provider signs;
#   4. prints each payment's final status and the events that reached each consumer, then stops
#      everything it started. Everything it writes is under .demo/.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
echo "== Building the functions and the payments CLI (swift build)"
for product in payments stripe-payment stripe-webhook paypal-payment paypal-webhook braintree-payment braintree-webhook \
               outbox-relay delivery notification; do
    swift build --product "$product" 2>&1 | grep -E "error|warning: unre" || true
done
BIN="$(swift build --show-bin-path)"
PAYMENTS="$BIN/payments"

DEMO="$PWD/.demo"
rm -rf "$DEMO" && mkdir -p "$DEMO"
export PAYMENTS_STORE="sqlite:$DEMO/payments.sqlite" DELIVERY_STORE="sqlite:$DEMO/delivery.sqlite"
export NOTIFICATION_STORE="sqlite:$DEMO/notifications.sqlite"
# Webhook secrets of the providers' real shapes (the functions refuse typed placeholders), fresh each run.
export STRIPE_SECRET_KEY=sk_test_demo STRIPE_WEBHOOK_SECRET="$(python3 scripts/random_credential.py stripe-webhook-secret)"
export PAYPAL_CLIENT_ID=demo-client PAYPAL_CLIENT_SECRET=demo-secret PAYPAL_WEBHOOK_ID="$(python3 scripts/random_credential.py paypal-webhook-id)"
export BRAINTREE_MERCHANT_ID=demo_merchant BRAINTREE_PUBLIC_KEY="$(python3 scripts/random_credential.py braintree-public-key)" BRAINTREE_PRIVATE_KEY="$(python3 scripts/random_credential.py braintree-private-key)"

# Every server runs in its own process group, so stopping it stops whatever it started.
pids=()
stop_all() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT
wait_for() {  # FILE: until a server has written it
    for _ in $(seq 100); do [ -s "$1" ] && return 0; sleep 0.1; done
    echo "demo: $1 was never written; see $DEMO/*.log" >&2
    exit 1
}

echo "== Starting the providers' simulators"
# PayPal's simulator keeps the key and certificate it signs webhooks with under --state.
state() { [ "$1" = paypal ] && echo "--state=$DEMO/simulator" || true; }
for provider in stripe paypal braintree; do
    "$PAYMENTS" simulate "$provider" api --port 0 $(state "$provider") >"$DEMO/$provider-simulator.out" 2>"$DEMO/$provider-simulator.log" &
    pids+=($!)
done
for provider in stripe paypal braintree; do
    for _ in $(seq 100); do grep -q '^export' "$DEMO/$provider-simulator.out" 2>/dev/null && break; sleep 0.1; done
    eval "$(grep '^export' "$DEMO/$provider-simulator.out")"
    sed -n 1p "$DEMO/$provider-simulator.out"
done

echo "== Starting the local stack (payments serve)"
"$PAYMENTS" serve --port 0 --url-file "$DEMO/url" >"$DEMO/serve.out" 2>"$DEMO/serve.log" &
pids+=($!)
wait_for "$DEMO/url"
GATEWAY=$(cat "$DEMO/url")
cat "$DEMO/serve.out"

# POST /payments/PROVIDER through the gateway, as a shop's back end would; prints the payment id. Stripe payments
# are created without a payment method (the customer confirms in the browser), so its webhooks decide them.
pay() {  # PROVIDER ORDER KEY AMOUNT CURRENCY [paymentMethod]
    local method=""
    [ -n "${6:-}" ] && method=",\"paymentMethod\":\"$6\""
    local answer
    answer=$(curl -sS -X POST "$GATEWAY/payments/$1" -H 'content-type: application/json' -H "Idempotency-Key: $3" \
        -d "{\"orderId\":\"$2\",\"amount\":$4,\"currency\":\"$5\",\"customerEmail\":\"buyer+$2@example.com\",\"customerPhone\":\"+14155550123\"$method}")
    echo "   POST /payments/$1 ($2, $4 $5) → $answer" >&2
    python3 -c "import json,sys; print(json.loads(sys.argv[1])['paymentId'])" "$answer"
}
send() {  # PROVIDER SCENARIO PAYMENT
    "$PAYMENTS" simulate "$1" send "$2" --payment "$3" --gateway "$GATEWAY" $(state "$1") | sed 's/^/   /'
}

echo
echo "== 1. One payment through each provider, to success"
STRIPE=$(pay stripe ord_demo_stripe demo-1 2500 EUR)
send stripe succeed "$STRIPE"
PAYPAL=$(pay paypal ord_demo_paypal demo-2 4200 USD)
send paypal succeed "$PAYPAL"
BRAINTREE=$(pay braintree ord_demo_braintree demo-3 1999 USD fake-valid-nonce)
send braintree succeed "$BRAINTREE"

echo
echo "== 2. A payment that fails, and the shop's retry (a new Idempotency-Key) that succeeds"
FAILED=$(pay stripe ord_demo_retry demo-4 3000 EUR)
send stripe fail "$FAILED"
RETRY=$(pay stripe ord_demo_retry demo-5 3000 EUR)
send stripe succeed "$RETRY"

echo
echo "== 3. A refund (Stripe) and a dispute (PayPal)"
REFUNDED=$(pay stripe ord_demo_refund demo-6 1500 EUR)
send stripe refund "$REFUNDED"
DISPUTED=$(pay paypal ord_demo_dispute demo-7 8000 USD)
send paypal dispute "$DISPUTED"

# The local bus hands events to the consumers every 100 ms: wait until Notification has had them all
# (one email per event; SMS only for the outcomes, so they do not count).
for _ in $(seq 50); do
    published=$("$PAYMENTS" events | wc -l)
    notified=$("$PAYMENTS" notifications | python3 -c 'import json, sys; print(sum(json.loads(l)["channel"] == "email" for l in sys.stdin))')
    [ "$notified" -ge "$published" ] && break
    sleep 0.2
done

echo
echo "== 4. Each payment's final status (GET /payments/{id})"
wrong=0
while read -r id expected; do
    status=$(curl -sS "$GATEWAY/payments/$id" | python3 -c '
import json, sys
p = json.load(sys.stdin)
print("   %-10s %-20s %-30s %6d %s  %s" % (p["provider"], p["orderId"], p["id"], p["amount"], p["currency"], p["status"]), file=sys.stderr)
print(p["status"])')
    [ "$status" = "$expected" ] || { echo "   ^ expected $expected" >&2; wrong=1; }
done <<EOF_PAYMENTS
$STRIPE succeeded
$PAYPAL succeeded
$BRAINTREE succeeded
$FAILED failed
$RETRY succeeded
$REFUNDED refunded
$DISPUTED disputed
EOF_PAYMENTS
[ "$wrong" -eq 0 ] || { echo "demo: a payment did not end as expected; see $DEMO/serve.log" >&2; exit 1; }

echo
echo "== 5. Events on the local bus (shop.payments), and what reached each consumer"
"$PAYMENTS" events | python3 -c '
import json, sys
for line in sys.stdin:
    e = json.loads(line); d = e["detail"]
    print("   %-17s %-20s %s" % (e["detail-type"], d["orderId"], d["paymentId"]))'
echo "   Delivery (shop.delivery: what it published):"
"$PAYMENTS" events --source shop.delivery | python3 -c '
import json, sys
for line in sys.stdin:
    e = json.loads(line); d = e["detail"]
    print("     %-17s %-20s %s" % (e["detail-type"], d["orderId"], d["shipmentId"]))'
echo "   Notification (the messages it sent, per channel):"
"$PAYMENTS" notifications | python3 -c '
import json, sys
for line in sys.stdin:
    n = json.loads(line)
    print("     %-5s %-17s %-28s %s" % (n["channel"], n["detailType"], n["to"], n.get("subject") or n["text"].splitlines()[0]))'

# What the consumers must have made of it: a shipment per paid order, canceled on the refund, held on the dispute.
shipments=$("$PAYMENTS" events --source shop.delivery | python3 -c '
import collections, json, sys
counts = collections.Counter(json.loads(line)["detail-type"] for line in sys.stdin)
print(counts["ShipmentRequested"], counts["ShipmentCanceled"], counts["ShipmentOnHold"])')
[ "$shipments" = "6 1 1" ] || { echo "demo: Delivery published (requested canceled on-hold) $shipments, not 6 1 1" >&2; exit 1; }

echo
echo "Logs: $DEMO/serve.log (each line prefixed with the function and request id). Stores: $DEMO/*.sqlite."
echo "Try it yourself: payments serve, then curl -X POST localhost:3000/payments/stripe … (README: The local stack)."
