import Foundation
import XCTest
import PaymentsCore
import Platform
import PaymentsStores
import SQLiteAdapter

/// The relay marks published only what the bus took: a refused entry stays in the outbox, alone.
final class OutboxRelayTests: XCTestCase {
    func testAnEventTheBusRefusesStaysInTheOutboxAndTheOthersLeave() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("relay-\(UUID().uuidString).sqlite").path
        let store = try SQLitePaymentStore(path: path)
        var ids: [String] = []
        for index in 0..<3 {
            let payment = Payment(id: "pay_\(index)", orderID: "ord_\(index)", provider: "test",
                                  amount: Money(minorUnits: 100, currency: Currency(code: "USD")!), createdAt: Date(timeIntervalSince1970: 1_764_000_000))
            _ = try store.create(payment, idempotencyKey: "k\(index)", requestFingerprint: "f")
            let next = payment.revised(at: payment.createdAt) { $0.providerReference = "ref_\(index)" }
            let event = PaymentEvent(transition: next, from: nil, at: next.updatedAt)
            XCTAssertTrue(try store.update(next, expectedVersion: payment.version, events: [event]))
            ids.append(event.id)
        }
        let refusing = RefusingPublisher(refused: [ids[1]])
        XCTAssertEqual(OutboxDrain(outbox: store, publisher: refusing).run(logger: .discarding), 2)
        XCTAssertEqual(try store.unpublishedEvents(limit: 10).map(\.id), [ids[1]])
    }
}

struct RefusingPublisher: EventPublisher {
    var refused: Set<String>
    func publish(_ events: [EncodedEvent]) throws -> PublishResult {
        PublishResult(failures: Dictionary(uniqueKeysWithValues: events.map(\.id).filter(refused.contains).map { ($0, "MalformedDetail") }))
    }
}
