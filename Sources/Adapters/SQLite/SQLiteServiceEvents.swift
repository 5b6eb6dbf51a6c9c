import PaymentsCore

/// The outbox and the local published-events table of a consumer service's SQLite store (Delivery,
/// Notification): the same two tables as the payments store's `outbox` and `bus_events`, in the
/// service's own file. Events are kept as their one JSON encoding.
public enum SQLiteServiceEvents {
    /// Created with the service's schema.
    public static let tables = """
        CREATE TABLE IF NOT EXISTS outbox (
            seq INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL UNIQUE,
            event TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS bus_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE,
            detail_type TEXT NOT NULL,
            event TEXT NOT NULL
        );
        """

    /// Opens a consumer service's store at `path`: a new file gets `schema` and these tables at
    /// `version`; an existing one must be of that version and hold `table`, or it is refused with
    /// `refusal` (another service's file, or one from another build).
    public static func openStore(path: String, schema: String, version: Int, table: String, refusal: String) throws -> SQLiteDatabase {
        let database = try SQLiteDatabase(path: path)
        try database.transaction { connection in
            let found = Int(try connection.query("PRAGMA user_version").first?.first.flatMap { $0 } ?? "0") ?? 0
            let tables = Set(try connection.query("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0.first ?? nil })
            if found == 0, tables.isEmpty {
                try connection.execute(schema + Self.tables + "PRAGMA user_version = \(version);")
            } else if found != version || !tables.contains(table) {
                throw StoreError(refusal)
            }
        }
        return database
    }

    /// Appends events to the outbox, inside the caller's transaction.
    public static func append(_ events: [ServiceEvent], in connection: Connection) throws {
        for event in events {
            try connection.query("INSERT INTO outbox (event_id, event) VALUES (?, ?)",
                                 [.text(event.id), .text(String(decoding: try event.json(), as: UTF8.self))])
        }
    }

    public static func unpublished(_ database: SQLiteDatabase, limit: Int) throws -> [ServiceEvent] {
        try database.withConnection { connection in
            try connection.query("SELECT event FROM outbox ORDER BY seq LIMIT ?", [.integer(Int64(limit))])
                .map { try ServiceEvent(json: Array(($0[0] ?? "").utf8)) }
        }
    }

    public static func remove(_ database: SQLiteDatabase, eventIDs: [String]) throws {
        try database.transaction { connection in
            for id in eventIDs { try connection.query("DELETE FROM outbox WHERE event_id = ?", [.text(id)]) }
        }
    }

    /// The published events, oldest first.
    public static func published(_ database: SQLiteDatabase) throws -> [ServiceEvent] {
        try database.withConnection { connection in
            try connection.query("SELECT event FROM bus_events ORDER BY seq").map { try ServiceEvent(json: Array(($0[0] ?? "").utf8)) }
        }
    }
}

/// The local bus of a consumer service: its `bus_events` table, which `payments events --source` prints.
/// Idempotent on the event id.
public struct SQLiteServiceBus: EventPublisher {
    public let database: SQLiteDatabase

    public init(database: SQLiteDatabase) { self.database = database }

    public func publish(_ events: [PaymentEvent]) throws -> PublishResult { try publish(busEvents: events) }

    public func publish(busEvents events: [any BusEvent]) throws -> PublishResult {
        let encoded = try events.map { ($0, String(decoding: try $0.json(), as: UTF8.self)) }
        try database.transaction { connection in
            for (event, text) in encoded {
                try connection.query("INSERT OR IGNORE INTO bus_events (event_id, detail_type, event) VALUES (?, ?, ?)",
                                     [.text(event.id), .text(event.detailType), .text(text)])
            }
        }
        return .allPublished
    }
}
