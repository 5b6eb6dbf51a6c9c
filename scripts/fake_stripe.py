#!/usr/bin/env python3
"""A fake Stripe API for the local demo and integration tests (test peer only).

Serves, on 127.0.0.1:
  POST /v1/payment_intents        create (form-encoded, Bearer sk_test_... auth)
  GET  /v1/payment_intents/{id}   retrieve
  GET  /__stats                   {"create_calls": N, ...}

Behaviour follows Stripe's documented API:
- No/invalid key: 401, {"error": {"type": "invalid_request_error", ...}}.
- Bodies are application/x-www-form-urlencoded with bracket keys
  (metadata[payment_id]=..., payment_method_types[]=card).
- amount must be a positive integer, currency a 3-letter ISO code: else 400
  invalid_request_error with `param`.
- Idempotency-Key: the first response is stored with the request's parameters;
  the same key with the same parameters replays it byte for byte (header
  Idempotent-Replayed: true); different parameters give 400 idempotency_error.
  Validation errors (400) are not stored, as Stripe documents.
- confirm=true with payment_method pm_card_visa -> status succeeded;
  pm_card_authenticationRequired -> requires_action; pm_card_chargeDeclined ->
  402 card_error/card_declined (stored for the key like any executed request);
  payment_method without confirm -> requires_confirmation; otherwise
  requires_payment_method.
- --fail-first N: the first N creates answer 500 api_error with
  Stripe-Should-Retry: true and are NOT stored against their idempotency key
  (as if they never reached Stripe's idempotency layer), so a retry with the
  same key succeeds.
Logs one line per request to stderr (the Authorization header is never logged).
"""
import argparse
import json
import os
import re
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakeserver  # noqa: E402

API_VERSION = "2024-06-20"
LOCK = threading.Lock()
STATE = {"create_calls": 0, "idempotent_replays": 0, "failed_on_purpose": 0}
INTENTS = {}      # id -> PaymentIntent dict
IDEMPOTENCY = {}  # key -> (params, status, body bytes)
FAIL_FIRST = [0]


def rand(n):
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    return "".join(secrets.choice(alphabet) for _ in range(n))


def parse_form(text):
    """Stripe-style form keys -> nested dicts/lists: a[b]=1, a[]=x, a[0]=x."""
    out = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        parts = [key.split("[", 1)[0]] + re.findall(r"\[([^\]]*)\]", key)
        node = out
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            child = value if last else ([] if parts[i + 1] == "" or parts[i + 1].isdigit() else {})
            if isinstance(node, list):
                idx = len(node) if part == "" else int(part) if part.isdigit() else None
                if idx is None:
                    break  # a[0][x] mixed with a[y]: ignore, as a malformed key
                while len(node) <= idx:
                    node.append(None)
                if node[idx] is None or last:
                    node[idx] = child
                node = node[idx]
            elif isinstance(node, dict):
                if part not in node or last:
                    node[part] = child
                node = node[part]
            else:
                break
    return out


def error(status, type_, message, **extra):
    err = {"message": message, "type": type_}
    err.update(extra)
    err["request_log_url"] = "https://dashboard.stripe.com/test/logs/req_" + rand(14)
    return status, {"error": dict(sorted(err.items()))}


def create_intent(params):
    """(status, body dict, store_for_idempotency)."""
    amount = params.get("amount")
    if amount is None:
        return error(400, "invalid_request_error", "Missing required param: amount.",
                     code="parameter_missing", param="amount",
                     doc_url="https://stripe.com/docs/error-codes/parameter-missing") + (False,)
    if not isinstance(amount, str) or not re.fullmatch(r"-?[0-9]+", amount):
        return error(400, "invalid_request_error", "Invalid integer: %s" % amount,
                     code="parameter_invalid_integer", param="amount",
                     doc_url="https://stripe.com/docs/error-codes/parameter-invalid-integer") + (False,)
    if int(amount) < 1:
        return error(400, "invalid_request_error", "This value must be greater than or equal to 1.",
                     code="parameter_invalid_integer", param="amount",
                     doc_url="https://stripe.com/docs/error-codes/parameter-invalid-integer") + (False,)
    currency = params.get("currency")
    if currency is None:
        return error(400, "invalid_request_error", "Missing required param: currency.",
                     code="parameter_missing", param="currency",
                     doc_url="https://stripe.com/docs/error-codes/parameter-missing") + (False,)
    if not isinstance(currency, str) or not re.fullmatch(r"[A-Za-z]{3}", currency):
        return error(400, "invalid_request_error",
                     "Invalid currency: %s. Stripe currently supports these currencies: usd, eur, gbp, ..."
                     % currency, param="currency") + (False,)
    metadata = params.get("metadata", {})
    if not isinstance(metadata, dict):
        return error(400, "invalid_request_error", "Invalid hash", param="metadata") + (False,)

    pi_id = "pi_" + rand(24)
    pm = params.get("payment_method")
    confirm = params.get("confirm") == "true"
    status = "requires_payment_method"
    if pm and not confirm:
        status = "requires_confirmation"
    elif pm and confirm:
        status = {"pm_card_authenticationRequired": "requires_action"}.get(pm, "succeeded")
    amount = int(amount)
    pi = {
        "id": pi_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": 0,
        "amount_received": amount if status == "succeeded" else 0,
        "automatic_payment_methods": None,
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": params.get("capture_method", "automatic_async"),
        "client_secret": "%s_secret_%s" % (pi_id, rand(25)),
        "confirmation_method": "automatic",
        "created": int(time.time()),
        "currency": currency.lower(),
        "customer": params.get("customer"),
        "description": params.get("description"),
        "last_payment_error": None,
        "latest_charge": ("ch_" + rand(24)) if status == "succeeded" else None,
        "livemode": False,
        "metadata": metadata,
        "next_action": None,
        "payment_method": pm,
        "payment_method_types": params.get("payment_method_types", ["card"]),
        "receipt_email": params.get("receipt_email"),
        "status": status,
    }
    if status == "requires_action":
        pi["next_action"] = {"type": "use_stripe_sdk", "use_stripe_sdk": {"type": "three_d_secure_redirect"}}
    if pm == "pm_card_chargeDeclined" and confirm:
        charge_id = "ch_" + rand(24)
        pi.update(status="requires_payment_method", payment_method=None, latest_charge=charge_id,
                  last_payment_error={
                      "charge": charge_id, "code": "card_declined", "decline_code": "generic_decline",
                      "doc_url": "https://stripe.com/docs/error-codes/card-declined",
                      "message": "Your card was declined.", "type": "card_error"})
        with LOCK:
            INTENTS[pi_id] = pi
        return error(402, "card_error", "Your card was declined.", code="card_declined",
                     decline_code="generic_decline", charge=charge_id,
                     doc_url="https://stripe.com/docs/error-codes/card-declined",
                     payment_intent=pi) + (True,)
    with LOCK:
        INTENTS[pi_id] = pi
    return 200, pi, True


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-stripe/1.0"

    def log_message(self, fmt, *args):
        sys.stderr.write("fake_stripe %s %s\n" % (self.log_date_time_string(), fmt % args))

    def send(self, status, body, extra=None):
        data = body if isinstance(body, bytes) else (json.dumps(body, indent=2) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Request-Id", "req_" + rand(14))
        self.send_header("Stripe-Version", API_VERSION)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def authorized(self):
        auth = self.headers.get("Authorization", "")
        if not auth:
            self.send(*error(401, "invalid_request_error",
                             "You did not provide an API key. You need to provide your API key in the "
                             "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
                             "YOUR_SECRET_KEY')."))
            return False
        if not re.fullmatch(r"Bearer sk_test_[A-Za-z0-9_]+", auth):
            key = auth.split(" ", 1)[-1]
            self.send(*error(401, "invalid_request_error",
                             "Invalid API Key provided: %s" % (key[:8] + "*" * 4 + key[-4:])))
            return False
        return True

    def do_GET(self):
        if self.path == "/__stats":
            with LOCK:
                stats = dict(STATE, payment_intents=len(INTENTS))
            return self.send(200, stats)
        m = re.fullmatch(r"/v1/payment_intents/([A-Za-z0-9_]+)", self.path.split("?")[0])
        if not m:
            return self.send(*error(404, "invalid_request_error",
                                    "Unrecognized request URL (GET: %s)." % self.path))
        if not self.authorized():
            return
        with LOCK:
            pi = INTENTS.get(m.group(1))
        if pi is None:
            return self.send(*error(404, "invalid_request_error",
                                    "No such payment_intent: '%s'" % m.group(1),
                                    code="resource_missing", param="intent",
                                    doc_url="https://stripe.com/docs/error-codes/resource-missing"))
        self.send(200, pi)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", "replace")
        if self.path.split("?")[0] != "/v1/payment_intents":
            return self.send(*error(404, "invalid_request_error",
                                    "Unrecognized request URL (POST: %s)." % self.path))
        with LOCK:
            STATE["create_calls"] += 1
            fail = FAIL_FIRST[0] > 0
            if fail:
                FAIL_FIRST[0] -= 1
                STATE["failed_on_purpose"] += 1
        if fail:
            return self.send(*error(500, "api_error", "An unknown error occurred"),
                             extra={"Stripe-Should-Retry": "true"})
        if not self.authorized():
            return
        params = parse_form(raw)
        key = self.headers.get("Idempotency-Key")
        if key:
            with LOCK:
                stored = IDEMPOTENCY.get(key)
                if stored and stored[0] == params:
                    STATE["idempotent_replays"] += 1
            if stored:
                if stored[0] != params:
                    return self.send(*error(
                        400, "idempotency_error",
                        "Keys for idempotent requests can only be used with the same parameters they "
                        "were first used with. Try using a key other than '%s' if you meant to execute "
                        "a different request." % key))
                return self.send(stored[1], stored[2],
                                 extra={"Idempotency-Key": key, "Idempotent-Replayed": "true"})
        status, body, store = create_intent(params)
        data = (json.dumps(body, indent=2) + "\n").encode()
        if key and store:
            with LOCK:
                IDEMPOTENCY.setdefault(key, (params, status, data))
                status, data = IDEMPOTENCY[key][1], IDEMPOTENCY[key][2]
        self.send(status, data, extra={"Idempotency-Key": key} if key else None)


def main():
    p = argparse.ArgumentParser(description="Fake Stripe API (test peer)")
    p.add_argument("--port", type=int, default=12111, help="0 picks a free port")
    p.add_argument("--port-file", help="write the bound port here (useful with --port 0)")
    p.add_argument("--fail-first", type=int, default=0, help="answer 500 to the first N creates")
    a = p.parse_args()
    FAIL_FIRST[0] = a.fail_first
    fakeserver.serve(Handler, a.port, a.port_file, "fake_stripe")

if __name__ == "__main__":
    main()
