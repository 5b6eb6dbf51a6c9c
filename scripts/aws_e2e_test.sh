#!/usr/bin/env bash
# End-to-end test of the functions on DynamoDB and EventBridge, against moto_server (AWS's emulator,
# installed in .venv by scripts/setup.sh) on loopback, through scripts/aws_proxy.py, which records every
# request (and, in the fault run, injects throttling, 500s and partial PutEvents failures).
#
# 1. Signature checks on (INITIAL_NO_AUTH_ACTION_COUNT): an IAM user is made, and every later call must
#    be signed correctly with its key. `payments aws init` twice (the second only finds); a Stripe payment
#    and three deliveries of one Stripe-SDK-signed payment_intent.succeeded through `payments invoke` with
#    PAYMENTS_STORE=dynamodb:…; `payments relay`; the item, the Delivery and Notification queues; the
#    recorded requests (consistent GetItem lookups, no Query, one TransactWriteItems per stored change).
#    Notification's events go through the SNS topic to one queue per channel (the fan-out); the test
#    reads the email channel's queue, and checks the SMS channel's got the same events.
# 2. Faults: the same flow for several payments while the proxy misbehaves; every distinct event id
#    reaches its queue.
# 3. The outbox-relay binary on the table's stream (scripts/stream_mapping.py: the event source mapping,
#    its filter and its checkpoint at the lowest failed record), configured by OUTBOX_TABLE and
#    OUTBOX_EVENTS, while the proxy answers some PutEvents with a partial failure (the other entries
#    of the call really put): every event reaches the queue a rule targets, and none twice.
# Prints the AWS requests per payment and per webhook on the happy path (docs/benchmarks.md).
# Ends with `aws e2e: N passed, M failed`. KEEP_WORK=1 keeps the temp dir.
set -uo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/moto_server ] || { echo "moto_server is missing: run scripts/setup.sh"; exit 1; }
PY=.venv/bin/python

swift build --product payments >/dev/null || exit 1
swift build --product outbox-relay >/dev/null || exit 1
PAYMENTS="$(swift build --show-bin-path)/payments"
RELAY="$(swift build --show-bin-path)/outbox-relay"
WORK="$(mktemp -d)"
PIDS=()
stop_all() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done; for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done; PIDS=(); }
trap 'stop_all; [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
passed=0
failed=0
check() {
    local name="$1"; shift
    if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_moto() { # start_moto [ENV=VALUE...]: moto_server on a free port; MOTO in $MOTO
    # scripts/moto_server.py is moto_server plus the EventBridge -> SNS topic target moto 5.2.1 lacks.
    local port; port=$(free_port)
    env "$@" .venv/bin/python scripts/moto_server.py -H 127.0.0.1 -p "$port" >"$WORK/moto-$port.log" 2>&1 &
    PIDS+=($!)
    MOTO="http://127.0.0.1:$port"
    for _ in $(seq 100); do curl -s -o /dev/null "$MOTO/moto-api/" && return 0; sleep 0.1; done
    echo "moto_server did not start:"; cat "$WORK/moto-$port.log"; exit 1
}
start_proxy() { # start_proxy NAME ARGS...: aws_proxy.py in front of $MOTO; its URL in $AWS_ENDPOINT_URL
    local name="$1"; shift
    python3 scripts/aws_proxy.py --upstream "$MOTO" --port 0 --port-file "$WORK/$name.port" --record "$WORK/$name.jsonl" "$@" \
        2>"$WORK/$name.log" &
    PIDS+=($!)
    for _ in $(seq 50); do [ -s "$WORK/$name.port" ] && break; sleep 0.1; done
    export AWS_ENDPOINT_URL="http://127.0.0.1:$(cat "$WORK/$name.port")"
    touch "$WORK/$name.jsonl"
}
start_stripe() {
    rm -f "$WORK/stripe.port"
    python3 scripts/fake_stripe.py --port 0 --port-file "$WORK/stripe.port" 2>"$WORK/stripe.log" &
    PIDS+=($!)
    for _ in $(seq 50); do [ -s "$WORK/stripe.port" ] && break; sleep 0.1; done
    export STRIPE_API_BASE="http://127.0.0.1:$(cat "$WORK/stripe.port")"
}
queue_events() { # queue_events QUEUE: every message body of the queue (EventBridge envelopes, unwrapped from SNS's
                 # notification if the subscription wraps them), one JSON per line
    "$PY" - "$1" <<'PY'
import json, os, sys, boto3
sqs = boto3.client("sqs", endpoint_url=os.environ["MOTO_DIRECT"], region_name=os.environ["AWS_REGION"],
                   aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"], aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"])
url = sqs.get_queue_url(QueueName=sys.argv[1])["QueueUrl"]
while True:
    answer = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=600, WaitTimeSeconds=0)
    messages = answer.get("Messages", [])
    if not messages:
        break
    for message in messages:
        body = json.loads(message["Body"])
        if body.get("Type") == "Notification" and "Message" in body:
            body = json.loads(body["Message"])
        print(json.dumps(body))
PY
}
mark() { wc -l < "$1"; }
requests_between() { # requests_between FILE FROM TO: the X-Amz-Target operations recorded in that span
    sed -n "$(($2 + 1)),$3p" "$1" | python3 -c "import json,sys; [print(json.loads(l)['target'].split('.')[-1]) for l in sys.stdin]"
}

export AWS_REGION=eu-west-1
export PAYMENTS_STORE="dynamodb:payments-e2e"
export PAYMENTS_EVENTS="eventbridge:shop-e2e"
export STRIPE_SECRET_KEY="sk_test_aws$(python3 -c 'import secrets; print(secrets.token_hex(8))')"
export STRIPE_WEBHOOK_SECRET="$(python3 scripts/random_credential.py stripe-webhook-secret)"
start_stripe

# ------------------------------------------------------------ 1. signatures checked, happy path
echo "# DynamoDB and EventBridge on moto, signatures checked"
start_moto INITIAL_NO_AUTH_ACTION_COUNT=3
export MOTO_DIRECT="$MOTO"
# The three unauthenticated calls make a user allowed everything, and its key; every later call is checked.
eval "$("$PY" - <<'PY'
import boto3, os
iam = boto3.client("iam", endpoint_url=os.environ["MOTO_DIRECT"], region_name="us-east-1",
                   aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
iam.create_user(UserName="payments-e2e")
iam.put_user_policy(UserName="payments-e2e", PolicyName="all",
                    PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}')
key = iam.create_access_key(UserName="payments-e2e")["AccessKey"]
print(f"export AWS_ACCESS_KEY_ID={key['AccessKeyId']} AWS_SECRET_ACCESS_KEY={key['SecretAccessKey']}")
PY
)"
start_proxy happy
REC="$WORK/happy.jsonl"

"$PAYMENTS" aws init > "$WORK/init1.txt" 2>"$WORK/init1.log"
check "aws init creates the table, bus, queues, rules and targets" bash -c \
    "grep -q 'created table payments-e2e' '$WORK/init1.txt' && grep -q 'created bus shop-e2e' '$WORK/init1.txt' \
     && grep -q 'created queue shop-e2e-delivery-dlq' '$WORK/init1.txt' && grep -q 'created rule payments-to-notification' '$WORK/init1.txt' \
     && grep -q 'created target payments-to-delivery' '$WORK/init1.txt'"
check "aws init makes the notification fan-out: a topic, a queue and a DLQ per channel, subscribed, the rule on the topic" bash -c \
    "grep -q 'created topic shop-e2e-notification' '$WORK/init1.txt' && grep -q 'created queue shop-e2e-notification-email-dlq' '$WORK/init1.txt' \
     && grep -q 'created queue shop-e2e-notification-sms' '$WORK/init1.txt' && grep -q 'created subscription shop-e2e-notification-email' '$WORK/init1.txt' \
     && grep -q 'created subscription shop-e2e-notification-sms' '$WORK/init1.txt' \
     && grep -q 'created target payments-to-notification -> topic shop-e2e-notification' '$WORK/init1.txt'"
"$PAYMENTS" aws init > "$WORK/init2.txt" 2>&1
check "aws init again only finds" bash -c "! grep -qE '^(created|updated)' '$WORK/init2.txt' && [ \$(grep -c '^found' '$WORK/init2.txt') -ge 9 ]"
check "a wrong secret is refused by the emulator" bash -c \
    "! AWS_SECRET_ACCESS_KEY=wrong-secret-value '$PAYMENTS' aws init > /dev/null 2>'$WORK/wrong.log' && grep -q 'SignatureDoesNotMatch' '$WORK/wrong.log' && ! grep -q wrong-secret-value '$WORK/wrong.log'"

$PY scripts/payment_request_event.py --provider stripe --order-id ord_aws_1 --amount 4200 --currency eur --key aws-key-1 \
    --email buyer@example.com > "$WORK/create.json"
before=$(mark "$REC")
"$PAYMENTS" invoke stripe-payment --event "$WORK/create.json" > "$WORK/created.json" 2>"$WORK/create.log"
after_create=$(mark "$REC")
check "create answers 201 on DynamoDB" test "$(json '["statusCode"]' < "$WORK/created.json")" = 201
PAYMENT_ID=$(json '["body"]' < "$WORK/created.json" | json '["paymentId"]')
INTENT=$(json '["body"]' < "$WORK/created.json" | json '["providerReference"]')
"$PAYMENTS" invoke stripe-payment --event "$WORK/create.json" > "$WORK/again.json" 2>/dev/null
check "the same key returns the same payment" test "$(json '["body"]' < "$WORK/again.json" | json '["paymentId"]')" = "$PAYMENT_ID"
after_repeat=$(mark "$REC")

$PY scripts/stripe_webhooks.py --secret "$STRIPE_WEBHOOK_SECRET" --payment-id "$PAYMENT_ID" --order-id ord_aws_1 \
    --intent "$INTENT" --amount 4200 --currency eur --out "$WORK/webhooks" --events payment_intent.succeeded > /dev/null 2>&1
SUCCEEDED=$(ls "$WORK"/webhooks/*payment_intent.succeeded.json)
for delivery in 1 2 3; do
    start=$(mark "$REC")
    check "delivery $delivery of the SDK-signed success answers 200" \
        test "$("$PAYMENTS" invoke stripe-webhook --event "$SUCCEEDED" 2>/dev/null | json '["statusCode"]')" = 200
    [ "$delivery" = 1 ] && webhook_requests=$(requests_between "$REC" "$start" "$(mark "$REC")")
done
after_webhooks=$(mark "$REC")
check "the item shows succeeded" test "$("$PAYMENTS" show "$PAYMENT_ID" | json '["status"]')" = succeeded
check "the functions never called EventBridge" bash -c "! sed -n '1,${after_webhooks}p' '$REC' | grep -q 'AWSEvents.PutEvents'"
check "two events wait in the outbox" test "$("$PAYMENTS" events --pending 2>/dev/null | wc -l)" -eq 2

start=$(mark "$REC")
check "payments relay publishes the two events" bash -c "'$PAYMENTS' relay --checkpoints '$WORK/cp.json' 2>'$WORK/relay.log' | grep -q 'published 2 event'"
relay_requests=$(requests_between "$REC" "$start" "$(mark "$REC")")
check "payments relay again publishes nothing" bash -c "'$PAYMENTS' relay --checkpoints '$WORK/cp.json' 2>/dev/null | grep -q 'published 0 event'"
check "the outbox is empty" test "$("$PAYMENTS" events --pending 2>/dev/null | wc -l)" -eq 0

queue_events shop-e2e-delivery > "$WORK/delivery.jsonl"
queue_events shop-e2e-notification-email > "$WORK/notification.jsonl"
queue_events shop-e2e-notification-sms > "$WORK/notification-sms.jsonl"
check "exactly one PaymentSucceeded for the payment reaches Delivery, and nothing else" python3 - "$WORK/delivery.jsonl" "$PAYMENT_ID" <<'PY'
import json, sys
events = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert [(e["detail-type"], e["detail"]["paymentId"]) for e in events] == [("PaymentSucceeded", sys.argv[2])], events
assert events[0]["source"] == "shop.payments" and events[0]["detail"]["amount"] == 4200
PY
check "Notification gets every event of the payment once" python3 - "$WORK/notification.jsonl" "$PAYMENT_ID" <<'PY'
import json, sys
events = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert sorted(e["detail-type"] for e in events) == ["PaymentPending", "PaymentSucceeded"], events
assert len({e["detail"]["eventId"] for e in events}) == 2 and all(e["detail"]["paymentId"] == sys.argv[2] for e in events)
assert all(e["detail"].get("customerEmail") == "buyer@example.com" for e in events), "the contact travels with the event"
PY
check "the SMS channel's queue got the same events through the topic (the fan-out)" python3 - "$WORK/notification.jsonl" "$WORK/notification-sms.jsonl" <<'PY'
import json, sys
ids = [sorted(json.loads(l)["detail"]["eventId"] for l in open(f) if l.strip()) for f in sys.argv[1:]]
assert ids[0] == ids[1] and len(ids[0]) == 2, ids
PY
check "every lookup is a consistent GetItem, never a Query or Scan on the way" python3 - "$REC" "$after_webhooks" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])][: int(sys.argv[2])]
ops = [l["target"].split(".")[-1] for l in lines if l["target"].startswith("DynamoDB_")]
assert "Query" not in ops and "Scan" not in ops, ops
gets = [l for l in lines if l["target"].endswith(".GetItem")]
assert gets and all(g["body"].get("ConsistentRead") is True for g in gets), gets
PY
check "one TransactWriteItems per stored change (create, the answer, the success; none stored for repeats)" python3 - "$REC" "$after_webhooks" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])][: int(sys.argv[2])]
stored = [l for l in lines if l["target"].endswith(".TransactWriteItems") and l["status"] == 200]
assert len(stored) == 3, [(l["status"], [list(i)[0] for i in l["body"]["TransactItems"]]) for l in stored]
PY

echo "# AWS requests on the happy path (counted at the proxy)"
echo "create payment:   $(requests_between "$REC" "$before" "$after_create" | sort | uniq -c | tr -s ' ' | paste -sd, -)"
echo "same key again:   $(requests_between "$REC" "$after_create" "$after_repeat" | sort | uniq -c | tr -s ' ' | paste -sd, -)"
echo "first webhook:    $(echo "$webhook_requests" | sort | uniq -c | tr -s ' ' | paste -sd, -)"
echo "relay (2 events): $(echo "$relay_requests" | sort | uniq -c | tr -s ' ' | paste -sd, -)"

# The consumers on DynamoDB, fed what their queues received (as Lambda's event source mapping would),
# still with signatures checked: Delivery stores one shipment; Notification sends through SES v2.
echo "# the consumers on DynamoDB, SES and SNS"
export DELIVERY_STORE="dynamodb:delivery-e2e" NOTIFICATION_STORE="dynamodb:notifications-e2e" NOTIFICATION_EMAIL_FROM="shop@example.com" \
    NOTIFICATION_SMS_COUNTRIES="1"
"$PAYMENTS" aws init > "$WORK/init3.txt" 2>&1
check "aws init with the consumers' stores makes their tables with TTL" bash -c \
    "grep -q 'created table delivery-e2e' '$WORK/init3.txt' && grep -q 'created table notifications-e2e' '$WORK/init3.txt' \
     && grep -q 'created time to live on delivery-e2e.expiresAt' '$WORK/init3.txt' && ! grep -q '^created queue' '$WORK/init3.txt'"
"$PY" - <<'PY'
import boto3, os
ses = boto3.client("sesv2", endpoint_url=os.environ["MOTO_DIRECT"], region_name=os.environ["AWS_REGION"])
ses.create_email_identity(EmailIdentity=os.environ["NOTIFICATION_EMAIL_FROM"])
PY
sqs_event() { # sqs_event QUEUE FILE: an SQS Lambda event of the bodies in FILE, as received from QUEUE
    python3 - "$1" "$2" <<'PY'
import json, sys
queue, bodies = sys.argv[1], [l for l in open(sys.argv[2]) if l.strip()]
print(json.dumps({"Records": [{"messageId": "m-%d" % i, "receiptHandle": "h", "body": body.strip(),
    "attributes": {"ApproximateReceiveCount": "1"}, "eventSource": "aws:sqs",
    "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:" + queue} for i, body in enumerate(bodies)]}))
PY
}
sqs_event shop-e2e-delivery "$WORK/delivery.jsonl" > "$WORK/delivery-event.json"
sqs_event shop-e2e-notification-email "$WORK/notification.jsonl" > "$WORK/email-event.json"
check "delivery answers its batch with no failure" test \
    "$("$PAYMENTS" invoke delivery --event "$WORK/delivery-event.json" 2>"$WORK/delivery.log")" = '{"batchItemFailures":[]}'
check "delivery again (a redelivery) changes nothing and fails nothing" test \
    "$("$PAYMENTS" invoke delivery --event "$WORK/delivery-event.json" 2>>"$WORK/delivery.log")" = '{"batchItemFailures":[]}'
check "notification sends both events by email through SES" test \
    "$("$PAYMENTS" invoke notification --event "$WORK/email-event.json" 2>"$WORK/notification.log")" = '{"batchItemFailures":[]}'
"$PAYMENTS" invoke notification --event "$WORK/email-event.json" > /dev/null 2>>"$WORK/notification.log"
check "show-order on DynamoDB: the payment, one shipment requested, one email per event" python3 - "$PAYMENT_ID" <<PY
import json, subprocess, sys
order = json.loads(subprocess.run(["$PAYMENTS", "show-order", "ord_aws_1"], capture_output=True, text=True, check=True).stdout)
assert [p["id"] for p in order["payments"]] == [sys.argv[1]], order["payments"]
assert order["shipment"]["status"] == "requested" and order["shipment"]["version"] == 1, order["shipment"]
assert sorted((n["channel"], n["detailType"]) for n in order["notifications"]) == [("email", "PaymentPending"), ("email", "PaymentSucceeded")], order
PY
check "the second notification run sent nothing again (already sent on this channel)" \
    test "$(grep -c 'already sent on this channel' "$WORK/notification.log")" -eq 2
check "no contact in the consumers' logs" bash -c "! grep -q 'buyer@example.com' '$WORK/delivery.log' '$WORK/notification.log'"
unset DELIVERY_STORE NOTIFICATION_STORE NOTIFICATION_EMAIL_FROM NOTIFICATION_SMS_COUNTRIES
stop_all
unset AWS_ENDPOINT_URL

# ------------------------------------------------------------ 2. faults
echo "# faults: throttling, 500s and partial PutEvents failures"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
start_stripe
start_moto
export MOTO_DIRECT="$MOTO"
AWS_ENDPOINT_URL="$MOTO" "$PAYMENTS" aws init > /dev/null 2>&1 || { echo "FAIL aws init for the fault run"; exit 1; }
start_proxy faults --faults 120 --rate 0.35 --seed 11
retry() { # retry N COMMAND...: as a provider or a shop retries a failed call
    local attempts="$1"; shift
    for _ in $(seq "$attempts"); do "$@" && return 0; sleep 0.2; done
    return 1
}
answered() { # answered FUNCTION EVENT STATUS: the invocation succeeded with that status; its answer in $WORK/answer.json
    "$PAYMENTS" invoke "$1" --event "$2" > "$WORK/answer.json" 2>>"$WORK/faults-invoke.log" &&
        [ "$(json '["statusCode"]' < "$WORK/answer.json" 2>/dev/null)" = "$3" ]
}
ok=true
for n in 1 2 3 4 5; do
    $PY scripts/payment_request_event.py --provider stripe --order-id "ord_fault_$n" --amount $((1000 + n)) --currency usd \
        --key "fault-key-$n" > "$WORK/create-$n.json"
    retry 8 answered stripe-payment "$WORK/create-$n.json" 201 || { ok=false; echo "create $n never answered 201"; continue; }
    created=$(json '["body"]' < "$WORK/answer.json")
    id=$(echo "$created" | json '["paymentId"]'); intent=$(echo "$created" | json '["providerReference"]')
    $PY scripts/stripe_webhooks.py --secret "$STRIPE_WEBHOOK_SECRET" --payment-id "$id" --order-id "ord_fault_$n" \
        --intent "$intent" --amount $((1000 + n)) --currency usd --out "$WORK/fault-webhooks-$n" --events payment_intent.succeeded > /dev/null 2>&1
    retry 8 answered stripe-webhook "$(ls "$WORK"/fault-webhooks-$n/*payment_intent.succeeded.json)" 200 || { ok=false; echo "webhook $n never answered 200"; }
done
check "every payment and webhook got through the faults (retried like a client and a provider would)" $ok
for _ in $(seq 20); do
    "$PAYMENTS" relay --checkpoints "$WORK/cp-faults.json" >/dev/null 2>>"$WORK/faults-relay.log"
    [ "$("$PAYMENTS" events --pending 2>/dev/null | wc -l)" -eq 0 ] && break
done
check "the proxy did inject faults of every kind" python3 -c "
import json, urllib.request
f = json.load(urllib.request.urlopen('$AWS_ENDPOINT_URL/__faults'))['faults']
assert f['throttle'] > 0 and f['error'] > 0 and f['partial'] > 0, f"
check "the outbox drained" test "$("$PAYMENTS" events --pending 2>/dev/null | wc -l)" -eq 0
queue_events shop-e2e-notification-email > "$WORK/fault-notification.jsonl"
queue_events shop-e2e-delivery > "$WORK/fault-delivery.jsonl"
check "every distinct event reached Notification (10: pending and succeeded for 5 payments)" python3 -c "
import json
ids = {json.loads(l)['detail']['eventId'] for l in open('$WORK/fault-notification.jsonl') if l.strip()}
assert len(ids) == 10, sorted(ids)"
check "every success reached Delivery (5 distinct)" python3 -c "
import json
events = [json.loads(l) for l in open('$WORK/fault-delivery.jsonl') if l.strip()]
assert {e['detail-type'] for e in events} == {'PaymentSucceeded'}
assert len({e['detail']['eventId'] for e in events}) == 5, events"

# ------------------------------------------------------------ 3. the relay under partial PutEvents failures
echo "# outbox-relay on the stream, PutEvents failing in part: nothing lost, nothing published twice"
stop_all
unset AWS_ENDPOINT_URL
start_stripe
start_moto
export MOTO_DIRECT="$MOTO"
RELAY_TABLE=relay-e2e RELAY_BUS=relay-e2e RELAY_PAYMENTS=${RELAY_PAYMENTS:-100}
PAYMENTS_STORE="dynamodb:$RELAY_TABLE" PAYMENTS_EVENTS="eventbridge:$RELAY_BUS" AWS_ENDPOINT_URL="$MOTO" \
    "$PAYMENTS" aws init > /dev/null 2>&1 || { echo "FAIL aws init for the relay run"; exit 1; }
# A rule on every payment event straight to a queue: what the relay published, counted per event id.
"$PY" - "$RELAY_BUS" <<'PY'
import boto3, json, os, sys
bus = sys.argv[1]
kw = dict(endpoint_url=os.environ["MOTO_DIRECT"], region_name=os.environ["AWS_REGION"])
sqs, events = boto3.client("sqs", **kw), boto3.client("events", **kw)
url = sqs.create_queue(QueueName=f"{bus}-every-event")["QueueUrl"]
arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
events.put_rule(Name="every-payment-event", EventBusName=bus, EventPattern=json.dumps({"source": ["shop.payments"]}))
events.put_targets(Rule="every-payment-event", EventBusName=bus, Targets=[{"Id": "queue", "Arn": arn}])
PY
"$PY" - "$WORK/relay-events" "$RELAY_PAYMENTS" <<'PY'
import json, os, sys
sys.path.insert(0, "scripts")
import apigw
folder, count = sys.argv[1], int(sys.argv[2])
os.makedirs(folder)
for n in range(count):
    body = json.dumps({"orderId": f"ord_relay_{n}", "amount": 1000 + n, "currency": "eur"})
    event = apigw.make_event("POST", "/payments/stripe", {"content-type": "application/json", "idempotency-key": f"relay-{n}"}, body)
    with open(f"{folder}/{n}.json", "w") as out:
        out.write(apigw.dump_json(event))
PY
# Three at a time, as concurrent shop requests would come (moto answers each call in a few ms).
ls "$WORK"/relay-events/*.json | PAYMENTS_STORE="dynamodb:$RELAY_TABLE" PAYMENTS_EVENTS="eventbridge:$RELAY_BUS" AWS_ENDPOINT_URL="$MOTO" \
    xargs -P 3 -I{} "$PAYMENTS" invoke stripe-payment --event {} > "$WORK/relay-created.jsonl" 2>>"$WORK/relay-create.log"
created=$(grep -c '"statusCode":201' "$WORK/relay-created.jsonl")
check "the $RELAY_PAYMENTS payments were created (one PaymentPending each in the outbox)" test "$created" -eq "$RELAY_PAYMENTS"
outbox_ids() { # the event ids of the outbox items left in the relay's table, one per line
    "$PY" - "$RELAY_TABLE" <<'PY'
import boto3, os, sys
table = boto3.client("dynamodb", endpoint_url=os.environ["MOTO_DIRECT"], region_name=os.environ["AWS_REGION"])
for page in table.get_paginator("scan").paginate(TableName=sys.argv[1]):
    for item in page["Items"]:
        if item["pk"]["S"].startswith("OUTBOX#"):
            print(item["pk"]["S"].removeprefix("OUTBOX#"))
PY
}
outbox_ids | sort > "$WORK/relay-expected.txt"
check "the outbox holds $RELAY_PAYMENTS events before the relay runs" test "$(wc -l < "$WORK/relay-expected.txt")" -eq "$RELAY_PAYMENTS"
# Only PutEvents misbehave: about a third answer a partial failure, the rest of their entries put.
start_proxy relay --faults 1000000 --rate 0.3 --seed 5 --kinds partial
"$PY" scripts/stream_mapping.py --table "$RELAY_TABLE" --stream-endpoint "$MOTO" --function "$RELAY" --batch-size 100 --max-invocations 100 \
    --log "$WORK/relay-function.log" --env OUTBOX_TABLE="$RELAY_TABLE" --env OUTBOX_EVENTS="eventbridge:$RELAY_BUS" \
    --env AWS_ENDPOINT_URL="$AWS_ENDPOINT_URL" --env AWS_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID" \
    --env AWS_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY" > "$WORK/relay-mapping.json" 2>"$WORK/relay-mapping.log"
check "the stream mapping drained the stream through the outbox-relay binary" test -s "$WORK/relay-mapping.json"
queue_events "$RELAY_BUS-every-event" > "$WORK/relay-delivered.jsonl"
check "the proxy answered PutEvents with partial failures, and the retries handed accepted records to the relay again" python3 - \
    "$AWS_ENDPOINT_URL" "$WORK/relay-mapping.json" <<'PY'
import json, sys, urllib.request
faults = json.load(urllib.request.urlopen(sys.argv[1] + "/__faults"))["faults"]
mapping = json.load(open(sys.argv[2]))
handed_again = sum(1 for count in mapping["handed"].values() if count > 1)
print(f"     partial PutEvents failures {faults['partial']}, invocations {mapping['invocations']}, "
      f"batches retried {mapping['retried_batches']}, records handed more than once {handed_again}")
assert faults["partial"] > 0 and faults["throttle"] == 0 and faults["error"] == 0, faults
assert mapping["retried_batches"] > 0 and handed_again > 0 and mapping["function_errors"] == 0, mapping
PY
check "the outbox drained" test "$(outbox_ids | wc -l)" -eq 0
check "every event reached the queue once: none lost, none published twice" python3 - "$WORK/relay-expected.txt" "$WORK/relay-delivered.jsonl" <<'PY'
import collections, json, sys
expected = set(open(sys.argv[1]).read().split())
counts = collections.Counter(json.loads(line)["detail"]["eventId"] for line in open(sys.argv[2]) if line.strip())
lost, twice = expected - set(counts), {i: n for i, n in counts.items() if n > 1}
print(f"     {len(expected)} events, {sum(counts.values())} queue messages, {len(set(counts))} distinct, "
      f"{len(lost)} lost, {len(twice)} delivered more than once ({sum(twice.values()) - len(twice)} extra messages)")
assert set(counts) <= expected, sorted(set(counts) - expected)
assert not lost, sorted(lost)[:5]
assert not twice, sorted(twice.items())[:5]
PY

echo "aws e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
