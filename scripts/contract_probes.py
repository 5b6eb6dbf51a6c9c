"""Answers of the spec that schemathesis's generated requests do not reach, probed once each against the
running local stack and validated against docs/openapi.yaml with schemathesis's own validator
(scripts/contract_test.sh runs it after the schemathesis run):

- the bodies over the limits: 413 `/problems/body-too-large` from a payment function (above 16 KiB)
  and a webhook (above 256 KiB), and the gateway's own 413 above 10 MB;
- an idempotent replay: the same Idempotency-Key and body answer the same payment with
  `idempotent-replayed: true`; the same key with another body is 422 `/problems/idempotency-key-reused`,
  naming no payment;
- a payment read back with `GET /payments/{id}` shows no customer contact.

    python scripts/contract_probes.py docs/openapi.yaml http://127.0.0.1:PORT
"""

import json
import sys
import uuid

import requests
import schemathesis

spec_path, base = sys.argv[1], sys.argv[2].rstrip("/")
schema = schemathesis.openapi.from_path(spec_path)
failures = []


def probe(name, method, path, operation_path, expected_status, *, body=b"", headers=None, problem=None):
    response = requests.request(method, base + path, data=body, headers=headers or {}, timeout=30)
    operation = schema[operation_path][method]
    problems = []
    if response.status_code != expected_status:
        problems.append(f"status {response.status_code}, expected {expected_status}: {response.text[:300]}")
    else:
        try:
            operation.validate_response(response)
        except Exception as error:  # schemathesis raises a group of the ways the answer breaks the spec
            problems.append(f"does not match the spec: {error}")
        if problem is not None and response.json().get("type") != problem:
            problems.append(f"problem type {response.json().get('type')!r}, expected {problem!r}")
    print(f"{'ok  ' if not problems else 'FAIL'} {name}: {method} {path} -> {response.status_code}")
    for line in problems:
        print(f"     {line}")
    failures.extend(problems)
    return response


payment = {"orderId": "ord_contract_probe", "amount": 2000, "currency": "USD", "paymentMethod": "pm_card_visa"}
json_headers = {"content-type": "application/json"}

big = json.dumps({**payment, "description": "x" * (17 * 1024)}).encode()
probe("a payment body above 16 KiB", "POST", "/payments/stripe", "/payments/stripe", 413, body=big,
      headers={**json_headers, "Idempotency-Key": str(uuid.uuid4())}, problem="/problems/body-too-large")
probe("a webhook body above 256 KiB", "POST", "/webhooks/stripe", "/webhooks/stripe", 413,
      body=json.dumps({"id": "evt_1", "type": "x", "data": {"object": {}}, "pad": "x" * (257 * 1024)}).encode(),
      headers={**json_headers, "Stripe-Signature": "t=1,v1=00"}, problem="/problems/body-too-large")
probe("a body above the gateway's 10 MB", "POST", "/payments/paypal", "/payments/paypal", 413,
      body=b"x" * (10 * 1024 * 1024 + 1), headers={**json_headers, "Idempotency-Key": str(uuid.uuid4())})

key = str(uuid.uuid4())
body = json.dumps(payment).encode()
first = probe("a payment", "POST", "/payments/stripe", "/payments/stripe", 201, body=body, headers={**json_headers, "Idempotency-Key": key})
again = probe("the same key and body again", "POST", "/payments/stripe", "/payments/stripe", 201, body=body,
              headers={**json_headers, "Idempotency-Key": key})
if first.status_code == 201 and again.status_code == 201:
    if again.headers.get("idempotent-replayed") != "true" or again.json().get("paymentId") != first.json().get("paymentId"):
        failures.append("the replay is not the stored answer")
        print(f"FAIL     the replay: idempotent-replayed={again.headers.get('idempotent-replayed')!r}, "
              f"paymentId {again.json().get('paymentId')} vs {first.json().get('paymentId')}")
reused = probe("the same key with another body", "POST", "/payments/stripe", "/payments/stripe", 422,
               body=json.dumps({**payment, "amount": 2001, "customerEmail": "probe@example.com", "customerPhone": "+14155550123"}).encode(),
               headers={**json_headers, "Idempotency-Key": key}, problem="/problems/idempotency-key-reused")
if first.status_code == 201 and reused.status_code == 422 and first.json()["paymentId"] in reused.text:
    failures.append("the reused key's answer names the other payment")
    print("FAIL     the reused key's answer names the other payment")

# The stored payment, as the shop's back end reads it: the customer's contact is not part of it.
contact = {**payment, "customerEmail": "probe@example.com", "customerPhone": "+14155550123"}
made = probe("a payment with the customer's contact", "POST", "/payments/stripe", "/payments/stripe", 201,
             body=json.dumps(contact).encode(), headers={**json_headers, "Idempotency-Key": str(uuid.uuid4())})
if made.status_code == 201:
    shown = probe("that payment read back", "GET", f"/payments/{made.json()['paymentId']}", "/payments/{id}", 200)
    if shown.status_code == 200 and ("probe@example.com" in shown.text or "4155550123" in shown.text):
        failures.append("GET /payments/{id} shows the customer's contact")
        print("FAIL     GET /payments/{id} shows the customer's contact")

print(f"contract probes: {'all passed' if not failures else f'{len(failures)} failed'}")
sys.exit(1 if failures else 0)
