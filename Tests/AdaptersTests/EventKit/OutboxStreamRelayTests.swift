import Foundation
import XCTest
import PaymentsCore
import Platform
import PaymentsStores
import SQLiteAdapter
import FunctionHost

/// `outbox-relay` on DynamoDB stream batches: outbox inserts are published and removed, everything
/// else is acknowledged, and only what the bus refused comes back as batch item failures.
final class OutboxStreamRelayTests: XCTestCase {
    func event(_ index: Int) -> PaymentEvent {
        let payment = Payment(id: "pay_\(index)", orderID: "ord_\(index)", provider: "test", providerReference: "ref_\(index)",
                              amount: Money(minorUnits: 100 * index, currency: Currency(code: "EUR")!),
                              createdAt: Date(timeIntervalSince1970: 1_764_000_000))
        return PaymentEvent(transition: payment, from: nil, at: payment.createdAt)
    }

    func outboxRecord(_ event: PaymentEvent, sequence: String) throws -> String {
        let text = String(decoding: try event.json(), as: UTF8.self)
        let image: [String: Any] = ["pk": ["S": "OUTBOX#\(event.id)"], "type": ["S": "outbox"], "event": ["S": text]]
        let record: [String: Any] = ["eventID": "e\(sequence)", "eventName": "INSERT", "eventSource": "aws:dynamodb",
                                     "dynamodb": ["Keys": ["pk": ["S": "OUTBOX#\(event.id)"]], "NewImage": image, "SequenceNumber": sequence]]
        return String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self)
    }

    func testPublishesOutboxInsertsRemovesThemAndReportsOnlyRefusedRecords() throws {
        let events = (1...4).map(event)
        let otherRecords = [
            #"{"eventID":"m","eventName":"MODIFY","dynamodb":{"Keys":{"pk":{"S":"PAYMENT#pay_1"}},"NewImage":{"type":{"S":"payment"}},"SequenceNumber":"100"}}"#,
            #"{"eventID":"r","eventName":"REMOVE","dynamodb":{"Keys":{"pk":{"S":"OUTBOX#x"}},"OldImage":{"type":{"S":"outbox"}},"SequenceNumber":"101"}}"#,
        ]
        let records = try events.enumerated().map { try outboxRecord($1, sequence: String(200 + $0)) } + otherRecords
        let batch = Array(#"{"Records":[\#(records.joined(separator: ","))]}"#.utf8)

        let publisher = RecordingBus(refused: [events[2].id])
        let outbox = RecordingOutbox()
        let relay = OutboxStreamRelay(publisher: publisher, outbox: outbox)
        let response = try relay.handle(try DynamoDBStreamBatch(event: batch), context: InvocationContext(requestID: "r", logger: .discarding))

        XCTAssertEqual(response, BatchResponse(failedItems: ["202"]))
        XCTAssertEqual(publisher.seen, events.map(\.id))
        XCTAssertEqual(outbox.removed, [events[0].id, events[1].id, events[3].id])
    }

    func testAnUnreachableBusFailsEveryOutboxRecordOfTheBatch() throws {
        let records = try [event(1), event(2)].enumerated().map { try outboxRecord($1, sequence: String(300 + $0)) }
        let batch = try DynamoDBStreamBatch(event: Array(#"{"Records":[\#(records.joined(separator: ","))]}"#.utf8))
        let relay = OutboxStreamRelay(publisher: FailingPublisher(), outbox: RecordingOutbox())
        XCTAssertEqual(try relay.handle(batch, context: InvocationContext(requestID: "r", logger: .discarding)),
                       BatchResponse(failedItems: ["300", "301"]))
    }

    func testTheFunctionAnswersWithAPartialBatchResponseThroughTheRuntime() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("relay-\(UUID().uuidString).sqlite").path
        // The relay on the SQLite store, whose outbox holds the event the stream record carries.
        let store = try SQLitePaymentStore(path: path)
        try store.database.transaction {
            try $0.query("INSERT INTO outbox (event_id, payment_id, event) VALUES (?, ?, ?)",
                         [.text(event(1).id), .text(event(1).detail.paymentId), .text(String(decoding: event(1).encoded().json, as: UTF8.self))])
        }
        let definition = FunctionDefinition(name: "outbox-relay", trigger: DynamoDBStreamTrigger()) { _ in
            Served(OutboxStreamRelay(publisher: SQLiteEventBus(database: store.database), outbox: store))
        }
        let runtime = try FunctionRuntime(definition, environment: [:], logger: .discarding)
        let batch = Array(#"{"Records":[\#(try outboxRecord(event(1), sequence: "1"))]}"#.utf8)
        let answer = try runtime.invoke(event: batch, context: InvocationContext(requestID: "r", logger: .discarding))
        XCTAssertEqual(String(decoding: answer, as: UTF8.self), #"{"batchItemFailures":[]}"#)
        let bus = try SQLiteEventBus(database: SQLitePaymentStore(path: path).database)
        XCTAssertEqual(try bus.events().map(\.event.id), [event(1).id])
        XCTAssertThrowsError(try runtime.invoke(event: Array(#"{"Records":[{"eventID":"x"}]}"#.utf8), context: InvocationContext(requestID: "r", logger: .discarding))) {
            XCTAssertTrue(String(describing: $0).contains("not a DynamoDB stream batch"), "\($0)")
        }
    }
}

final class RecordingBus: EventPublisher, @unchecked Sendable {
    let refused: Set<String>
    var seen: [String] = []
    init(refused: Set<String>) { self.refused = refused }
    func publish(_ events: [EncodedEvent]) throws -> PublishResult {
        seen += events.map(\.id)
        return PublishResult(failures: Dictionary(uniqueKeysWithValues: events.map(\.id).filter(refused.contains).map { ($0, "InternalFailure") }))
    }
}

final class RecordingOutbox: StreamedOutbox, @unchecked Sendable {
    var removed: [String] = []
    func unpublished(limit: Int) throws -> [EncodedEvent] { [] }
    func markPublished(eventIDs: [String]) throws { removed += eventIDs }
    /// Every event still waits unless this relay removed it.
    func unpublishedEventIDs(among eventIDs: [String]) throws -> Set<String> { Set(eventIDs).subtracting(removed) }
}
