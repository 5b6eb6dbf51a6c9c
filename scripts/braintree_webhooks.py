#!/usr/bin/env python3
"""Make Braintree webhook notifications with the official `braintree` SDK (test peer).

For each kind, `gateway.webhook_testing.sample_notification(kind, id)` builds
the notification; the result is checked with the SDK's own
`gateway.webhook_notification.parse(bt_signature, bt_payload)` (after a round
trip through form encoding) and written to --out as an API Gateway v2 event
(route POST /webhooks/braintree, content-type application/x-www-form-urlencoded,
body "bt_signature=...&bt_payload=..." percent-encoded as Braintree posts it),
plus manifest.json with the decoded XML of each notification.

Time: the SDK stamps <timestamp> with datetime.utcnow(), so by default every
run differs. With --timestamp the SDK's clock is pinned to that instant (the
module-level `datetime` of braintree.webhook_testing_gateway is replaced), and
then the output is identical on every run. The committed fixtures use
--timestamp, so they are reproducible byte for byte.

Body encoding: API Gateway HTTP APIs base64-encode request bodies whose
content-type is not JSON or text/*, so by default these events carry
isBase64Encoded=true (the base64 of the form body). --plain-body writes the
form body as text instead.

Signature algorithm, as read from braintree 4.48.0 (webhook_testing_gateway.py,
webhook_notification_gateway.py, util/crypto.py): bt_payload is
base64.encodebytes(xml_utf8), i.e. MIME base64 with a "\\n" after every 76
characters AND after the last line, so the payload itself ends in "\\n".
bt_signature is "<public_key>|<hex>", hex = lowercase hex of
HMAC-SHA1(key = SHA1(private_key as ASCII bytes) as the raw 20-byte digest,
message = the bt_payload bytes exactly as posted, embedded and trailing "\\n"
included). parse() rejects a payload with any byte outside [A-Za-z0-9+=/\\n]
(so "\\r" or a space, e.g. from a "+" form-decoded as space, fails), splits
bt_signature on "&", keeps the pieces that contain "|", splits each on "|"
into (public_key, signature), takes the FIRST pair whose public key equals the
configured one (no match: "no matching public key"; later pairs with the same
key are not tried), and accepts if that signature equals, in constant time,
the HMAC of the payload as given OR of the payload plus one extra "\\n". Only
then is the payload base64-decoded (newlines ignored) and the XML parsed. The
SDK applies no timestamp/replay window.
"""
import argparse
import base64
import datetime as dt
import os
import secrets
import sys
from urllib.parse import parse_qs, urlencode

import braintree
import braintree.webhook_testing_gateway as testing_gateway

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from apigw import make_event, write_event, dump_json  # noqa: E402

KINDS = [
    "transaction_settled",
    "transaction_settlement_declined",
    "transaction_disbursed",
    "dispute_opened",
    "dispute_lost",
    "dispute_won",
    "check",
    "subscription_went_past_due",  # a kind the payments service ignores
]
# One plausible lifecycle of one transaction (settled XOR declined, won XOR lost).
HISTORY = ["transaction_settled", "transaction_disbursed", "dispute_opened", "dispute_lost",
           "check", "subscription_went_past_due"]


def pin_sdk_clock(epoch):
    fixed = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).replace(tzinfo=None)

    class FixedDatetime(dt.datetime):
        @classmethod
        def utcnow(cls):
            return fixed

    testing_gateway.datetime = FixedDatetime


def subject_ids(n):
    ids = {}
    if hasattr(n, "transaction"):
        ids["transactionId"] = n.transaction.id
        for attr in ("status", "amount", "currency_iso_code"):
            if getattr(n.transaction, attr, None) is not None:
                ids[attr] = str(getattr(n.transaction, attr))
    if hasattr(n, "dispute"):
        ids["disputeId"] = n.dispute.id
        ids["disputeStatus"] = n.dispute.status
        ids["transactionId"] = n.dispute.transaction.id
        ids["amount"] = str(n.dispute.amount)
    if hasattr(n, "subscription"):
        ids["subscriptionId"] = n.subscription.id
    if n.kind == "check":
        # The XML says <check type="boolean">\n  true\n</check>; the SDK's own
        # parser does not trim the text and so reports False. Recorded as-is.
        ids["check"] = n.subject.get("check")
    return ids


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--merchant-id", default="merchant_" + secrets.token_hex(8))
    p.add_argument("--public-key", default=secrets.token_hex(8))
    p.add_argument("--private-key", default=secrets.token_hex(16))
    p.add_argument("--transaction-id", default="txn_" + secrets.token_hex(4))
    p.add_argument("--timestamp", type=int, default=None,
                   help="unix seconds to pin the SDK's clock to (default: real now)")
    p.add_argument("--kinds", default=",".join(KINDS), help="comma list (default all)")
    p.add_argument("--out", required=True)
    p.add_argument("--plain-body", action="store_true", help="isBase64Encoded=false")
    a = p.parse_args()

    if a.timestamp is not None:
        pin_sdk_clock(a.timestamp)
    gateway = braintree.BraintreeGateway(braintree.Configuration(
        braintree.Environment.Sandbox, a.merchant_id, a.public_key, a.private_key))
    os.makedirs(a.out, exist_ok=True)
    manifest = {"merchantId": a.merchant_id, "publicKey": a.public_key, "privateKey": a.private_key,
                "transactionId": a.transaction_id, "timestamp": a.timestamp,
                "isBase64Encoded": not a.plain_body, "notifications": []}
    wanted = [k.strip() for k in a.kinds.split(",")]
    for n, kind in enumerate(KINDS, 1):
        if kind not in wanted:
            continue
        sample = gateway.webhook_testing.sample_notification(kind, a.transaction_id)
        sig, payload = sample["bt_signature"], sample["bt_payload"]
        body = urlencode({"bt_signature": sig, "bt_payload": payload}).encode("ascii")
        form = parse_qs(body.decode("ascii"))  # what the receiver decodes
        note = gateway.webhook_notification.parse(form["bt_signature"][0], form["bt_payload"][0])
        assert note.kind == kind
        fname = "%02d-%s.json" % (n, kind)
        when = note.timestamp.replace(tzinfo=dt.timezone.utc).timestamp()
        headers = {"content-type": "application/x-www-form-urlencoded",
                   "accept": "*/*"}
        write_event(os.path.join(a.out, fname), make_event(
            "POST", "/webhooks/braintree", headers, body, base64=not a.plain_body,
            request_id="bt-%s-%02d" % (a.transaction_id, n), time=when + 1))
        manifest["notifications"].append({
            "file": fname,
            "kind": kind,
            "timestamp": note.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "subject": subject_ids(note),
            "btSignature": sig,
            "btPayload": payload.decode("ascii"),
            "xml": base64.decodebytes(payload).decode("utf-8"),
        })
        print("wrote %s" % fname, file=sys.stderr)
    manifest["history"] = ["%02d-%s.json" % (KINDS.index(k) + 1, k) for k in HISTORY if k in wanted]
    with open(os.path.join(a.out, "manifest.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write(dump_json(manifest))


if __name__ == "__main__":
    main()
