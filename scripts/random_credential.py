#!/usr/bin/env python3
"""Print a fresh random credential of a provider's real shape, for local runs and tests.

The webhook functions refuse to start on a secret that is not the provider's shape or looks typed
(whsec_pending, WH-1, pub), so scripts make unguessable values of the right shape instead:

  stripe-webhook-secret   whsec_ and 64 hex digits (the shape `stripe listen` prints)
  paypal-webhook-id       17 upper-case letters and digits (PayPal's webhook ids)
  braintree-public-key    16 lower-case letters and digits
  braintree-private-key   32 hex digits

Usage: random_credential.py KIND
"""
import secrets
import string
import sys

UPPER = string.ascii_uppercase + string.digits
LOWER = string.ascii_lowercase + string.digits
KINDS = {
    "stripe-webhook-secret": lambda: "whsec_" + secrets.token_hex(32),
    "paypal-webhook-id": lambda: "".join(secrets.choice(UPPER) for _ in range(17)),
    "braintree-public-key": lambda: "".join(secrets.choice(LOWER) for _ in range(16)),
    "braintree-private-key": lambda: secrets.token_hex(16),
}

if len(sys.argv) != 2 or sys.argv[1] not in KINDS:
    sys.exit(__doc__)
print(KINDS[sys.argv[1]]())
