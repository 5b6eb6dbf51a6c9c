#!/usr/bin/env python3
"""A fake Braintree gateway (XML API) for integration tests (test peer only, stdlib only).

Serves, on 127.0.0.1:
  GET  /merchants/{id}/merchant_accounts/?page=1          the merchant's accounts (the default one's currency)
  POST /merchants/{id}/transactions                       a sale
  POST /merchants/{id}/transactions/advanced_search_ids   ids of transactions by <order-id><is>
  POST /merchants/{id}/transactions/advanced_search       those transactions
  GET  /__stats                                           call counts and the transactions made

Behaviour follows the official SDKs (braintree-python's http.py and transaction_gateway.py) and
the shapes of Tests/Fixtures/Braintree/api/*.xml:
- Every gateway call needs `Authorization: Basic base64(public_key:private_key)` matching
  --public-key/--private-key (else 401, empty body, as the SDK's AuthenticationError expects),
  the merchant id in the path equal to --merchant-id (else 404), and an `X-ApiVersion` header
  (else 426 Upgrade Required). Answers are application/xml.
- Sale (`<transaction>` with dashed or underscored names, as the SDKs write them): type must be
  sale (91523), amount required (81502), a decimal with at most two places (81503), above zero
  (81531); payment-method-nonce required (91508 when there is neither nonce nor token). These
  answer 422 <api-error-response> with the error nested under <transaction>.
  Nonces as in Braintree's sandbox: fake-processor-declined-visa-nonce -> 422 with a
  processor_declined <transaction> (code 2000 Do Not Honor); fake-gateway-rejected-fraud-nonce ->
  422 gateway_rejected (fraud); any other fake-valid-*-nonce (or tokencc_*) -> 201 <transaction>
  with a fresh id, the request's amount and order id, the default account's currency, status
  submitted_for_settlement when options/submit-for-settlement is true, else authorized; any other
  nonce -> 422 validation error 91565 (Unknown payment_method_nonce).
- Braintree has no idempotency key: every sale call makes a new transaction. /__stats counts
  them, which is how tests prove a service called the gateway once.
Logs one line per request to stderr (the Authorization header is never logged).
"""
import argparse
import base64
import datetime as dt
import json
import os
import re
import secrets
import sys
import threading
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakeserver  # noqa: E402

LOCK = threading.Lock()
STATE = {"merchant_account_calls": 0, "sale_calls": 0, "transactions_created": 0, "search_calls": 0,
         "unauthorized": 0}
TRANSACTIONS = {}  # id -> dict(id, status, amount, currency, order_id, merchant_account, created)
CONFIG = {"merchant_id": None, "public_key": None, "private_key": None, "currency": "USD"}
XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def rand(n, alphabet="abcdefghijklmnopqrstuvwxyz0123456789"):
    return "".join(secrets.choice(alphabet) for _ in range(n))


def now_iso():
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def text(node, *names):
    """The text of the first child named like any of names (dashed or underscored)."""
    if node is None:
        return None
    for name in names:
        for variant in (name, name.replace("-", "_")):
            child = node.find(variant)
            if child is not None:
                return (child.text or "").strip()
    return None


def child(node, name):
    if node is None:
        return None
    found = node.find(name)
    return found if found is not None else node.find(name.replace("-", "_"))


def account_id():
    return "%smerchantaccount" % CONFIG["merchant_id"]


def merchant_accounts_xml():
    cur = CONFIG["currency"]
    other = "EUR" if cur != "EUR" else "USD"
    return XML_HEAD + (
        '<merchant-accounts type="collection">\n'
        '  <current-page-number type="integer">1</current-page-number>\n'
        '  <page-size type="integer">50</page-size>\n'
        '  <total-items type="integer">2</total-items>\n'
        '  <merchant-account>\n    <id>%s_%s</id>\n    <status>active</status>\n'
        '    <currency-iso-code>%s</currency-iso-code>\n    <default type="boolean">false</default>\n'
        '  </merchant-account>\n'
        '  <merchant-account>\n    <id>%s</id>\n    <status>active</status>\n'
        '    <currency-iso-code>%s</currency-iso-code>\n    <default type="boolean">true</default>\n'
        '  </merchant-account>\n'
        '</merchant-accounts>\n') % (escape(account_id()), other.lower(), other, escape(account_id()), cur)


def transaction_xml(t, indent="", root="transaction"):
    """A <transaction> in the shape of transaction_sale.xml (the fields a client reads)."""
    status = t["status"]
    approved = status not in ("processor_declined", "gateway_rejected")
    history = ["authorized", status] if status == "submitted_for_settlement" else [status]
    events = "".join(
        '    <status-event>\n      <timestamp type="datetime">%s</timestamp>\n      <status>%s</status>\n'
        '      <amount>%s</amount>\n      <user>fake_api_user</user>\n'
        '      <transaction-source>api</transaction-source>\n    </status-event>\n'
        % (t["created"], s, t["amount"]) for s in history)
    lines = (
        '<%s>\n'
        '  <id>%s</id>\n'
        '  <global-id>%s</global-id>\n'
        '  <status>%s</status>\n'
        '  <type>sale</type>\n'
        '  <currency-iso-code>%s</currency-iso-code>\n'
        '  <amount>%s</amount>\n'
        '  <merchant-account-id>%s</merchant-account-id>\n'
        '  <order-id>%s</order-id>\n'
        '  <created-at type="datetime">%s</created-at>\n'
        '  <updated-at type="datetime">%s</updated-at>\n'
        '  <refund-ids type="array"/>\n'
        '  <gateway-rejection-reason%s\n'
        '  <processor-authorization-code%s\n'
        '  <processor-response-code>%s</processor-response-code>\n'
        '  <processor-response-text>%s</processor-response-text>\n'
        '  <processor-response-type>%s</processor-response-type>\n'
        '  <credit-card>\n    <bin>411111</bin>\n    <last-4>1111</last-4>\n    <card-type>Visa</card-type>\n'
        '    <expiration-month>12</expiration-month>\n    <expiration-year>2030</expiration-year>\n'
        '  </credit-card>\n'
        '  <status-history type="array">\n%s  </status-history>\n'
        '  <add-ons type="array"/>\n'
        '  <discounts type="array"/>\n'
        '  <disputes type="array"/>\n'
        '  <authorization-adjustments type="array"/>\n'
        '  <payment-instrument-type>credit_card</payment-instrument-type>\n'
        '</%s>\n') % (
        root, escape(t["id"]), base64.b64encode(("transaction_" + t["id"]).encode()).decode(), status,
        t["currency"], t["amount"], escape(t["merchant_account"]), escape(t["order_id"] or ""),
        t["created"], t["created"],
        '>fraud</gateway-rejection-reason>' if status == "gateway_rejected" else ' nil="true"/>',
        (">%s</processor-authorization-code>" % rand(6, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")) if approved
        else ' nil="true"/>',
        t["response_code"], t["response_text"],
        "approved" if approved else ("soft_declined" if status == "processor_declined" else "hard_declined"),
        events, root)
    return "".join(indent + line + "\n" for line in lines.rstrip("\n").split("\n"))


def validation_error(code, attribute, message, params):
    return 422, XML_HEAD + (
        '<api-error-response>\n'
        '  <errors>\n    <errors type="array"/>\n    <transaction>\n      <errors type="array">\n'
        '        <error>\n          <code>%s</code>\n          <attribute type="symbol">%s</attribute>\n'
        '          <message>%s</message>\n        </error>\n      </errors>\n    </transaction>\n  </errors>\n'
        '  <params>\n    <transaction>\n%s    </transaction>\n  </params>\n'
        '  <message>%s</message>\n'
        '</api-error-response>\n') % (code, attribute, escape(message), params, escape(message))


def params_xml(tx):
    out = ""
    for name in ("type", "amount", "order-id", "payment-method-nonce"):
        value = text(tx, name)
        if value is not None:
            out += "      <%s>%s</%s>\n" % (name, escape(value), name)
    return out


def sale(body):
    """(status, xml text)."""
    try:
        tx = ET.fromstring(body)
    except ET.ParseError:
        return 400, ""
    if tx.tag != "transaction":
        return 400, ""
    params = params_xml(tx)
    if text(tx, "type") != "sale":
        return validation_error(91523, "type", "Transaction type is invalid.", params)
    amount = text(tx, "amount")
    if not amount:
        return validation_error(81502, "amount", "Amount is required.", params)
    if not re.fullmatch(r"[0-9]+(\.[0-9]{1,2})?", amount):
        return validation_error(81503, "amount", "Amount is an invalid format.", params)
    if float(amount) <= 0:
        return validation_error(81531, "amount", "Amount must be greater than zero.", params)
    nonce = text(tx, "payment-method-nonce")
    if not nonce and not text(tx, "payment-method-token"):
        return validation_error(91508, "base", "Cannot determine payment method.", params)
    if "." not in amount:
        amount += ".00"
    elif len(amount.split(".")[1]) == 1:
        amount += "0"
    submit = (text(child(tx, "options"), "submit-for-settlement") or "").lower() == "true"
    t = {"id": rand(8), "amount": amount, "currency": CONFIG["currency"], "order_id": text(tx, "order-id"),
         "merchant_account": account_id(), "created": now_iso(),
         "status": "submitted_for_settlement" if submit else "authorized",
         "response_code": "1000", "response_text": "Approved"}
    if nonce == "fake-processor-declined-visa-nonce":
        t.update(status="processor_declined", response_code="2000", response_text="Do Not Honor")
    elif nonce == "fake-gateway-rejected-fraud-nonce":
        t.update(status="gateway_rejected", response_code="", response_text="")
    elif nonce and not (re.fullmatch(r"fake-valid-[a-z0-9-]*nonce", nonce) or nonce.startswith("tokencc_")):
        return validation_error(91565, "payment_method_nonce", "Unknown payment_method_nonce.", params)
    with LOCK:
        TRANSACTIONS[t["id"]] = t
        STATE["transactions_created"] += 1
    if t["status"] in ("processor_declined", "gateway_rejected"):
        message = "Do Not Honor" if t["status"] == "processor_declined" else "Gateway Rejected: fraud"
        return 422, XML_HEAD + (
            '<api-error-response>\n  <errors>\n    <errors type="array"/>\n  </errors>\n'
            '  <params>\n    <transaction>\n%s    </transaction>\n  </params>\n'
            '  <message>%s</message>\n%s</api-error-response>\n') % (params, message, transaction_xml(t, "  "))
    return 201, XML_HEAD + transaction_xml(t)


def search_order_id(body):
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None, None
    order = child(root, "order-id")
    ids = child(root, "ids")
    return text(order, "is"), None if ids is None else [(i.text or "").strip() for i in ids]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-braintree/1.0"

    def log_message(self, fmt, *args):
        sys.stderr.write("fake_braintree %s %s\n" % (self.log_date_time_string(), fmt % args))

    def send(self, status, body, content_type="application/xml; charset=utf-8"):
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def gateway_path(self):
        """The path after /merchants/{id}, or None once an error has been answered."""
        m = re.fullmatch(r"/merchants/([^/]+)(/.*)", urlsplit(self.path).path)
        if not m:
            self.send(404, "")
            return None
        auth = self.headers.get("Authorization", "")
        expected = "Basic " + base64.b64encode(
            ("%s:%s" % (CONFIG["public_key"], CONFIG["private_key"])).encode()).decode()
        if not secrets.compare_digest(auth.encode(), expected.encode()):
            with LOCK:
                STATE["unauthorized"] += 1
            self.send(401, "")
            return None
        if m.group(1) != CONFIG["merchant_id"]:
            self.send(404, "")
            return None
        if not self.headers.get("X-ApiVersion"):
            self.send(426, "")
            return None
        return m.group(2)

    def do_GET(self):
        if urlsplit(self.path).path == "/__stats":
            with LOCK:
                stats = dict(STATE, transactions={i: {k: t[k] for k in ("status", "amount", "currency", "order_id")}
                                                  for i, t in TRANSACTIONS.items()})
            return self.send(200, json.dumps(stats), "application/json")
        rest = self.gateway_path()
        if rest is None:
            return
        if rest.rstrip("/") == "/merchant_accounts":
            with LOCK:
                STATE["merchant_account_calls"] += 1
            return self.send(200, merchant_accounts_xml())
        m = re.fullmatch(r"/transactions/([a-z0-9]+)", rest)
        if m:
            with LOCK:
                t = TRANSACTIONS.get(m.group(1))
            return self.send(200, XML_HEAD + transaction_xml(t)) if t else self.send(404, "")
        self.send(404, "")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        rest = self.gateway_path()
        if rest is None:
            return
        if rest == "/transactions":
            with LOCK:
                STATE["sale_calls"] += 1
            return self.send(*sale(body))
        if rest in ("/transactions/advanced_search_ids", "/transactions/advanced_search"):
            with LOCK:
                STATE["search_calls"] += 1
            order_id, ids = search_order_id(body)
            with LOCK:
                found = [t for t in TRANSACTIONS.values() if order_id is None or t["order_id"] == order_id]
                if ids is not None:
                    found = [t for t in found if t["id"] in ids]
            if rest.endswith("_ids"):
                items = "".join("    <item>%s</item>\n" % escape(t["id"]) for t in found)
                return self.send(200, XML_HEAD + '<search-results>\n  <page-size type="integer">50</page-size>\n'
                                 '  <ids type="array">\n%s  </ids>\n</search-results>\n' % items)
            return self.send(200, XML_HEAD + '<credit-card-transactions type="collection">\n'
                             '  <current-page-number type="integer">1</current-page-number>\n'
                             '  <page-size type="integer">50</page-size>\n'
                             '  <total-items type="integer">%d</total-items>\n%s</credit-card-transactions>\n'
                             % (len(found), "".join(transaction_xml(t, "  ") for t in found)))
        self.send(404, "")


def main():
    p = argparse.ArgumentParser(description="Fake Braintree gateway (test peer)")
    p.add_argument("--port", type=int, default=12113, help="0 picks a free port")
    p.add_argument("--port-file", help="write the bound port here (useful with --port 0)")
    p.add_argument("--merchant-id", required=True)
    p.add_argument("--public-key", required=True)
    p.add_argument("--private-key", required=True)
    p.add_argument("--currency", default="USD", help="the default merchant account's currency")
    a = p.parse_args()
    CONFIG.update(merchant_id=a.merchant_id, public_key=a.public_key, private_key=a.private_key,
                  currency=a.currency.upper())
    fakeserver.serve(Handler, a.port, a.port_file, "fake_braintree")

if __name__ == "__main__":
    main()
