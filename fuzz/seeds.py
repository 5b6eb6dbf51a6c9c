#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (fuzz/corpus/TARGET/) from the test fixtures under
Tests/Fixtures and a few hand-made cases. Run from anywhere; safe to run again (it rewrites the
seeds it makes and leaves other files alone). The corpora it writes are committed; what the fuzzer
grows is kept in fuzz/corpus-grown/ (git-ignored)."""
import base64
import hashlib
import json
import pathlib
import subprocess
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "Fixtures"
CORPUS = ROOT / "fuzz" / "corpus"


def write(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (folder / name).write_bytes(data)


def webhook_events(provider):
    folder = FIXTURES / provider / "webhooks"
    return sorted(p for p in folder.glob("*.json") if p.name != "manifest.json")


def event_body(path):
    event = json.loads(path.read_text())
    body = event.get("body") or ""
    return base64.b64decode(body) if event.get("isBase64Encoded") else body.encode()


# The strict JSON reader: every JSON fixture, the webhook bodies, and the rules' edge cases.
for path in sorted(FIXTURES.rglob("*.json")):
    if path.stat().st_size <= 8192:
        write("json", f"fixture-{path.parent.parent.name}-{path.stem}.json", path.read_bytes())
for provider in ("Stripe", "PayPal"):
    for path in webhook_events(provider):
        write("json", f"body-{provider}-{path.stem}.json", event_body(path))
for name, text in {
    "repeated-key": '{"id":"a","id":"b"}',
    "repeated-escaped-key": '{"id":1,"\\u0069d":2}',
    "kelvin-key": '{"K":1,"\u212a":2}',
    "composed-key": '{"\u00e9":1,"e\u0301":2}',
    "lone-surrogate": '"\\ud800"',
    "surrogate-pair": '"\\ud83d\\ude00"',
    "deep": "[" * 70 + "]" * 70,
    "numbers": "[0,-0,1.5e10,-1E-3,123456789012345678901234567890]",
    "bad-number": "[01]",
    "many-keys": "{" + ",".join(f'"k{i}":{i}' for i in range(40)) + "}",
    "long-string": '"' + "abcdefgh" * 8 + '\\n"',
    "paths": '{"id":"evt_1","type":"t","data":{"object":{"id":"pi_1","amount":2000}},"resource":{"id":"r"}}',
}.items():
    write("json", f"hand-{name}.json", text)
write("json", "hand-invalid-utf8.json", b'{"a":"\xff\xfe"}')

# The Stripe-Signature header: the fixtures' headers and malformed ones.
stripe = json.loads((FIXTURES / "Stripe" / "webhooks" / "manifest.json").read_text())
for index, event in enumerate(stripe["events"]):
    write("stripe-signature", f"fixture-{index:02d}", event["signature"])
for name, text in {
    "two-v1": "t=1764000000,v1=00,v1=" + "ab" * 32,
    "spaces": " t = 1764000000 , v1 = " + "cd" * 32 + " ",
    "empty-parts": ",,t=1,,=,v1=",
    "huge-time": "t=99999999999999999999999,v1=00",
    "negative-time": "t=-9223372036854775808,v1=00",
    "odd-hex": "t=1764000000,v1=abc",
    "v0-only": "t=1764000000,v0=" + "ef" * 32,
    "leading-equals": "==t=1764000000,v1=" + "01" * 32,
}.items():
    write("stripe-signature", f"hand-{name}", text)

for path in webhook_events("Stripe"):
    write("stripe-signature", f"body-{path.stem}.json", event_body(path))

# PayPal's transmission headers: id, time, signature, certificate URL, algorithm, then the body.
paypal = json.loads((FIXTURES / "PayPal" / "webhooks" / "manifest.json").read_text())
for event in paypal["events"]:
    body = event_body(FIXTURES / "PayPal" / "webhooks" / event["file"])
    lines = [event["transmissionId"], event["transmissionTime"], event["transmissionSig"], paypal["certUrl"], paypal["authAlgo"]]
    write("paypal-transmission", f"fixture-{pathlib.Path(event['file']).stem}", "\n".join(lines).encode() + b"\n" + body)
first = paypal["events"][0]
for name, (time, url) in {
    "offset-time": ("2025-11-24T17:00:01.123+01:00", paypal["certUrl"]),
    "leap-second": ("2025-12-31T23:59:60Z", paypal["certUrl"]),
    "other-host": (first["transmissionTime"], "https://api.paypal.com.evil.example/cert"),
    "userinfo": (first["transmissionTime"], "https://evil@api.paypal.com/cert"),
    "port": (first["transmissionTime"], "https://api.paypal.com:8443/cert"),
    "wildcard": (first["transmissionTime"], "https://*.paypal.com/cert"),
    "upper-case": (first["transmissionTime"], "https://API.PAYPAL.COM/cert"),
    # A finding: U+212A KELVIN SIGN lower-cases to "k", so this passed as api.k.paypal.com.
    "finding-kelvin-host": (first["transmissionTime"], "https://api.\u212a.paypal.com/cert"),
}.items():
    lines = [first["transmissionId"], time, first["transmissionSig"], url, paypal["authAlgo"]]
    write("paypal-transmission", f"hand-{name}", "\n".join(lines) + "\n{}")

# Certificates: PEM (first byte below 0x80) and DER (first byte 0x80 and above).
certs = FIXTURES / "PayPal" / "certs"
for name in ("leaf", "ca", "leaf-pubkey"):
    write("paypal-certificates", f"pem-{name}", b"\x00" + (certs / f"{name}.pem").read_bytes())
write("paypal-certificates", "pem-chain", b"\x00" + (certs / "leaf.pem").read_bytes() + (certs / "ca.pem").read_bytes())
for name in ("leaf", "ca"):
    der = subprocess.run(["openssl", "x509", "-in", str(certs / f"{name}.pem"), "-outform", "DER"], check=True, capture_output=True).stdout
    write("paypal-certificates", f"der-{name}", b"\x80" + der)
write("paypal-certificates", "pem-garbage", b"\x00-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")

# SafeXML and Braintree's webhook form: the gateway's answers, the webhooks' payloads, hand-made XML.
payloads = []
for path in webhook_events("Braintree"):
    form = urllib.parse.parse_qs(event_body(path).decode())
    payloads.append((path.stem, base64.b64decode(form["bt_payload"][0])))
    write("braintree-webhook", f"form-{path.stem}", b"\x80" + event_body(path))
for name, xml in payloads:
    write("safexml", f"payload-{name}.xml", xml)
    write("braintree-webhook", f"payload-{name}", b"\x00" + xml)
for path in sorted((FIXTURES / "Braintree" / "api").glob("*.xml")):
    write("safexml", f"api-{path.name}", path.read_bytes())
for name, text in {
    "doctype": '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>',
    "entities": "<a b='&lt;&#65;&#x42;'>&amp;&quot;&apos;&gt;</a>",
    "cdata": "<a><![CDATA[<not a tag>]]>text<!-- note --></a>",
    "bom-nil": '\ufeff<a><b nil="true"/><c> x </c></a>',
    "mismatched": "<a><b></a></b>",
    "deep": "<a>" * 70 + "</a>" * 70,
}.items():
    write("safexml", f"hand-{name}.xml", text)

# API Gateway v2 requests: every webhook fixture is one, plus the rules' edge cases.
for provider in ("Stripe", "PayPal", "Braintree"):
    for path in webhook_events(provider):
        write("apigateway-event", f"fixture-{provider}-{path.stem}.json", path.read_bytes())
minimal = {"version": "2.0", "rawPath": "/payments", "requestContext": {"http": {"method": "POST"}}}
for name, event in {
    "minimal": minimal,
    "base64": {**minimal, "body": "eyJhIjoxfQ==", "isBase64Encoded": True},
    "bad-base64": {**minimal, "body": "e===", "isBase64Encoded": True},
    "version-1": {**minimal, "version": "1.0"},
    "header-number": {**minimal, "headers": {"a": 1}},
}.items():
    write("apigateway-event", f"hand-{name}.json", json.dumps(event))
write("apigateway-event", "hand-repeated-path.json", '{"version":"2.0","rawPath":"/a","rawPath":"/b","requestContext":{"http":{"method":"GET"}}}')

# SQS batches of EventBridge envelopes (plain and inside SNS) and DynamoDB stream batches of outbox items.
payment_event = {
    "source": "shop.payments", "detail-type": "PaymentSucceeded", "time": "2025-11-24T16:00:00.123Z",
    "detail": {"eventId": "pay_1-v2", "paymentId": "pay_1", "orderId": "ord_1", "provider": "stripe", "amount": 2000,
               "currency": "EUR", "status": "succeeded", "refundedAmount": 0, "version": 2, "time": "2025-11-24T16:00:00.123Z"},
}
envelope = {**payment_event, "id": "eb-1", "version": "0", "account": "123456789012", "region": "eu-west-1", "resources": []}
sns = {"Type": "Notification", "MessageId": "m", "TopicArn": "arn:aws:sns:eu-west-1:123456789012:t", "Message": json.dumps(envelope)}
write("sqs-event", "batch.json", json.dumps({"Records": [
    {"messageId": "a", "receiptHandle": "r", "body": json.dumps(envelope), "attributes": {"ApproximateReceiveCount": "1"},
     "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:shop-delivery"},
    {"messageId": "b", "body": json.dumps(sns), "attributes": {}},
]}))
write("sqs-event", "no-body.json", '{"Records":[{"messageId":"a"}]}')
write("sqs-event", "sns-confirmation.json", json.dumps({"Records": [{"messageId": "a", "body": '{"Type":"SubscriptionConfirmation","TopicArn":"arn","Message":"{}"}'}]}))
image = {"pk": {"S": "OUTBOX#pay_1-v2"}, "type": {"S": "outbox"}, "event": {"S": json.dumps(payment_event)}}
write("dynamodb-stream", "outbox.json", json.dumps({"Records": [
    {"eventID": "1", "eventName": "INSERT", "dynamodb": {"Keys": {"pk": {"S": "OUTBOX#pay_1-v2"}}, "NewImage": image, "SequenceNumber": "100"},
     "eventSourceARN": "arn:aws:dynamodb:eu-west-1:123456789012:table/payments/stream/x"},
    {"eventID": "2", "eventName": "MODIFY", "dynamodb": {"Keys": {"pk": {"S": "PAYMENT#pay_1"}}, "NewImage": {"type": {"S": "payment"}}, "SequenceNumber": "101"}},
    {"eventID": "3", "eventName": "REMOVE", "dynamodb": {"Keys": {"pk": {"S": "OUTBOX#x"}}, "OldImage": {"type": {"S": "outbox"}}, "SequenceNumber": "102"}},
]}))
service_event = {"source": "shop.delivery", "detail-type": "DeliveryScheduled", "time": "2025-11-24T16:00:00.123Z", "detail": {"eventId": "d-1"}}
write("dynamodb-stream", "service-outbox.json", json.dumps({"Records": [
    {"eventID": "1", "eventName": "INSERT", "dynamodb": {"NewImage": {"type": {"S": "outbox"}, "event": {"S": json.dumps(service_event)}}, "SequenceNumber": "1"}}]}))
write("dynamodb-stream", "bad-name.json", '{"Records":[{"eventID":"x","eventName":"UPSERT","dynamodb":{"SequenceNumber":"1"}}]}')
