#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform
import AWSClients

/// `PaymentStore` and its outbox on one DynamoDB table (`PAYMENTS_STORE=dynamodb:TABLE`), with the
/// semantics of `SQLitePaymentStore`. The item layout is `PaymentItem`'s; the table is `DynamoDBTableDefinition`'s.
///
/// Every read is a GetItem with `ConsistentRead`, every change one `TransactWriteItems` (the payment
/// conditioned on its version, its outbox items, any new lookup item), so a webhook's happy path is one
/// read and one transaction, and an event exists exactly when the change it announces does.
public struct DynamoDBPaymentStore: PaymentStore, PaymentOutbox, StreamedOutbox {
    public var client: AWSJSONClient
    public var tableName: String
    let knownReferences: KnownReferences

    public init(client: AWSJSONClient, tableName: String) {
        self.client = client
        self.tableName = tableName
        knownReferences = KnownReferences()
    }

    /// The same store whose calls stop retrying at `deadline` (an invocation's).
    public func withDeadline(_ deadline: Date?) -> DynamoDBPaymentStore {
        var copy = self
        copy.client = client.withDeadline(deadline)
        return copy
    }

    // MARK: PaymentStore

    public func create(_ payment: Payment, idempotencyKey: String, requestFingerprint: String) throws -> CreateResult {
        var items = [
            put(PaymentItem.idempotencyItem(provider: payment.provider, key: idempotencyKey, paymentID: payment.id,
                                            fingerprint: requestFingerprint), condition: .absent),
            put(PaymentItem.item(of: payment), condition: .absent),
        ]
        if let reference = payment.providerReference {
            items.append(put(PaymentItem.referenceItem(provider: payment.provider, reference: reference, paymentID: payment.id),
                             condition: .absent))
        }
        do {
            try transact(items)
        } catch let error as AWSError where error.type == "TransactionCanceledException" {
            let reasons = error.cancellationReasons
            if reasons.first == "ConditionalCheckFailed" {
                return try existing(provider: payment.provider, idempotencyKey: idempotencyKey)
            }
            if reasons.count > 1, reasons[1] == "ConditionalCheckFailed" {
                throw StoreError("a payment with id \(payment.id) already exists under another idempotency key")
            }
            if reasons.count > 2, reasons[2] == "ConditionalCheckFailed" {
                throw StoreError("\(payment.provider) reference \(payment.providerReference ?? "") already belongs to another payment")
            }
            throw StoreError("DynamoDB refused to create payment \(payment.id): \(error)")
        } catch let error as AWSError where error.type == "ValidationException" {
            throw StoreError("DynamoDB refused to create payment \(payment.id): \(error)")
        }
        knownReferences.insert(paymentID: payment.id, reference: payment.providerReference)
        return .created(payment)
    }

    /// The payment first stored under the key, read after our transaction found the key taken.
    private func existing(provider: String, idempotencyKey: String) throws -> CreateResult {
        guard let record = try item(PaymentItem.idempotencyKey(provider: provider, key: idempotencyKey)),
              let paymentID = record[string: "paymentId"] else {
            throw StoreError("idempotency key of \(provider) is taken but its record is unreadable")
        }
        guard let payment = try payment(id: paymentID) else {
            throw StoreError("idempotency key of \(provider) names payment \(paymentID), which does not exist")
        }
        return .existing(payment, requestFingerprint: record[string: "fingerprint"] ?? "")
    }

    public func payment(id: String) throws -> Payment? {
        guard let item = try item(PaymentItem.paymentKey(id)) else { return nil }
        let payment = try PaymentItem.payment(from: item)
        knownReferences.insert(paymentID: payment.id, reference: payment.providerReference)
        return payment
    }

    public func payment(provider: String, reference: String) throws -> Payment? {
        guard let lookup = try item(PaymentItem.referenceKey(provider: provider, reference: reference)),
              let paymentID = lookup[string: "paymentId"],
              let payment = try payment(id: paymentID)
        else { return nil }
        // A payment whose reference later changed leaves its old lookup item behind: as in SQLite,
        // only the payment's current reference finds it.
        guard payment.provider == provider, payment.providerReference == reference else { return nil }
        return payment
    }

    public func update(_ payment: Payment, expectedVersion: Int, events: [PaymentEvent]) throws -> Bool {
        var items = [put(PaymentItem.item(of: payment), condition: .version(expectedVersion))]
        for event in events {
            items.append(put(PaymentItem.outboxItem(event), condition: .absent))
        }
        var referenceIndex: Int?
        if let reference = payment.providerReference, !knownReferences.contains(paymentID: payment.id, reference: reference) {
            referenceIndex = items.count
            items.append(put(PaymentItem.referenceItem(provider: payment.provider, reference: reference, paymentID: payment.id),
                             condition: .absentOr(attribute: "paymentId", equals: payment.id)))
        }
        do {
            try transact(items)
        } catch let error as AWSError where error.type == "TransactionCanceledException" {
            let reasons = error.cancellationReasons
            // Another writer stored a newer version first: the caller reads again and redoes its change.
            if reasons.first == "ConditionalCheckFailed" { return false }
            if let referenceIndex, reasons.indices.contains(referenceIndex), reasons[referenceIndex] == "ConditionalCheckFailed" {
                throw StoreError("\(payment.provider) reference \(payment.providerReference ?? "") already belongs to another payment")
            }
            if let index = reasons.indices.dropFirst().first(where: { reasons[$0] == "ConditionalCheckFailed" }), index <= events.count {
                throw StoreError("event \(events[index - 1].id) is already in the outbox")
            }
            throw StoreError("DynamoDB refused the update of payment \(payment.id): \(error)")
        } catch let error as AWSError where error.type == "ValidationException" {
            throw StoreError("DynamoDB refused the update of payment \(payment.id): \(error)")
        }
        knownReferences.insert(paymentID: payment.id, reference: payment.providerReference)
        return true
    }

    /// An order's payments: a Scan (tooling only, `payments show-order`; no function reads by order,
    /// and the table has no index for it on purpose).
    public func payments(orderID: String) throws -> [Payment] {
        try DynamoDBTable(client: client, name: tableName).scan(type: "payment")
            .filter { $0[string: "orderId"] == orderID }
            .map(PaymentItem.payment(from:))
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    // MARK: Outbox

    /// The table's outbox, shaped as every service's (`outbox-relay` drains it from the stream).
    public var outbox: DynamoDBOutbox { DynamoDBOutbox(table: table) }

    public func unpublished(limit: Int) throws -> [EncodedEvent] { try outbox.unpublished(limit: limit) }

    public func unpublishedEventIDs(among eventIDs: [String]) throws -> Set<String> { try outbox.unpublishedEventIDs(among: eventIDs) }

    public func markPublished(eventIDs: [String]) throws { try outbox.markPublished(eventIDs: eventIDs) }

    /// The outbox's payment events, ordered by time, then payment and version (tooling and tests).
    public func unpublishedEvents(limit: Int) throws -> [PaymentEvent] {
        try outbox.unpublished(limit: Int.max).map { try PaymentEvent($0) }
            .sorted { ($0.time, $0.detail.paymentId, $0.detail.version) < ($1.time, $1.detail.paymentId, $1.detail.version) }
            .prefix(limit).map { $0 }
    }

    // MARK: Requests

    /// The table, for the requests every service's table makes the same way.
    private var table: DynamoDBTable { DynamoDBTable(client: client, name: tableName) }

    private func put(_ item: DynamoDBItem, condition: DynamoDBTable.Condition) -> JSONValue {
        table.put(item, condition: condition)
    }

    /// One TransactWriteItems. The client token makes a retry after a lost answer harmless: DynamoDB
    /// answers a repeat of a committed transaction (same token, within ten minutes) without applying it again.
    private func transact(_ items: [JSONValue]) throws {
        _ = try client.call("TransactWriteItems", .object([
            "TransactItems": .array(items),
            "ClientRequestToken": .string(UUID().uuidString),
        ]))
    }

    private func item(_ key: String) throws -> DynamoDBItem? { try table.item(key) }
}
