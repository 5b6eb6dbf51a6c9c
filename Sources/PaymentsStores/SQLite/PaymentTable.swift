#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform
import SQLiteAdapter

/// The payments and outbox tables on one connection, inside whatever transaction the caller holds:
/// `SQLitePaymentStore` wraps each call in its own, `inOneTransaction` hands this out for several.
struct PaymentTable: PaymentStore, @unchecked Sendable {
    let connection: Connection

    func create(_ payment: Payment, idempotencyKey: String, requestFingerprint: String) throws -> CreateResult {
        let existing = try connection.rows(PaymentRow.SQL.byIdempotencyKey, [.text(payment.provider), .text(idempotencyKey)])
        if let row = existing.first {
            return .existing(try PaymentRow.payment(from: Array(row.dropLast())), requestFingerprint: row.last?.text ?? "")
        }
        try connection.rows(PaymentRow.SQL.insert, PaymentRow.values(of: payment) + [.text(idempotencyKey), .text(requestFingerprint)])
        return .created(payment)
    }

    func payment(id: String) throws -> Payment? {
        try connection.rows(PaymentRow.SQL.byID, [.text(id)]).first.map(PaymentRow.payment(from:))
    }

    func payment(provider: String, reference: String) throws -> Payment? {
        try connection.rows(PaymentRow.SQL.byReference, [.text(provider), .text(reference)]).first.map(PaymentRow.payment(from:))
    }

    func payments(orderID: String) throws -> [Payment] {
        try connection.rows(PaymentRow.SQL.byOrder, [.text(orderID)]).map(PaymentRow.payment(from:))
    }

    func update(_ payment: Payment, expectedVersion: Int, events: [PaymentEvent]) throws -> Bool {
        try update(payment, expectedVersion: expectedVersion, encodedEvents: Self.encoded(events))
    }

    func update(_ payment: Payment, expectedVersion: Int, encodedEvents: [(id: String, json: String)]) throws -> Bool {
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
        for event in encodedEvents {
            try connection.rows(PaymentRow.SQL.insertOutbox, [.text(event.id), .text(payment.id), .text(event.json)])
        }
        return true
    }

    /// Events as the outbox stores them, encoded before a transaction is taken where the caller can.
    static func encoded(_ events: [PaymentEvent]) throws -> [(id: String, json: String)] {
        events.map { ($0.id, String(decoding: $0.encoded().json, as: UTF8.self)) }
    }
}
