import Foundation
import PaymentsCore
import Platform
@testable import StripeProvider

/// Stripe's row in the shared webhook catalogue: events signed by Stripe's Python SDK
/// (scripts/stripe_webhooks.py), plus re-signed variants for the cases the SDK fixtures do not cover.
struct StripeWebhookKit: WebhookTestKit {
    let provider = "stripe"
    static let secret = "whsec_kKxgprTwyuhW4d6khhengyJTaMHNYdUo"
    static let timestamp = 1_764_000_000
    var signedAt: Date { Date(timeIntervalSince1970: TimeInterval(Self.timestamp)) }

    func makeFunction(store: any PaymentStore, clock: any WallClock) throws -> WebhookFunction {
        WebhookFunction(authenticator: StripeWebhookAuthenticator(signature: StripeSignature(secrets: [Self.secret])), store: store, clock: clock)
    }

    func seedPayment(in store: any PaymentStore) throws -> Payment {
        let payment = Payment(id: "pay_fixture0001", orderID: "ord_fixture0001", provider: "stripe", providerReference: "pi_fixture0001",
                              amount: Money(minorUnits: 2000, currency: Currency(code: "usd")!),
                              createdAt: signedAt.addingTimeInterval(-60))
        _ = try store.create(payment, idempotencyKey: "fixture-key", requestFingerprint: "fixture")
        return payment
    }

    func successDelivery() throws -> APIGatewayV2Request { try Fixtures.event("Stripe/webhooks/04-payment_intent.succeeded.json") }

    func unorderedDeliveries() throws -> (deliveries: [APIGatewayV2Request], finalStatus: PaymentStatus) {
        let files = ["01-payment_intent.requires_action", "02-payment_intent.processing", "03-payment_intent.payment_failed",
                     "04-payment_intent.succeeded", "06-charge.refunded", "07-charge.refunded", "08-charge.dispute.created"]
        return (try files.map { try Fixtures.event("Stripe/webhooks/\($0).json") }, .disputed)
    }

    func ignoredTypeDelivery() throws -> APIGatewayV2Request { try Fixtures.event("Stripe/webhooks/09-customer.created.json") }

    func unknownPaymentDelivery() throws -> APIGatewayV2Request {
        let success = try successDelivery()
        let body = (success.body ?? "").replacingOccurrences(of: "pay_fixture0001", with: "pay_elsewhere")
            .replacingOccurrences(of: "pi_fixture0001", with: "pi_elsewhere")
        return Self.signed(success, body: body, secret: Self.secret)
    }

    func malformedSignedDelivery() throws -> APIGatewayV2Request? {
        Self.signed(try successDelivery(), body: #"{"id":"evt_1","type":"payment_intent.succeeded"}"#, secret: Self.secret)
    }

    func signedDelivery(content: String) throws -> APIGatewayV2Request { Self.signed(try successDelivery(), body: content, secret: Self.secret) }

    func unsignedDelivery() throws -> APIGatewayV2Request { try successDelivery().removingHeader("Stripe-Signature") }

    func wrongKeyDelivery() throws -> APIGatewayV2Request {
        let success = try successDelivery()
        return Self.signed(success, body: success.body ?? "", secret: "whsec_not_the_endpoint_secret")
    }

    static func signed(_ request: APIGatewayV2Request, body: String, secret: String, timestamp: Int = timestamp) -> APIGatewayV2Request {
        var copy = request.settingHeader("Stripe-Signature", StripeSignature.header(body: Array(body.utf8), secret: secret, timestamp: timestamp))
        copy.body = body
        copy.isBase64Encoded = false
        return copy
    }
}
