#include "BenchFloor.h"
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int exec(sqlite3 *db, const char *sql) { return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1; }

static sqlite3 *open_store(const char *path) {
    sqlite3 *db = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK) return NULL;
    exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;");
    return db;
}

int floor_prepare(const char *path, int count) {
    sqlite3 *db = open_store(path);
    if (!db) return -1;
    exec(db, "CREATE TABLE payments (id TEXT PRIMARY KEY, status TEXT NOT NULL, amount INTEGER NOT NULL, version INTEGER NOT NULL);"
             "CREATE TABLE outbox (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL, payment_id TEXT NOT NULL, event TEXT NOT NULL);");
    sqlite3_stmt *insert;
    sqlite3_prepare_v2(db, "INSERT INTO payments VALUES (?, 'pending', 2000, 1)", -1, &insert, NULL);
    exec(db, "BEGIN");
    char id[64];
    for (int i = 0; i < count; i++) {
        snprintf(id, sizeof id, "pay_bench%d", i);
        sqlite3_bind_text(insert, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_step(insert);
        sqlite3_reset(insert);
    }
    exec(db, "COMMIT");
    sqlite3_finalize(insert);
    sqlite3_close(db);
    return 0;
}

// The value after `key` up to the closing quote, or NULL.
static const char *scan_string(const char *json, const char *key, size_t *length) {
    const char *at = strstr(json, key);
    if (!at) return NULL;
    at += strlen(key);
    const char *end = strchr(at, '"');
    if (!end) return NULL;
    *length = (size_t)(end - at);
    return at;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

// Stripe-Signature: t=TIMESTAMP,v1=HEX. HMAC-SHA256 over "TIMESTAMP.BODY", compared in constant time.
static int verify(const char *header, const char *body, const char *secret, long now) {
    if (strncmp(header, "t=", 2) != 0) return 0;
    long timestamp = strtol(header + 2, NULL, 10);
    if (labs(now - timestamp) > 300) return 0;
    const char *v1 = strstr(header, "v1=");
    if (!v1 || strlen(v1 + 3) < 64) return 0;
    unsigned char expected[32];
    for (int i = 0; i < 32; i++) {
        int high = hex_value(v1[3 + 2 * i]), low = hex_value(v1[4 + 2 * i]);
        if (high < 0 || low < 0) return 0;
        expected[i] = (unsigned char)(high << 4 | low);
    }
    const char *comma = strchr(header, ',');
    size_t prefix = (size_t)(comma - (header + 2));
    size_t body_length = strlen(body);
    size_t payload_length = prefix + 1 + body_length;
    char *payload = malloc(payload_length);
    memcpy(payload, header + 2, prefix);
    payload[prefix] = '.';
    memcpy(payload + prefix + 1, body, body_length);
    unsigned char mac[32];
    unsigned int mac_length = 0;
    HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)payload, payload_length, mac, &mac_length);
    free(payload);
    return CRYPTO_memcmp(mac, expected, 32) == 0;
}

int floor_run(const char *path, const char *const *bodies, const char *const *signatures, int count,
              const char *secret, long now) {
    sqlite3 *db = open_store(path);
    if (!db) return -1;
    sqlite3_stmt *select, *update, *insert;
    sqlite3_prepare_v2(db, "SELECT status, amount, version FROM payments WHERE id = ?", -1, &select, NULL);
    sqlite3_prepare_v2(db, "UPDATE payments SET status = 'succeeded', version = ? WHERE id = ? AND version = ?", -1, &update, NULL);
    sqlite3_prepare_v2(db, "INSERT INTO outbox (event_id, payment_id, event) VALUES (?, ?, ?)", -1, &insert, NULL);
    sqlite3_stmt *begin, *commit;
    sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL);
    sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL);
    int stored = 0;
    char id[128], event_id[160], event[512];
    for (int i = 0; i < count; i++) {
        if (!verify(signatures[i], bodies[i], secret, now)) continue;
        size_t length;
        const char *payment = scan_string(bodies[i], "\"payment_id\":\"", &length);
        const char *amount_at = strstr(bodies[i], "\"amount\":");
        if (!payment || !amount_at || length >= sizeof id) continue;
        memcpy(id, payment, length);
        id[length] = 0;
        long amount = strtol(amount_at + 9, NULL, 10);

        sqlite3_step(begin);
        sqlite3_reset(begin);
        sqlite3_bind_text(select, 1, id, (int)length, SQLITE_STATIC);
        if (sqlite3_step(select) == SQLITE_ROW && sqlite3_column_int64(select, 1) == amount) {
            long version = sqlite3_column_int64(select, 2);
            sqlite3_reset(select);
            sqlite3_bind_int64(update, 1, version + 1);
            sqlite3_bind_text(update, 2, id, (int)length, SQLITE_STATIC);
            sqlite3_bind_int64(update, 3, version);
            sqlite3_step(update);
            sqlite3_reset(update);
            snprintf(event_id, sizeof event_id, "%s-v%ld", id, version + 1);
            snprintf(event, sizeof event,
                     "{\"detail\":{\"amount\":%ld,\"eventId\":\"%s\",\"paymentId\":\"%s\",\"status\":\"succeeded\",\"version\":%ld},"
                     "\"detail-type\":\"PaymentSucceeded\",\"source\":\"shop.payments\"}",
                     amount, event_id, id, version + 1);
            sqlite3_bind_text(insert, 1, event_id, -1, SQLITE_STATIC);
            sqlite3_bind_text(insert, 2, id, (int)length, SQLITE_STATIC);
            sqlite3_bind_text(insert, 3, event, -1, SQLITE_STATIC);
            sqlite3_step(insert);
            sqlite3_reset(insert);
            stored++;
        } else {
            sqlite3_reset(select);
        }
        sqlite3_step(commit);
        sqlite3_reset(commit);
    }
    sqlite3_finalize(select);
    sqlite3_finalize(update);
    sqlite3_finalize(insert);
    sqlite3_finalize(begin);
    sqlite3_finalize(commit);
    sqlite3_close(db);
    return stored;
}
