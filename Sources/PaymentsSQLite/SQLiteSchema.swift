/// The local schema. A payment is kept as its JSON record (as a DynamoDB item would be) with the
/// columns its look-ups and conditional updates need beside it.
enum SQLiteSchema {
    static let statements = """
        CREATE TABLE IF NOT EXISTS payments (
            id TEXT PRIMARY KEY,
            provider TEXT NOT NULL,
            provider_reference TEXT,
            idempotency_key TEXT NOT NULL,
            request_fingerprint TEXT NOT NULL,
            version INTEGER NOT NULL,
            record TEXT NOT NULL,
            UNIQUE (provider, idempotency_key)
        );
        CREATE UNIQUE INDEX IF NOT EXISTS payments_by_reference
            ON payments (provider, provider_reference) WHERE provider_reference IS NOT NULL;
        CREATE TABLE IF NOT EXISTS outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE,
            payment_id TEXT NOT NULL,
            event TEXT NOT NULL,
            published_at TEXT
        );
        CREATE INDEX IF NOT EXISTS outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
        CREATE TABLE IF NOT EXISTS bus_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE,
            detail_type TEXT NOT NULL,
            event TEXT NOT NULL
        );
        """
}
