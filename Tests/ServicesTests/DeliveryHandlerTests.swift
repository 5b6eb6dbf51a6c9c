import Foundation
import Synchronization
import Testing
import DeliveryService
import FunctionHost
import PaymentsCore
import Platform
import PaymentsStores
import SQLiteAdapter

/// The `delivery` handler on the real SQLite store: one shipment per order, idempotent on the event
/// id and the order, refunds cancel, disputes hold, and a bad record fails alone.
@Suite struct DeliveryHandlerTests {
    let path = temporaryPath("delivery")
    let store: SQLiteShipmentStore
    let handler: DeliveryHandler

    init() throws {
        store = try SQLiteShipmentStore(path: path)
        handler = DeliveryHandler(store: store, clock: SteppingClock())
    }

    func deliver(_ events: [PaymentEvent], logs: LogLines = LogLines()) throws -> BatchResponse {
        let response = try handler.handle(Events.batch(events), context: context(logs))
        OutboxDrain(outbox: store, publisher: store.bus).run(logger: .discarding)
        return response
    }

    func published() throws -> [ServiceEvent] { try SQLiteServiceFile.published(store.database) }

    @Test func aSuccessRequestsOneShipmentAndAnnouncesIt() throws {
        #expect(try deliver([Events.succeeded()]) == .allSucceeded)
        let shipment = try #require(try store.shipment(orderID: "ord_1"))
        #expect(shipment.status == .requested)
        #expect(shipment.paymentID == "pay_1")
        #expect(shipment.shipmentID == Shipment.id(orderID: "ord_1"))
        let events = try published()
        #expect(events.map(\.detailType) == ["ShipmentRequested"])
        #expect(events[0].source == "shop.delivery")
        #expect(events[0]["orderId"] == "ord_1" && events[0]["shipmentId"] == shipment.shipmentID && events[0]["paymentId"] == "pay_1")
        #expect(events[0]["status"] == "requested" && events[0].id == "\(shipment.shipmentID)-v1")
        #expect(try store.unpublished(limit: 10).isEmpty, "drained after the batch")
    }

    @Test func threeDeliveriesOfOneEventChangeNothingAfterTheFirst() throws {
        let success = Events.succeeded()
        #expect(try deliver([success]) == .allSucceeded)
        let first = try store.shipment(orderID: "ord_1")
        #expect(try deliver([success]) == .allSucceeded)
        #expect(try deliver([success, success]) == .allSucceeded, "a duplicate inside one batch too")
        #expect(try store.shipment(orderID: "ord_1") == first)
        #expect(try published().count == 1)
        #expect(try store.hasProcessed(eventID: success.id))
    }

    @Test func aSecondPaymentsSuccessForTheSameOrderMakesNoSecondShipment() throws {
        #expect(try deliver([Events.succeeded("pay_1"), Events.succeeded("pay_2")]) == .allSucceeded)
        let shipment = try #require(try store.shipment(orderID: "ord_1"))
        #expect(shipment.state.payments.keys.sorted() == ["pay_1", "pay_2"])
        #expect(shipment.status == .requested)
        #expect(try published().map(\.detailType) == ["ShipmentRequested"], "one shipment, announced once")
        let rows = try store.database.withConnection { try $0.query("SELECT count(*) FROM shipments") }
        #expect(rows.first?.first == "1")
        // One of the two payments refunded: the other still pays for the order.
        #expect(try deliver([Events.refunded("pay_1", total: 2500)]) == .allSucceeded)
        #expect(try store.shipment(orderID: "ord_1")?.status == .requested)
        #expect(try store.shipment(orderID: "ord_1")?.paymentID == "pay_2")
    }

    @Test func aFullRefundCancelsAndAPartialOneDoesNot() throws {
        #expect(try deliver([Events.succeeded(), Events.refunded(total: 1000)]) == .allSucceeded)
        #expect(try store.shipment(orderID: "ord_1")?.status == .requested)
        #expect(try deliver([Events.refunded(total: 2500, version: 4)]) == .allSucceeded)
        #expect(try store.shipment(orderID: "ord_1")?.status == .canceled)
        #expect(try published().map(\.detailType) == ["ShipmentRequested", "ShipmentCanceled"])
        #expect(try published().last?["previousStatus"] == "requested")
    }

    @Test func aRefundSeenBeforeTheSuccessLeavesNoLiveShipment() throws {
        #expect(try deliver([Events.refunded(total: 2500)]) == .allSucceeded)
        #expect(try store.shipment(orderID: "ord_1")?.status == .canceled)
        #expect(try deliver([Events.succeeded()]) == .allSucceeded, "the late success is acknowledged")
        #expect(try store.shipment(orderID: "ord_1")?.status == .canceled)
        #expect(try published().map(\.detailType) == ["ShipmentCanceled"])
    }

    @Test func aDisputeHoldsTheShipmentWinningReleasesItLosingCancelsIt() throws {
        #expect(try deliver([Events.succeeded(), Events.disputed(.open)]) == .allSucceeded)
        #expect(try store.shipment(orderID: "ord_1")?.status == .onHold)
        #expect(try deliver([Events.disputed(.won, version: 5)]) == .allSucceeded)
        #expect(try store.shipment(orderID: "ord_1")?.status == .requested)
        #expect(try published().map(\.detailType) == ["ShipmentRequested", "ShipmentOnHold", "ShipmentRequested"])

        #expect(try deliver([Events.disputed(.open, id: "pay_9", order: "ord_9"), Events.disputed(.lost, id: "pay_9", order: "ord_9", version: 5)]) == .allSucceeded)
        #expect(try store.shipment(orderID: "ord_9")?.status == .canceled)
    }

    @Test func anEventThatSaysNothingAboutShippingIsAcknowledgedAndStoresNothing() throws {
        let pending = Events.payment(state: PaymentState(), version: 2)
        let failed = Events.payment(state: PaymentState(progress: .failed), version: 3)
        #expect(try deliver([pending, failed]) == .allSucceeded)
        #expect(try store.shipment(orderID: "ord_1") == nil)
        #expect(try published().isEmpty)
    }

    /// Records that can never be processed: each fails alone, is logged with its reason and never its body.
    static let poison: [(String, String)] = [
        ("not JSON", "buyer@example.com wants a refund"),
        ("an empty body", ""),
        ("a JSON string", #""hello""#),
        ("an envelope of another source", Events.envelope(Events.succeeded()).replacingOccurrences(of: "\"shop.payments\"", with: "\"shop.delivery\"")),
        ("an unknown detail-type", Events.envelope(Events.succeeded()).replacingOccurrences(of: "\"PaymentSucceeded\"", with: "\"PaymentShipped\"")),
        ("a mistyped amount", Events.envelope(Events.succeeded()).replacingOccurrences(of: "\"amount\":2500", with: "\"amount\":\"2500\"")),
        ("a missing order id", Events.envelope(Events.succeeded()).replacingOccurrences(of: "\"orderId\":\"ord_1\",", with: "")),
        ("a repeated key", Events.envelope(Events.succeeded()).replacingOccurrences(of: "{\"account\"", with: "{\"id\":\"x\",\"account\"")),
        ("an oversized body", #"{"pad":""# + String(repeating: "x", count: 300_000) + #""}"#),
        ("an SNS subscription confirmation", #"{"Type":"SubscriptionConfirmation","TopicArn":"arn","Message":"{}"}"#),
    ]

    @Test(arguments: poison.indices)
    func aPoisonRecordFailsAloneAndTheRestOfTheBatchIsProcessed(index: Int) throws {
        let (name, body) = Self.poison[index]
        let logs = LogLines()
        let batch = SQSBatch(records: [
            Events.record(Events.envelope(Events.succeeded("pay_a", order: "ord_a")), id: "good-1"),
            Events.record(body, id: "poison"),
            Events.record(Events.envelope(Events.succeeded("pay_b", order: "ord_b")), id: "good-2"),
        ])
        #expect(try handler.handle(batch, context: context(logs)) == BatchResponse(failedItems: ["poison"]), "\(name)")
        #expect(try store.shipment(orderID: "ord_a")?.status == .requested)
        #expect(try store.shipment(orderID: "ord_b")?.status == .requested)
        let line = try #require(logs.all.first { $0.contains("\"poison\"") }, "\(name) is logged")
        #expect(line.contains("unreadable record") && line.contains("\"reason\""))
        #expect(!logs.text.contains("buyer@example.com") && !logs.text.contains("4155550123"), "no contact in any log line")
    }

    @Test func aStoreThatFailsFailsOnlyTheRecordsItFailedAndTheyAreRetried() throws {
        let flaky = FlakyShipmentStore(base: store, failingOrders: ["ord_b"])
        let handler = DeliveryHandler(store: flaky, clock: SteppingClock())
        let batch = Events.batch([Events.succeeded("pay_a", order: "ord_a"), Events.succeeded("pay_b", order: "ord_b")])
        #expect(try handler.handle(batch, context: context()) == BatchResponse(failedItems: ["m-pay_b-v2"]))
        flaky.failingOrders.withLock { $0 = [] }
        #expect(try handler.handle(batch, context: context()) == .allSucceeded, "the retry of the batch")
        #expect(try store.shipment(orderID: "ord_b")?.status == .requested)
        #expect(try published().isEmpty, "not drained by this handler")
        #expect(try store.unpublished(limit: 10).count == 2, "one ShipmentRequested per order, not more")
    }

    @Test func aRaceOnTheSameOrderIsResolvedByReadingAgain() throws {
        // Another writer stores the order's shipment between our read and our save.
        let racing = RacingShipmentStore(base: store, interloper: Events.succeeded("pay_2"))
        let handler = DeliveryHandler(store: racing, clock: SteppingClock())
        #expect(try handler.handle(Events.batch([Events.succeeded("pay_1")]), context: context()) == .allSucceeded)
        let shipment = try #require(try store.shipment(orderID: "ord_1"))
        #expect(shipment.state.payments.keys.sorted() == ["pay_1", "pay_2"])
        #expect(shipment.version == 2)
    }

    @Test func theFunctionServesSQSBatchesWithoutThePaymentsStoreAndDrainsAfterAnswering() throws {
        let environment = ["DELIVERY_STORE": "sqlite:\(path)", "PAYMENTS_STORE": "not-a-store-setting"]
        let runtime = try FunctionRuntime(DeliveryFunctions.definition, environment: environment, logger: .discarding)
        let records = [Events.succeeded()].map { event -> [String: Any] in
            ["messageId": "m-1", "receiptHandle": "r", "body": Events.envelope(event), "attributes": ["ApproximateReceiveCount": "1"],
             "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:shop-delivery"]
        } + [["messageId": "m-2", "receiptHandle": "r", "body": "nope", "attributes": [String: String]()]]
        let event = Array(try JSONSerialization.data(withJSONObject: ["Records": records]))
        let answer = try runtime.invoke(event: event, context: InvocationContext(requestID: "r", logger: .discarding))
        #expect(String(decoding: answer, as: UTF8.self) == #"{"batchItemFailures":[{"itemIdentifier":"m-2"}]}"#)
        #expect(try store.unpublished(limit: 10).count == 1)
        runtime.afterResponse(logger: .discarding)
        #expect(try published().map(\.detailType) == ["ShipmentRequested"])
        #expect(throws: (any Error).self) {
            try runtime.invoke(event: Array(#"{"Records":[{"body":"x"}]}"#.utf8), context: InvocationContext(requestID: "r", logger: .discarding))
        }
    }

    @Test func aMalformedStoreSettingOrAnotherServicesFileIsAClearInitError() throws {
        #expect(throws: ConfigurationError.self) {
            try FunctionRuntime(DeliveryFunctions.definition, environment: ["DELIVERY_STORE": "postgres:x"], logger: .discarding)
        }
        do {
            _ = try FunctionRuntime(DeliveryFunctions.definition, environment: ["DELIVERY_STORE": "postgres:x"], logger: .discarding)
        } catch {
            #expect(String(describing: error).contains("DELIVERY_STORE") && !String(describing: error).contains("postgres:x"))
        }
        let payments = temporaryPath("payments")
        _ = try SQLitePaymentStore(path: payments)
        #expect(throws: StoreError.self) { try SQLiteShipmentStore(path: payments) }
        #expect(throws: (any Error).self) {
            try FunctionRuntime(DeliveryFunctions.definition, environment: ["DELIVERY_STORE": "dynamodb:t"], logger: .discarding)
        }
    }
}

/// The store, failing every call about some orders (a store outage seen by some records only).
final class FlakyShipmentStore: ShipmentStore {
    let base: any ShipmentStore
    let failingOrders: Mutex<Set<String>>

    init(base: any ShipmentStore, failingOrders: Set<String>) {
        self.base = base
        self.failingOrders = Mutex(failingOrders)
    }

    func check(_ order: String) throws {
        if failingOrders.withLock({ $0.contains(order) }) { throw StoreError("the store is unreachable") }
    }

    func shipment(orderID: String) throws -> Shipment? {
        try check(orderID)
        return try base.shipment(orderID: orderID)
    }

    func hasProcessed(eventID: String) throws -> Bool { try base.hasProcessed(eventID: eventID) }

    func save(_ shipment: Shipment, expectedVersion: Int?, processedEventID: String, events: [ServiceEvent]) throws -> ShipmentSaveResult {
        try check(shipment.orderID)
        return try base.save(shipment, expectedVersion: expectedVersion, processedEventID: processedEventID, events: events)
    }
}

/// The store, with another writer storing `interloper` for the same order just before our first save.
final class RacingShipmentStore: ShipmentStore {
    let base: any ShipmentStore
    let interloper: Mutex<PaymentEvent?>

    init(base: any ShipmentStore, interloper: PaymentEvent) {
        self.base = base
        self.interloper = Mutex(interloper)
    }

    func shipment(orderID: String) throws -> Shipment? { try base.shipment(orderID: orderID) }
    func hasProcessed(eventID: String) throws -> Bool { try base.hasProcessed(eventID: eventID) }

    func save(_ shipment: Shipment, expectedVersion: Int?, processedEventID: String, events: [ServiceEvent]) throws -> ShipmentSaveResult {
        if let other = interloper.withLock({ value -> PaymentEvent? in defer { value = nil }; return value }) {
            let change = try #require(Shipment.applying(other, to: try base.shipment(orderID: other.detail.orderId), at: Events.start))
            #expect(try base.save(change.shipment, expectedVersion: nil, processedEventID: other.id, events: change.events) == .saved)
        }
        return try base.save(shipment, expectedVersion: expectedVersion, processedEventID: processedEventID, events: events)
    }
}
