import Platform

/// A service's own SQLite file: its schema, and the two event tables every service's file has
/// (`outbox` for `SQLiteOutbox`, `bus_events` for `SQLiteEventBus`).
public enum SQLiteServiceFile {
    /// Created with the service's schema.
    package static let eventTables = """
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

    /// Opens a service's file at `path`: a new file gets `schema` and the event tables at `version`;
    /// an existing one must be of that version and hold `table`, or it is refused with `refusal`
    /// (another service's file, or one from another build).
    public static func open(path: String, schema: String, version: Int, table: String, refusal: String) throws -> SQLiteDatabase {
        let database = try SQLiteDatabase(path: path)
        try database.transaction { connection in
            let found = Int(try connection.query("PRAGMA user_version").first?.first.flatMap { $0 } ?? "0") ?? 0
            let tables = Set(try connection.query("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0.first ?? nil })
            if found == 0, tables.isEmpty {
                try connection.execute(schema + Self.eventTables + "PRAGMA user_version = \(version);")
            } else if found != version || !tables.contains(table) {
                throw StoreError(refusal)
            }
        }
        return database
    }

    /// The events a service's file has published to its local bus, oldest first.
    public static func published(_ database: SQLiteDatabase) throws -> [ServiceEvent] {
        try SQLiteEventBus(database: database).events().map { try ServiceEvent($0.event) }
    }
}
