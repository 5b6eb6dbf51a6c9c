import Foundation
import XCTest
import TestSupport
import Platform

/// Every function executable, as Lambda runs it: started with AWS_LAMBDA_RUNTIME_API pointing at an
/// in-test Runtime API, it serves an invocation through the runtime loop and posts the answer.
final class FunctionBinaryTests: XCTestCase {
    /// The executables sit beside the test bundle in SwiftPM's build folder.
    static let binFolder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    var store: String!

    override func setUp() {
        store = FileManager.default.temporaryDirectory.appendingPathComponent("binary-\(UUID().uuidString).sqlite").path
    }

    static let paypalCert = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/PayPal/certs/leaf.pem").path

    var settings: [String: [String: String]] {
        [
            "stripe-payment": ["STRIPE_SECRET_KEY": "sk_test_binary"],
            "stripe-webhook": ["STRIPE_WEBHOOK_SECRET": "whsec_Jmxd7L3FmiLoCGyLpO7WjPdn7qijezKi"],
            "paypal-payment": ["PAYPAL_CLIENT_ID": "id", "PAYPAL_CLIENT_SECRET": "secret"],
            "paypal-webhook": ["PAYPAL_CLIENT_ID": "id", "PAYPAL_CLIENT_SECRET": "secret", "PAYPAL_WEBHOOK_ID": "RAELQDWO9PHPUN425",
                               "PAYPAL_WEBHOOK_CERT": Self.paypalCert],
            "braintree-payment": ["BRAINTREE_MERCHANT_ID": "m", "BRAINTREE_PUBLIC_KEY": "pub", "BRAINTREE_PRIVATE_KEY": "priv"],
            "braintree-webhook": ["BRAINTREE_PUBLIC_KEY": "n1gppdfiyefzftbt", "BRAINTREE_PRIVATE_KEY": "930759120c9e4d0d4184d4eca959575f"],
        ]
    }

    /// Runs `function` until the Runtime API has no more events; returns what it posted and its exit status.
    func run(_ function: String, events: [(id: String, body: String)], environment: [String: String]) throws -> ([FakeRuntimeAPI.Posted], Int32) {
        try FakeRuntimeAPI.run(Self.binFolder.appendingPathComponent(function), events: events,
                               environment: environment.merging(["PAYMENTS_STORE": "sqlite:\(store!)"]) { $1 })
    }

    static func event(_ method: String, _ path: String, body: String? = nil) -> String {
        let request: [String: Any] = [
            "version": "2.0", "routeKey": "\(method) \(path)", "rawPath": path, "headers": ["content-type": "application/json"],
            "requestContext": ["requestId": "r", "http": ["method": method, "path": path]],
            "body": body ?? NSNull(), "isBase64Encoded": false,
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: request), as: UTF8.self)
    }

    func testEveryFunctionServesTheRuntimeAPIAndKeepsGoingAfterABadEvent() throws {
        for (function, environment) in settings.sorted(by: { $0.key < $1.key }) {
            let isWebhook = function.hasSuffix("-webhook")
            let provider = String(function.split(separator: "-")[0])
            // An unsigned webhook (400) or an unknown payment (404): real answers that touch no provider.
            let request = isWebhook ? Self.event("POST", "/webhooks/\(provider)", body: "{}") : Self.event("GET", "/payments/pay_unknown")
            let (posts, status) = try run(function, events: [("bad-1", "not an API Gateway event"), ("good-2", request)], environment: environment)
            XCTAssertEqual(posts.map(\.path), ["/2018-06-01/runtime/invocation/bad-1/error", "/2018-06-01/runtime/invocation/good-2/response"], function)
            let answer = try JSONSerialization.jsonObject(with: Data((posts.last?.body ?? "{}").utf8)) as? [String: Any]
            XCTAssertEqual(answer?["statusCode"] as? Int, isWebhook ? 400 : 404, function)
            XCTAssertEqual(status, 1, "\(function) stops when the Runtime API fails")
        }
    }

    func testTheOutboxRelayServesStreamBatchesWithAPartialBatchResponse() throws {
        let empty = #"{"Records":[{"eventID":"1","eventName":"MODIFY","dynamodb":{"Keys":{"pk":{"S":"PAYMENT#p"}},"SequenceNumber":"7"}}]}"#
        // Configured by the table it drains and the bus; a batch without outbox inserts calls neither.
        let environment = ["OUTBOX_TABLE": "binary-test", "OUTBOX_EVENTS": "eventbridge:binary-test", "AWS_REGION": "eu-west-1",
                           "AWS_ACCESS_KEY_ID": "AKIDBINARYTEST", "AWS_SECRET_ACCESS_KEY": "binary-test"]
        let (posts, status) = try run("outbox-relay", events: [("bad-1", #"{"version":"2.0"}"#), ("good-2", empty)], environment: environment)
        XCTAssertEqual(posts.map(\.path), ["/2018-06-01/runtime/invocation/bad-1/error", "/2018-06-01/runtime/invocation/good-2/response"])
        XCTAssertTrue(posts.first?.body.contains("not a DynamoDB stream batch") ?? false, posts.first?.body ?? "")
        XCTAssertEqual(posts.last?.body, #"{"batchItemFailures":[]}"#)
        XCTAssertEqual(status, 1)
    }

    func testAMissingSettingIsPostedAsAnInitErrorNamingIt() throws {
        let (posts, status) = try run("stripe-webhook", events: [], environment: [:])
        XCTAssertEqual(posts.map(\.path), ["/2018-06-01/runtime/init/error"])
        XCTAssertTrue(posts.first?.body.contains("STRIPE_WEBHOOK_SECRET is not set") ?? false)
        XCTAssertEqual(status, 1)
    }
}
