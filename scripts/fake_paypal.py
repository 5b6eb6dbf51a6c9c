#!/usr/bin/env python3
"""A fake PayPal REST API for integration tests (test peer only, stdlib only).

Serves, on 127.0.0.1:
  POST /v1/oauth2/token                     client-credentials token (Basic client_id:secret)
  POST /v2/checkout/orders                  create an order (Bearer token, PayPal-Request-Id)
  GET  /v2/checkout/orders/{id}             show an order
  POST /v2/checkout/orders/{id}/capture     capture an approved order (PayPal-Request-Id)
  GET  /checkoutnow?token={id}              the buyer's approval page: marks the order APPROVED
  GET  /__stats                             call counts and the orders' states

Behaviour follows PayPal's documented API (https://developer.paypal.com/docs/api/orders/v2/):
- Token: `Authorization: Basic base64(client_id:secret)` must match --client-id/--client-secret
  (when given; otherwise any non-empty pair) and the body must be grant_type=client_credentials;
  else 401 {"error": "invalid_client", ...}. The answer has the shape of
  Tests/Fixtures/PayPal/api/oauth_token.json with a fresh random access_token.
- Orders and captures need `Authorization: Bearer <a token this server issued>`; else 401
  {"error": "invalid_token", ...}.
- Create: intent CAPTURE and one purchase unit whose amount has a 3-letter currency_code and a
  value with at most two decimals (none for JPY/HUF/TWD); else 400 INVALID_REQUEST with `details`
  (issue DECIMAL_PRECISION, MISSING_REQUIRED_PARAMETER, ...). Answers 201 with status CREATED and
  the links self / approve / update / capture (order_created.json's shape); the approve link is
  this server's /checkoutnow?token=ID, standing in for www.paypal.com.
- PayPal-Request-Id: the first successful response to a create (or to a capture of one order) is
  stored under the id; the same id again replays it byte for byte and makes nothing new. Error
  answers are not stored, so a capture refused before approval can be retried with the same id.
- Capture: 404 RESOURCE_NOT_FOUND for an unknown order; 422 UNPROCESSABLE_ENTITY with issue
  ORDER_NOT_APPROVED while the buyer has not approved, ORDER_ALREADY_CAPTURED once captured (with
  another request id). Otherwise 201 with the order COMPLETED and one COMPLETED capture of the
  full amount (order_captured.json's shape: custom_id, invoice_id, seller_receivable_breakdown).
  --capture-status PENDING makes captures PENDING (status_details PENDING_REVIEW) instead.
Logs one line per request to stderr (the Authorization header is never logged).
"""
import argparse
import base64
import datetime as dt
import decimal
import json
import os
import re
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakeserver  # noqa: E402

LOCK = threading.Lock()
SERIAL = threading.Lock()  # held while a call with a PayPal-Request-Id runs
STATE = {"token_calls": 0, "tokens_issued": 0, "create_calls": 0, "orders_created": 0,
         "create_replays": 0, "capture_calls": 0, "captures_made": 0, "capture_replays": 0,
         "approvals": 0}
TOKENS = set()
ORDERS = {}       # order id -> order dict (current state)
REQUEST_IDS = {}  # (kind, PayPal-Request-Id[, order id]) -> (status, body bytes)
CONFIG = {"client_id": None, "client_secret": None, "capture_status": "COMPLETED", "base": ""}
WHOLE_UNITS = {"JPY", "HUF", "TWD"}


def rand(n, alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"):
    return "".join(secrets.choice(alphabet) for _ in range(n))


def now_iso():
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def link(href, rel, method="GET"):
    return {"href": href, "rel": rel, "method": method}


def api_error(status, name, message, details=None):
    debug_id = rand(13, "0123456789abcdef")
    body = {"name": name, "message": message, "debug_id": debug_id}
    if details:
        body["details"] = details
        body["links"] = [{"href": "https://developer.paypal.com/docs/api/orders/v2/#error-%s" % details[0]["issue"],
                          "rel": "information_link", "method": "GET"}]
    return status, body


def invalid(field, value, issue, description):
    return api_error(400, "INVALID_REQUEST",
                     "Request is not well-formed, syntactically incorrect, or violates schema.",
                     [{"field": field, "value": value, "location": "body", "issue": issue,
                       "description": description}])


def unprocessable(issue, description):
    return api_error(422, "UNPROCESSABLE_ENTITY",
                     "The requested action could not be performed, semantically incorrect, or failed "
                     "business validation.", [{"issue": issue, "description": description}])


def create_order(body):
    """(status, body dict)."""
    try:
        req = json.loads(body or "null")
    except ValueError:
        return api_error(400, "INVALID_REQUEST", "Request is not well-formed, syntactically incorrect, "
                         "or violates schema.", [{"field": "/", "location": "body", "issue": "MALFORMED_REQUEST_JSON",
                                                  "description": "The request JSON is not well formed."}])
    if not isinstance(req, dict) or req.get("intent") not in ("CAPTURE", "AUTHORIZE"):
        return invalid("/intent", str((req or {}).get("intent") if isinstance(req, dict) else None),
                       "MISSING_REQUIRED_PARAMETER", "A required field / parameter is missing.")
    units = req.get("purchase_units")
    if not isinstance(units, list) or not units or not isinstance(units[0], dict):
        return invalid("/purchase_units", "", "MISSING_REQUIRED_PARAMETER",
                       "A required field / parameter is missing.")
    unit = units[0]
    amount = unit.get("amount") if isinstance(unit.get("amount"), dict) else {}
    currency, value = amount.get("currency_code"), amount.get("value")
    ref = unit.get("reference_id", "default")
    field = "/purchase_units/@reference_id=='%s'/amount" % ref
    if not isinstance(currency, str) or not re.fullmatch(r"[A-Z]{3}", currency):
        return invalid(field + "/currency_code", str(currency), "INVALID_PARAMETER_VALUE",
                       "The value of a field is invalid.")
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{1,10}(\.[0-9]+)?", value):
        return invalid(field + "/value", str(value), "INVALID_PARAMETER_SYNTAX",
                       "The value of a field does not conform to the expected format.")
    decimals = len(value.split(".")[1]) if "." in value else 0
    if decimals > (0 if currency in WHOLE_UNITS else 2):
        issue = "DECIMALS_NOT_SUPPORTED" if currency in WHOLE_UNITS else "DECIMAL_PRECISION"
        return invalid(field + "/value", value, issue,
                       "If the currency supports decimals, only two decimal place precision is supported.")
    order_id = rand(17)
    base = CONFIG["base"]
    stored_unit = {"reference_id": ref, "amount": {"currency_code": currency, "value": value},
                   "payee": {"email_address": "merchant@example.com", "merchant_id": "FAKEMERCHANT01"}}
    for k in ("custom_id", "invoice_id", "description"):
        if k in unit:
            stored_unit[k] = unit[k]
    order = {
        "id": order_id,
        "intent": req["intent"],
        "status": "CREATED",
        "purchase_units": [stored_unit],
        "create_time": now_iso(),
        "links": [link("%s/v2/checkout/orders/%s" % (base, order_id), "self"),
                  link("%s/checkoutnow?token=%s" % (base, order_id), "approve"),
                  link("%s/v2/checkout/orders/%s" % (base, order_id), "update", "PATCH"),
                  link("%s/v2/checkout/orders/%s/capture" % (base, order_id), "capture", "POST")],
    }
    with LOCK:
        ORDERS[order_id] = order
        STATE["orders_created"] += 1
    return 201, order


def capture_order(order_id):
    """(status, body dict); the caller holds LOCK."""
    order = ORDERS.get(order_id)
    if order is None:
        return api_error(404, "RESOURCE_NOT_FOUND", "The specified resource does not exist.",
                         [{"field": "order_id", "value": order_id, "location": "path", "issue": "INVALID_RESOURCE_ID",
                           "description": "Specified resource ID does not exist. Please check the resource ID and try again."}])
    if order["status"] == "COMPLETED":
        return unprocessable("ORDER_ALREADY_CAPTURED", "Order already captured.If 'intent=CAPTURE' only one capture per order is allowed.")
    if order["status"] != "APPROVED":
        return unprocessable("ORDER_NOT_APPROVED", "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call or provide a valid payment_source in the request.")
    unit = order["purchase_units"][0]
    amount = unit["amount"]
    capture_id = rand(17)
    base = CONFIG["base"]
    status = CONFIG["capture_status"]
    capture = {
        "id": capture_id,
        "status": status,
        "amount": dict(amount),
        "final_capture": True,
        "seller_protection": {"status": "ELIGIBLE",
                              "dispute_categories": ["ITEM_NOT_RECEIVED", "UNAUTHORIZED_TRANSACTION"]},
        "links": [link("%s/v2/payments/captures/%s" % (base, capture_id), "self"),
                  link("%s/v2/payments/captures/%s/refund" % (base, capture_id), "refund", "POST"),
                  link("%s/v2/checkout/orders/%s" % (base, order_id), "up")],
        "create_time": now_iso(),
        "update_time": now_iso(),
    }
    if status == "COMPLETED":
        cents = int(decimal.Decimal(amount["value"]) * 100)
        fee = cents * 349 // 10000 + 49
        fmt = lambda c: "%d.%02d" % (c // 100, c % 100)  # noqa: E731
        capture["seller_receivable_breakdown"] = {
            "gross_amount": dict(amount),
            "paypal_fee": {"currency_code": amount["currency_code"], "value": fmt(fee)},
            "net_amount": {"currency_code": amount["currency_code"], "value": fmt(cents - fee)}}
    else:
        capture["status_details"] = {"reason": "PENDING_REVIEW"}
    for k in ("invoice_id", "custom_id"):
        if k in unit:
            capture[k] = unit[k]
    unit.setdefault("payments", {})["captures"] = [capture]
    order["status"] = "COMPLETED"
    order["update_time"] = now_iso()
    order["payment_source"] = {"paypal": {"email_address": "buyer@example.com", "account_id": "QYR5Z8XDVJNXQ",
                                          "account_status": "VERIFIED",
                                          "name": {"given_name": "Test", "surname": "Buyer"},
                                          "address": {"country_code": "US"}}}
    order["payer"] = {"name": {"given_name": "Test", "surname": "Buyer"}, "email_address": "buyer@example.com",
                      "payer_id": "QYR5Z8XDVJNXQ", "address": {"country_code": "US"}}
    order["links"] = [link("%s/v2/checkout/orders/%s" % (base, order_id), "self")]
    STATE["captures_made"] += 1
    return 201, order


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-paypal/1.0"

    def log_message(self, fmt, *args):
        sys.stderr.write("fake_paypal %s %s\n" % (self.log_date_time_string(), fmt % args))

    def send(self, status, body, extra=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Paypal-Debug-Id", rand(13, "0123456789abcdef"))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length).decode("utf-8", "replace")

    def bearer_ok(self):
        auth = self.headers.get("Authorization", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else None
        with LOCK:
            ok = token in TOKENS
        if not ok:
            self.send(401, {"error": "invalid_token", "error_description": "Token signature verification failed"})
        return ok

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path == "/__stats":
            with LOCK:
                stats = dict(STATE, orders={i: {
                    "status": o["status"], "amount": o["purchase_units"][0]["amount"],
                    "custom_id": o["purchase_units"][0].get("custom_id"),
                    "invoice_id": o["purchase_units"][0].get("invoice_id"),
                    "capture_ids": [c["id"] for u in o["purchase_units"] for c in u.get("payments", {}).get("captures", [])]}
                    for i, o in ORDERS.items()})
            return self.send(200, stats)
        if url.path == "/checkoutnow":
            order_id = (parse_qs(url.query).get("token") or [""])[0]
            with LOCK:
                order = ORDERS.get(order_id)
                if order is not None and order["status"] in ("CREATED", "PAYER_ACTION_REQUIRED"):
                    order["status"] = "APPROVED"
                    STATE["approvals"] += 1
                status = order["status"] if order else None
            if status is None:
                return self.send(404, {"name": "RESOURCE_NOT_FOUND", "message": "No such order."})
            return self.send(200, {"id": order_id, "status": status})
        m = re.fullmatch(r"/v2/checkout/orders/([A-Z0-9]+)", url.path)
        if not m:
            return self.send(*api_error(404, "NOT_FOUND", "The specified resource does not exist."))
        if not self.bearer_ok():
            return
        with LOCK:
            order = ORDERS.get(m.group(1))
            data = json.dumps(order).encode() if order else None
        if data is None:
            return self.send(*api_error(404, "RESOURCE_NOT_FOUND", "The specified resource does not exist."))
        self.send(200, data)

    def do_POST(self):
        path = urlsplit(self.path).path
        raw = self.read_body()
        if path == "/v1/oauth2/token":
            return self.token(raw)
        if path == "/v2/checkout/orders":
            with LOCK:
                STATE["create_calls"] += 1
            if not self.bearer_ok():
                return
            return self.idempotent(("create", self.headers.get("PayPal-Request-Id")), lambda: create_order(raw),
                                   "create_replays")
        m = re.fullmatch(r"/v2/checkout/orders/([A-Za-z0-9-]+)/capture", path)
        if m:
            with LOCK:
                STATE["capture_calls"] += 1
            if not self.bearer_ok():
                return

            def capture():
                with LOCK:
                    return capture_order(m.group(1))
            return self.idempotent(("capture", self.headers.get("PayPal-Request-Id"), m.group(1)), capture,
                                   "capture_replays")
        self.send(*api_error(404, "NOT_FOUND", "The specified resource does not exist."))

    def idempotent(self, key, make, replay_counter):
        """Answers make()'s (status, body), or the stored answer of an earlier call with this request id.
        Only successes are stored (a refused capture may succeed once the buyer approves); calls
        with a request id are serialised, so two at once cannot both create."""
        if not key[1]:
            status, body = make()
            return self.send(status, json.dumps(body).encode())
        with SERIAL:
            with LOCK:
                stored = REQUEST_IDS.get(key)
                if stored:
                    STATE[replay_counter] += 1
            if not stored:
                status, body = make()
                stored = (status, json.dumps(body).encode())
                if 200 <= status < 300:
                    with LOCK:
                        REQUEST_IDS[key] = stored
        self.send(*stored)

    def token(self, raw):
        with LOCK:
            STATE["token_calls"] += 1
        auth = self.headers.get("Authorization", "")
        pair = None
        if auth.startswith("Basic "):
            try:
                pair = base64.b64decode(auth[6:], validate=True).decode("utf-8").split(":", 1)
            except (ValueError, UnicodeDecodeError):
                pair = None
        ok = pair is not None and len(pair) == 2 and all(pair)
        if ok and CONFIG["client_id"] is not None:
            ok = secrets.compare_digest(pair[0], CONFIG["client_id"]) and \
                secrets.compare_digest(pair[1], CONFIG["client_secret"])
        if not ok:
            return self.send(401, {"error": "invalid_client", "error_description": "Client Authentication failed"})
        if parse_qs(raw).get("grant_type") != ["client_credentials"]:
            return self.send(400, {"error": "unsupported_grant_type",
                                   "error_description": "Grant Type is NULL or not supported"})
        token = "A21AA" + rand(60, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-")
        with LOCK:
            TOKENS.add(token)
            STATE["tokens_issued"] += 1
        self.send(200, {
            "scope": "https://uri.paypal.com/services/payments/payment/authcapture openid",
            "access_token": token, "token_type": "Bearer", "app_id": "APP-80W284485P519543T",
            "expires_in": 32400, "nonce": now_iso() + rand(20, "abcdefghijklmnopqrstuvwxyz0123456789")})


def main():
    p = argparse.ArgumentParser(description="Fake PayPal REST API (test peer)")
    p.add_argument("--port", type=int, default=12112, help="0 picks a free port")
    p.add_argument("--port-file", help="write the bound port here (useful with --port 0)")
    p.add_argument("--client-id", help="the only accepted client id (default: any)")
    p.add_argument("--client-secret", help="the only accepted client secret (with --client-id)")
    p.add_argument("--capture-status", default="COMPLETED", choices=["COMPLETED", "PENDING"])
    a = p.parse_args()
    if (a.client_id is None) != (a.client_secret is None):
        p.error("--client-id and --client-secret go together")
    CONFIG.update(client_id=a.client_id, client_secret=a.client_secret, capture_status=a.capture_status)
    fakeserver.serve(Handler, a.port, a.port_file, "fake_paypal",
                     on_bound=lambda port: CONFIG.update(base="http://127.0.0.1:%d" % port))

if __name__ == "__main__":
    main()
