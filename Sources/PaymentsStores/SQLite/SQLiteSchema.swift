import PaymentsCore
import Platform
import SQLiteAdapter

/// The local schema. A payment is one row, a column per field: no JSON to encode and decode on the
/// webhook's hot path. Events are kept as their JSON, exactly as they will be published.
enum SQLiteSchema {
    /// Kept in `PRAGMA user_version`. A store written by another version of the schema is refused with
    /// a clear error instead of being half-understood.
    ///
    /// The policy: the version changes only for a breaking change (a column renamed, retyped or given
    /// a new meaning, a constraint tightened), which an older build would misread. An additive change
    /// that older builds simply ignore (a new nullable column, a new table) keeps the version and is
    /// applied when a store is opened (`additions`), so a store made before it keeps working unchanged.
    static let version = 1

    /// Additive changes since version 1 was first written, each applied once when missing.
    /// `customer_phone`: the customer's E.164 number (SMS notifications). `bus_consumers`: how far the
    /// local bus has handed its events to each consumer (`payments` CLI). `webhook_transmissions`: the
    /// webhook transmissions already accepted (`SQLiteTransmissionLedger`).
    static func applyAdditions(_ connection: Connection) throws {
        let columns = try connection.query("PRAGMA table_info(payments)").compactMap { $0.count > 1 ? $0[1] : nil }
        if !columns.contains("customer_phone") {
            try connection.execute("ALTER TABLE payments ADD COLUMN customer_phone TEXT")
        }
        try connection.execute(busConsumersTable)
        try connection.execute(webhookTransmissionsTable)
    }

    /// Kept until `expires_at` (epoch seconds); the index serves the clean-up of expired rows.
    static let webhookTransmissionsTable = """
        CREATE TABLE IF NOT EXISTS webhook_transmissions (
            provider TEXT NOT NULL,
            id TEXT NOT NULL,
            body_sha256 TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            PRIMARY KEY (provider, id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS webhook_transmissions_by_expiry ON webhook_transmissions (expires_at);
        """

    static let busConsumersTable = """
        CREATE TABLE IF NOT EXISTS bus_consumers (
            consumer TEXT PRIMARY KEY,
            delivered_seq INTEGER NOT NULL
        );
        """

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
            try applyAdditions(connection)
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
            customer_phone TEXT,
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
