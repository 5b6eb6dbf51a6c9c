#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform
import SQLiteAdapter

/// `NotificationStore` on SQLite (`NOTIFICATION_STORE=sqlite:PATH`): the sent-records, the service's
/// outbox and local bus, and the local channels' messages (`channel_messages`, which the local channels
/// write and `payments notifications` prints).
public struct SQLiteNotificationStore: NotificationStore, Outbox {
    public let database: SQLiteDatabase

    public static let schemaVersion = 1

    public init(path: String) throws {
        database = try SQLiteServiceFile.open(
            path: path, schema: Self.schema, version: Self.schemaVersion, table: "sent_notifications",
            refusal: "NOTIFICATION_STORE names a file that is not a Notification store of schema \(Self.schemaVersion): give Notification a file of its own")
    }

    static let schema = """
        CREATE TABLE sent_notifications (
            event_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            detail_type TEXT NOT NULL,
            order_id TEXT NOT NULL,
            payment_id TEXT NOT NULL,
            message_id TEXT NOT NULL,
            sent_at_ms INTEGER NOT NULL,
            PRIMARY KEY (event_id, channel)
        );
        -- What the local channels delivered: the customer's inbox and phone, for `payments notifications`.
        CREATE TABLE channel_messages (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            message_id TEXT NOT NULL UNIQUE,
            channel TEXT NOT NULL,
            recipient TEXT NOT NULL,
            subject TEXT,
            text TEXT NOT NULL,
            event_id TEXT NOT NULL,
            detail_type TEXT NOT NULL,
            order_id TEXT NOT NULL,
            payment_id TEXT NOT NULL,
            sent_at_ms INTEGER NOT NULL
        );
        """

    public func hasSent(eventID: String, channel: NotificationChannel) throws -> Bool {
        try database.withConnection { connection in
            !(try connection.query("SELECT 1 FROM sent_notifications WHERE event_id = ? AND channel = ?",
                                   [.text(eventID), .text(channel.rawValue)]).isEmpty)
        }
    }

    public func recordSent(_ record: SentRecord, events: [ServiceEvent]) throws -> Bool {
        try database.transaction { connection in
            try connection.query("""
                INSERT INTO sent_notifications (event_id, channel, detail_type, order_id, payment_id, message_id, sent_at_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id, channel) DO NOTHING
                """, [.text(record.eventID), .text(record.channel.rawValue), .text(record.detailType), .text(record.orderID),
                      .text(record.paymentID), .text(record.messageID), .integer(Self.milliseconds(record.sentAt))])
            guard connection.changes == 1 else { return false }
            try SQLiteOutbox.append(events.map { $0.encoded() }, in: connection)
            return true
        }
    }

    public func recordFailure(events: [ServiceEvent]) throws {
        try database.transaction { connection in
            for event in events {
                try connection.query("INSERT INTO outbox (event_id, event) VALUES (?, ?) ON CONFLICT (event_id) DO NOTHING",
                                     [.text(event.id), .text(String(decoding: event.encoded().json, as: UTF8.self))])
            }
        }
    }

    // MARK: the local channels' messages

    /// A message the local channels delivered, as `payments notifications` prints it.
    public struct LocalMessage: Codable, Sendable, Equatable {
        public var messageId: String
        public var channel: String
        public var to: String
        public var subject: String?
        public var text: String
        public var eventId: String
        public var detailType: String
        public var orderId: String
        public var paymentId: String
        public var sentAt: Date
    }

    /// The local channels' messages, oldest first; only the order's when `orderID` is given.
    public func localMessages(orderID: String? = nil) throws -> [LocalMessage] {
        let columns = "message_id, channel, recipient, subject, text, event_id, detail_type, order_id, payment_id, sent_at_ms"
        return try database.withConnection { connection in
            let rows = if let orderID {
                try connection.rows("SELECT \(columns) FROM channel_messages WHERE order_id = ? ORDER BY seq", [.text(orderID)])
            } else {
                try connection.rows("SELECT \(columns) FROM channel_messages ORDER BY seq")
            }
            return rows.compactMap { row in
                guard let id = row[0].text, let channel = row[1].text, let to = row[2].text, let text = row[4].text,
                      let event = row[5].text, let type = row[6].text, let order = row[7].text, let payment = row[8].text,
                      let sent = row[9].integer else { return nil }
                return LocalMessage(messageId: id, channel: channel, to: to, subject: row[3].text, text: text, eventId: event,
                                    detailType: type, orderId: order, paymentId: payment, sentAt: Self.date(sent))
            }
        }
    }

    func deliverLocally(_ message: NotificationMessage, at time: Date) throws -> String {
        // One message per event and channel: a resend after a lost sent-record is the same message.
        let id = "local-\(message.channel.rawValue)-\(message.eventID)"
        _ = try database.transaction { connection in
            try connection.query("""
                INSERT INTO channel_messages (message_id, channel, recipient, subject, text, event_id, detail_type, order_id, payment_id, sent_at_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING
                """, [.text(id), .text(message.channel.rawValue), .text(message.recipient), SQLiteValue(message.subject), .text(message.text),
                      .text(message.eventID), .text(message.detailType), .text(message.orderID), .text(message.paymentID),
                      .integer(Self.milliseconds(time))])
        }
        return id
    }

    // MARK: Outbox

    public func unpublished(limit: Int) throws -> [EncodedEvent] {
        try SQLiteOutbox(database: database).unpublished(limit: limit)
    }

    public func markPublished(eventIDs: [String]) throws {
        try SQLiteOutbox(database: database).markPublished(eventIDs: eventIDs)
    }

    /// The local bus of `shop.notifications` events, drained into after each batch.
    public var bus: SQLiteEventBus { SQLiteEventBus(database: database) }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}

/// A local channel: "delivers" by writing the message to the store's `channel_messages` table, where
/// `payments notifications` and `payments show-order` read it.
package struct LocalChannelSender: ChannelSender {
    public var store: SQLiteNotificationStore
    public var clock: any WallClock

    public init(store: SQLiteNotificationStore, clock: any WallClock) {
        self.store = store
        self.clock = clock
    }

    public func send(_ message: NotificationMessage) throws -> String {
        try store.deliverLocally(message, at: clock.now())
    }
}
