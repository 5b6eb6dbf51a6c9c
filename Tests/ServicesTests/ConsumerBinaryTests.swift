import Foundation
import Testing
import DeliveryService
import NotificationService
import PaymentsCore
import Platform
import SQLiteAdapter
import TestSupport

/// The `delivery` and `notification` executables as Lambda runs them: under an in-test Runtime API they
/// answer an SQS batch with a partial batch response, keep going after an event that is no SQS batch,
/// publish their outbox after answering, and never open the payments store.
@Suite struct ConsumerBinaryTests {
    static let binFolder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()

    func run(_ function: String, events: [(id: String, body: String)], environment: [String: String]) throws -> [FakeRuntimeAPI.Posted] {
        // A payments store setting that would fail if it were read: consumers do not open it.
        try FakeRuntimeAPI.run(Self.binFolder.appendingPathComponent(function), events: events,
                               environment: environment.merging(["PAYMENTS_STORE": "unreadable"]) { $1 }).posts
    }

    static func batch(_ bodies: [(id: String, body: String)], queue: String) -> String {
        let records: [[String: Any]] = bodies.map {
            ["messageId": $0.id, "receiptHandle": "h", "body": $0.body, "attributes": ["ApproximateReceiveCount": "1"],
             "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:\(queue)"]
        }
        return String(decoding: try! JSONSerialization.data(withJSONObject: ["Records": records]), as: UTF8.self)
    }

    @Test func deliveryAnswersAPartialBatchResponseAndPublishesAfterwards() throws {
        let path = temporaryPath("delivery-binary")
        let batch = Self.batch([("good", Events.envelope(Events.succeeded())), ("poison", "nope")], queue: "shop-delivery")
        let posts = try run("delivery", events: [("bad-1", "not an SQS batch"), ("good-2", batch)], environment: ["DELIVERY_STORE": "sqlite:\(path)"])
        #expect(posts.map(\.path) == ["/2018-06-01/runtime/invocation/bad-1/error", "/2018-06-01/runtime/invocation/good-2/response"])
        #expect(posts.last?.body == #"{"batchItemFailures":[{"itemIdentifier":"poison"}]}"#)
        let store = try SQLiteShipmentStore(path: path)
        #expect(try store.shipment(orderID: "ord_1")?.status == .requested)
        #expect(try SQLiteServiceFile.published(store.database).map(\.detailType) == ["ShipmentRequested"], "drained after the answer")
    }

    @Test func notificationSendsOnTheQueuesChannelAndAMissingSenderAddressIsAnInitError() throws {
        let path = temporaryPath("notification-binary")
        let batch = Self.batch([("sms-1", Events.snsWrapped(Events.succeeded()))], queue: "shop-notification-sms")
        let posts = try run("notification", events: [("good-1", batch)], environment: ["NOTIFICATION_STORE": "sqlite:\(path)"])
        #expect(posts.last?.body == #"{"batchItemFailures":[]}"#)
        let messages = try SQLiteNotificationStore(path: path).localMessages()
        #expect(messages.map(\.channel) == ["sms"] && messages[0].to == "+14155550123")

        let aws = ["NOTIFICATION_STORE": "dynamodb:t", "AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "s"]
        let failed = try run("notification", events: [], environment: aws)
        #expect(failed.map(\.path) == ["/2018-06-01/runtime/init/error"])
        #expect(failed.first?.body.contains("NOTIFICATION_EMAIL_FROM is not set") == true)
    }
}
