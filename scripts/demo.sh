#!/usr/bin/env bash
# The local demo: a Stripe payment from request to refund, with no cloud and no Stripe account.
#   1. sets up (Debian packages, the providers' Python SDKs) and builds the `payments` CLI;
#   2. starts a fake Stripe API on loopback (scripts/fake_stripe.py);
#   3. creates a payment with `payments invoke stripe-payment` (stored pending in .demo/payments.sqlite);
#   4. has Stripe's own SDK sign webhooks for it (out of order, one duplicated) and replays them;
#   5. shows the final payment, the events on the local bus, and what the Delivery and Notification
#      services (handed each event in-process, as the bus's rules say) made of them.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
# The test peers and the AWS emulator live in the virtualenv setup.sh made.
export PATH="$PWD/.venv/bin:$PATH"
swift build --product payments >/dev/null
PAYMENTS="$(swift build --show-bin-path)/payments"

DEMO=.demo
rm -rf "$DEMO" && mkdir -p "$DEMO"
python3 scripts/fake_stripe.py --port 0 --port-file "$DEMO/port" 2>"$DEMO/fake_stripe.log" &
FAKE=$!
trap 'kill $FAKE 2>/dev/null' EXIT
for _ in $(seq 50); do [ -s "$DEMO/port" ] && break; sleep 0.1; done

export PAYMENTS_STORE="sqlite:$DEMO/payments.sqlite"
export DELIVERY_STORE="sqlite:$DEMO/delivery.sqlite"
export NOTIFICATION_STORE="sqlite:$DEMO/notifications.sqlite"
export STRIPE_SECRET_KEY=sk_test_demo
export STRIPE_API_BASE="http://127.0.0.1:$(cat "$DEMO/port")"
export STRIPE_WEBHOOK_SECRET=whsec_demo_secret
field() { python3 -c "import json,sys; print(json.loads(json.load(sys.stdin)['body'])['$1'])"; }

echo "== 1. The shop asks for a payment of 25.00 EUR (POST /payments/stripe)"
python3 scripts/payment_request_event.py --provider stripe --order-id ord_demo_1 --amount 2500 --currency eur \
    --key demo-order-1 --email buyer@example.com --phone +14155550123 > "$DEMO/create.json"
"$PAYMENTS" invoke stripe-payment --event "$DEMO/create.json" 2>>"$DEMO/functions.log" | tee "$DEMO/created.json"
PAYMENT_ID=$(field paymentId < "$DEMO/created.json")
INTENT=$(field providerReference < "$DEMO/created.json")

echo
echo "== 2. Stripe notifies: processing, succeeded, a partial refund (signed by Stripe's SDK, sent out of order, one twice)"
python3 scripts/stripe_webhooks.py --secret "$STRIPE_WEBHOOK_SECRET" --payment-id "$PAYMENT_ID" --order-id ord_demo_1 \
    --intent "$INTENT" --amount 2500 --currency eur --out "$DEMO/webhooks" \
    --events payment_intent.processing,payment_intent.succeeded,charge.refunded.partial >/dev/null 2>&1
# Replay takes files in name order: put the refund first, then success, processing, and success again.
mkdir -p "$DEMO/arrivals"
cp "$DEMO"/webhooks/*charge.refunded.json "$DEMO/arrivals/1-refund.json"
cp "$DEMO"/webhooks/*payment_intent.succeeded.json "$DEMO/arrivals/2-succeeded.json"
cp "$DEMO"/webhooks/*payment_intent.processing.json "$DEMO/arrivals/3-processing.json"
cp "$DEMO"/webhooks/*payment_intent.succeeded.json "$DEMO/arrivals/4-succeeded-again.json"
"$PAYMENTS" replay "$DEMO/arrivals" 2>>"$DEMO/functions.log"

echo
echo "== 3. The payment now (payments show $PAYMENT_ID)"
"$PAYMENTS" show "$PAYMENT_ID"

echo
echo "== 4. Events published on the local bus (payments events): one per transition"
"$PAYMENTS" events

echo
echo "== 5. The order as the shop sees it (payments show-order ord_demo_1): payments, shipment, notifications"
"$PAYMENTS" show-order ord_demo_1

echo
echo "== 6. What the customer received (payments notifications) and Delivery published (payments events --source shop.delivery)"
"$PAYMENTS" notifications
"$PAYMENTS" events --source shop.delivery

echo
echo "Function logs (JSON lines): $DEMO/functions.log. Stores: $DEMO/payments.sqlite, delivery.sqlite, notifications.sqlite."
