import Platform

/// The local event bus of a service's SQLite file: the `bus_events` table, which the CLI's `events`
/// command prints and the local consumers read. Publishing is
/// idempotent on the event id, as EventBridge consumers must be. The service's schema creates the table.
public struct SQLiteEventBus: EventPublisher {
    public let database: SQLiteDatabase

    public init(database: SQLiteDatabase) { self.database = database }

    public func publish(_ events: [EncodedEvent]) throws -> PublishResult {
        try database.transaction { connection in
            for event in events {
                try connection.query("INSERT OR IGNORE INTO bus_events (event_id, detail_type, event) VALUES (?, ?, ?)",
                                     [.text(event.id), .text(event.detailType), .text(String(decoding: event.json, as: UTF8.self))])
            }
        }
        return .allPublished
    }

    /// Published events in publishing order, from after `sequence` on.
    public func events(after sequence: Int = 0) throws -> [(sequence: Int, event: EncodedEvent)] {
        try database.withConnection { connection in
            try connection.query("SELECT seq, event FROM bus_events WHERE seq > ? ORDER BY seq", [.integer(Int64(sequence))])
                .map { (Int($0[0] ?? "0") ?? 0, try EncodedEvent(json: Array(($0[1] ?? "").utf8))) }
        }
    }

    /// How far the local bus has handed its events to `consumer` (0: nothing yet). Needs the
    /// `bus_consumers` table (`consumer`, `delivered_seq`), which the file of the service whose bus hands events on has.
    public func deliveredSequence(consumer: String) throws -> Int {
        try database.withConnection { connection in
            Int(try connection.query("SELECT delivered_seq FROM bus_consumers WHERE consumer = ?", [.text(consumer)])
                .first?.first.flatMap { $0 } ?? "0") ?? 0
        }
    }

    public func setDeliveredSequence(_ sequence: Int, consumer: String) throws {
        try database.transaction { connection in
            try connection.query("""
                INSERT INTO bus_consumers (consumer, delivered_seq) VALUES (?, ?)
                ON CONFLICT (consumer) DO UPDATE SET delivered_seq = max(delivered_seq, excluded.delivered_seq)
                """, [.text(consumer), .integer(Int64(sequence))])
        }
    }
}
