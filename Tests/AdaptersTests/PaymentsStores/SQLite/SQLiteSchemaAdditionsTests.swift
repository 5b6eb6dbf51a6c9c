import Foundation
import XCTest
import PaymentsCore
import Platform
import PaymentsStores
import SQLiteAdapter

/// The schema policy (SQLiteSchema): an additive change keeps `user_version` 1 and is applied when a
/// store made before it is opened. A store as version 1 first shipped gains `customer_phone` and
/// `bus_consumers`, keeps its rows, and reads them with no phone.
final class SQLiteSchemaAdditionsTests: XCTestCase {
    /// The `payments` table exactly as schema version 1 first created it, before `customer_phone`.
    static let firstVersion1 = """
        CREATE TABLE payments (
            id TEXT PRIMARY KEY, provider TEXT NOT NULL, provider_reference TEXT, idempotency_key TEXT NOT NULL,
            request_fingerprint TEXT NOT NULL, version INTEGER NOT NULL, order_id TEXT NOT NULL, amount INTEGER NOT NULL,
            currency TEXT NOT NULL, progress INTEGER NOT NULL, refunded_amount INTEGER NOT NULL, dispute INTEGER NOT NULL,
            customer_email TEXT, description TEXT, client_secret TEXT, approval_url TEXT, failure_kind TEXT, failure_code TEXT,
            failure_message TEXT, created_at_ms INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL, attempt_started_ms INTEGER,
            UNIQUE (provider, idempotency_key)
        );
        CREATE UNIQUE INDEX payments_by_reference ON payments (provider, provider_reference) WHERE provider_reference IS NOT NULL;
        CREATE TABLE outbox (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL, payment_id TEXT NOT NULL, event TEXT NOT NULL);
        CREATE TABLE bus_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, detail_type TEXT NOT NULL, event TEXT NOT NULL);
        INSERT INTO payments (id, provider, idempotency_key, request_fingerprint, version, order_id, amount, currency, progress,
            refunded_amount, dispute, customer_email, created_at_ms, updated_at_ms)
            VALUES ('pay_old', 'stripe', 'k-old', 'f', 1, 'ord_old', 2000, 'USD', 5, 0, 0, 'old@example.com', 1764000000000, 1764000000000);
        PRAGMA user_version = 1;
        """

    func testAStoreFromBeforeThePhoneGainsTheColumnAndKeepsVersion1AndItsRows() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("v1-\(UUID().uuidString).sqlite").path
        try SQLiteDatabase(path: path).withConnection { try $0.execute(Self.firstVersion1) }

        let store = try SQLitePaymentStore(path: path)
        let columns = try store.database.withConnection { try $0.query("PRAGMA table_info(payments)") }.compactMap { $0[1] }
        XCTAssertTrue(columns.contains("customer_phone"))
        XCTAssertEqual(try store.database.withConnection { try $0.query("PRAGMA user_version") }.first?.first, "1")
        let old = try XCTUnwrap(try store.payment(id: "pay_old"))
        XCTAssertEqual(old.customerEmail, "old@example.com")
        XCTAssertNil(old.customerPhone)
        XCTAssertEqual(old.status, .succeeded)

        let new = Payment(id: "pay_new", orderID: "ord_new", provider: "stripe", amount: Money(minorUnits: 100, currency: Currency(code: "USD")!),
                          customerPhone: "+14155550123", createdAt: Date(timeIntervalSince1970: 1_764_000_000))
        _ = try store.create(new, idempotencyKey: "k-new", requestFingerprint: "f")
        XCTAssertEqual(try store.payment(id: "pay_new"), new)
        XCTAssertNoThrow(try SQLitePaymentStore(path: path), "opening again adds nothing twice")
        XCTAssertEqual(try store.payments(orderID: "ord_old").map(\.id), ["pay_old"])
    }

    func testTheLocalBusKeepsHowFarEachConsumerWasServed() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bus-\(UUID().uuidString).sqlite").path
        let bus = try SQLiteEventBus(database: SQLitePaymentStore(path: path).database)
        XCTAssertEqual(try bus.deliveredSequence(consumer: "delivery"), 0)
        try bus.setDeliveredSequence(7, consumer: "delivery")
        try bus.setDeliveredSequence(3, consumer: "delivery")
        XCTAssertEqual(try bus.deliveredSequence(consumer: "delivery"), 7, "never moves back")
        XCTAssertEqual(try bus.deliveredSequence(consumer: "notification"), 0)
    }
}
