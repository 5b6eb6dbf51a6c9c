import Foundation
import XCTest
import PaymentsCore
import Platform
import PaymentsStores
@testable import SQLiteAdapter

final class SQLitePaymentStoreTests: XCTestCase {
    var path: String!
    var store: SQLitePaymentStore!
    let usd = Currency(code: "USD")!
    let start = Date(timeIntervalSince1970: 1_764_000_000)

    override func setUpWithError() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString).sqlite").path
        store = try SQLitePaymentStore(path: path)
    }

    func payment(id: String = "pay_1", reference: String? = nil) -> Payment {
        Payment(id: id, orderID: "ord_1", provider: "stripe", providerReference: reference,
                amount: Money(minorUnits: 2000, currency: usd), createdAt: start)
    }

    func testUsesWriteAheadLogging() throws {
        let mode = try store.database.withConnection { try $0.query("PRAGMA journal_mode") }
        XCTAssertEqual(mode.first?.first, "wal")
    }

    func testCreateIsIdempotentPerProviderAndKey() throws {
        XCTAssertEqual(try store.create(payment(), idempotencyKey: "k1", requestFingerprint: "f1"), .created(payment()))
        let again = try store.create(payment(id: "pay_2"), idempotencyKey: "k1", requestFingerprint: "f2")
        XCTAssertEqual(again, .existing(payment(), requestFingerprint: "f1"))
        XCTAssertNil(try store.payment(id: "pay_2"))
        var otherProvider = payment(id: "pay_3")
        otherProvider.provider = "paypal"
        XCTAssertEqual(try store.create(otherProvider, idempotencyKey: "k1", requestFingerprint: "f1"), .created(otherProvider))
    }

    func testRoundTripKeepsEveryField() throws {
        var full = payment(reference: "pi_1")
        full.state = PaymentState(progress: .succeeded, refundedMinorUnits: 300, dispute: .open)
        full.customerEmail = "a@example.com"
        full.description = "Café"
        full.checkout = .init(clientSecret: "pi_1_secret", approvalURL: "https://example.com/approve")
        full.failure = .init(kind: .declined, code: "card_declined", message: "Declined")
        full.updatedAt = start.addingTimeInterval(1.234)
        _ = try store.create(full, idempotencyKey: "k", requestFingerprint: "f")
        XCTAssertEqual(try store.payment(id: "pay_1"), full)
        XCTAssertEqual(try store.payment(provider: "stripe", reference: "pi_1"), full)
        XCTAssertNil(try store.payment(provider: "paypal", reference: "pi_1"))
    }

    /// The webhook's reads and writes in one transaction: all of it is stored, or none of it.
    func testOneTransactionKeepsAllOrNothing() throws {
        _ = try store.create(payment(), idempotencyKey: "k", requestFingerprint: "f")
        struct Interrupted: Error {}
        XCTAssertThrowsError(try store.inOneTransaction { inside in
            let read = try XCTUnwrap(inside.payment(id: "pay_1"))
            let change = try XCTUnwrap(read.applying(.succeeded, at: start))
            XCTAssertTrue(try inside.update(change.payment, expectedVersion: read.version, events: [change.event]))
            XCTAssertEqual(try inside.payment(id: "pay_1")?.status, .succeeded, "the transaction reads its own write")
            throw Interrupted()
        }) { XCTAssertTrue($0 is Interrupted) }
        XCTAssertEqual(try store.payment(id: "pay_1")?.status, .pending, "rolled back")
        XCTAssertEqual(try store.unpublishedEvents(limit: 10), [], "and its event with it")

        let stored = try store.inOneTransaction { inside in
            try inside.update(XCTUnwrap(inside.payment(id: "pay_1"))) { current in
                current.applying(.succeeded, at: start).map { ($0.payment, [$0.event]) }
            }
        }
        XCTAssertEqual(stored?.status, .succeeded)
        XCTAssertEqual(try store.payment(id: "pay_1")?.status, .succeeded)
        XCTAssertEqual(try store.unpublishedEvents(limit: 10).count, 1)
    }

    func testUpdateIsConditionalOnVersionAndWritesTheOutboxWithIt() throws {
        _ = try store.create(payment(), idempotencyKey: "k", requestFingerprint: "f")
        let change = try XCTUnwrap(payment().applying(.succeeded, at: start))
        XCTAssertTrue(try store.update(change.payment, expectedVersion: 1, events: [change.event]))
        XCTAssertEqual(try store.unpublishedEvents(limit: 10), [change.event])

        let stale = try XCTUnwrap(payment().applying(.failed, at: start))
        XCTAssertFalse(try store.update(stale.payment, expectedVersion: 1, events: [stale.event]), "version 1 is gone")
        XCTAssertEqual(try store.payment(id: "pay_1")?.status, .succeeded)
        XCTAssertEqual(try store.unpublishedEvents(limit: 10).count, 1, "a refused update writes no event")
    }

    /// The failure between status change and publish: the outbox insert fails inside the transaction,
    /// so the status change is rolled back with it. Nothing half-written, nothing lost.
    func testAFailingOutboxWriteRollsBackTheStatusChange() throws {
        _ = try store.create(payment(), idempotencyKey: "k", requestFingerprint: "f")
        try store.database.withConnection {
            try $0.execute("CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END;")
        }
        let change = try XCTUnwrap(payment().applying(.succeeded, at: start))
        XCTAssertThrowsError(try store.update(change.payment, expectedVersion: 1, events: [change.event]))
        XCTAssertEqual(try store.payment(id: "pay_1")?.status, .pending)
        XCTAssertEqual(try store.payment(id: "pay_1")?.version, 1)
    }

    func testRelayKeepsEventsWhenPublishingFailsAndPublishesThemLater() throws {
        _ = try store.create(payment(), idempotencyKey: "k", requestFingerprint: "f")
        let change = try XCTUnwrap(payment().applying(.succeeded, at: start))
        XCTAssertTrue(try store.update(change.payment, expectedVersion: 1, events: [change.event]))

        let failing = OutboxDrain(outbox: store, publisher: FailingPublisher())
        XCTAssertEqual(failing.run(logger: .discarding), 0)
        XCTAssertEqual(try store.unpublishedEvents(limit: 10), [change.event], "kept for later")

        let bus = try SQLiteEventBus(database: store.database)
        let relay = OutboxDrain(outbox: store, publisher: bus)
        XCTAssertEqual(relay.run(logger: .discarding), 1)
        XCTAssertEqual(relay.run(logger: .discarding), 0, "published once")
        XCTAssertEqual(try bus.events().map { try PaymentEvent($0.event) }, [change.event])
        XCTAssertTrue(try store.unpublishedEvents(limit: 10).isEmpty)
    }

    func testBusIgnoresARepeatedPublishOfTheSameEvent() throws {
        let bus = try SQLiteEventBus(database: store.database)
        let event = try XCTUnwrap(payment().applying(.succeeded, at: start)).event
        try bus.publish([event])
        try bus.publish([event])
        XCTAssertEqual(try bus.events().count, 1)
    }

    func testDrainPublishesInBatchesInOrder() throws {
        _ = try store.create(payment(), idempotencyKey: "k", requestFingerprint: "f")
        var current = payment()
        var events: [PaymentEvent] = []
        for total in stride(from: 100, through: 2000, by: 100) {
            let change = try XCTUnwrap(current.applying(.refunded(totalMinorUnits: total), at: start))
            XCTAssertTrue(try store.update(change.payment, expectedVersion: current.version, events: [change.event]))
            current = change.payment
            events.append(change.event)
        }
        let recorder = RecordingPublisher()
        XCTAssertEqual(OutboxDrain(outbox: store, publisher: recorder, batchSize: 7).run(logger: .discarding), 20)
        XCTAssertEqual(recorder.batches.map(\.count), [7, 7, 6])
        XCTAssertEqual(recorder.batches.flatMap { $0 }, events)
    }

    func testTwoConnectionsSeeEachOthersWrites() throws {
        let other = try SQLitePaymentStore(path: path)
        _ = try store.create(payment(), idempotencyKey: "k", requestFingerprint: "f")
        XCTAssertEqual(try other.payment(id: "pay_1"), payment())
    }

    func testAnUnopenablePathIsAClearError() {
        XCTAssertThrowsError(try SQLitePaymentStore(path: "/nonexistent-dir/x/payments.sqlite")) { error in
            XCTAssertTrue(String(describing: error).contains("cannot open"))
        }
    }
}

struct FailingPublisher: EventPublisher {
    func publish(_ events: [EncodedEvent]) throws -> PublishResult { throw StoreError("bus unreachable") }
}

final class RecordingPublisher: EventPublisher, @unchecked Sendable {
    var batches: [[PaymentEvent]] = []
    func publish(_ events: [EncodedEvent]) throws -> PublishResult { batches.append(try events.map { try PaymentEvent($0) }); return .allPublished }
}

final class SQLiteSchemaTests: XCTestCase {
    func testAStoreOfAnotherSchemaVersionIsRefusedClearly() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString).sqlite").path
        let store = try SQLitePaymentStore(path: path)
        XCTAssertEqual(try store.database.withConnection { try $0.query("PRAGMA user_version") }.first?.first, "1")
        XCTAssertNoThrow(try SQLitePaymentStore(path: path), "reopening the same schema is fine")
        try store.database.withConnection { try $0.execute("PRAGMA user_version = 7") }
        XCTAssertThrowsError(try SQLitePaymentStore(path: path)) { error in
            XCTAssertTrue(String(describing: error).contains("schema version 7"), "\(error)")
        }
    }

    func testAStoreWithTablesButNoVersionIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("legacy-\(UUID().uuidString).sqlite").path
        let database = try SQLiteDatabase(path: path)
        try database.withConnection { try $0.execute("CREATE TABLE payments (id TEXT PRIMARY KEY, record TEXT)") }
        XCTAssertThrowsError(try SQLitePaymentStore(database: database))
    }
}
