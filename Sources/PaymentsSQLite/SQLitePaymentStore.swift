#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore

/// `PaymentStore` and `OutboxStore` on SQLite: the local store (`PAYMENTS_STORE=sqlite:PATH`).
public struct SQLitePaymentStore: PaymentStore, OutboxStore {
    public let database: SQLiteDatabase

    public init(database: SQLiteDatabase) throws {
        self.database = database
        try database.withConnection { try $0.execute(SQLiteSchema.statements) }
    }

    public init(path: String) throws {
        try self.init(database: SQLiteDatabase(path: path))
    }

    public func create(_ payment: Payment, idempotencyKey: String, requestFingerprint: String) throws -> CreateResult {
        try database.transaction { connection in
            let existing = try connection.query(
                "SELECT record, request_fingerprint FROM payments WHERE provider = ? AND idempotency_key = ?",
                [.text(payment.provider), .text(idempotencyKey)])
            if let row = existing.first {
                return .existing(try Self.decode(row[0]), requestFingerprint: row[1] ?? "")
            }
            try connection.query(
                """
                INSERT INTO payments (id, provider, provider_reference, idempotency_key, request_fingerprint, version, record)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                [.text(payment.id), .text(payment.provider), payment.providerReference.map(SQLiteValue.text) ?? .null,
                 .text(idempotencyKey), .text(requestFingerprint), .integer(Int64(payment.version)), .text(try Self.encode(payment))])
            return .created(payment)
        }
    }

    public func payment(id: String) throws -> Payment? {
        try database.withConnection { connection in
            try connection.query("SELECT record FROM payments WHERE id = ?", [.text(id)]).first.map { try Self.decode($0[0]) }
        }
    }

    public func payment(provider: String, reference: String) throws -> Payment? {
        try database.withConnection { connection in
            try connection.query("SELECT record FROM payments WHERE provider = ? AND provider_reference = ?",
                                 [.text(provider), .text(reference)]).first.map { try Self.decode($0[0]) }
        }
    }

    public func update(_ payment: Payment, expectedVersion: Int, events: [PaymentEvent]) throws -> Bool {
        let record = try Self.encode(payment)
        let encodedEvents = try events.map { ($0.id, try Self.encode($0)) }
        return try database.transaction { connection in
            try connection.query(
                "UPDATE payments SET record = ?, version = ?, provider_reference = ? WHERE id = ? AND version = ?",
                [.text(record), .integer(Int64(payment.version)), payment.providerReference.map(SQLiteValue.text) ?? .null,
                 .text(payment.id), .integer(Int64(expectedVersion))])
            guard connection.changes == 1 else { return false }
            for (eventID, event) in encodedEvents {
                try connection.query("INSERT INTO outbox (event_id, payment_id, event) VALUES (?, ?, ?)",
                                     [.text(eventID), .text(payment.id), .text(event)])
            }
            return true
        }
    }

    public func unpublishedEvents(limit: Int) throws -> [PaymentEvent] {
        try database.withConnection { connection in
            try connection.query("SELECT event FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT ?", [.integer(Int64(limit))])
                .map { try Self.decode($0[0]) }
        }
    }

    public func markPublished(eventIDs: [String]) throws {
        let now = Date().formatted(.iso8601)
        try database.transaction { connection in
            for id in eventIDs {
                try connection.query("UPDATE outbox SET published_at = ? WHERE event_id = ?", [.text(now), .text(id)])
            }
        }
    }

    // Records keep millisecond dates so a round trip through the store changes nothing.
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func encode(_ payment: Payment) throws -> String { try encode(PaymentRecord(payment)) }

    static func decode<T: Decodable>(_ text: String?) throws -> T {
        guard let text else { throw StoreError("a stored row is empty") }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return try decoder.decode(T.self, from: Data(text.utf8))
    }

    static func decode(_ text: String?) throws -> Payment {
        let record: PaymentRecord = try decode(text)
        guard let payment = record.payment else { throw StoreError("stored payment \(record.id) has an unknown currency") }
        return payment
    }
}
