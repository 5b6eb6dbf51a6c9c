"""schemathesis hooks for scripts/contract_test.sh (loaded with SCHEMATHESIS_HOOKS=contract_hooks).

One custom check, `webhook_unverified_is_400`: schemathesis has none of the providers' secrets, so no
delivery it makes to POST /webhooks/{provider} is signed with them. DESIGN.md: "anything unverified is
rejected and stores nothing", and README: every webhook answers 400 when not verified. So every answer
on a webhook route must be 400, an application/problem+json problem whose type is one of those the
spec lists for an unverified delivery (docs/openapi.yaml, components/responses/WebhookNotVerified).
A 200 here would mean a forged notification was accepted.

Random header values mostly stop at the first parse step (a timestamp that is not a number, a time
that is not ISO 8601), so the hooks below also forge deliveries that pass every step but the
signature itself: for about half of the generated webhook requests, Stripe-Signature gets the
current time and a well-formed v1 (a random HMAC), PayPal's headers a current transmission time, a
PayPal certificate URL, SHA256withRSA and a random 256-byte signature, and Braintree's form this
service's public key (BRAINTREE_PUBLIC_KEY, set by contract_test.sh) with a random HMAC-SHA1 and a
real notification payload. They reach the signature comparison, which must refuse them.
"""

import base64
import datetime
import functools
import json
import os
import time

import schemathesis
from hypothesis import strategies as st

UNVERIFIED_TYPES = {
    "/problems/invalid-signature",
    "/problems/malformed-notification",
    "/problems/invalid-base64",
}


@schemathesis.check
def webhook_unverified_is_400(ctx, response, case):
    """Every delivery schemathesis makes to a webhook route is unsigned or badly signed: it must be a 400 problem."""
    if not case.operation.path.startswith("/webhooks/") or case.method.upper() != "POST":
        return None
    if response.status_code != 400:
        raise AssertionError(
            f"{case.method} {case.operation.path} answered {response.status_code} to a delivery that is not signed "
            f"with the provider's secret: an unverified webhook must be refused with 400"
        )
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    if not content_type.startswith("application/problem+json"):
        raise AssertionError(f"the 400 is {content_type!r}, not application/problem+json")
    try:
        problem = json.loads(response.content)
    except ValueError as error:
        raise AssertionError(f"the 400's body is not JSON: {error}") from error
    if not isinstance(problem, dict) or problem.get("type") not in UNVERIFIED_TYPES:
        raise AssertionError(f"the 400's problem type is {problem.get('type') if isinstance(problem, dict) else problem!r}, "
                             f"not one of {sorted(UNVERIFIED_TYPES)}")
    return True


def _operation_path(ctx):
    return ctx.operation.path if ctx.operation is not None else ""


# Named functions, not lambdas, in the strategies below: Hypothesis describes a lambda by parsing its
# source, and Python 3.11's ast.parse is not safe across schemathesis's worker threads ("AST
# constructor recursion depth mismatch").

def _forge_stripe(headers, signature):
    forged = dict(headers)
    forged["Stripe-Signature"] = f"t={int(time.time())},v1={signature.hex()}"
    return forged


def _forge_paypal(headers, transmission_id, signature):
    forged = dict(headers)
    forged.update({
        "PAYPAL-TRANSMISSION-ID": str(transmission_id),
        "PAYPAL-TRANSMISSION-TIME": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "PAYPAL-TRANSMISSION-SIG": base64.b64encode(signature).decode(),
        "PAYPAL-CERT-URL": "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77",
        "PAYPAL-AUTH-ALGO": "SHA256withRSA",
    })
    return forged


def _fresh_key(headers, key):
    fresh = dict(headers)
    fresh["Idempotency-Key"] = str(key)
    return fresh


@schemathesis.hook
def flatmap_headers(ctx, headers):
    """Webhooks: half of the deliveries carry well-formed, current, wrong signatures. Payments: half
    of the requests get a fresh Idempotency-Key (a UUID), as a shop sends, so that the bodies reach
    the provider instead of /problems/idempotency-key-reused for the few short keys drawn again and again."""
    path = _operation_path(ctx)
    if not isinstance(headers, dict):
        return st.just(headers)
    if path == "/webhooks/stripe":
        return st.one_of(st.just(headers), st.builds(functools.partial(_forge_stripe, headers), st.binary(min_size=32, max_size=32)))
    if path == "/webhooks/paypal":
        return st.one_of(st.just(headers), st.builds(functools.partial(_forge_paypal, headers),
                                                     st.uuids(), st.binary(min_size=256, max_size=256)))
    if path in PAYMENT_TOKENS:
        return st.one_of(st.just(headers), st.builds(functools.partial(_fresh_key, headers), st.uuids()))
    return st.just(headers)


# The simulators' test tokens (README, "payments simulate"): random strings are refused by the
# providers, so without these no declined (402) or 3-D Secure answer would ever be checked. PayPal
# takes no token. Random three-letter codes are mostly not ISO 4217 currencies, hence real ones too.
PAYMENT_TOKENS = {
    "/payments/stripe": ["pm_card_visa", "pm_card_chargeDeclined", "pm_card_authenticationRequired"],
    "/payments/paypal": [None],
    "/payments/braintree": ["fake-valid-nonce", "fake-processor-declined-visa-nonce", "fake-gateway-rejected-fraud-nonce"],
}
CURRENCIES = ["USD", "EUR", "GBP", "JPY", "usd"]


def _with_token(body, token, currency):
    changed = dict(body)
    changed["currency"] = currency
    if token is not None:
        changed["paymentMethod"] = token
    return changed


def _forge_braintree(body, signature, kind):
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    xml = f'<notification><kind>{kind}</kind><timestamp type="datetime">{now}</timestamp><subject/></notification>'
    forged = dict(body)
    forged["bt_signature"] = f"{os.environ.get('BRAINTREE_PUBLIC_KEY', 'public_key')}|{signature.hex()}"
    forged["bt_payload"] = base64.b64encode(xml.encode()).decode() + "\n"
    return forged


@schemathesis.hook
def flatmap_body(ctx, body):
    """Payments: half of the bodies carry a real currency and one of the simulator's test tokens.
    Braintree's webhook: half of the forms name this service's public key, with a wrong HMAC over a
    real-looking payload."""
    path = _operation_path(ctx)
    if not isinstance(body, dict):
        return st.just(body)
    if path in PAYMENT_TOKENS:
        return st.one_of(st.just(body), st.builds(functools.partial(_with_token, body),
                                                  st.sampled_from(PAYMENT_TOKENS[path]), st.sampled_from(CURRENCIES)))
    if path == "/webhooks/braintree":
        return st.one_of(st.just(body), st.builds(functools.partial(_forge_braintree, body),
                                                  st.binary(min_size=20, max_size=20),
                                                  st.sampled_from(["transaction_settled", "dispute_opened", "check"])))
    return st.just(body)
