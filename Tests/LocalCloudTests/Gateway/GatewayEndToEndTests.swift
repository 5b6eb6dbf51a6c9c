import Foundation
import Synchronization
import XCTest
import FunctionHost
import LocalCloudFunctions
import PaymentsCore
import Platform
import StripeProvider
import TestSupport
@testable import LocalCloud

/// The gateway on a loopback port in front of the real Stripe functions, run in-process by
/// `InProcessRunner` on a temporary SQLite store, against a fake Stripe API; driven by raw HTTP.
final class GatewayEndToEndTests: XCTestCase {
    struct FixedClock: WallClock {
        let date: Date
        func now() -> Date { date }
        func sleep(seconds: Double) {}
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")
    /// The secret scripts/regen_fixtures.sh signed the Stripe webhook fixtures with, and their time.
    static let webhookSecret = "whsec_kKxgprTwyuhW4d6khhengyJTaMHNYdUo"
    static let signedAt = Date(timeIntervalSince1970: 1_764_000_001)

    func testAPaymentAndItsSignedWebhookGoThroughTheGatewayToTheRealFunctions() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let stripeCalls = Mutex(0)
        let stripe = try TestHTTPServer { request in
            stripeCalls.withLock { $0 += 1 }
            guard request.method == "POST", request.path == "/v1/payment_intents" else { return .init(status: 404, text: "{}") }
            return .init(status: 200, headers: ["content-type": "application/json"],
                         text: #"{"id":"pi_fixture0001","object":"payment_intent","status":"requires_payment_method","client_secret":"pi_fixture0001_secret_abc"}"#)
        }
        defer { stripe.stop() }

        let environment = [
            "PAYMENTS_STORE": "sqlite:\(directory.appendingPathComponent("payments.sqlite").path)",
            "PAYMENTS_EVENTS": "sqlite",
            "STRIPE_SECRET_KEY": "sk_test_gateway",
            "STRIPE_API_BASE": "http://127.0.0.1:\(stripe.port)",
            "STRIPE_WEBHOOK_SECRET": Self.webhookSecret,
        ]
        let invoker = InProcessRunner(functions: [StripeFunctions.payment.definition, StripeFunctions.webhook.definition], environment: environment,
                                       logger: .discarding, clock: FixedClock(date: Self.signedAt))
        let routes = try GatewayRoutes(functions: [StripeFunctions.payment.definition, StripeFunctions.webhook.definition].map { ($0.name, $0.routes) })
        let logs = LogLines()
        let gateway = LocalGateway(routes: routes, invoker: invoker, logger: logs.sink)

        try await withGateway(gateway) { port in
            // 1. The shop creates the payment.
            let created = try await RawHTTP.send(port: port, method: "POST", target: "/payments/stripe",
                                           headers: [("Content-Type", "application/json"), ("Idempotency-Key", "gateway-e2e-1")],
                                           body: Array(#"{"orderId":"ord_fixture0001","amount":2000,"currency":"USD"}"#.utf8))
            XCTAssertEqual(created.status, 201, created.text)
            XCTAssertEqual(created.values(of: "content-type"), ["application/json"])
            let payment = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(created.body)) as? [String: Any])
            let paymentID = try XCTUnwrap(payment["paymentId"] as? String)
            XCTAssertEqual(payment["status"] as? String, "pending")
            XCTAssertEqual(payment["clientSecret"] as? String, "pi_fixture0001_secret_abc")
            XCTAssertEqual(stripeCalls.withLock { $0 }, 1)

            // 2. Stripe's signed webhook, as raw HTTP: the fixture's headers and exact body bytes.
            let fixture = try APIGatewayV2Request(event: Array(try Data(contentsOf: Self.fixtures
                .appendingPathComponent("Stripe/webhooks/04-payment_intent.succeeded.json"))))
            let body = try XCTUnwrap(fixture.rawBody())
            let signature = try XCTUnwrap(fixture.header("stripe-signature"))
            let delivered = try await RawHTTP.send(port: port, method: "POST", target: "/webhooks/stripe",
                                             headers: [("Content-Type", "application/json; charset=utf-8"), ("Stripe-Signature", signature),
                                                       ("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")],
                                             body: body)
            XCTAssertEqual(delivered.status, 200, delivered.text)

            // The same bytes with a signature made with another secret are refused.
            let forged = try await RawHTTP.send(port: port, method: "POST", target: "/webhooks/stripe",
                                          headers: [("Content-Type", "application/json"),
                                                    ("Stripe-Signature", StripeSignature.header(body: body, secret: "whsec_other", timestamp: 1_764_000_000))],
                                          body: body)
            XCTAssertEqual(forged.status, 400, forged.text)
            XCTAssertEqual(forged.values(of: "content-type"), ["application/problem+json"])

            // 3. The payment, read back through GET /payments/{id}, has moved.
            let shown = try await RawHTTP.send(port: port, method: "GET", target: "/payments/\(paymentID)")
            XCTAssertEqual(shown.status, 200, shown.text)
            let record = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(shown.body)) as? [String: Any])
            XCTAssertEqual(record["status"] as? String, "succeeded", shown.text)

            let missing = try await RawHTTP.send(port: port, method: "GET", target: "/payments/pay_nothing")
            XCTAssertEqual(missing.status, 404)
            XCTAssertEqual(missing.values(of: "content-type"), ["application/problem+json"])

            let lines = logs.all
            XCTAssertEqual(lines.count, 5, "\(lines)")
            XCTAssertTrue(lines[0].contains("POST /payments/stripe -> stripe-payment 201 "), lines[0])
            XCTAssertTrue(lines[1].contains("POST /webhooks/stripe -> stripe-webhook 200 "), lines[1])
            XCTAssertTrue(lines[2].contains("POST /webhooks/stripe -> stripe-webhook 400 "), lines[2])
            XCTAssertTrue(lines[3].contains("GET /payments/\(paymentID) -> stripe-payment 200 "), lines[3])
        }
    }

    func testAFunctionThatCannotStartIsA500AndTheErrorIsReported() async throws {
        // No STRIPE_WEBHOOK_SECRET: the function's init fails, as it would in Lambda.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let invoker = InProcessRunner(functions: [StripeFunctions.webhook.definition],
                                       environment: ["PAYMENTS_STORE": "sqlite:\(directory.appendingPathComponent("p.sqlite").path)"],
                                       logger: .discarding)
        let result = await invoker.invoke(function: "stripe-webhook", InvokeRequest(payload: Array("{}".utf8), requestID: "r1"))
        guard case .runtimeFailed(let type, let message) = result else { return XCTFail("\(result)") }
        XCTAssertEqual(type, "Runtime.ConfigurationError")
        XCTAssertTrue(message.contains("STRIPE_WEBHOOK_SECRET"), message)
        let unknown = await invoker.invoke(function: "nope", InvokeRequest(payload: [], requestID: "r2"))
        guard case .runtimeFailed = unknown else { return XCTFail("\(unknown)") }
        XCTAssertEqual(APIGatewayResponseMapper.response(for: result).status, 500)
    }

    func testAnEventTheFunctionCannotReadIsAFunctionError() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let invoker = InProcessRunner(functions: [StripeFunctions.webhook.definition],
                                       environment: ["PAYMENTS_STORE": "sqlite:\(directory.appendingPathComponent("p.sqlite").path)",
                                                     "STRIPE_WEBHOOK_SECRET": Self.webhookSecret],
                                       logger: .discarding)
        let result = await invoker.invoke(function: "stripe-webhook", InvokeRequest(payload: Array(#"{"version":"1.0"}"#.utf8), requestID: "r1"))
        guard case .functionError(let body, let type) = result else { return XCTFail("\(result)") }
        XCTAssertEqual(type, "Runtime.InvalidEventError")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(body)) as? [String: String])
        XCTAssertEqual(json["errorType"], "Runtime.InvalidEventError")
        XCTAssertTrue(json["errorMessage"]?.contains("version") == true, "\(json)")
    }
}
