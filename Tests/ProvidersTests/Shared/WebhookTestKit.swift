import Foundation
import PaymentsCore
import Platform
import SQLiteAdapter

/// One provider's webhook as the shared catalogue (`WebhookCatalogueTests`) exercises it.
/// Each provider's tests supply one kit; the catalogue runs the same cases against all of them.
protocol WebhookTestKit: Sendable, CustomStringConvertible {
    var provider: String { get }
    /// When the kit's deliveries were signed: the clock of the function under test.
    var signedAt: Date { get }
    func makeFunction(store: any PaymentStore, clock: any WallClock) throws -> WebhookFunction
    /// Stores the payment the deliveries are about, as the payment function would have.
    func seedPayment(in store: any PaymentStore) throws -> Payment
    /// A verified delivery that moves the seeded payment to succeeded.
    func successDelivery() throws -> APIGatewayV2Request
    /// Verified deliveries that, in any order and any number of times, leave the payment in `finalStatus`.
    func unorderedDeliveries() throws -> (deliveries: [APIGatewayV2Request], finalStatus: PaymentStatus)
    /// A verified delivery of a type this service ignores.
    func ignoredTypeDelivery() throws -> APIGatewayV2Request
    /// A verified delivery about a payment this service never stored.
    func unknownPaymentDelivery() throws -> APIGatewayV2Request
    /// A correctly signed delivery whose content is not a readable notification; nil if the kit cannot sign one.
    func malformedSignedDelivery() throws -> APIGatewayV2Request?
    /// The success delivery carrying `content` as what the provider signs (the body; for Braintree the
    /// payload inside the form), signed correctly, so that only the notification reader can refuse it.
    func signedDelivery(content: String) throws -> APIGatewayV2Request
    /// The success delivery with its signature removed.
    func unsignedDelivery() throws -> APIGatewayV2Request
    /// The success delivery signed with a key this service does not trust.
    func wrongKeyDelivery() throws -> APIGatewayV2Request
}

extension WebhookTestKit {
    var description: String { provider }
}

/// Every provider's kit: the catalogue's rows.
let allWebhookKits: [any WebhookTestKit] = [
    StripeWebhookKit(),
    PayPalWebhookKit(),
    BraintreeWebhookKit(),
]
