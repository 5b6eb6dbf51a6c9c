import BraintreeProvider
import Foundation
import LocalCloud
import PaymentsCore
import Platform
import CurlHTTP
import PayPalProvider
import StripeProvider
import XCTest

/// `send` end to end: a payment made through the real payment function against the simulator's API,
/// then each scenario's signed deliveries POSTed by `WebhookSender` to the real webhook function
/// (both run in-process behind a loopback HTTP server on a temporary SQLite store), and the payment's
/// final status read back with `GET /payments/{id}`.
final class SimulateSendEndToEndTests: XCTestCase {
    /// What each scenario must leave the payment in, written out here rather than taken from the simulator.
    static let stripeFinal: [WebhookScenario: String] = [
        .succeed: "succeeded", .fail: "failed", .refund: "refunded", .dispute: "disputed", .outOfOrder: "succeeded", .duplicate: "succeeded",
    ]
    static let paypalFinal = stripeFinal
    static let braintreeFinal: [WebhookScenario: String] = [
        .succeed: "succeeded", .fail: "failed", .dispute: "disputed", .outOfOrder: "disputed", .duplicate: "succeeded",
    ]

    func play(_ scenario: WebhookScenario, paymentID: String, gateway: SimulatorTestGateway, simulator: any WebhookSimulator,
              file: StaticString = #filePath, line: UInt = #line) throws -> (statuses: [Int], final: SimulatedPayment, expected: String) {
        let sender = WebhookSender(gateway: gateway.base, client: CurlHTTPClient())
        let payment = try sender.payment(paymentID)
        let plan = try simulator.deliveries(for: scenario, payment: payment, now: Date())
        let delivered = try sender.deliver(plan.deliveries, provider: simulator.provider)
        for result in delivered {
            XCTAssertTrue((200...299).contains(result.status), "\(scenario.rawValue): \(result.label) answered \(result.status): \(result.body)", file: file, line: line)
        }
        return (delivered.map(\.status), try sender.payment(paymentID), plan.expectedStatus)
    }

    func testStripeScenarios() throws {
        let api = try RunningSimulator(StripeAPISimulator(secretKey: "sk_test_e2e"))
        defer { api.stop() }
        let gateway = try SimulatorTestGateway(payment: StripeFunctions.payment.definition, webhook: StripeFunctions.webhook.definition, environment: [
            "STRIPE_SECRET_KEY": "sk_test_e2e", "STRIPE_API_BASE": api.base, "STRIPE_WEBHOOK_SECRET": "whsec_Cp8vWW3tAsb4sjbxlJNJZRTcXr7k3tUO",
        ])
        let simulator = StripeWebhookSimulator(webhookSecret: "whsec_Cp8vWW3tAsb4sjbxlJNJZRTcXr7k3tUO")
        for scenario in WebhookScenario.allCases {
            // No payment method: the intent waits for the customer (pending), as the browser flow leaves it.
            let created = try gateway.createPayment("stripe", #"{"orderId":"ord_\#(scenario.rawValue)","amount":2500,"currency":"EUR"}"#)
            XCTAssertEqual(created.status, 201, "\(created.body)")
            let id = try XCTUnwrap(created.body["paymentId"] as? String)
            XCTAssertEqual(created.body["status"] as? String, "pending")
            XCTAssertTrue((created.body["providerReference"] as? String)?.hasPrefix("pi_") == true)
            let result = try play(scenario, paymentID: id, gateway: gateway, simulator: simulator)
            XCTAssertEqual(result.final.status, Self.stripeFinal[scenario], scenario.rawValue)
            XCTAssertEqual(result.expected, Self.stripeFinal[scenario], scenario.rawValue)
        }

        // Signed with another secret: refused, and the payment does not move.
        let created = try gateway.createPayment("stripe", #"{"orderId":"ord_wrong","amount":100,"currency":"USD"}"#)
        let id = try XCTUnwrap(created.body["paymentId"] as? String)
        let sender = WebhookSender(gateway: gateway.base, client: CurlHTTPClient())
        let plan = try StripeWebhookSimulator(webhookSecret: "whsec_not_it").deliveries(for: .succeed, payment: try sender.payment(id), now: Date())
        let refused = try sender.deliver(plan.deliveries, provider: "stripe")
        XCTAssertFalse((200...299).contains(refused[0].status), "\(refused[0].status) \(refused[0].body)")
        XCTAssertEqual(try sender.payment(id).status, "pending")
    }

    func testPayPalScenarios() throws {
        let keysFolder = FileManager.default.temporaryDirectory.appendingPathComponent("simulate-paypal-\(UUID().uuidString)").path
        let keys = try PayPalSimulatorKeys.loadOrCreate(in: keysFolder)
        let api = try RunningSimulator(PayPalAPISimulator(clientID: "client", clientSecret: "secret"))
        defer { api.stop() }
        let gateway = try SimulatorTestGateway(payment: PayPalFunctions.payment.definition, webhook: PayPalFunctions.webhook.definition, environment: [
            "PAYPAL_CLIENT_ID": "client", "PAYPAL_CLIENT_SECRET": "secret", "PAYPAL_API_BASE": api.base,
            "PAYPAL_WEBHOOK_ID": "1RA38OJBD27GIGDOG", "PAYPAL_WEBHOOK_CERT": keys.certificatePath,
        ])
        let simulator = PayPalWebhookSimulator(webhookID: "1RA38OJBD27GIGDOG", keys: keys)
        for scenario in WebhookScenario.allCases {
            let created = try gateway.createPayment("paypal", #"{"orderId":"ord_\#(scenario.rawValue)","amount":1999,"currency":"USD"}"#)
            XCTAssertEqual(created.status, 201, "\(created.body)")
            let id = try XCTUnwrap(created.body["paymentId"] as? String)
            XCTAssertTrue((created.body["approvalUrl"] as? String)?.hasPrefix("\(api.base)/checkoutnow?token=") == true, "\(created.body)")
            let result = try play(scenario, paymentID: id, gateway: gateway, simulator: simulator)
            XCTAssertEqual(result.final.status, Self.paypalFinal[scenario], scenario.rawValue)
            XCTAssertEqual(result.expected, Self.paypalFinal[scenario], scenario.rawValue)
        }

        // A key the pinned certificate does not vouch for is refused.
        let otherKeys = try PayPalSimulatorKeys.loadOrCreate(in: keysFolder + "-other")
        let created = try gateway.createPayment("paypal", #"{"orderId":"ord_wrong","amount":100,"currency":"USD"}"#)
        let id = try XCTUnwrap(created.body["paymentId"] as? String)
        let sender = WebhookSender(gateway: gateway.base, client: CurlHTTPClient())
        let plan = try PayPalWebhookSimulator(webhookID: "1RA38OJBD27GIGDOG", keys: otherKeys).deliveries(for: .succeed, payment: try sender.payment(id), now: Date())
        let refused = try sender.deliver(plan.deliveries, provider: "paypal")
        XCTAssertFalse((200...299).contains(refused[0].status), "\(refused[0].status) \(refused[0].body)")
        XCTAssertEqual(try sender.payment(id).status, "pending")
    }

    func testBraintreeScenarios() throws {
        let api = try RunningSimulator(BraintreeAPISimulator(merchantID: "e2e_merchant", publicKey: "266p1obt9xbv5l1m", privateKey: "c0e4ff2f93095daa36d4ad89bf038ba8"))
        defer { api.stop() }
        let gateway = try SimulatorTestGateway(payment: BraintreeFunctions.payment.definition, webhook: BraintreeFunctions.webhook.definition, environment: [
            "BRAINTREE_MERCHANT_ID": "e2e_merchant", "BRAINTREE_PUBLIC_KEY": "266p1obt9xbv5l1m", "BRAINTREE_PRIVATE_KEY": "c0e4ff2f93095daa36d4ad89bf038ba8",
            "BRAINTREE_API_BASE": api.base,
        ])
        let simulator = BraintreeWebhookSimulator(publicKey: "266p1obt9xbv5l1m", privateKey: "c0e4ff2f93095daa36d4ad89bf038ba8")
        for scenario in WebhookScenario.allCases {
            let created = try gateway.createPayment("braintree", #"{"orderId":"ord_\#(scenario.rawValue)","amount":4200,"currency":"USD","paymentMethod":"fake-valid-nonce"}"#)
            XCTAssertEqual(created.status, 201, "\(created.body)")
            let id = try XCTUnwrap(created.body["paymentId"] as? String)
            XCTAssertEqual(created.body["status"] as? String, "processing")
            guard let final = Self.braintreeFinal[scenario] else {
                let sender = WebhookSender(gateway: gateway.base, client: CurlHTTPClient())
                XCTAssertThrowsError(try simulator.deliveries(for: scenario, payment: try sender.payment(id), now: Date()), scenario.rawValue)
                continue
            }
            let result = try play(scenario, paymentID: id, gateway: gateway, simulator: simulator)
            XCTAssertEqual(result.final.status, final, scenario.rawValue)
            XCTAssertEqual(result.expected, final, scenario.rawValue)
        }
        // A declined nonce: the payment function answers 402 and no transaction settles.
        let declined = try gateway.createPayment("braintree", #"{"orderId":"ord_declined","amount":4200,"currency":"USD","paymentMethod":"fake-processor-declined-visa-nonce"}"#)
        XCTAssertEqual(declined.status, 402, "\(declined.body)")
    }
}
