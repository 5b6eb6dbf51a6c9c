#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform
import SQLiteAdapter

/// `PaymentStore` and its outbox on SQLite: the local store (`PAYMENTS_STORE=sqlite:PATH`).
public struct SQLitePaymentStore: PaymentStore, PaymentOutbox, StreamedOutbox {
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

    public func unpublished(limit: Int) throws -> [EncodedEvent] {
        try SQLiteOutbox(database: database).unpublished(limit: limit)
    }

    public func unpublishedEventIDs(among eventIDs: [String]) throws -> Set<String> {
        try SQLiteOutbox(database: database).unpublishedEventIDs(among: eventIDs)
    }

    public func markPublished(eventIDs: [String]) throws {
        try SQLiteOutbox(database: database).markPublished(eventIDs: eventIDs)
    }

    /// The outbox's payment events, oldest first (tooling and tests).
    public func unpublishedEvents(limit: Int) throws -> [PaymentEvent] {
        try unpublished(limit: limit).map { try PaymentEvent($0) }
    }
}
