#!/usr/bin/env python3
"""Sign Stripe webhook events with Stripe's official Python SDK (test peer).

Writes one API Gateway v2 event per Stripe event (route POST /webhooks/stripe)
into --out, plus manifest.json. Every event is signed by
`stripe.WebhookSignature.generate_signature_header` and then accepted by
`stripe.Webhook.construct_event` before it is written.

Signature, as read from stripe 16.1.0 (stripe/_webhook.py):
  signed_payload = f"{t}.{raw body as UTF-8 text}"
  v1 = lowercase hex HMAC-SHA256(key = the whole secret string "whsec_..." as
       UTF-8 bytes, NOT base64-decoded; message = signed_payload)
  header: "Stripe-Signature: t=<unix seconds>,v1=<hex>"
  Verification splits the header on ",", each item on "=", takes the t item and
  every item named "v1" (several v1 may appear; any match passes, compared in
  constant time), and rejects when t < now - tolerance (default 300 s). The SDK
  does not reject timestamps in the future.

Bodies are written the way Stripe sends them: JSON pretty-printed with two
spaces (use --compact for a single line). Everything is deterministic: ids and
request ids are derived from the inputs, so re-running with the same arguments
(and a fixed --timestamp) gives identical files.
"""
import argparse
import hashlib
import json
import os
import sys
import time

import stripe

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from apigw import make_event, write_event, dump_json  # noqa: E402

API_VERSION = "2024-06-20"
ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# (key, Stripe event type); order fixes the NN file prefix.
EVENTS = [
    ("payment_intent.requires_action", "payment_intent.requires_action"),
    ("payment_intent.processing", "payment_intent.processing"),
    ("payment_intent.payment_failed", "payment_intent.payment_failed"),
    ("payment_intent.succeeded", "payment_intent.succeeded"),
    ("payment_intent.canceled", "payment_intent.canceled"),
    ("charge.refunded.partial", "charge.refunded"),
    ("charge.refunded.full", "charge.refunded"),
    ("charge.dispute.created", "charge.dispute.created"),
    ("customer.created", "customer.created"),
]


def stable_id(seed, label, n=24):
    digest = hashlib.sha256(("%s|%s" % (seed, label)).encode()).digest()
    return "".join(ALNUM[b % len(ALNUM)] for b in digest[:n])


def payment_intent(a, seed, status):
    succeeded = status == "succeeded"
    pi = {
        "id": a.intent,
        "object": "payment_intent",
        "amount": a.amount,
        "amount_capturable": 0,
        "amount_received": a.amount if succeeded else 0,
        "capture_method": "automatic_async",
        "canceled_at": a.timestamp if status == "canceled" else None,
        "cancellation_reason": "requested_by_customer" if status == "canceled" else None,
        "client_secret": "%s_secret_%s" % (a.intent, stable_id(seed, "client_secret", 25)),
        "confirmation_method": "automatic",
        "created": a.timestamp - 60,
        "currency": a.currency,
        "customer": None,
        "description": "Café order %s" % a.order_id,
        "last_payment_error": None,
        "latest_charge": "ch_" + stable_id(seed, "charge"),
        "livemode": False,
        "metadata": {"order_id": a.order_id, "payment_id": a.payment_id},
        "next_action": None,
        "payment_method": "pm_" + stable_id(seed, "pm"),
        "payment_method_types": ["card"],
        "status": status,
    }
    if status == "requires_action":
        pi["next_action"] = {"type": "use_stripe_sdk", "use_stripe_sdk": {
            "type": "three_d_secure_redirect", "source": "src_" + stable_id(seed, "src")}}
    if status == "requires_payment_method":  # what payment_failed carries
        pi["last_payment_error"] = {
            "charge": pi["latest_charge"],
            "code": "card_declined",
            "decline_code": "insufficient_funds",
            "doc_url": "https://stripe.com/docs/error-codes/card-declined",
            "message": "Your card has insufficient funds.",
            "type": "card_error",
        }
        pi["payment_method"] = None
    return pi


def charge(a, seed, amount_refunded):
    return {
        "id": "ch_" + stable_id(seed, "charge"),
        "object": "charge",
        "amount": a.amount,
        "amount_captured": a.amount,
        "amount_refunded": amount_refunded,  # cumulative over all refunds
        "captured": True,
        "created": a.timestamp - 50,
        "currency": a.currency,
        "livemode": False,
        "metadata": {"order_id": a.order_id, "payment_id": a.payment_id},
        "paid": True,
        "payment_intent": a.intent,
        "refunded": amount_refunded >= a.amount,
        "status": "succeeded",
    }


def dispute(a, seed):
    return {
        "id": "dp_" + stable_id(seed, "dispute"),
        "object": "dispute",
        "amount": a.amount,
        "charge": "ch_" + stable_id(seed, "charge"),
        "created": a.timestamp - 10,
        "currency": a.currency,
        "is_charge_refundable": False,
        "livemode": False,
        "metadata": {},
        "payment_intent": a.intent,
        "reason": "fraudulent",
        "status": "needs_response",
    }


def data_object(key, a, seed):
    if key.startswith("payment_intent."):
        status = key.split(".", 1)[1]
        status = {"payment_failed": "requires_payment_method"}.get(status, status)
        return payment_intent(a, seed, status)
    if key == "charge.refunded.partial":
        return charge(a, seed, a.amount // 2)
    if key == "charge.refunded.full":
        return charge(a, seed, a.amount)
    if key == "charge.dispute.created":
        return dispute(a, seed)
    return {"id": "cus_" + stable_id(seed, "customer", 14), "object": "customer",
            "created": a.timestamp, "email": None, "livemode": False, "metadata": {}}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--secret", required=True, help="webhook signing secret whsec_...")
    p.add_argument("--payment-id", required=True)
    p.add_argument("--order-id", required=True)
    p.add_argument("--intent", required=True, help="PaymentIntent id pi_...")
    p.add_argument("--amount", type=int, required=True, help="minor units")
    p.add_argument("--currency", default="usd")
    p.add_argument("--timestamp", type=int, default=None, help="unix seconds (default now)")
    p.add_argument("--out", required=True)
    p.add_argument("--events", default="all",
                   help="comma list of: %s (charge.refunded = both)" % ", ".join(k for k, _ in EVENTS))
    p.add_argument("--compact", action="store_true", help="single-line JSON bodies")
    p.add_argument("--base64", action="store_true", help="isBase64Encoded bodies")
    a = p.parse_args()
    a.currency = a.currency.lower()
    fixed_time = a.timestamp is not None
    if a.timestamp is None:
        a.timestamp = int(time.time())

    wanted = set(x.strip() for x in a.events.split(",")) if a.events != "all" else None
    seed = "|".join([a.payment_id, a.order_id, a.intent, str(a.amount), a.currency, str(a.timestamp)])
    os.makedirs(a.out, exist_ok=True)
    manifest = {"secret": a.secret, "timestamp": a.timestamp, "paymentId": a.payment_id,
                "orderId": a.order_id, "intent": a.intent, "amount": a.amount,
                "currency": a.currency, "apiVersion": API_VERSION, "events": []}
    for n, (key, etype) in enumerate(EVENTS, 1):
        if wanted is not None and key not in wanted and etype not in wanted:
            continue
        obj = data_object(key, a, seed)
        event = {
            "id": "evt_" + stable_id(seed, "event|" + key),
            "object": "event",
            "api_version": API_VERSION,
            "created": a.timestamp,
            "data": {"object": obj},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": etype,
        }
        if a.compact:
            payload = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
        else:
            payload = json.dumps(event, indent=2, ensure_ascii=False)
        header = stripe.WebhookSignature.generate_signature_header(payload, a.secret, timestamp=a.timestamp)
        # The SDK itself must accept what we send (tolerance only for "now" events).
        checked = stripe.Webhook.construct_event(payload.encode("utf-8"), header, a.secret,
                                                 tolerance=None if fixed_time else 300)
        assert checked["id"] == event["id"] and checked["type"] == etype
        headers = {
            "content-type": "application/json; charset=utf-8",
            "stripe-signature": header,
            "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            "accept": "*/*; q=0.5, application/xml",
            "cache-control": "no-cache",
        }
        fname = "%02d-%s.json" % (n, etype)
        body = payload.encode("utf-8")
        write_event(os.path.join(a.out, fname), make_event(
            "POST", "/webhooks/stripe", headers, body, base64=a.base64,
            request_id=stable_id(seed, "request|" + key, 16), time=a.timestamp + 1))
        entry = {"file": fname, "type": etype, "eventId": event["id"], "objectId": obj["id"],
                 "signature": header}
        if etype == "charge.refunded":
            entry["amountRefunded"] = obj["amount_refunded"]
        manifest["events"].append(entry)
        print("wrote %s (%s)" % (fname, event["id"]), file=sys.stderr)
    # One plausible lifecycle: everything except the cancel (Stripe cannot cancel
    # a succeeded intent), for order-independence tests over shuffled files.
    manifest["history"] = [e["file"] for e in manifest["events"] if e["type"] != "payment_intent.canceled"]
    with open(os.path.join(a.out, "manifest.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write(dump_json(manifest))


if __name__ == "__main__":
    main()
