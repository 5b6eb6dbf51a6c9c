import PaymentsCore

/// The local schema. A payment is one row, a column per field: no JSON to encode and decode on the
/// webhook's hot path. Events are kept as their JSON, exactly as they will be published.
enum SQLiteSchema {
    /// Kept in `PRAGMA user_version`. A store written by another version of the schema is refused with
    /// a clear error instead of being half-understood.
    static let version = 1

    /// Creates the tables in a new store, or checks that an existing one has this schema.
    static func prepare(_ connection: Connection) throws {
        try connection.execute("BEGIN IMMEDIATE")
        do {
            let found = Int(try connection.query("PRAGMA user_version").first?.first.flatMap { $0 } ?? "0") ?? 0
            let hasTables = try !connection.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'payments'").isEmpty
            if found == 0, !hasTables {
                try connection.execute(statements + "PRAGMA user_version = \(version);")
            } else if found != version {
                throw StoreError("the SQLite store has schema version \(found), this build uses \(version): use a new PAYMENTS_STORE file, or the build that wrote it")
            }
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    static let statements = """
        CREATE TABLE payments (
            id TEXT PRIMARY KEY,
            provider TEXT NOT NULL,
            provider_reference TEXT,
            idempotency_key TEXT NOT NULL,
            request_fingerprint TEXT NOT NULL,
            version INTEGER NOT NULL,
            order_id TEXT NOT NULL,
            amount INTEGER NOT NULL,
            currency TEXT NOT NULL,
            progress INTEGER NOT NULL,
            refunded_amount INTEGER NOT NULL,
            dispute INTEGER NOT NULL,
            customer_email TEXT,
            description TEXT,
            client_secret TEXT,
            approval_url TEXT,
            failure_kind TEXT,
            failure_code TEXT,
            failure_message TEXT,
            created_at_ms INTEGER NOT NULL,
            updated_at_ms INTEGER NOT NULL,
            attempt_started_ms INTEGER,
            UNIQUE (provider, idempotency_key)
        );
        CREATE UNIQUE INDEX payments_by_reference
            ON payments (provider, provider_reference) WHERE provider_reference IS NOT NULL;
        -- Events waiting to be published; a published event leaves the outbox (the bus keeps history).
        -- No index beyond the rowid: every one would be another page written with each status change.
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL,
            payment_id TEXT NOT NULL,
            event TEXT NOT NULL
        );
        CREATE TABLE bus_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE,
            detail_type TEXT NOT NULL,
            event TEXT NOT NULL
        );
        """
}
