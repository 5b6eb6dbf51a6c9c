#!/usr/bin/env bash
# Regenerate every generated fixture under Tests/Fixtures (test peers only).
# Run from anywhere, after scripts/setup.sh (the SDKs are in .venv, never the system Python).
# Output is byte-for-byte identical on every run (fixed times, seeds and the
# committed PayPal test certificates), so `git diff` after running it is empty.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python3}
F=Tests/Fixtures

rm -f "$F"/Stripe/webhooks/*.json
"$PY" scripts/stripe_webhooks.py --secret whsec_kKxgprTwyuhW4d6khhengyJTaMHNYdUo --timestamp 1764000000 \
  --payment-id pay_fixture0001 --order-id ord_fixture0001 --intent pi_fixture0001 \
  --amount 2000 --currency usd --out "$F"/Stripe/webhooks

rm -f "$F"/Braintree/webhooks/*.json
"$PY" scripts/braintree_webhooks.py --merchant-id fixture_merchant --public-key xp7tt5skerppiitf \
  --private-key 326ee959b2a0b05197dd93eb727fc644 --transaction-id bt_txn_fixture1 --timestamp 1764000000 \
  --out "$F"/Braintree/webhooks

rm -f "$F"/PayPal/webhooks/*.json
"$PY" scripts/paypal_webhooks.py --webhook-id 54G9F6M4PS635I2IM --payment-id pay_fixture0002 \
  --order-id ord_fixture0002 --paypal-order-id 5O190127TN364715T --capture-id 3C679366HH908993F \
  --amount-minor 2000 --currency USD --time 2025-11-24T16:00:00Z \
  --out "$F"/PayPal/webhooks --cert-dir "$F"/PayPal/certs

"$PY" scripts/sigv4_fixtures.py --out "$F"/AWS/sigv4.json
