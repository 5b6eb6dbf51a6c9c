#!/usr/bin/env python3
"""Prepares the `payments serve` load run: N Stripe payments created through the local API Gateway, and
for each one a distinct `payment_intent.succeeded` delivery signed by Stripe's official SDK.

Writes --out as a file wrk's Lua script reads (bench/serve/load.lua): one delivery per line,
"<Stripe-Signature header>\\t<compact JSON body>". Payments are created over one kept-alive connection
with their own Idempotency-Key each; the simulator must answer STRIPE_API_BASE.
Usage: prepare_load.py --gateway http://127.0.0.1:PORT --secret whsec_... --count N --out FILE
"""
import argparse
import http.client
import json
import os
import sys
import time
import urllib.parse
from types import SimpleNamespace

import stripe

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from stripe_webhooks import API_VERSION, payment_intent, stable_id  # noqa: E402


def create_payments(gateway, count, run):
    url = urllib.parse.urlsplit(gateway)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    created = []
    for index in range(count):
        body = json.dumps({"orderId": f"ord_load_{run}_{index}", "amount": 2000, "currency": "USD"})
        connection.request("POST", "/payments/stripe", body=body,
                           headers={"content-type": "application/json", "idempotency-key": f"load-{run}-{index}"})
        response = connection.getresponse()
        answer = json.loads(response.read())
        if response.status != 201:
            sys.exit(f"creating payment {index}: {response.status} {answer}")
        created.append(answer)
    connection.close()
    return created


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    run = str(int(time.time()))
    started = time.monotonic()
    payments = create_payments(args.gateway, args.count, run)
    print(f"created {len(payments)} payments in {time.monotonic() - started:.1f} s", file=sys.stderr)
    now = int(time.time())
    with open(args.out, "w") as out:
        for payment in payments:
            a = SimpleNamespace(intent=payment["providerReference"], amount=payment["amount"],
                                currency=payment["currency"].lower(), order_id=payment["orderId"],
                                payment_id=payment["paymentId"], timestamp=now)
            seed = payment["paymentId"]
            event = {"id": "evt_" + stable_id(seed, "load"), "object": "event", "api_version": API_VERSION,
                     "created": now, "data": {"object": payment_intent(a, seed, "succeeded")}, "livemode": False,
                     "pending_webhooks": 1, "request": {"id": None, "idempotency_key": None},
                     "type": "payment_intent.succeeded"}
            body = json.dumps(event, separators=(",", ":"), ensure_ascii=True)
            header = stripe.WebhookSignature.generate_signature_header(body, args.secret, timestamp=now)
            stripe.Webhook.construct_event(body, header, args.secret)  # the SDK accepts what is sent
            out.write(f"{header}\t{body}\n")


if __name__ == "__main__":
    main()
