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
        try database.transaction { connection in
            let existing = try connection.rows(
                PaymentRow.SQL.byIdempotencyKey,
                [.text(payment.provider), .text(idempotencyKey)])
            if let row = existing.first {
                return .existing(try PaymentRow.payment(from: Array(row.dropLast())), requestFingerprint: row.last?.text ?? "")
            }
            try connection.rows(
                PaymentRow.SQL.insert,
                PaymentRow.values(of: payment) + [.text(idempotencyKey), .text(requestFingerprint)])
            return .created(payment)
        }
    }

    public func payment(id: String) throws -> Payment? {
        try database.withConnection { connection in
            try connection.rows(PaymentRow.SQL.byID, [.text(id)]).first.map(PaymentRow.payment(from:))
        }
    }

    public func payment(provider: String, reference: String) throws -> Payment? {
        try database.withConnection { connection in
            try connection.rows(PaymentRow.SQL.byReference,
                                [.text(provider), .text(reference)]).first.map(PaymentRow.payment(from:))
        }
    }

    /// An order's payments, oldest first (tooling: `payments show-order`; no function reads by order).
    public func payments(orderID: String) throws -> [Payment] {
        try database.withConnection { connection in
            try connection.rows(PaymentRow.SQL.byOrder,
                                [.text(orderID)]).map(PaymentRow.payment(from:))
        }
    }

    public func update(_ payment: Payment, expectedVersion: Int, events: [PaymentEvent]) throws -> Bool {
        let encodedEvents = try events.map { ($0.id, String(decoding: try $0.json(), as: UTF8.self)) }
        return try database.transaction { connection in
            try connection.rows(
                PaymentRow.SQL.updateKeepingReference,
                PaymentRow.stateValues(of: payment) + [.text(payment.id), SQLiteValue(expectedVersion), SQLiteValue(payment.providerReference)])
            if connection.changes == 0 {
                // The reference is new (or the version moved on, and this writes nothing either).
                try connection.rows(
                    PaymentRow.SQL.update,
                    PaymentRow.updatedValues(of: payment) + [.text(payment.id), SQLiteValue(expectedVersion)])
            }
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
