import Foundation
import PaymentsCore
import Platform
@testable import PayPalProvider

/// PayPal's row in the shared webhook catalogue: deliveries signed by scripts/paypal_webhooks.py
/// (verified there with `cryptography`), checked here against the committed leaf certificate as
/// PAYPAL_WEBHOOK_CERT would pin it, plus re-signed variants for the cases the fixtures do not cover.
/// Capture on approval is on, against a fake PayPal that captures the fixture order.
struct PayPalWebhookKit: WebhookTestKit {
    let provider = "paypal"
    var signedAt: Date { PayPalFixtures.baseTime }

    func makeFunction(store: any PaymentStore, clock: any WallClock) throws -> WebhookFunction {
        let authenticator = try PayPalFixtures.authenticator(client: try PayPalFixtures.fakeCapturingPayPal(), store: store, clock: clock)
        return WebhookFunction(authenticator: authenticator, store: store, clock: clock)
    }

    func seedPayment(in store: any PaymentStore) throws -> Payment { try PayPalFixtures.seedPayment(in: store) }

    func successDelivery() throws -> APIGatewayV2Request { try PayPalFixtures.delivery("03-PAYMENT.CAPTURE.COMPLETED") }

    func unorderedDeliveries() throws -> (deliveries: [APIGatewayV2Request], finalStatus: PaymentStatus) {
        // Everything but the denial (a capture is COMPLETED xor DENIED): approval (which captures),
        // pending, completed, a partial and a full refund, a dispute. The dispute outranks the refund.
        let files = ["01-CHECKOUT.ORDER.APPROVED", "02-PAYMENT.CAPTURE.PENDING", "03-PAYMENT.CAPTURE.COMPLETED",
                     "05-PAYMENT.CAPTURE.REFUNDED", "06-PAYMENT.CAPTURE.REFUNDED", "07-CUSTOMER.DISPUTE.CREATED"]
        return (try files.map(PayPalFixtures.delivery), .disputed)
    }

    func ignoredTypeDelivery() throws -> APIGatewayV2Request { try PayPalFixtures.delivery("08-BILLING.PLAN.CREATED") }

    func unknownPaymentDelivery() throws -> APIGatewayV2Request {
        let success = try successDelivery()
        let body = (success.body ?? "").replacingOccurrences(of: PayPalFixtures.paymentID, with: "pay_elsewhere")
            .replacingOccurrences(of: PayPalFixtures.paypalOrderID, with: "9XX00000XX000000X")
        return try PayPalFixtures.signed(success, body: body, key: PayPalFixtures.leafKey())
    }

    func malformedSignedDelivery() throws -> APIGatewayV2Request? {
        try PayPalFixtures.signed(try successDelivery(), body: #"{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED"}"#, key: PayPalFixtures.leafKey())
    }

    func signedDelivery(content: String) throws -> APIGatewayV2Request {
        try PayPalFixtures.signed(try successDelivery(), body: content, key: PayPalFixtures.leafKey())
    }

    func unsignedDelivery() throws -> APIGatewayV2Request { try successDelivery().removingHeader("PAYPAL-TRANSMISSION-SIG") }

    func wrongKeyDelivery() throws -> APIGatewayV2Request {
        let success = try successDelivery()
        return try PayPalFixtures.signed(success, body: success.body ?? "", key: PayPalFixtures.otherKey)
    }
}
