import Platform

/// The outbox table of a service's SQLite file (`outbox`: `seq`, `event_id`, `event`, and whatever
/// columns the service adds): events written with their change, read and removed by the drain that
/// publishes them after a function's answer.
public struct SQLiteOutbox: StreamedOutbox {
    public let database: SQLiteDatabase

    public init(database: SQLiteDatabase) { self.database = database }

    /// Appends events to the outbox, inside the caller's transaction.
    public static func append(_ events: [EncodedEvent], in connection: Connection) throws {
        for event in events {
            try connection.query("INSERT INTO outbox (event_id, event) VALUES (?, ?)",
                                 [.text(event.id), .text(String(decoding: event.json, as: UTF8.self))])
        }
    }

    public func unpublished(limit: Int) throws -> [EncodedEvent] {
        try database.withConnection { connection in
            try connection.query("SELECT event FROM outbox ORDER BY seq LIMIT ?", [.integer(Int64(limit))])
                .map { try EncodedEvent(json: Array(($0[0] ?? "").utf8)) }
        }
    }

    public func unpublishedEventIDs(among eventIDs: [String]) throws -> Set<String> {
        try database.withConnection { connection in
            var found = Set<String>()
            for id in Set(eventIDs) where try !connection.query("SELECT 1 FROM outbox WHERE event_id = ?", [.text(id)]).isEmpty {
                found.insert(id)
            }
            return found
        }
    }

    public func markPublished(eventIDs: [String]) throws {
        try database.transaction { connection in
            for id in eventIDs { try connection.query("DELETE FROM outbox WHERE event_id = ?", [.text(id)]) }
        }
    }
}
