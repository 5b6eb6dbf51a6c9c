#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform
import AWSClients

/// The items of the payments table. One table, partition key `pk` only; the key's prefix says what an
/// item is, and `type` says it again so a stream consumer or a console filter needs no parsing:
///
/// - `PAYMENT#<id>`: the payment, one attribute per field.
/// - `IDEMPOTENCY#<provider>#<key>`: which payment a request's idempotency key created, and its fingerprint.
/// - `REFERENCE#<provider>#<reference>`: which payment a provider's reference belongs to. Its own item,
///   written in the payment's transaction, because a GSI would be read eventually consistent.
/// - `OUTBOX#<eventId>`: an event waiting to be published, its JSON exactly as `PaymentEvent.json()` wrote it.
/// - `TRANSMISSION#<provider>#<id>`: a webhook transmission already accepted, with the SHA-256 of its body
///   (`DynamoDBTransmissionLedger`); `expiresAt`, epoch seconds, is the table's TTL attribute.
enum PaymentItem {
    static func paymentKey(_ id: String) -> String { "PAYMENT#\(id)" }
    // Provider names are lower-case words without `#`, so the key after them may hold anything.
    static func idempotencyKey(provider: String, key: String) -> String { "IDEMPOTENCY#\(provider)#\(key)" }
    static func referenceKey(provider: String, reference: String) -> String { "REFERENCE#\(provider)#\(reference)" }
    static func transmissionKey(provider: String, id: String) -> String { "TRANSMISSION#\(provider)#\(id)" }

    static func item(of payment: Payment) -> DynamoDBItem {
        var item = DynamoDBItem()
        item[string: "pk"] = paymentKey(payment.id)
        item[string: "type"] = "payment"
        item[string: "id"] = payment.id
        item[string: "orderId"] = payment.orderID
        item[string: "provider"] = payment.provider
        item[string: "providerReference"] = payment.providerReference
        item[int: "amount"] = payment.amount.minorUnits
        item[string: "currency"] = payment.amount.currency.code
        item[string: "progress"] = String(describing: payment.state.progress)
        item[int: "refundedAmount"] = payment.state.refundedMinorUnits
        item[string: "dispute"] = String(describing: payment.state.dispute)
        // Derived from the three above and never read back: it is there for people filtering in the console.
        item[string: "status"] = payment.status.rawValue
        item[string: "customerEmail"] = payment.customerEmail
        item[string: "customerPhone"] = payment.customerPhone
        item[string: "description"] = payment.description
        item[string: "clientSecret"] = payment.checkout.clientSecret
        item[string: "approvalURL"] = payment.checkout.approvalURL
        item[string: "failureKind"] = payment.failure?.kind.rawValue
        item[string: "failureCode"] = payment.failure?.code
        item[string: "failureMessage"] = payment.failure?.message
        item[int: "attemptStartedAt"] = payment.attemptStartedAt.map(milliseconds)
        item[int: "createdAt"] = milliseconds(payment.createdAt)
        item[int: "updatedAt"] = milliseconds(payment.updatedAt)
        item[int: "version"] = payment.version
        return item
    }

    static func payment(from item: DynamoDBItem) throws -> Payment {
        guard let id = item[string: "id"], let orderID = item[string: "orderId"], let provider = item[string: "provider"],
              let amount = item[int: "amount"], let currencyCode = item[string: "currency"],
              let progress = item[string: "progress"].flatMap(named(PaymentState.Progress.self)),
              let refunded = item[int: "refundedAmount"],
              let dispute = item[string: "dispute"].flatMap(named(PaymentState.Dispute.self)),
              let created = item[int: "createdAt"], let updated = item[int: "updatedAt"], let version = item[int: "version"]
        else { throw StoreError("a stored payment item (\(item[string: "pk"] ?? "no key")) is incomplete or corrupt") }
        guard let currency = Currency(code: currencyCode) else { throw StoreError("stored payment \(id) has an unknown currency") }
        var failure: Payment.Failure?
        if let kind = item[string: "failureKind"].flatMap(Payment.Failure.Kind.init(rawValue:)) {
            failure = Payment.Failure(kind: kind, code: item[string: "failureCode"] ?? "", message: item[string: "failureMessage"] ?? "")
        }
        return Payment(
            id: id, orderID: orderID, provider: provider, providerReference: item[string: "providerReference"],
            amount: Money(minorUnits: amount, currency: currency),
            state: PaymentState(progress: progress, refundedMinorUnits: refunded, dispute: dispute),
            customerEmail: item[string: "customerEmail"], customerPhone: item[string: "customerPhone"],
            description: item[string: "description"],
            checkout: Payment.Checkout(clientSecret: item[string: "clientSecret"], approvalURL: item[string: "approvalURL"]),
            failure: failure, attemptStartedAt: item[int: "attemptStartedAt"].map(date),
            createdAt: date(created), updatedAt: date(updated), version: version)
    }

    static func idempotencyItem(provider: String, key: String, paymentID: String, fingerprint: String) -> DynamoDBItem {
        var item = DynamoDBItem()
        item[string: "pk"] = idempotencyKey(provider: provider, key: key)
        item[string: "type"] = "idempotency"
        item[string: "paymentId"] = paymentID
        item[string: "fingerprint"] = fingerprint
        return item
    }

    static func referenceItem(provider: String, reference: String, paymentID: String) -> DynamoDBItem {
        var item = DynamoDBItem()
        item[string: "pk"] = referenceKey(provider: provider, reference: reference)
        item[string: "type"] = "reference"
        item[string: "paymentId"] = paymentID
        return item
    }

    /// The outbox item every table has (`DynamoDBOutbox`), with the payment it belongs to.
    static func outboxItem(_ event: PaymentEvent) -> DynamoDBItem {
        var item = DynamoDBOutbox.item(event.encoded())
        item[string: "paymentId"] = event.detail.paymentId
        return item
    }

    static func transmissionItem(_ transmission: RecordedTransmission) -> DynamoDBItem {
        var item = DynamoDBItem()
        item[string: "pk"] = transmissionKey(provider: transmission.provider, id: transmission.id)
        item[string: "type"] = "transmission"
        item[string: "bodySha256"] = transmission.bodyDigest
        item[int: "expiresAt"] = Int(transmission.expiresAt.rounded(.up))
        return item
    }

    /// The ranks are stored by name ("succeeded", "open"), as the JSON record writes them, so the table reads well.
    private static func named<Rank: CaseIterable>(_: Rank.Type) -> (String) -> Rank? {
        { name in Rank.allCases.first { String(describing: $0) == name } }
    }

    static func milliseconds(_ date: Date) -> Int { Int((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ milliseconds: Int) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
