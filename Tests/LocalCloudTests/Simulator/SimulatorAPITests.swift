import BraintreeProvider
import Foundation
import LocalCloud
import PaymentsCore
import Platform
import CurlHTTP
import PayPalProvider
import StripeProvider
import XCTest

/// The simulators' APIs answering the real gateways over HTTP (CurlHTTPClient → Hummingbird on a free loopback port).
final class SimulatorAPITests: XCTestCase {
    let usd = Currency(code: "USD")!

    func payment(_ provider: String, id: String = "pay_sim_\(UUID().uuidString.prefix(8))", amount: Int = 2000) -> Payment {
        Payment(id: id, orderID: "ord_\(id)", provider: provider, amount: Money(minorUnits: amount, currency: usd), createdAt: Date())
    }

    func request(for payment: Payment, method: String?) -> PaymentRequest {
        PaymentRequest(orderID: payment.orderID, amount: payment.amount, paymentMethod: method)
    }

    // MARK: Stripe

    func testStripeGatewayAgainstTheSimulator() throws {
        let simulator = StripeAPISimulator(secretKey: "sk_test_simulated")
        let server = try RunningSimulator(simulator)
        defer { server.stop() }
        let gateway = StripeGateway(secretKey: "sk_test_simulated", apiBase: server.base, client: CurlHTTPClient())

        let paid = payment("stripe")
        let first = try gateway.create(paid, request: request(for: paid, method: "pm_card_visa"), idempotencyKey: "key-1", attempt: .first)
        XCTAssertTrue(first.reference.hasPrefix("pi_"), first.reference)
        XCTAssertEqual(first.progress, .succeeded)
        XCTAssertNotNil(first.checkout.clientSecret)

        // The same Idempotency-Key and parameters: the first answer again, no second intent.
        let again = try gateway.create(paid, request: request(for: paid, method: "pm_card_visa"), idempotencyKey: "key-1", attempt: .resumed)
        XCTAssertEqual(again, first)
        let replay = try CurlHTTPClient().send(HTTPRequest(
            method: "POST", url: "\(server.base)/v1/payment_intents",
            headers: [("Authorization", "Bearer sk_test_simulated"), ("Idempotency-Key", "key-1"), ("Content-Type", "application/x-www-form-urlencoded")],
            body: Array(FormURLEncoding.encode([
                ("amount", "2000"), ("currency", "usd"), ("metadata[payment_id]", paid.id), ("metadata[order_id]", paid.orderID),
                ("automatic_payment_methods[enabled]", "true"), ("payment_method", "pm_card_visa"), ("confirm", "true"),
                ("automatic_payment_methods[allow_redirects]", "never"),
            ]).utf8)))
        XCTAssertEqual(replay.status, 200)
        XCTAssertEqual(replay.header("idempotent-replayed"), "true")
        XCTAssertTrue(String(decoding: replay.body, as: UTF8.self).contains(first.reference))

        // Retrieve: the stored intent, as created.
        let retrieved = try CurlHTTPClient().send(HTTPRequest(method: "GET", url: "\(server.base)/v1/payment_intents/\(first.reference)",
                                                              headers: [("Authorization", "Bearer sk_test_simulated")]))
        XCTAssertEqual(retrieved.status, 200)
        let intent = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(retrieved.body)) as? [String: Any])
        XCTAssertEqual(intent["status"] as? String, "succeeded")
        XCTAssertEqual(intent["amount"] as? Int, 2000)
        XCTAssertEqual(intent["metadata"] as? [String: String], ["payment_id": paid.id, "order_id": paid.orderID])
        let missing = try CurlHTTPClient().send(HTTPRequest(method: "GET", url: "\(server.base)/v1/payment_intents/pi_nothing",
                                                            headers: [("Authorization", "Bearer sk_test_simulated")]))
        XCTAssertEqual(missing.status, 404)

        // The same key with other parameters is refused.
        let other = payment("stripe", amount: 3000)
        XCTAssertThrowsError(try gateway.create(other, request: request(for: other, method: "pm_card_visa"), idempotencyKey: "key-1", attempt: .first)) {
            guard case .rejected(let code, _)? = $0 as? GatewayError else { return XCTFail("\($0)") }
            XCTAssertEqual(code, "idempotency_error")
        }

        let threeDS = payment("stripe")
        let action = try gateway.create(threeDS, request: request(for: threeDS, method: "pm_card_authenticationRequired"), idempotencyKey: "key-2", attempt: .first)
        XCTAssertEqual(action.progress, .requiresAction)

        let open = payment("stripe")
        XCTAssertEqual(try gateway.create(open, request: request(for: open, method: nil), idempotencyKey: "key-3", attempt: .first).progress, .pending)

        let declined = payment("stripe")
        XCTAssertThrowsError(try gateway.create(declined, request: request(for: declined, method: "pm_card_chargeDeclined"), idempotencyKey: "key-4", attempt: .first)) {
            XCTAssertEqual($0 as? GatewayError, .declined(code: "generic_decline", message: "Your card was declined."))
        }

        let unknown = payment("stripe")
        XCTAssertThrowsError(try gateway.create(unknown, request: request(for: unknown, method: "pm_nothing"), idempotencyKey: "key-5", attempt: .first)) {
            guard case .rejected(let code, _)? = $0 as? GatewayError else { return XCTFail("\($0)") }
            XCTAssertEqual(code, "resource_missing")
        }

        let wrongKey = StripeGateway(secretKey: "sk_test_other", apiBase: server.base, client: CurlHTTPClient())
        XCTAssertThrowsError(try wrongKey.create(paid, request: request(for: paid, method: "pm_card_visa"), idempotencyKey: "key-6", attempt: .first)) {
            guard case .misconfigured? = $0 as? GatewayError else { return XCTFail("\($0)") }
        }
    }

    // MARK: PayPal

    func testPayPalGatewayAndCaptureAgainstTheSimulator() throws {
        let simulator = PayPalAPISimulator(clientID: "client", clientSecret: "secret")
        let server = try RunningSimulator(simulator)
        defer { server.stop() }
        let tokens = PayPalAccessTokens(clientID: "client", clientSecret: "secret", apiBase: server.base, client: CurlHTTPClient(), clock: SystemClock())
        let gateway = PayPalGateway(tokens: tokens)

        let paid = payment("paypal")
        let created = try gateway.create(paid, request: request(for: paid, method: nil), idempotencyKey: "req-1", attempt: .first)
        XCTAssertEqual(created.progress, .pending)
        XCTAssertEqual(created.reference.count, 17)
        let approval = try XCTUnwrap(created.checkout.approvalURL)
        XCTAssertEqual(approval, "\(server.base)/checkoutnow?token=\(created.reference)")

        // PayPal-Request-Id replays the order; nothing new is made.
        XCTAssertEqual(try gateway.create(paid, request: request(for: paid, method: nil), idempotencyKey: "req-1", attempt: .resumed), created)
        XCTAssertEqual(simulator.ordersCreated, 1)

        XCTAssertEqual(try gateway.capture(orderID: created.reference, paymentID: paid.id).refusalCode, "ORDER_NOT_APPROVED")
        XCTAssertEqual(simulator.orderStatus(created.reference), "CREATED")

        let buyer = try CurlHTTPClient().send(HTTPRequest(method: "GET", url: approval))
        XCTAssertEqual(buyer.status, 200)
        XCTAssertEqual(simulator.orderStatus(created.reference), "APPROVED")

        let captured = try gateway.capture(orderID: created.reference, paymentID: paid.id)
        guard case .captured(let captureID, let progress, let amount) = captured else { return XCTFail("\(captured)") }
        XCTAssertEqual(progress, .succeeded)
        XCTAssertEqual(amount, paid.amount)
        XCTAssertEqual(simulator.orderStatus(created.reference), "COMPLETED")
        // The same PayPal-Request-Id (capture-<payment id>) replays the capture; another one is refused.
        XCTAssertEqual(try gateway.capture(orderID: created.reference, paymentID: paid.id), captured)
        XCTAssertEqual(try gateway.capture(orderID: created.reference, paymentID: "pay_other").refusalCode, "ORDER_ALREADY_CAPTURED")
        XCTAssertEqual(simulator.capturesMade, 1)
        XCTAssertFalse(captureID.isEmpty)

        // Validation: PayPal refuses three decimals in USD.
        let raw = try CurlHTTPClient().send(HTTPRequest(
            method: "POST", url: "\(server.base)/v2/checkout/orders",
            headers: [("Authorization", "Bearer \(try tokenFrom(server.base))"), ("Content-Type", "application/json")],
            body: Array(#"{"intent":"CAPTURE","purchase_units":[{"amount":{"currency_code":"USD","value":"20.001"}}]}"#.utf8)))
        XCTAssertEqual(raw.status, 422)
        XCTAssertTrue(String(decoding: raw.body, as: UTF8.self).contains("DECIMAL_PRECISION"))

        let wrong = PayPalGateway(tokens: PayPalAccessTokens(clientID: "client", clientSecret: "nope", apiBase: server.base, client: CurlHTTPClient(), clock: SystemClock()))
        XCTAssertThrowsError(try wrong.create(paid, request: request(for: paid, method: nil), idempotencyKey: "req-2", attempt: .first)) {
            guard case .misconfigured? = $0 as? GatewayError else { return XCTFail("\($0)") }
        }
    }

    func tokenFrom(_ base: String) throws -> String {
        let answer = try CurlHTTPClient().send(HTTPRequest(
            method: "POST", url: "\(base)/v1/oauth2/token",
            headers: [("Authorization", "Basic \(Data("client:secret".utf8).base64EncodedString())"), ("Content-Type", "application/x-www-form-urlencoded")],
            body: Array("grant_type=client_credentials".utf8)))
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])
        return try XCTUnwrap(json["access_token"] as? String)
    }

    // MARK: Braintree

    func testBraintreeGatewayAgainstTheSimulator() throws {
        let simulator = BraintreeAPISimulator(merchantID: "sim_merchant", publicKey: "pub", privateKey: "priv", currency: "USD")
        let server = try RunningSimulator(simulator)
        defer { server.stop() }
        let gateway = BraintreeGateway(merchantID: "sim_merchant", publicKey: "pub", privateKey: "priv", apiBase: server.base, client: CurlHTTPClient())

        let paid = payment("braintree")
        try gateway.validate(request(for: paid, method: "fake-valid-nonce"))
        let euros = PaymentRequest(orderID: "ord_eur", amount: Money(minorUnits: 100, currency: Currency(code: "EUR")!), paymentMethod: "fake-valid-nonce")
        XCTAssertThrowsError(try gateway.validate(euros)) { XCTAssertEqual(($0 as? Problem)?.status, 422) }

        let sale = try gateway.create(paid, request: request(for: paid, method: "fake-valid-nonce"), idempotencyKey: "k", attempt: .first)
        XCTAssertEqual(sale.progress, .processing)
        XCTAssertEqual(simulator.transactionStatus(sale.reference), "submitted_for_settlement")
        // A resumed attempt finds the earlier sale by order id instead of charging again.
        XCTAssertEqual(try gateway.create(paid, request: request(for: paid, method: "fake-valid-nonce"), idempotencyKey: "k", attempt: .resumed), sale)
        XCTAssertEqual(simulator.transactionsCreated, 1)

        let declined = payment("braintree")
        XCTAssertThrowsError(try gateway.create(declined, request: request(for: declined, method: "fake-processor-declined-visa-nonce"), idempotencyKey: "k2", attempt: .first)) {
            XCTAssertEqual($0 as? GatewayError, .declined(code: "2000", message: "Do Not Honor"))
        }
        let fraud = payment("braintree")
        XCTAssertThrowsError(try gateway.create(fraud, request: request(for: fraud, method: "fake-gateway-rejected-fraud-nonce"), idempotencyKey: "k6", attempt: .first)) {
            guard case .declined(_, let message)? = $0 as? GatewayError else { return XCTFail("\($0)") }
            XCTAssertEqual(message, "fraud")
        }
        XCTAssertEqual(simulator.transactionsCreated, 3)
        let unknownNonce = payment("braintree")
        XCTAssertThrowsError(try gateway.create(unknownNonce, request: request(for: unknownNonce, method: "not-a-nonce"), idempotencyKey: "k3", attempt: .first)) {
            XCTAssertEqual($0 as? GatewayError, .rejected(code: "91565", message: "Unknown payment_method_nonce."))
        }
        let wrong = BraintreeGateway(merchantID: "sim_merchant", publicKey: "pub", privateKey: "other", apiBase: server.base, client: CurlHTTPClient())
        XCTAssertThrowsError(try wrong.create(paid, request: request(for: paid, method: "fake-valid-nonce"), idempotencyKey: "k4", attempt: .first)) {
            guard case .misconfigured? = $0 as? GatewayError else { return XCTFail("\($0)") }
        }
        let otherMerchant = BraintreeGateway(merchantID: "someone_else", publicKey: "pub", privateKey: "priv", apiBase: server.base, client: CurlHTTPClient())
        XCTAssertThrowsError(try otherMerchant.create(paid, request: request(for: paid, method: "fake-valid-nonce"), idempotencyKey: "k5", attempt: .first)) {
            guard case .misconfigured(let reason)? = $0 as? GatewayError else { return XCTFail("\($0)") }
            XCTAssertTrue(reason.contains("404"), reason)
        }
    }
}

extension PayPalGateway.CaptureOutcome {
    var refusalCode: String? {
        if case .refused(let code, _) = self { return code }
        return nil
    }
}
