import PaymentsCore

/// The local event bus (`PAYMENTS_EVENTS=sqlite`): a table that `payments events` prints and the
/// local consumers read. Publishing is idempotent on the event id, as EventBridge consumers must be.
public struct SQLiteEventBus: EventPublisher {
    public let database: SQLiteDatabase

    public init(database: SQLiteDatabase) throws {
        self.database = database
        try database.withConnection { try SQLiteSchema.prepare($0) }
    }

    public func publish(_ events: [PaymentEvent]) throws -> PublishResult {
        try publish(busEvents: events)
    }

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

    /// Published events in publishing order, from after `sequence` on.
    public func events(after sequence: Int = 0) throws -> [(sequence: Int, event: PaymentEvent)] {
        try database.withConnection { connection in
            try connection.query("SELECT seq, event FROM bus_events WHERE seq > ? ORDER BY seq", [.integer(Int64(sequence))])
                .map { (Int($0[0] ?? "0") ?? 0, try PaymentEvent(json: Array(($0[1] ?? "").utf8))) }
        }
    }

    /// How far the local bus has handed its events to `consumer` (0: nothing yet).
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
