#!/usr/bin/env bash
# End-to-end test of the `payments` CLI with the Stripe functions, as a user runs them:
# a fake Stripe API (scripts/fake_stripe.py) and webhooks signed just now by Stripe's own SDK.
set -uo pipefail
cd "$(dirname "$0")/.."

swift build --product payments >/dev/null || exit 1
PAYMENTS="$(swift build --show-bin-path)/payments"
WORK="$(mktemp -d)"
passed=0
failed=0
check() { # check NAME COMMAND...: one assertion
    local name="$1"; shift
    if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

python3 scripts/fake_stripe.py --port 0 --port-file "$WORK/port" 2>"$WORK/fake_stripe.log" &
FAKE=$!
trap 'kill $FAKE 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done

export PAYMENTS_STORE="sqlite:$WORK/payments.sqlite"
export STRIPE_SECRET_KEY=sk_test_e2e
export STRIPE_API_BASE="http://127.0.0.1:$(cat "$WORK/port")"
export STRIPE_WEBHOOK_SECRET=whsec_e2e_secret
stats() { curl -s "$STRIPE_API_BASE/__stats" | json '["create_calls"]'; }
event_count() { "$PAYMENTS" events 2>/dev/null | wc -l; }

# Create, then the same Idempotency-Key again.
python3 scripts/payment_request_event.py --provider stripe --order-id ord_e2e --amount 2500 --currency eur --key e2e-key-1 > "$WORK/create.json"
"$PAYMENTS" invoke stripe-payment --event "$WORK/create.json" > "$WORK/created.json" 2>"$WORK/invoke.log"
check "create answers 201" test "$(json '["statusCode"]' < "$WORK/created.json")" = 201
BODY=$(json '["body"]' < "$WORK/created.json")
PAYMENT_ID=$(echo "$BODY" | json '["paymentId"]')
INTENT=$(echo "$BODY" | json '["providerReference"]')
check "create stores the payment pending" test "$("$PAYMENTS" show "$PAYMENT_ID" | json '["status"]')" = pending
"$PAYMENTS" invoke stripe-payment --event "$WORK/create.json" > "$WORK/again.json" 2>/dev/null
check "same key returns the same payment" test "$(json '["body"]' < "$WORK/again.json" | json '["paymentId"]')" = "$PAYMENT_ID"
check "same key calls Stripe once" test "$(stats)" = 1
check "stdout of invoke is only the response JSON" python3 -c "import json,sys; json.load(open('$WORK/created.json'))"
check "logs go to stderr as JSON lines" python3 -c "
import json; lines=[l for l in open('$WORK/invoke.log') if l.strip()]
assert lines and all(json.loads(l)['requestId'] for l in lines)
assert not any('sk_test_e2e' in l for l in lines)"

# A webhook signed by Stripe's SDK, then the same again, then one byte changed.
python3 scripts/stripe_webhooks.py --secret "$STRIPE_WEBHOOK_SECRET" --payment-id "$PAYMENT_ID" --order-id ord_e2e \
    --intent "$INTENT" --amount 2500 --currency eur --out "$WORK/webhooks" \
    --events payment_intent.succeeded,charge.refunded.partial,payment_intent.processing > /dev/null 2>&1
SUCCEEDED=$(ls "$WORK"/webhooks/*payment_intent.succeeded.json)
before=$(event_count)
check "signed success answers 200" test "$("$PAYMENTS" invoke stripe-webhook --event "$SUCCEEDED" 2>/dev/null | json '["statusCode"]')" = 200
check "the payment is succeeded" test "$("$PAYMENTS" show "$PAYMENT_ID" | json '["status"]')" = succeeded
check "one event published" test "$(event_count)" -eq $((before + 1))
check "the event is PaymentSucceeded" test "$("$PAYMENTS" events | tail -1 | json '["detail-type"]')" = PaymentSucceeded
"$PAYMENTS" invoke stripe-webhook --event "$SUCCEEDED" > "$WORK/resent.json" 2>/dev/null
check "re-sent event answers 200" test "$(json '["statusCode"]' < "$WORK/resent.json")" = 200
check "re-sent event publishes nothing new" test "$(event_count)" -eq $((before + 1))
shown_before=$("$PAYMENTS" show "$PAYMENT_ID")
python3 - "$SUCCEEDED" "$WORK/tampered.json" <<'PY'
import json, sys
event = json.load(open(sys.argv[1]))
event["body"] = event["body"].replace('"amount": 2500', '"amount": 2600', 1)
json.dump(event, open(sys.argv[2], "w"))
PY
check "tampered body answers 400" test "$("$PAYMENTS" invoke stripe-webhook --event "$WORK/tampered.json" 2>/dev/null | json '["statusCode"]')" = 400
check "tampered body stores nothing" test "$("$PAYMENTS" show "$PAYMENT_ID")" = "$shown_before"
check "tampered body publishes nothing" test "$(event_count)" -eq $((before + 1))

# Replay the whole folder (out of order: processing arrives after success), as API Gateway would route it.
"$PAYMENTS" replay "$WORK/webhooks" > "$WORK/replay.txt" 2>/dev/null
check "replay summarises status codes" grep -q "200: 3" "$WORK/replay.txt"
check "partial refund after replay" test "$("$PAYMENTS" show "$PAYMENT_ID" | json '["status"]')" = partially_refunded
check "late processing changed nothing" test "$(event_count)" -eq $((before + 2))
check "invoke of an unknown function fails clearly" bash -c \
    "out=\$('$PAYMENTS' invoke nope --event '$SUCCEEDED' 2>&1); [ \$? -ne 0 ] && echo \"\$out\" | grep -q 'Unknown function'"
check "invoke of a non-event file fails clearly" bash -c \
    "echo '{}' > '$WORK/bad.json'; out=\$('$PAYMENTS' invoke stripe-webhook --event '$WORK/bad.json' 2>&1); [ \$? -ne 0 ] && echo \"\$out\" | grep -q 'not an API Gateway'"
check "a bootstrap outside Lambda exits with a clear message" bash -c \
    "out=\$(env -u AWS_LAMBDA_RUNTIME_API '$(dirname "$PAYMENTS")/stripe-webhook' 2>&1); [ \$? -eq 64 ] && echo \"\$out\" | grep -q AWS_LAMBDA_RUNTIME_API"

echo "cli e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
