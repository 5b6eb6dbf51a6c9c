#ifndef BENCH_FLOOR_H
#define BENCH_FLOOR_H

// The floor of the webhook path: the least work a Stripe webhook can cost, in C. HMAC-SHA256 of the
// signed payload with OpenSSL, a hand scan of the JSON for the payment id and amount, and
// BEGIN IMMEDIATE; SELECT; UPDATE; INSERT outbox; COMMIT on prepared statements, WAL,
// synchronous=NORMAL. The bench runs it on the same deliveries as ours, with the same clocks.

// Creates the store at `path` with `count` pending payments pay_bench0... Returns 0 on success.
int floor_prepare(const char *path, int count);

// Handles `count` deliveries (bodies and their Stripe-Signature headers) against the store at `path`.
// Returns how many were verified and stored as transitions, or -1 when the store cannot be opened.
int floor_run(const char *path, const char *const *bodies, const char *const *signatures, int count,
              const char *secret, long now);

#endif
