#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform
import SQLiteAdapter

/// A payment as the columns of the `payments` table.
enum PaymentRow {
    /// The columns `values(of:)` fills and `payment(from:)` reads, in order.
    static let names = [
        "id", "provider", "provider_reference", "version", "order_id", "amount", "currency", "progress", "refunded_amount",
        "dispute", "customer_email", "description", "client_secret", "approval_url", "failure_kind", "failure_code",
        "failure_message", "created_at_ms", "updated_at_ms", "attempt_started_ms", "customer_phone",
    ]
    static let columns = names.joined(separator: ", ")
    static let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")

    /// An update rewrites all but id and provider, which never change: an index on a column in the
    /// SET list is rewritten with the row, and that is a page written for nothing.
    static let updatedColumns = names.dropFirst(2).joined(separator: ", ")
    static let updatedPlaceholders = Array(repeating: "?", count: names.count - 2).joined(separator: ", ")
    static func updatedValues(of payment: Payment) -> [SQLiteValue] { Array(values(of: payment).dropFirst(2)) }

    /// The same without provider_reference, which is set once and indexed: leaving it out of the SET
    /// list spares the index page that SQLite rewrites for every indexed column named there.
    static let stateColumns = names.dropFirst(3).joined(separator: ", ")
    static let statePlaceholders = Array(repeating: "?", count: names.count - 3).joined(separator: ", ")
    static func stateValues(of payment: Payment) -> [SQLiteValue] { Array(values(of: payment).dropFirst(3)) }

    /// The statements on the table, written once: a statement's text is its key in the connection's
    /// cache of prepared statements, so building it per call would cost a string and its hash each time.
    enum SQL {
        static let byID = "SELECT \(columns) FROM payments WHERE id = ?"
        static let byReference = "SELECT \(columns) FROM payments WHERE provider = ? AND provider_reference = ?"
        static let byOrder = "SELECT \(columns) FROM payments WHERE order_id = ? ORDER BY created_at_ms, id"
        static let byIdempotencyKey = "SELECT \(columns), request_fingerprint FROM payments WHERE provider = ? AND idempotency_key = ?"
        static let insert = "INSERT INTO payments (\(columns), idempotency_key, request_fingerprint) VALUES (\(placeholders), ?, ?)"
        static let update = "UPDATE payments SET (\(updatedColumns)) = (\(updatedPlaceholders)) WHERE id = ? AND version = ?"
        /// The common update: the reference is already the stored one (`IS`, so NULL matches NULL).
        static let updateKeepingReference =
            "UPDATE payments SET (\(stateColumns)) = (\(statePlaceholders)) WHERE id = ? AND version = ? AND provider_reference IS ?"
        static let insertOutbox = "INSERT INTO outbox (event_id, payment_id, event) VALUES (?, ?, ?)"
    }

    static func values(of payment: Payment) -> [SQLiteValue] {
        [
            .text(payment.id), .text(payment.provider), SQLiteValue(payment.providerReference), SQLiteValue(payment.version),
            .text(payment.orderID), SQLiteValue(payment.amount.minorUnits), .text(payment.amount.currency.code),
            SQLiteValue(payment.state.progress.rawValue), SQLiteValue(payment.state.refundedMinorUnits), SQLiteValue(payment.state.dispute.rawValue),
            SQLiteValue(payment.customerEmail), SQLiteValue(payment.description),
            SQLiteValue(payment.checkout.clientSecret), SQLiteValue(payment.checkout.approvalURL),
            SQLiteValue(payment.failure?.kind.rawValue), SQLiteValue(payment.failure?.code), SQLiteValue(payment.failure?.message),
            .integer(milliseconds(payment.createdAt)), .integer(milliseconds(payment.updatedAt)),
            payment.attemptStartedAt.map { .integer(milliseconds($0)) } ?? .null,
            SQLiteValue(payment.customerPhone),
        ]
    }

    static func payment(from row: [SQLiteValue]) throws -> Payment {
        guard row.count == names.count,
              let id = row[0].text, let provider = row[1].text, let version = row[3].integer, let orderID = row[4].text,
              let amount = row[5].integer, let currencyCode = row[6].text,
              let progressValue = row[7].integer, let progress = PaymentState.Progress(rawValue: Int(progressValue)),
              let refunded = row[8].integer,
              let disputeValue = row[9].integer, let dispute = PaymentState.Dispute(rawValue: Int(disputeValue)),
              let created = row[17].integer, let updated = row[18].integer
        else { throw StoreError("a stored payment row is incomplete or corrupt") }
        guard let currency = Currency(code: currencyCode) else { throw StoreError("stored payment \(id) has an unknown currency") }
        var failure: Payment.Failure?
        if let kind = row[14].text.flatMap(Payment.Failure.Kind.init(rawValue:)) {
            failure = Payment.Failure(kind: kind, code: row[15].text ?? "", message: row[16].text ?? "")
        }
        return Payment(
            id: id, orderID: orderID, provider: provider, providerReference: row[2].text,
            amount: Money(minorUnits: Int(amount), currency: currency),
            state: PaymentState(progress: progress, refundedMinorUnits: Int(refunded), dispute: dispute),
            customerEmail: row[10].text, customerPhone: row[20].text, description: row[11].text,
            checkout: Payment.Checkout(clientSecret: row[12].text, approvalURL: row[13].text),
            failure: failure, attemptStartedAt: row[19].integer.map(date), createdAt: date(created), updatedAt: date(updated),
            version: Int(version)
        )
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
