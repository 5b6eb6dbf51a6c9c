#!/usr/bin/env python3
"""Verifies webhook deliveries made by `payments simulate` (Swift) with the providers' own code.

Input (a JSON file, the first argument): {"deliveries": [{"provider", "headers": {name: value},
"body": base64 of the raw body, and the secrets: "secret" (Stripe), "publicKey"/"privateKey"/"merchantId"
(Braintree), "webhookId"/"certificatePem" (PayPal)}]}.

Each delivery is checked the way the provider's SDK checks it:
- Stripe: stripe.Webhook.construct_event(body, Stripe-Signature, secret) (tolerance 300 s);
- Braintree: braintree's gateway.webhook_notification.parse(bt_signature, bt_payload) on the form
  the receiver decodes (urllib.parse.parse_qs), which checks the HMAC-SHA1 and parses the XML;
- PayPal: the certificate's RSA key verifies PAYPAL-TRANSMISSION-SIG (PKCS#1 v1.5, SHA-256) over
  "<transmission id>|<time>|<webhook id>|<zlib CRC-32 of the body>", as scripts/paypal_webhooks.py
  (and paypalrestsdk's WebhookEvent.verify) do.

Output (stdout, JSON lines, one per delivery in order): {"ok": true, "type": event type or
notification kind, "reference": the PaymentIntent / transaction id or order id / custom_id the
event names} or {"ok": false, "error": "..."}. Exit status 0 even when a delivery fails: the caller
asserts on each line.
"""
import base64
import json
import sys
import zlib
from urllib.parse import parse_qs


def check_stripe(d, body):
    import stripe
    event = stripe.Webhook.construct_event(body, d["headers"]["Stripe-Signature"], d["secret"], tolerance=300)
    obj = event["data"]["object"]
    ref = obj["id"] if obj["object"] == "payment_intent" else obj["payment_intent"]
    return {"type": event["type"], "reference": ref}


def check_braintree(d, body):
    import braintree
    gateway = braintree.BraintreeGateway(braintree.Configuration(
        braintree.Environment.Sandbox, d["merchantId"], d["publicKey"], d["privateKey"]))
    form = parse_qs(body.decode("ascii"), keep_blank_values=True)
    note = gateway.webhook_notification.parse(form["bt_signature"][0], form["bt_payload"][0])
    if note.kind.startswith("dispute"):
        ref = note.dispute.transaction.id
    else:
        ref = note.transaction.id
    return {"type": note.kind, "reference": ref}


def check_paypal(d, body):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    headers = {k.upper(): v for k, v in d["headers"].items()}
    assert headers["PAYPAL-AUTH-ALGO"] == "SHA256withRSA", headers["PAYPAL-AUTH-ALGO"]
    crc = zlib.crc32(body) & 0xFFFFFFFF
    signed = "%s|%s|%s|%d" % (headers["PAYPAL-TRANSMISSION-ID"], headers["PAYPAL-TRANSMISSION-TIME"], d["webhookId"], crc)
    cert = x509.load_pem_x509_certificate(d["certificatePem"].encode("ascii"))
    cert.public_key().verify(base64.b64decode(headers["PAYPAL-TRANSMISSION-SIG"]), signed.encode("utf-8"),
                             padding.PKCS1v15(), hashes.SHA256())
    event = json.loads(body)
    resource = event["resource"]
    ref = (resource.get("custom_id")
           or next((t.get("custom") for t in resource.get("disputed_transactions", [])), None))
    return {"type": event["event_type"], "reference": ref}


CHECKS = {"stripe": check_stripe, "braintree": check_braintree, "paypal": check_paypal}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        deliveries = json.load(f)["deliveries"]
    for d in deliveries:
        body = base64.b64decode(d["body"])
        try:
            result = CHECKS[d["provider"]](d, body)
            result["ok"] = True
        except Exception as error:  # every refusal is reported, whatever the SDK raises
            result = {"ok": False, "error": "%s: %s" % (type(error).__name__, error)}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
