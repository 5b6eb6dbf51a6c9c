#!/usr/bin/env python3
"""Print an API Gateway v2 event for `POST /payments/{provider}` (the shop's create call).

Test and demo helper only:
    python3 scripts/payment_request_event.py --provider stripe --order-id ord_1 \
        --amount 2500 --currency eur --key demo-1 > create.json
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import apigw  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provider", required=True)
    parser.add_argument("--order-id", required=True)
    parser.add_argument("--amount", type=int, required=True, help="minor units")
    parser.add_argument("--currency", required=True)
    parser.add_argument("--key", required=True, help="Idempotency-Key header")
    parser.add_argument("--payment-method", help="provider token (pm_..., a Braintree nonce)")
    parser.add_argument("--email")
    parser.add_argument("--phone", help="customerPhone, E.164 (+14155550123)")
    args = parser.parse_args()
    body = {"orderId": args.order_id, "amount": args.amount, "currency": args.currency}
    if args.payment_method:
        body["paymentMethod"] = args.payment_method
    if args.email:
        body["customerEmail"] = args.email
    if args.phone:
        body["customerPhone"] = args.phone
    event = apigw.make_event("POST", "/payments/%s" % args.provider,
                             {"content-type": "application/json", "idempotency-key": args.key},
                             json.dumps(body))
    sys.stdout.write(apigw.dump_json(event))


if __name__ == "__main__":
    main()
