#!/usr/bin/env bash
# End-to-end test of the `payments` CLI with the functions of all three providers, as a user runs them,
# with credentials made at test time:
# - Stripe: a fake Stripe API (scripts/fake_stripe.py), webhooks signed just now by Stripe's own SDK;
# - PayPal: a fake PayPal API (scripts/fake_paypal.py), webhooks signed just now with a fresh test CA
#   and leaf (scripts/paypal_webhooks.py);
# - Braintree: a fake Braintree gateway (scripts/fake_braintree.py), notifications made just now by
#   Braintree's own SDK with fresh random keys (scripts/braintree_webhooks.py);
# then one `payments replay` over a folder holding events of all three.
# Ends with `cli e2e: N passed, M failed`, non-zero on any failure. KEEP_WORK=1 keeps the temp dir for a look.
set -uo pipefail
cd "$(dirname "$0")/.."
# The providers' SDKs live in the virtualenv scripts/setup.sh made, never in the system Python.
export PATH="$PWD/.venv/bin:$PATH"

swift build --product payments >/dev/null || exit 1
PAYMENTS="$(swift build --show-bin-path)/payments"
WORK="$(mktemp -d)"
FAKES=()
trap 'for pid in "${FAKES[@]}"; do kill "$pid" 2>/dev/null; done; [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
passed=0
failed=0
check() { # check NAME COMMAND...: one assertion
    local name="$1"; shift
    if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
start_fake() { # start_fake NAME ARGS...: scripts/fake_NAME.py on a free port; its base URL in $FAKE_BASE
    local name="$1"; shift
    python3 "scripts/fake_$name.py" --port 0 --port-file "$WORK/$name.port" "$@" 2>"$WORK/fake_$name.log" &
    FAKES+=($!)
    for _ in $(seq 50); do [ -s "$WORK/$name.port" ] && break; sleep 0.1; done
    [ -s "$WORK/$name.port" ] || { echo "fake_$name did not start:"; cat "$WORK/fake_$name.log"; exit 1; }
    FAKE_BASE="http://127.0.0.1:$(cat "$WORK/$name.port")"
}
status_of() { "$PAYMENTS" show "$1" | json '["status"]'; }
event_count() { "$PAYMENTS" events 2>/dev/null | wc -l; }
last_event() { "$PAYMENTS" events 2>/dev/null | tail -1 | json "$1"; }
invoke_status() { # invoke_status FUNCTION FILE: the handler's statusCode
    "$PAYMENTS" invoke "$1" --event "$2" 2>/dev/null | json '["statusCode"]'
}

# ---------------------------------------------------------------- Stripe
echo "# Stripe"
start_fake stripe
export PAYMENTS_STORE="sqlite:$WORK/payments.sqlite"
# The consumers the local bus hands events to keep their stores in the work dir too.
export DELIVERY_STORE="sqlite:$WORK/delivery.sqlite"
export NOTIFICATION_STORE="sqlite:$WORK/notifications.sqlite"
export STRIPE_SECRET_KEY="sk_test_e2e$(python3 -c 'import secrets; print(secrets.token_hex(12))')"
export STRIPE_API_BASE="$FAKE_BASE"
export STRIPE_WEBHOOK_SECRET="$(python3 scripts/random_credential.py stripe-webhook-secret)"
stats() { curl -s "$STRIPE_API_BASE/__stats" | json '["create_calls"]'; }

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
assert not any('$STRIPE_SECRET_KEY' in l for l in lines)"

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

# ---------------------------------------------------------------- PayPal
echo "# PayPal"
rand() { python3 -c "import secrets; print(secrets.token_hex($1))"; }
export PAYPAL_CLIENT_ID="e2e-client-$(rand 8)"
export PAYPAL_CLIENT_SECRET="e2e-secret-$(rand 16)"
start_fake paypal --client-id "$PAYPAL_CLIENT_ID" --client-secret "$PAYPAL_CLIENT_SECRET"
export PAYPAL_API_BASE="$FAKE_BASE"
export PAYPAL_WEBHOOK_ID="$(python3 scripts/random_credential.py paypal-webhook-id)"
export PAYPAL_WEBHOOK_CERT="$WORK/paypal-certs/leaf.pem"   # made below, before the webhook runs
pp_stat() { curl -s "$PAYPAL_API_BASE/__stats" | json "$1"; }

python3 scripts/payment_request_event.py --provider paypal --order-id ord_e2e_pp --amount 3000 --currency EUR \
    --key "e2e-pp-$(rand 6)" > "$WORK/pp-create.json"
"$PAYMENTS" invoke paypal-payment --event "$WORK/pp-create.json" > "$WORK/pp-created.json" 2>"$WORK/pp-invoke.log"
check "paypal: create answers 201" test "$(json '["statusCode"]' < "$WORK/pp-created.json")" = 201
PP_BODY=$(json '["body"]' < "$WORK/pp-created.json")
PP_PAYMENT=$(echo "$PP_BODY" | json '["paymentId"]')
PP_ORDER=$(echo "$PP_BODY" | json '["providerReference"]')
PP_APPROVAL=$(echo "$PP_BODY" | json '.get("approvalUrl") or ""')
check "paypal: create answers pending" test "$(echo "$PP_BODY" | json '["status"]')" = pending
check "paypal: create answers the order's approval URL" test "$PP_APPROVAL" = "$PAYPAL_API_BASE/checkoutnow?token=$PP_ORDER"
check "paypal: create stores the payment pending" test "$(status_of "$PP_PAYMENT")" = pending
check "paypal: the order carries our payment id, order id and amount" python3 -c "
import json, urllib.request
order = json.load(urllib.request.urlopen('$PAYPAL_API_BASE/__stats'))['orders']['$PP_ORDER']
assert order == {'status': 'CREATED', 'amount': {'currency_code': 'EUR', 'value': '30.00'}, 'custom_id': '$PP_PAYMENT',
                 'invoice_id': 'ord_e2e_pp', 'capture_ids': []}, order"
"$PAYMENTS" invoke paypal-payment --event "$WORK/pp-create.json" > "$WORK/pp-again.json" 2>/dev/null
check "paypal: same key returns the same payment" test "$(json '["body"]' < "$WORK/pp-again.json" | json '["paymentId"]')" = "$PP_PAYMENT"
check "paypal: same key creates one order" test "$(pp_stat '["orders_created"]')" = 1
check "paypal: logs never hold the client secret" bash -c "! grep -qF -- '$PAYPAL_CLIENT_SECRET' '$WORK/pp-invoke.log'"

# The buyer approves at the approval URL; PayPal then sends CHECKOUT.ORDER.APPROVED, signed by a key made just now.
curl -s "$PP_APPROVAL" > /dev/null
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
python3 scripts/paypal_webhooks.py --webhook-id "$PAYPAL_WEBHOOK_ID" --payment-id "$PP_PAYMENT" --order-id ord_e2e_pp \
    --paypal-order-id "$PP_ORDER" --capture-id NOT-CAPTURED-YET --amount-minor 3000 --currency EUR --time "$NOW" \
    --cert-dir "$WORK/paypal-certs" --out "$WORK/pp-approval" --events CHECKOUT.ORDER.APPROVED 2>"$WORK/pp-sign.log"
check "paypal: a fresh test CA and leaf were made" grep -q "created test CA and leaf in $WORK/paypal-certs" "$WORK/pp-sign.log"
APPROVED=$(ls "$WORK"/pp-approval/*CHECKOUT.ORDER.APPROVED.json)
before=$(event_count)
check "paypal: signed approval answers 200" test "$(invoke_status paypal-webhook "$APPROVED")" = 200
check "paypal: the approval captured the order once" test "$(pp_stat '["captures_made"]')" = 1
check "paypal: the payment is succeeded" test "$(status_of "$PP_PAYMENT")" = succeeded
# The approval (processing) and the capture it made (succeeded) arrive in one delivery and are
# joined into one change: one transition, one event.
check "paypal: one event published for approval and capture" test "$(event_count)" -eq $((before + 1))
check "paypal: the event is PaymentSucceeded" test "$(last_event '["detail-type"]')" = PaymentSucceeded
check "paypal: the event names the payment and the amount" test "$(last_event '["detail"]["paymentId"]') $(last_event '["detail"]["amount"]')" = "$PP_PAYMENT 3000"
check "paypal: re-sent approval answers 200" test "$(invoke_status paypal-webhook "$APPROVED")" = 200
check "paypal: re-sent approval captures nothing more" test "$(pp_stat '["capture_calls"]')" = 1
check "paypal: re-sent approval publishes nothing new" test "$(event_count)" -eq $((before + 1))

# PayPal's capture and refund events, naming the capture the fake made.
PP_CAPTURE=$(pp_stat "['orders']['$PP_ORDER']['capture_ids'][0]")
python3 scripts/paypal_webhooks.py --webhook-id "$PAYPAL_WEBHOOK_ID" --payment-id "$PP_PAYMENT" --order-id ord_e2e_pp \
    --paypal-order-id "$PP_ORDER" --capture-id "$PP_CAPTURE" --amount-minor 3000 --currency EUR \
    --time "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --cert-dir "$WORK/paypal-certs" --out "$WORK/pp-webhooks" \
    --events PAYMENT.CAPTURE.COMPLETED,PAYMENT.CAPTURE.REFUNDED 2>>"$WORK/pp-sign.log"
COMPLETED=$(ls "$WORK"/pp-webhooks/*PAYMENT.CAPTURE.COMPLETED.json)
check "paypal: capture completed answers 200" test "$(invoke_status paypal-webhook "$COMPLETED")" = 200
check "paypal: capture completed re-sent answers 200" test "$(invoke_status paypal-webhook "$COMPLETED")" = 200
check "paypal: capture completed publishes nothing new" test "$(event_count)" -eq $((before + 1))
REFUNDS=($(ls "$WORK"/pp-webhooks/*PAYMENT.CAPTURE.REFUNDED.json))
shown_before=$("$PAYMENTS" show "$PP_PAYMENT")
python3 - "${REFUNDS[1]}" "$WORK/pp-tampered.json" <<'PY'
import json, sys
event = json.load(open(sys.argv[1]))
body = event["body"]
i = body.index('"total_refunded_amount":{"currency_code":"EUR","value":"30.00"}') + len('"total_refunded_amount":{"currency_code":"EUR","value":"')
event["body"] = body[:i] + "2" + body[i + 1:]   # 30.00 -> 20.00: one byte
assert len(event["body"]) == len(body) and sum(a != b for a, b in zip(body, event["body"])) == 1
json.dump(event, open(sys.argv[2], "w"))
PY
check "paypal: one byte changed answers 400" test "$(invoke_status paypal-webhook "$WORK/pp-tampered.json")" = 400
check "paypal: the tampered event stores nothing" test "$("$PAYMENTS" show "$PP_PAYMENT")" = "$shown_before"
check "paypal: the tampered event publishes nothing" test "$(event_count)" -eq $((before + 1))
check "paypal: partial refund answers 200" test "$(invoke_status paypal-webhook "${REFUNDS[0]}")" = 200
check "paypal: 15.00 of 30.00 refunded is partially_refunded" test "$(status_of "$PP_PAYMENT")" = partially_refunded
check "paypal: the event is PaymentPartiallyRefunded" test "$(last_event '["detail-type"]')" = PaymentPartiallyRefunded
check "paypal: second refund answers 200" test "$(invoke_status paypal-webhook "${REFUNDS[1]}")" = 200
check "paypal: 30.00 of 30.00 refunded is refunded" test "$(status_of "$PP_PAYMENT")" = refunded
check "paypal: one event per transition" test "$(event_count)" -eq $((before + 3))
check "paypal: a leaf not trusted is refused" bash -c "
    python3 scripts/paypal_webhooks.py --webhook-id '$PAYPAL_WEBHOOK_ID' --payment-id '$PP_PAYMENT' --order-id ord_e2e_pp \
        --paypal-order-id '$PP_ORDER' --capture-id '$PP_CAPTURE' --amount-minor 3000 --currency EUR \
        --cert-dir '$WORK/other-certs' --out '$WORK/pp-other' --events CUSTOMER.DISPUTE.CREATED 2>/dev/null &&
    [ \"\$('$PAYMENTS' invoke paypal-webhook --event \$(ls '$WORK'/pp-other/*CUSTOMER.DISPUTE.CREATED.json) 2>/dev/null |
        python3 -c 'import json,sys; print(json.load(sys.stdin)[\"statusCode\"])')\" = 400 ] &&
    [ \"\$('$PAYMENTS' show '$PP_PAYMENT' | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"status\"])')\" = refunded ]"

# ---------------------------------------------------------------- Braintree
echo "# Braintree"
export BRAINTREE_MERCHANT_ID="e2emerchant$(rand 6)"
export BRAINTREE_PUBLIC_KEY="$(python3 scripts/random_credential.py braintree-public-key)"
export BRAINTREE_PRIVATE_KEY="$(python3 scripts/random_credential.py braintree-private-key)"
start_fake braintree --merchant-id "$BRAINTREE_MERCHANT_ID" --public-key "$BRAINTREE_PUBLIC_KEY" \
    --private-key "$BRAINTREE_PRIVATE_KEY" --currency USD
export BRAINTREE_API_BASE="$FAKE_BASE"
bt_stat() { curl -s "$BRAINTREE_API_BASE/__stats" | json "$1"; }

# 100.00 USD: the SDK's sample notifications always say 100.00 USD.
python3 scripts/payment_request_event.py --provider braintree --order-id ord_e2e_bt --amount 10000 --currency USD \
    --payment-method fake-valid-nonce --key "e2e-bt-$(rand 6)" > "$WORK/bt-create.json"
"$PAYMENTS" invoke braintree-payment --event "$WORK/bt-create.json" > "$WORK/bt-created.json" 2>"$WORK/bt-invoke.log"
check "braintree: create answers 201" test "$(json '["statusCode"]' < "$WORK/bt-created.json")" = 201
BT_BODY=$(json '["body"]' < "$WORK/bt-created.json")
BT_PAYMENT=$(echo "$BT_BODY" | json '["paymentId"]')
BT_TXN=$(echo "$BT_BODY" | json '["providerReference"]')
check "braintree: submitted_for_settlement answers processing" test "$(echo "$BT_BODY" | json '["status"]')" = processing
check "braintree: the payment is stored processing" test "$(status_of "$BT_PAYMENT")" = processing
check "braintree: the transaction has the request's amount and order id" test \
    "$(bt_stat "['transactions']['$BT_TXN']['amount']") $(bt_stat "['transactions']['$BT_TXN']['order_id']")" = "100.00 ord_e2e_bt"
"$PAYMENTS" invoke braintree-payment --event "$WORK/bt-create.json" > "$WORK/bt-again.json" 2>/dev/null
check "braintree: same key returns the same payment" test "$(json '["body"]' < "$WORK/bt-again.json" | json '["paymentId"]')" = "$BT_PAYMENT"
check "braintree: same key creates one transaction" test "$(bt_stat '["transactions_created"]')" = 1
check "braintree: logs never hold the private key" bash -c "! grep -qF -- '$BRAINTREE_PRIVATE_KEY' '$WORK/bt-invoke.log'"
python3 scripts/payment_request_event.py --provider braintree --order-id ord_e2e_bt2 --amount 10000 --currency USD \
    --payment-method fake-valid-nonce --key "e2e-bt-$(rand 6)" > "$WORK/bt-create2.json"
check "braintree: wrong private key answers 502 and charges nothing" bash -c "
    [ \"\$(BRAINTREE_PRIVATE_KEY=wrong '$PAYMENTS' invoke braintree-payment --event '$WORK/bt-create2.json' 2>/dev/null |
        python3 -c 'import json,sys; print(json.load(sys.stdin)[\"statusCode\"])')\" = 502 ] &&
    [ \"\$(curl -s '$BRAINTREE_API_BASE/__stats' | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"transactions_created\"])')\" = 1 ]"

python3 scripts/braintree_webhooks.py --merchant-id "$BRAINTREE_MERCHANT_ID" --public-key "$BRAINTREE_PUBLIC_KEY" \
    --private-key "$BRAINTREE_PRIVATE_KEY" --transaction-id "$BT_TXN" --kinds transaction_settled,dispute_opened \
    --out "$WORK/bt-webhooks" 2>/dev/null
SETTLED=$(ls "$WORK"/bt-webhooks/*transaction_settled.json)
DISPUTED=$(ls "$WORK"/bt-webhooks/*dispute_opened.json)
before=$(event_count)
check "braintree: settled answers 200" test "$(invoke_status braintree-webhook "$SETTLED")" = 200
check "braintree: the payment is succeeded" test "$(status_of "$BT_PAYMENT")" = succeeded
check "braintree: one event published" test "$(event_count)" -eq $((before + 1))
check "braintree: the event is PaymentSucceeded" test "$(last_event '["detail-type"]')" = PaymentSucceeded
check "braintree: re-sent settled answers 200" test "$(invoke_status braintree-webhook "$SETTLED")" = 200
check "braintree: re-sent settled publishes nothing new" test "$(event_count)" -eq $((before + 1))
shown_before=$("$PAYMENTS" show "$BT_PAYMENT")
python3 - "$DISPUTED" "$WORK/bt-tampered.json" <<'PY'
import base64, json, sys
from urllib.parse import parse_qs, urlencode
event = json.load(open(sys.argv[1]))
form = parse_qs(base64.b64decode(event["body"]).decode("ascii"))
xml = base64.decodebytes(form["bt_payload"][0].encode()).decode()
assert "<kind>dispute_opened</kind>" in xml
payload = base64.encodebytes(xml.replace("<kind>dispute_opened</kind>", "<kind>dispute_won</kind>").encode())
body = urlencode({"bt_signature": form["bt_signature"][0], "bt_payload": payload}).encode()
event["body"] = base64.b64encode(body).decode()   # the original signature over another payload
json.dump(event, open(sys.argv[2], "w"))
PY
check "braintree: tampered notification answers 400" test "$(invoke_status braintree-webhook "$WORK/bt-tampered.json")" = 400
check "braintree: the tampered notification stores nothing" test "$("$PAYMENTS" show "$BT_PAYMENT")" = "$shown_before"
check "braintree: the tampered notification publishes nothing" test "$(event_count)" -eq $((before + 1))
check "braintree: dispute opened answers 200" test "$(invoke_status braintree-webhook "$DISPUTED")" = 200
check "braintree: the payment is disputed" test "$(status_of "$BT_PAYMENT")" = disputed
check "braintree: the event is PaymentDisputed" test "$(last_event '["detail-type"]')" = PaymentDisputed

# ---------------------------------------------------------------- all three, replayed together
echo "# replay of all three providers"
MIXED="$WORK/mixed"
mkdir -p "$MIXED/stripe" "$MIXED/paypal" "$MIXED/braintree"
cp "$WORK"/webhooks/*.json "$MIXED/stripe/"                        # 3 events, already applied
cp "$WORK"/pp-webhooks/*.json "$WORK/pp-tampered.json" "$MIXED/paypal/"  # 3 applied + 1 tampered
cp "$WORK"/bt-webhooks/*.json "$MIXED/braintree/"                   # 2 applied
for p in stripe:pm_card_visa paypal: braintree:fake-valid-nonce; do   # one new payment per provider
    provider="${p%%:*}" method="${p#*:}"
    python3 scripts/payment_request_event.py --provider "$provider" --order-id "ord_e2e_mixed_$provider" --amount 10000 \
        --currency USD ${method:+--payment-method "$method"} --key "e2e-mixed-$provider-$(rand 4)" > "$MIXED/$provider/00-create.json"
done
rm -f "$MIXED"/*/manifest.json
before=$(event_count)
stripe_before=$(status_of "$PAYMENT_ID"); pp_before=$(status_of "$PP_PAYMENT"); bt_before=$(status_of "$BT_PAYMENT")
"$PAYMENTS" replay "$MIXED" > "$WORK/mixed-replay.txt" 2>/dev/null
replay_status=$?
sed 's/^/    /' "$WORK/mixed-replay.txt"
check "mixed replay exits 0" test "$replay_status" -eq 0
check "mixed replay counts 12 events" grep -qx "replayed 12 events" "$WORK/mixed-replay.txt"
check "mixed replay: 201 for the three creates" grep -qx "  201: 3" "$WORK/mixed-replay.txt"
check "mixed replay: 200 for the eight verified webhooks" grep -qx "  200: 8" "$WORK/mixed-replay.txt"
check "mixed replay: 400 for the tampered one" grep -qx "  400: 1" "$WORK/mixed-replay.txt"
for f in stripe-payment:1 stripe-webhook:3 paypal-payment:1 paypal-webhook:4 braintree-payment:1 braintree-webhook:2; do
    check "mixed replay: ${f%%:*} ran ${f##*:} times" grep -qx "  ${f%%:*}: ${f##*:}" "$WORK/mixed-replay.txt"
done
check "mixed replay: settled payments did not move" test "$(status_of "$PAYMENT_ID") $(status_of "$PP_PAYMENT") $(status_of "$BT_PAYMENT")" = "$stripe_before $pp_before $bt_before"
check "mixed replay: only the three new payments published" test "$(event_count)" -eq $((before + 3))
check "mixed replay: one more order and one more transaction" test "$(pp_stat '["orders_created"]') $(bt_stat '["transactions_created"]')" = "2 2"

# ---------------------------------------------------------------- Delivery and Notification
# Every event the functions publish to the local bus is handed, in-process, to the consumers that
# events/rules.json names: payments show-order shows what Delivery and Notification made of them.
echo "# Delivery and Notification"
order_json() { "$PAYMENTS" show-order "$1" 2>/dev/null; }
python3 scripts/payment_request_event.py --provider stripe --order-id ord_e2e_ship --amount 1500 --currency jpy --key "e2e-ship-$(rand 6)" \
    --email ship@example.com --phone +14155550199 > "$WORK/ship-create.json"
check "ship: create answers 201" test "$(invoke_status stripe-payment "$WORK/ship-create.json")" = 201
SHIP_PAYMENT=$(order_json ord_e2e_ship | json '["payments"][0]["id"]')
SHIP_INTENT=$(order_json ord_e2e_ship | json '["payments"][0]["providerReference"]')
check "ship: a pending payment has no shipment yet" test "$(order_json ord_e2e_ship | json '["shipment"]')" = None
python3 scripts/stripe_webhooks.py --secret "$STRIPE_WEBHOOK_SECRET" --payment-id "$SHIP_PAYMENT" --order-id ord_e2e_ship \
    --intent "$SHIP_INTENT" --amount 1500 --currency jpy --out "$WORK/ship-webhooks" \
    --events payment_intent.succeeded,charge.refunded.full > /dev/null 2>&1
SHIP_SUCCEEDED=$(ls "$WORK"/ship-webhooks/*payment_intent.succeeded.json)
SHIP_REFUNDED=$(ls "$WORK"/ship-webhooks/*charge.refunded.json)
check "ship: the signed success answers 200" test "$(invoke_status stripe-webhook "$SHIP_SUCCEEDED")" = 200
order_json ord_e2e_ship > "$WORK/order-after-success.json"
check "ship: show-order has the payment succeeded, one shipment requested for it, one email per event, an SMS for the outcome only" python3 - "$WORK/order-after-success.json" "$SHIP_PAYMENT" <<'PY'
import json, sys
order = json.load(open(sys.argv[1]))
assert order["orderId"] == "ord_e2e_ship" and [p["status"] for p in order["payments"]] == ["succeeded"], order["payments"]
shipment = order["shipment"]
assert shipment["status"] == "requested" and shipment["paymentId"] == sys.argv[2] and shipment["version"] == 1, shipment
emails = [n for n in order["notifications"] if n["channel"] == "email"]
assert [n["detailType"] for n in emails] == ["PaymentPending", "PaymentSucceeded"], emails
success = emails[1]
assert success["to"] == "ship@example.com" and success["subject"] == "Order ord_e2e_ship: payment received", success
assert "1500 JPY" in success["text"], success["text"]
sms = [n for n in order["notifications"] if n["channel"] == "sms"]
assert [n["detailType"] for n in sms] == ["PaymentSucceeded"] and sms[0]["to"] == "+14155550199", sms
PY
check "ship: Delivery published one ShipmentRequested for the order" test \
    "$("$PAYMENTS" events --source shop.delivery | grep -c '"orderId":"ord_e2e_ship"')" = 1
"$PAYMENTS" invoke stripe-webhook --event "$SHIP_SUCCEEDED" > "$WORK/ship-resent.json" 2>/dev/null
check "ship: the re-sent success answers 200" test "$(json '["statusCode"]' < "$WORK/ship-resent.json")" = 200
check "ship: the re-sent success changes nothing in show-order" test "$(order_json ord_e2e_ship)" = "$(cat "$WORK/order-after-success.json")"
check "ship: payments notifications prints the order's three messages as JSON lines (no SMS for the pending payment)" python3 -c "
import json, subprocess
lines = subprocess.run(['$PAYMENTS', 'notifications'], capture_output=True, text=True, check=True).stdout.splitlines()
mine = [json.loads(l) for l in lines if json.loads(l)['orderId'] == 'ord_e2e_ship']
assert sorted((m['channel'], m['detailType']) for m in mine) == [('email', 'PaymentPending'), ('email', 'PaymentSucceeded'),
    ('sms', 'PaymentSucceeded')], mine"
check "ship: a full refund answers 200" test "$(invoke_status stripe-webhook "$SHIP_REFUNDED")" = 200
check "ship: the refund canceled the shipment and told the customer" python3 -c "
import json, subprocess
order = json.loads(subprocess.run(['$PAYMENTS', 'show-order', 'ord_e2e_ship'], capture_output=True, text=True, check=True).stdout)
assert order['shipment']['status'] == 'canceled', order['shipment']
assert [n['detailType'] for n in order['notifications'] if n['channel'] == 'email'][-1] == 'PaymentRefunded'
assert [n['detailType'] for n in order['notifications'] if n['channel'] == 'sms'] == ['PaymentSucceeded', 'PaymentRefunded']"
check "ship: Delivery published ShipmentRequested then ShipmentCanceled, nothing more" test \
    "$("$PAYMENTS" events --source shop.delivery | grep '"orderId":"ord_e2e_ship"' | python3 -c 'import json,sys; print(",".join(json.loads(l)["detail-type"] for l in sys.stdin))')" \
    = "ShipmentRequested,ShipmentCanceled"
check "ship: an order with no payment shows an empty order" test \
    "$(order_json ord_unknown | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["payments"], o["shipment"], o["notifications"])')" = "[] None []"
check "ship: earlier payments' successes made one shipment each (Stripe, PayPal, Braintree orders)" python3 -c "
import json, subprocess
for order in ['ord_e2e', 'ord_e2e_pp', 'ord_e2e_bt']:
    o = json.loads(subprocess.run(['$PAYMENTS', 'show-order', order], capture_output=True, text=True, check=True).stdout)
    assert o['shipment'] is not None, order
shipments = subprocess.run(['$PAYMENTS', 'events', '--source', 'shop.delivery'], capture_output=True, text=True, check=True).stdout
ids = {json.loads(l)['detail']['shipmentId'] for l in shipments.splitlines()}
assert len(ids) == len({json.loads(l)['detail']['orderId'] for l in shipments.splitlines()}), ids"

[ -n "${KEEP_WORK:-}" ] && echo "work dir kept: $WORK"
echo "cli e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
