import Foundation
import Testing
import DeliveryService
import EventRules
import FunctionHost
import Platform
import LocalCloud
import LocalCloudFunctions
import NotificationService
import PaymentsCore
import PaymentsStores
import SQLiteAdapter

/// The local bus handing events to the real consumers (Delivery, Notification), run in this process
/// on temporary SQLite stores.
struct LocalEventDeliveryTests {
    /// A folder of its own for one test's stores, and the settings naming them.
    struct Stores {
        let folder: URL
        var payments: String { folder.appendingPathComponent("payments.sqlite").path }
        var deliveries: String { folder.appendingPathComponent("delivery.sqlite").path }
        var notifications: String { folder.appendingPathComponent("notifications.sqlite").path }

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("local-delivery-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }

        var environment: [String: String] {
            ["PAYMENTS_STORE": "sqlite:\(payments)", "PAYMENTS_EVENTS": "sqlite",
             "DELIVERY_STORE": "sqlite:\(deliveries)", "NOTIFICATION_STORE": "sqlite:\(notifications)"]
        }

        /// Publishes a payment's success for `order` on the local bus, as a payment function's drain does.
        func publishSucceeded(order: String) throws {
            let payment = Payment(id: "pay_\(order)", orderID: order, provider: "stripe", providerReference: "pi_\(order)",
                                  amount: Money(minorUnits: 2500, currency: Currency(code: "EUR")!),
                                  state: PaymentState(progress: .succeeded), customerEmail: "buyer@example.com",
                                  customerPhone: nil, createdAt: Date(timeIntervalSince1970: 1_764_000_000), version: 2)
            let store = try SQLitePaymentStore(path: payments)
            _ = try SQLiteEventBus(database: store.database).publish([PaymentEvent(transition: payment, from: .pending, at: Date())])
        }

        func deliveredSequence(_ consumer: String) throws -> Int {
            try SQLiteEventBus(database: SQLitePaymentStore(path: payments).database).deliveredSequence(consumer: consumer)
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    func delivery(_ stores: Stores, environment: [String: String]? = nil) throws -> LocalEventDelivery {
        let environment = environment ?? stores.environment
        let runner = InProcessRunner(functions: FunctionRegistry.all, environment: environment, logger: .discarding, timeoutSeconds: nil)
        return try #require(try LocalEventDelivery.configured(environment: environment, consumers: runner, logger: .discarding))
    }

    @Test func eachEventReachesEveryConsumerTheRulesNameOnce() async throws {
        let stores = try Stores()
        defer { stores.remove() }
        try stores.publishSucceeded(order: "ord_a")
        let delivery = try delivery(stores)
        await delivery.deliver()
        #expect(try SQLiteShipmentStore(path: stores.deliveries).shipment(orderID: "ord_a") != nil)
        let messages = try SQLiteNotificationStore(path: stores.notifications).localMessages(orderID: "ord_a")
        #expect(!messages.isEmpty)
        #expect(try stores.deliveredSequence("delivery") == 1)
        #expect(try stores.deliveredSequence("notification") == 1)

        await delivery.deliver()
        #expect(try SQLiteNotificationStore(path: stores.notifications).localMessages(orderID: "ord_a").count == messages.count,
                "handed over once")
    }

    @Test func aConsumerThatCannotStartLeavesItsEventsWaiting() async throws {
        let stores = try Stores()
        defer { stores.remove() }
        try stores.publishSucceeded(order: "ord_b")
        var broken = stores.environment
        broken["DELIVERY_STORE"] = "postgres:x"
        await (try delivery(stores, environment: broken)).deliver()
        #expect(try stores.deliveredSequence("delivery") == 0)
        #expect(try stores.deliveredSequence("notification") == 1, "the other consumer is served")

        await (try delivery(stores)).deliver()
        #expect(try stores.deliveredSequence("delivery") == 1)
        #expect(try SQLiteShipmentStore(path: stores.deliveries).shipment(orderID: "ord_b") != nil)
    }

    @Test func thereIsNoLocalBusWhenTheFunctionsPublishElsewhere() throws {
        let runner = InProcessRunner(functions: [], environment: [:], logger: .discarding)
        for environment in [["PAYMENTS_STORE": "sqlite:/tmp/x.sqlite", "PAYMENTS_EVENTS": "eventbridge:bus"],
                            ["PAYMENTS_STORE": "dynamodb:t", "PAYMENTS_EVENTS": "eventbridge:bus"]] {
            #expect(try LocalEventDelivery.configured(environment: environment, consumers: runner, logger: .discarding) == nil)
        }
    }

    @Test func handingOverBeforeAnythingWasStoredLeavesNoStoreBehind() async throws {
        let stores = try Stores()
        defer { stores.remove() }
        await (try delivery(stores)).deliver()
        #expect(!FileManager.default.fileExists(atPath: stores.payments))
    }

    @Test func theLoopHandsOverWhatArrivesUntilItIsStopped() async throws {
        let stores = try Stores()
        defer { stores.remove() }
        let loop = LocalDeliveryLoop.start(try delivery(stores), interval: .milliseconds(20))
        try stores.publishSucceeded(order: "ord_c")
        let limit = ContinuousClock.now + .seconds(20)
        while try stores.deliveredSequence("delivery") == 0, ContinuousClock.now < limit {
            try await Task.sleep(for: .milliseconds(20))
        }
        await loop.stop()
        #expect(try SQLiteShipmentStore(path: stores.deliveries).shipment(orderID: "ord_c") != nil)
        try stores.publishSucceeded(order: "ord_d")
        try await Task.sleep(for: .milliseconds(200))
        #expect(try SQLiteShipmentStore(path: stores.deliveries).shipment(orderID: "ord_d") == nil, "stopped: nothing more is handed over")
    }

    /// The stored event's detail reaches the consumer as it was written: EventBridge passes PutEvents'
    /// Detail on, and so does the local bus, adding only the envelope's own fields.
    @Test func theEnvelopeCarriesTheStoredDetailByteForByte() throws {
        let note = "a/b \"q\" é \\ \u{1}"
        let event = ServiceEvent(source: "shop.test", detailType: "ThingHappened", time: Date(timeIntervalSince1970: 1_764_000_000.5),
                                 detail: ["eventId": .string("evt_1"), "note": .string(note), "count": .integer(3)]).encoded()
        let body = LocalEventDelivery.envelope(event)
        #expect(body.contains(String(decoding: event.detailJSON, as: UTF8.self)))
        let envelope = try EventBridgeEnvelope(sqsBody: body)
        #expect(envelope.id == "evt_1" && envelope.source == "shop.test" && envelope.detailType == "ThingHappened" && envelope.time == event.time)
        #expect(envelope.detail["note"]?.string == note)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(object.keys.sorted() == ["account", "detail", "detail-type", "id", "region", "resources", "source", "time", "version"])
    }
}
