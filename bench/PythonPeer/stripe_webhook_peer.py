"""The Python peer of the webhook benchmark: what a shop would write with Stripe's official SDK and sqlite3.

Reads deliveries (one JSON object per line: {"body": ..., "signature": ...}) that payments-bench signed,
and for each one does the work our stripe-webhook does on the hot path, the way a Python handler would:

    stripe.Webhook.construct_event(body, signature, secret)   # verify (HMAC-SHA256, tolerance) + parse
    BEGIN IMMEDIATE; SELECT payment; UPDATE status, version; INSERT outbox event; COMMIT

on the same schema and pragmas as the C floor (bench/Floor/floor.c): WAL, synchronous=NORMAL.
Prints one JSON line: {"events": N, "stored": N, "wall_us_per_event": ..., "cpu_us_per_event": ...}.
Usage: python stripe_webhook_peer.py --deliveries FILE --secret SECRET --store PATH
"""
import argparse
import json
import sqlite3
import time

import stripe


def prepare(path, payment_ids):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE payments (id TEXT PRIMARY KEY, status TEXT NOT NULL, amount INTEGER NOT NULL, version INTEGER NOT NULL)")
    db.execute("CREATE TABLE outbox (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL, payment_id TEXT NOT NULL, event TEXT NOT NULL)")
    db.execute("BEGIN")
    db.executemany("INSERT INTO payments VALUES (?, 'pending', 2000, 1)", [(pid,) for pid in payment_ids])
    db.execute("COMMIT")
    return db


def handle(db, body, signature, secret):
    """One delivery: True when it was verified and stored as a transition."""
    try:
        event = stripe.Webhook.construct_event(body, signature, secret)
    except (ValueError, stripe.SignatureVerificationError):
        return False
    intent = event["data"]["object"]
    payment_id = intent["metadata"]["payment_id"]
    amount = intent["amount"]
    db.execute("BEGIN IMMEDIATE")
    try:
        row = db.execute("SELECT status, amount, version FROM payments WHERE id = ?", (payment_id,)).fetchone()
        if row is None or row[1] != amount:
            return False
        version = row[2] + 1
        db.execute("UPDATE payments SET status = 'succeeded', version = ? WHERE id = ? AND version = ?", (version, payment_id, row[2]))
        event_id = f"{payment_id}-v{version}"
        detail = {"amount": amount, "eventId": event_id, "paymentId": payment_id, "status": "succeeded", "version": version}
        document = json.dumps({"detail": detail, "detail-type": "PaymentSucceeded", "source": "shop.payments"},
                              sort_keys=True, separators=(",", ":"))
        db.execute("INSERT INTO outbox (event_id, payment_id, event) VALUES (?, ?, ?)", (event_id, payment_id, document))
        return True
    finally:
        db.execute("COMMIT")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--store", required=True)
    args = parser.parse_args()
    with open(args.deliveries) as file:
        deliveries = [json.loads(line) for line in file if line.strip()]
    ids = [json.loads(d["body"])["data"]["object"]["metadata"]["payment_id"] for d in deliveries]
    db = prepare(args.store, ids)
    wall, cpu = time.perf_counter(), time.process_time()
    stored = sum(handle(db, d["body"], d["signature"], args.secret) for d in deliveries)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    count = len(deliveries)
    print(json.dumps({"events": count, "stored": stored,
                      "wall_us_per_event": wall / count * 1e6, "cpu_us_per_event": cpu / count * 1e6}))


if __name__ == "__main__":
    main()
