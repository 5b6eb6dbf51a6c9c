#!/usr/bin/env python3
"""Sign PayPal webhook events the way PayPal does (test peer).

PayPal signs each webhook delivery with an RSA key whose certificate it serves
at PAYPAL-CERT-URL. The signed string is

    <PAYPAL-TRANSMISSION-ID>|<PAYPAL-TRANSMISSION-TIME>|<webhook id>|<crc32>

where <webhook id> is the receiving webhook's id (from the dashboard, not the
event id) and <crc32> is zlib CRC-32 of the raw body bytes as an unsigned
decimal. PAYPAL-TRANSMISSION-SIG = base64(RSASSA-PKCS1-v1_5 with SHA-256 over
that string's UTF-8 bytes); PAYPAL-AUTH-ALGO = SHA256withRSA.

Certificates: --cert-dir holds ca.pem, leaf.pem, leaf-key.pem (and
leaf-pubkey.pem, the leaf's public key, rewritten each run). If they are
missing they are created (RSA 2048, test CA -> leaf with CN and SAN
messageverificationcerts.paypal.com, valid 2025-01-01..2045-01-01; the CA key
is discarded). If they exist they are reused, so with a fixed --time the output
is identical on every run (PKCS#1 v1.5 signatures are deterministic).

Verification before writing: (1) the `cryptography` package checks the leaf
was issued by the CA and the signature over the signed string; (2) when the
deprecated `paypalrestsdk` (1.13.3, installs from PyPI) is usable, its own
WebhookEvent.verify must accept it too (its _get_cert download is replaced by
the local leaf, its bundled trust chain by our ca.pem). paypalrestsdk needs
OpenSSL.crypto.verify, which pyOpenSSL removed in 24.3.0; pyOpenSSL 24.2.1
needs cryptography < 44, which clashes with moto in the system Python, so it
lives in requirements-paypalrestsdk.txt for a separate virtualenv. Without it
the script says so on stderr and relies on check (1); the output is the same.

What paypalrestsdk's verify checks (notifications.py): the same signed string
(str(crc32(body.encode('utf-8')) & 0xffffffff)), the cert's subject CN ends
with ".paypal.com", the cert chains to its bundled roots and has not expired,
then crypto.verify(cert, sig, signed_string, "sha256WithRSAEncryption"). It
does not check the cert URL's host: a real receiver must, or trust only a
pinned certificate, as PAYPAL_WEBHOOK_CERT does here.

Event bodies are compact JSON, as PayPal sends them.
"""
import argparse
import base64
import datetime as dt
import hashlib
import json
import os
import sys
import zlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from apigw import make_event, write_event, dump_json  # noqa: E402

API = "https://api.paypal.com"
ZERO_DECIMAL = {"JPY"}  # ISO 4217 exponent 0 among PayPal currencies
# (key, event type); order fixes the NN file prefix.
EVENTS = [
    ("CHECKOUT.ORDER.APPROVED", "CHECKOUT.ORDER.APPROVED"),
    ("PAYMENT.CAPTURE.PENDING", "PAYMENT.CAPTURE.PENDING"),
    ("PAYMENT.CAPTURE.COMPLETED", "PAYMENT.CAPTURE.COMPLETED"),
    ("PAYMENT.CAPTURE.DENIED", "PAYMENT.CAPTURE.DENIED"),
    ("PAYMENT.CAPTURE.REFUNDED.partial", "PAYMENT.CAPTURE.REFUNDED"),
    ("PAYMENT.CAPTURE.REFUNDED.full", "PAYMENT.CAPTURE.REFUNDED"),
    ("CUSTOMER.DISPUTE.CREATED", "CUSTOMER.DISPUTE.CREATED"),
    ("BILLING.PLAN.CREATED", "BILLING.PLAN.CREATED"),  # a type the service ignores
]


# ---------------------------------------------------------------- certificates
def ensure_certs(cert_dir):
    paths = [os.path.join(cert_dir, n) for n in ("ca.pem", "leaf.pem", "leaf-key.pem")]
    if not all(os.path.exists(p) for p in paths):
        make_certs(cert_dir)
    ca = x509.load_pem_x509_certificate(open(paths[0], "rb").read())
    leaf = x509.load_pem_x509_certificate(open(paths[1], "rb").read())
    key = serialization.load_pem_private_key(open(paths[2], "rb").read(), password=None)
    # The leaf's public key alone (SPKI PEM), for receivers that do not parse X.509.
    with open(os.path.join(cert_dir, "leaf-pubkey.pem"), "wb") as f:
        f.write(leaf.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo))
    return ca, leaf, key, paths


def make_certs(cert_dir):
    os.makedirs(cert_dir, exist_ok=True)
    start, end = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc), dt.datetime(2045, 1, 1, tzinfo=dt.timezone.utc)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "payments-backend test fixtures"),
        x509.NameAttribute(NameOID.COMMON_NAME, "Test Webhook Root CA (NOT PayPal)")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(start).not_valid_after(end)
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cn = "messageverificationcerts.paypal.com"
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([
                x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "payments-backend test fixtures (NOT PayPal)"),
                x509.NameAttribute(NameOID.COMMON_NAME, cn)]))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(cn)]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    open(os.path.join(cert_dir, "ca.pem"), "wb").write(ca.public_bytes(pem))
    open(os.path.join(cert_dir, "leaf.pem"), "wb").write(leaf.public_bytes(pem))
    open(os.path.join(cert_dir, "leaf-key.pem"), "wb").write(key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    print("created test CA and leaf in %s" % cert_dir, file=sys.stderr)


# ---------------------------------------------------------------- event bodies
def stable(seed, label, n, alphabet="0123456789ABCDEFGHJKLMNPRSTUVWXY"):
    digest = hashlib.sha256(("%s|%s" % (seed, label)).encode()).digest()
    return "".join(alphabet[b % len(alphabet)] for b in digest[:n])


def money(minor, currency):
    if currency in ZERO_DECIMAL:
        value = str(minor)
    else:
        value = "%s%d.%02d" % ("-" if minor < 0 else "", abs(minor) // 100, abs(minor) % 100)
    return {"currency_code": currency, "value": value}


def iso(t, millis=False):
    s = dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    return s + (".000Z" if millis else "Z")


def link(href, rel, method="GET"):
    return {"href": href, "rel": rel, "method": method}


def capture(a, t, status):
    cap = {
        "id": a.capture_id,
        "amount": money(a.amount_minor, a.currency),
        "final_capture": True,
        "seller_protection": {"status": "ELIGIBLE",
                              "dispute_categories": ["ITEM_NOT_RECEIVED", "UNAUTHORIZED_TRANSACTION"]},
        "invoice_id": a.order_id,
        "custom_id": a.payment_id,
        "status": status,
        "supplementary_data": {"related_ids": {"order_id": a.paypal_order_id}},
        "create_time": iso(t - 60),
        "update_time": iso(t),
        "links": [link("%s/v2/payments/captures/%s" % (API, a.capture_id), "self"),
                  link("%s/v2/payments/captures/%s/refund" % (API, a.capture_id), "refund", "POST"),
                  link("%s/v2/checkout/orders/%s" % (API, a.paypal_order_id), "up")],
    }
    if status == "COMPLETED":
        fee = 0 if a.currency in ZERO_DECIMAL else a.amount_minor * 349 // 10000 + 49
        cap["seller_receivable_breakdown"] = {
            "gross_amount": money(a.amount_minor, a.currency),
            "paypal_fee": money(fee, a.currency),
            "net_amount": money(a.amount_minor - fee, a.currency)}
    if status == "PENDING":
        cap["status_details"] = {"reason": "PENDING_REVIEW"}
    return cap


def refund(a, t, seed, amount, total):
    rid = stable(seed, "refund|%d" % total, 17)
    return {
        "id": rid,
        "amount": money(amount, a.currency),
        "seller_payable_breakdown": {
            "gross_amount": money(amount, a.currency),
            "paypal_fee": money(0, a.currency),
            "net_amount": money(amount, a.currency),
            "total_refunded_amount": money(total, a.currency),  # cumulative over all refunds
        },
        "invoice_id": a.order_id,
        "custom_id": a.payment_id,
        "status": "COMPLETED",
        "create_time": iso(t),
        "update_time": iso(t),
        "links": [link("%s/v2/payments/refunds/%s" % (API, rid), "self"),
                  link("%s/v2/payments/captures/%s" % (API, a.capture_id), "up")],
    }


def order(a, t):
    return {
        "create_time": iso(t - 120),
        "purchase_units": [{
            "reference_id": a.order_id,
            "amount": money(a.amount_minor, a.currency),
            "payee": {"email_address": "merchant@example.com", "merchant_id": "FIXTUREMERCH01"},
            "custom_id": a.payment_id,
            "invoice_id": a.order_id,
        }],
        "links": [link("%s/v2/checkout/orders/%s" % (API, a.paypal_order_id), "self"),
                  link("%s/v2/checkout/orders/%s" % (API, a.paypal_order_id), "update", "PATCH"),
                  link("%s/v2/checkout/orders/%s/capture" % (API, a.paypal_order_id), "capture", "POST")],
        "id": a.paypal_order_id,
        "payment_source": {"paypal": {"email_address": "buyer@example.com", "account_id": "QYR5Z8XDVJNXQ",
                                      "account_status": "VERIFIED",
                                      "name": {"given_name": "Test", "surname": "Buyer"},
                                      "address": {"country_code": "US"}}},
        "intent": "CAPTURE",
        "payer": {"name": {"given_name": "Test", "surname": "Buyer"}, "email_address": "buyer@example.com",
                  "payer_id": "QYR5Z8XDVJNXQ", "address": {"country_code": "US"}},
        "status": "APPROVED",
    }


def dispute(a, t, seed):
    did = "PP-D-" + stable(seed, "dispute", 5, "0123456789")
    return {
        "dispute_id": did,
        "create_time": iso(t, True),
        "update_time": iso(t, True),
        "disputed_transactions": [{
            "seller_transaction_id": a.capture_id,
            "seller": {"merchant_id": "FIXTUREMERCH01", "name": "Fixture Shop"},
            "items": [],
            "seller_protection_eligible": True,
            "create_time": iso(t - 600, True),
            "transaction_status": "COMPLETED",
            "gross_amount": money(a.amount_minor, a.currency),
            "invoice_number": a.order_id,
            "custom": a.payment_id,
        }],
        "reason": "MERCHANDISE_OR_SERVICE_NOT_RECEIVED",
        "status": "OPEN",
        "dispute_amount": money(a.amount_minor, a.currency),
        "dispute_life_cycle_stage": "INQUIRY",
        "dispute_channel": "INTERNAL",
        "links": [link("%s/v1/customer/disputes/%s" % (API, did), "self"),
                  link("%s/v1/customer/disputes/%s/send-message" % (API, did), "send_message", "POST")],
    }


def resource_for(key, a, t, seed):
    """(resource_type, resource_version, summary, resource, extra manifest fields)."""
    amt = "%s %s" % (money(a.amount_minor, a.currency)["value"], a.currency)
    if key == "CHECKOUT.ORDER.APPROVED":
        return "checkout-order", "2.0", "An order has been approved by buyer", order(a, t), {}
    if key.startswith("PAYMENT.CAPTURE.REFUNDED"):
        half = a.amount_minor // 2
        amount, total = (half, half) if key.endswith("partial") else (a.amount_minor - half, a.amount_minor)
        summary = "A %s %s capture payment was refunded" % (money(amount, a.currency)["value"], a.currency)
        return "refund", "2.0", summary, refund(a, t, seed, amount, total), {
            "refundMinor": amount, "totalRefundedMinor": total}
    if key.startswith("PAYMENT.CAPTURE."):
        status, summary = {
            "PENDING": ("PENDING", "Payment pending for %s" % amt),
            "COMPLETED": ("COMPLETED", "Payment completed for %s" % amt),
            "DENIED": ("DECLINED", "Payment denied for %s" % amt),
        }[key.rsplit(".", 1)[1]]
        return "capture", "2.0", summary, capture(a, t, status), {}
    if key == "CUSTOMER.DISPUTE.CREATED":
        return "dispute", None, "A new dispute opened with Case # %s" % dispute(a, t, seed)["dispute_id"], \
            dispute(a, t, seed), {}
    plan_id = "P-" + stable(seed, "plan", 24)
    return "plan", None, "A billing plan was created", {
        "id": plan_id, "product_id": "PROD-" + stable(seed, "product", 17), "name": "Fixture plan",
        "status": "ACTIVE", "create_time": iso(t), "update_time": iso(t),
        "links": [link("%s/v1/billing/plans/%s" % (API, plan_id), "self")]}, {}


# ---------------------------------------------------------------- verification
def sdk_verifier(ca_path, leaf_pem):
    """paypalrestsdk's WebhookEvent.verify with local certs, or None if unusable."""
    import warnings
    warnings.filterwarnings("ignore", category=DeprecationWarning)  # pyOpenSSL's crypto.verify
    try:
        from OpenSSL import crypto
        from paypalrestsdk.notifications import WebhookEvent
        if not hasattr(crypto, "verify"):
            raise ImportError("pyOpenSSL without crypto.verify (removed in 24.3.0)")
    except ImportError as e:
        print("note: paypalrestsdk check skipped (%s); cryptography check only" % e, file=sys.stderr)
        return None
    WebhookEvent._get_cert = staticmethod(lambda url: crypto.load_certificate(crypto.FILETYPE_PEM, leaf_pem))
    WebhookEvent._WebhookEvent__cert_chain_path = [os.path.abspath(ca_path)]
    return WebhookEvent.verify


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--webhook-id", required=True)
    p.add_argument("--payment-id", required=True)
    p.add_argument("--order-id", required=True)
    p.add_argument("--paypal-order-id", required=True)
    p.add_argument("--capture-id", required=True)
    p.add_argument("--amount-minor", type=int, required=True)
    p.add_argument("--currency", default="USD")
    p.add_argument("--time", help="ISO 8601 UTC, e.g. 2025-11-24T16:00:00Z (default now)")
    p.add_argument("--out", required=True)
    p.add_argument("--cert-dir", required=True)
    p.add_argument("--events", default="all", help="comma list of: %s (PAYMENT.CAPTURE.REFUNDED = both)"
                   % ", ".join(k for k, _ in EVENTS))
    p.add_argument("--base64", action="store_true", help="isBase64Encoded bodies")
    a = p.parse_args()
    a.currency = a.currency.upper()
    t0 = int(dt.datetime.fromisoformat(a.time.replace("Z", "+00:00")).timestamp()) if a.time \
        else int(dt.datetime.now(dt.timezone.utc).timestamp())

    ca, leaf, key, (ca_path, leaf_path, _) = ensure_certs(a.cert_dir)
    leaf.verify_directly_issued_by(ca)
    leaf_pem = leaf.public_bytes(serialization.Encoding.PEM)
    cert_url = "%s/v1/notifications/certs/CERT-360caa42-fca2a594-%s" % (
        API, hashlib.sha256(leaf.public_bytes(serialization.Encoding.DER)).hexdigest()[:8])
    sdk_verify = sdk_verifier(ca_path, leaf_pem)

    seed = "|".join([a.webhook_id, a.payment_id, a.order_id, a.paypal_order_id, a.capture_id,
                     str(a.amount_minor), a.currency, str(t0)])
    wanted = None if a.events == "all" else set(x.strip() for x in a.events.split(","))
    os.makedirs(a.out, exist_ok=True)
    manifest = {"webhookId": a.webhook_id, "paymentId": a.payment_id, "orderId": a.order_id,
                "paypalOrderId": a.paypal_order_id, "captureId": a.capture_id,
                "amountMinor": a.amount_minor, "currency": a.currency, "time": iso(t0),
                "certPath": os.path.relpath(leaf_path, a.out), "caPath": os.path.relpath(ca_path, a.out),
                "certUrl": cert_url, "authAlgo": "SHA256withRSA", "events": []}
    for n, (key_name, etype) in enumerate(EVENTS, 1):
        if wanted is not None and key_name not in wanted and etype not in wanted:
            continue
        t = t0 + n
        rtype, rversion, summary, resource, extra = resource_for(key_name, a, t, seed)
        event_id = "WH-%s-%s" % (stable(seed, "evt|" + key_name, 17), stable(seed, "evt2|" + key_name, 17))
        event = {"id": event_id, "event_version": "1.0", "create_time": iso(t, True),
                 "resource_type": rtype}
        if rversion:
            event["resource_version"] = rversion
        event.update({"event_type": etype, "summary": summary, "resource": resource, "links": [
            link("%s/v1/notifications/webhooks-events/%s" % (API, event_id), "self"),
            link("%s/v1/notifications/webhooks-events/%s/resend" % (API, event_id), "resend", "POST")]})
        body = json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

        h = hashlib.sha256(("%s|tid|%s" % (seed, key_name)).encode()).hexdigest()
        transmission_id = "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:32])
        transmission_time = iso(t)
        crc = zlib.crc32(body) & 0xFFFFFFFF
        signed = "%s|%s|%s|%d" % (transmission_id, transmission_time, a.webhook_id, crc)
        sig = base64.b64encode(key.sign(signed.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())).decode()

        leaf.public_key().verify(base64.b64decode(sig), signed.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
        if sdk_verify and not sdk_verify(transmission_id, transmission_time, a.webhook_id,
                                         body.decode("utf-8"), cert_url, sig, "SHA256withRSA"):
            sys.exit("paypalrestsdk rejected %s" % etype)

        headers = {
            "accept": "*/*",
            "content-type": "application/json",
            "correlation-id": h[32:45],
            "paypal-auth-algo": "SHA256withRSA",
            "paypal-auth-version": "v2",
            "paypal-cert-url": cert_url,
            "paypal-transmission-id": transmission_id,
            "paypal-transmission-sig": sig,
            "paypal-transmission-time": transmission_time,
            "user-agent": "PayPal/AUHD-214.0-58844374",
        }
        fname = "%02d-%s.json" % (n, etype)
        write_event(os.path.join(a.out, fname), make_event(
            "POST", "/webhooks/paypal", headers, body, base64=a.base64,
            request_id=transmission_id, time=t))
        entry = {"file": fname, "eventType": etype, "eventId": event_id,
                 "resourceId": resource.get("id") or resource.get("dispute_id"),
                 "transmissionId": transmission_id, "transmissionTime": transmission_time,
                 "transmissionSig": sig, "crc32": crc, "signedString": signed}
        entry.update(extra)
        manifest["events"].append(entry)
        print("wrote %s (%s)" % (fname, event_id), file=sys.stderr)
    # One plausible lifecycle: everything except the denial (a capture is COMPLETED xor DENIED).
    manifest["history"] = [e["file"] for e in manifest["events"] if e["eventType"] != "PAYMENT.CAPTURE.DENIED"]
    with open(os.path.join(a.out, "manifest.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write(dump_json(manifest))


if __name__ == "__main__":
    main()
