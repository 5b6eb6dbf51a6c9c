import Foundation
import Testing
import PaymentsCore
import Platform
import PaymentsStores
import SQLiteAdapter
import TestSupport
@testable import AWSClients

/// The store contract, asserted the same way against every store: SQLite (local) and DynamoDB (on moto,
/// a fresh table per test). SQLitePaymentStoreTests keeps SQLite's own specifics.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, dynamodb

    var testDescription: String { rawValue }

    func makeStore() throws -> any PaymentStore & PaymentOutbox {
        switch self {
        case .sqlite:
            return try SQLitePaymentStore(path: FileManager.default.temporaryDirectory
                .appendingPathComponent("contract-\(UUID().uuidString).sqlite").path)
        case .dynamodb:
            return try Moto.freshStore(server: MotoServer.shared())
        }
    }
}

@Suite("Store contract (SQLite and DynamoDB)")
struct StoreContractTests {
    let usd = Currency(code: "USD")!
    let start = Date(timeIntervalSince1970: 1_764_000_000)

    func payment(id: String = "pay_1", provider: String = "stripe", reference: String? = nil) -> Payment {
        Payment(id: id, orderID: "ord_1", provider: provider, providerReference: reference,
                amount: Money(minorUnits: 2000, currency: usd), createdAt: start)
    }

    @Test(arguments: StoreKind.allCases)
    func createIsIdempotentPerProviderAndKey(_ kind: StoreKind) throws {
        let store = try kind.makeStore()
        #expect(try store.create(payment(), idempotencyKey: "k1", requestFingerprint: "f1") == .created(payment()))
        #expect(try store.create(payment(id: "pay_2"), idempotencyKey: "k1", requestFingerprint: "f2")
            == .existing(payment(), requestFingerprint: "f1"))
        #expect(try store.payment(id: "pay_2") == nil, "the repeat stored nothing")
        let otherProvider = payment(id: "pay_3", provider: "paypal")
        #expect(try store.create(otherProvider, idempotencyKey: "k1", requestFingerprint: "f1") == .created(otherProvider))
    }

    @Test(arguments: StoreKind.allCases)
    func anIdAlreadyStoredOrAReferenceAlreadyTakenIsRefused(_ kind: StoreKind) throws {
        let store = try kind.makeStore()
        _ = try store.create(payment(reference: "pi_1"), idempotencyKey: "k1", requestFingerprint: "f")
        #expect(throws: (any Error).self) { try store.create(payment(), idempotencyKey: "k2", requestFingerprint: "f") }
        #expect(throws: (any Error).self) { try store.create(payment(id: "pay_2", reference: "pi_1"), idempotencyKey: "k3", requestFingerprint: "f") }
        #expect(try store.payment(id: "pay_2") == nil)
        #expect(try store.payment(provider: "stripe", reference: "pi_1")?.id == "pay_1")
    }

    @Test(arguments: StoreKind.allCases)
    func roundTripKeepsEveryField(_ kind: StoreKind) throws {
        let store = try kind.makeStore()
        var full = payment(reference: "pi_1")
        full.amount = Money(minorUnits: 123_456_789, currency: Currency(code: "KWD")!)
        full.state = PaymentState(progress: .succeeded, refundedMinorUnits: 300, dispute: .open)
        full.customerEmail = "a@example.com"
        full.customerPhone = "+14155550123"
        full.description = "Café \"déjà\" \\ 日本 \u{1F600}\n\ttab"
        full.checkout = .init(clientSecret: "pi_1_secret", approvalURL: "https://example.com/approve?a=1&b=2")
        full.failure = .init(kind: .rejected, code: "card_declined", message: "Declined")
        full.attemptStartedAt = start.addingTimeInterval(0.5)
        full.updatedAt = start.addingTimeInterval(1.234)
        full.version = 7
        _ = try store.create(full, idempotencyKey: "k", requestFingerprint: "f")
        #expect(try store.payment(id: "pay_1") == full)
        #expect(try store.payment(provider: "stripe", reference: "pi_1") == full)
        #expect(try store.payment(provider: "paypal", reference: "pi_1") == nil)
        #expect(try store.payment(id: "pay_unknown") == nil)

        let bare = payment(id: "pay_2")
        _ = try store.create(bare, idempotencyKey: "k2", requestFingerprint: "f")
        #expect(try store.payment(id: "pay_2") == bare, "absent optionals stay absent")

        var empty = payment(id: "pay_3")
        empty.customerEmail = ""
        empty.description = ""
        empty.failure = .init(kind: .declined, code: "", message: "")
        _ = try store.create(empty, idempotencyKey: "k3", requestFingerprint: "")
        #expect(try store.payment(id: "pay_3") == empty, "empty strings stay empty, not absent")
        #expect(try store.create(payment(id: "pay_4"), idempotencyKey: "k3", requestFingerprint: "x") == .existing(empty, requestFingerprint: ""))
    }

    @Test(arguments: StoreKind.allCases)
    func updateIsConditionalOnVersionAndWritesTheOutboxWithIt(_ kind: StoreKind) throws {
        let store = try kind.makeStore()
        _ = try store.create(payment(), idempotencyKey: "k", requestFingerprint: "f")
        let change = try #require(payment().applying(.succeeded, at: start))
        #expect(try store.update(change.payment, expectedVersion: 1, events: [change.event]))
        #expect(try store.unpublishedEvents(limit: 10) == [change.event])
        #expect(try store.payment(id: "pay_1") == change.payment)

        let stale = try #require(payment().applying(.failed, at: start))
        #expect(try store.update(stale.payment, expectedVersion: 1, events: [stale.event]) == false, "version 1 is gone")
        #expect(try store.payment(id: "pay_1")?.status == .succeeded)
        #expect(try store.unpublishedEvents(limit: 10).count == 1, "a refused update writes no event")

        let unknown = try #require(payment(id: "pay_nobody").applying(.succeeded, at: start))
        #expect(try store.update(unknown.payment, expectedVersion: 1, events: [unknown.event]) == false)
        #expect(try store.payment(id: "pay_nobody") == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func optimisticUpdateRereadsAndRedoesTheChange(_ kind: StoreKind) throws {
        let store = try kind.makeStore()
        _ = try store.create(payment(), idempotencyKey: "k", requestFingerprint: "f")
        let elsewhere = try #require(payment().applying(.processing, at: start))
        #expect(try store.update(elsewhere.payment, expectedVersion: 1, events: [elsewhere.event]))
        // Working from the stale version 1: the first attempt is refused, the second applies to version 2.
        let stored = try store.update(payment()) { current in
            current.applying(.succeeded, at: start).map { ($0.payment, [$0.event]) }
        }
        #expect(stored?.version == 3)
        #expect(stored?.status == .succeeded)
        #expect(try store.unpublishedEvents(limit: 10).map(\.detailType) == ["PaymentProcessing", "PaymentSucceeded"])
    }

    @Test(arguments: StoreKind.allCases)
    func aReferenceSetByAnUpdateFindsThePayment(_ kind: StoreKind) throws {
        let store = try kind.makeStore()
        _ = try store.create(payment(), idempotencyKey: "k", requestFingerprint: "f")
        #expect(try store.payment(provider: "stripe", reference: "pi_9") == nil)
        let answered = payment().revised(at: start) { $0.providerReference = "pi_9" }
        #expect(try store.update(answered, expectedVersion: 1, events: []))
        #expect(try store.payment(provider: "stripe", reference: "pi_9") == answered)
        #expect(try store.payment(provider: "braintree", reference: "pi_9") == nil)

        // A later change keeps the reference (its lookup is already there) and still finds the payment.
        let change = try #require(answered.applying(.succeeded, at: start))
        #expect(try store.update(change.payment, expectedVersion: 2, events: [change.event]))
        #expect(try store.payment(provider: "stripe", reference: "pi_9") == change.payment)

        // Another payment cannot take a reference that is already someone's.
        _ = try store.create(payment(id: "pay_2"), idempotencyKey: "k2", requestFingerprint: "f")
        let thief = payment(id: "pay_2").revised(at: start) { $0.providerReference = "pi_9" }
        #expect(throws: (any Error).self) { try store.update(thief, expectedVersion: 1, events: []) }
        #expect(try store.payment(id: "pay_2")?.version == 1)
        #expect(try store.payment(provider: "stripe", reference: "pi_9")?.id == "pay_1")
    }

    @Test(arguments: StoreKind.allCases)
    func markPublishedRemovesExactlyThoseEvents(_ kind: StoreKind) throws {
        let store = try kind.makeStore()
        _ = try store.create(payment(), idempotencyKey: "k", requestFingerprint: "f")
        var current = payment()
        var events: [PaymentEvent] = []
        for total in stride(from: 100, through: 500, by: 100) {
            let change = try #require(current.applying(.refunded(totalMinorUnits: total), at: start.addingTimeInterval(Double(total))))
            #expect(try store.update(change.payment, expectedVersion: current.version, events: [change.event]))
            current = change.payment
            events.append(change.event)
        }
        #expect(try store.unpublishedEvents(limit: 10) == events)
        #expect(try store.unpublishedEvents(limit: 2) == Array(events.prefix(2)))
        try store.markPublished(eventIDs: [events[0].id, events[2].id, events[2].id])
        #expect(try store.unpublishedEvents(limit: 10) == [events[1], events[3], events[4]])
        try store.markPublished(eventIDs: ["pay_1-v99"])
        #expect(try store.unpublishedEvents(limit: 10).count == 3, "an unknown id is no error and removes nothing")

        let relay = OutboxDrain(outbox: store, publisher: CollectingPublisher(), batchSize: 2)
        #expect(relay.run(logger: .discarding) == 3)
        #expect(try store.unpublishedEvents(limit: 10).isEmpty)
    }
}

final class CollectingPublisher: EventPublisher, @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [PaymentEvent] = []
    var events: [PaymentEvent] { lock.withLock { collected } }
    func publish(_ events: [EncodedEvent]) throws -> PublishResult {
        let read = try events.map { try PaymentEvent($0) }
        lock.withLock { collected += read }
        return .allPublished
    }
}
