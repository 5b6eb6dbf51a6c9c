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
        try database.withConnection { try SQLiteSchema.prepare($0) }
    }

    public init(path: String) throws {
        try self.init(database: SQLiteDatabase(path: path))
    }

    public func create(_ payment: Payment, idempotencyKey: String, requestFingerprint: String) throws -> CreateResult {
        try database.transaction { try PaymentTable(connection: $0).create(payment, idempotencyKey: idempotencyKey, requestFingerprint: requestFingerprint) }
    }

    public func payment(id: String) throws -> Payment? {
        try database.withConnection { try PaymentTable(connection: $0).payment(id: id) }
    }

    public func payment(provider: String, reference: String) throws -> Payment? {
        try database.withConnection { try PaymentTable(connection: $0).payment(provider: provider, reference: reference) }
    }

    /// An order's payments, oldest first (tooling: `payments show-order`; no function reads by order).
    public func payments(orderID: String) throws -> [Payment] {
        try database.withConnection { try PaymentTable(connection: $0).payments(orderID: orderID) }
    }

    public func update(_ payment: Payment, expectedVersion: Int, events: [PaymentEvent]) throws -> Bool {
        let encodedEvents = try PaymentTable.encoded(events)
        return try database.transaction { try PaymentTable(connection: $0).update(payment, expectedVersion: expectedVersion, encodedEvents: encodedEvents) }
    }

    /// One write transaction (BEGIN IMMEDIATE) around `body`, which gets the table on its connection.
    /// The connection is held throughout: calling this store itself from `body` would wait forever.
    public func inOneTransaction<T>(_ body: (any PaymentStore) throws -> T) throws -> T {
        try database.transaction { try body(PaymentTable(connection: $0)) }
    }

    public func unpublishedEvents(limit: Int) throws -> [PaymentEvent] {
        try database.withConnection { connection in
            try connection.query("SELECT event FROM outbox ORDER BY seq LIMIT ?", [.integer(Int64(limit))])
                .map { try PaymentEvent(json: Array(($0[0] ?? "").utf8)) }
        }
    }

    public func markPublished(eventIDs: [String]) throws {
        try database.transaction { connection in
            for id in eventIDs {
                try connection.query("DELETE FROM outbox WHERE event_id = ?", [.text(id)])
            }
        }
    }
}
