import Platform

/// A provider's side of a webhook: proves the delivery came from the provider and says what it means.
public protocol WebhookAuthenticator: Sendable {
    var provider: String { get }

    /// Verifies the delivery over its raw bytes and returns the notifications it carries:
    /// empty for a verified notification of a type this service ignores.
    func notifications(in delivery: WebhookDelivery) throws(WebhookError) -> [ProviderNotification]
}

/// One webhook delivery as received: headers and the exact raw body.
public struct WebhookDelivery: Sendable {
    public var body: [UInt8]
    public var request: APIGatewayV2Request
    public var receivedAt: Double  // seconds since the epoch

    public init(body: [UInt8], request: APIGatewayV2Request, receivedAt: Double) {
        self.body = body
        self.request = request
        self.receivedAt = receivedAt
    }

    public func header(_ name: String) -> String? { request.header(name) }
}

/// A verified notification, in provider-neutral terms.
public struct ProviderNotification: Sendable, Equatable {
    /// The provider's id for this notification (an event id), for logs.
    public var id: String
    /// The provider's event type, for logs.
    public var type: String
    /// Our payment id when the provider echoes it back (in metadata or a custom field).
    public var paymentID: String?
    /// The provider's id of the charge, as stored in `Payment.providerReference`.
    public var providerReference: String?
    public var fact: PaymentFact
    /// The currency the notification's amounts are in, when it says; a mismatch is ignored, not applied.
    public var currency: String?

    public init(id: String, type: String, paymentID: String? = nil, providerReference: String? = nil, fact: PaymentFact, currency: String? = nil) {
        self.id = id
        self.type = type
        self.paymentID = paymentID
        self.providerReference = providerReference
        self.fact = fact
        self.currency = currency
    }
}

public enum WebhookError: Error, Equatable, Sendable {
    /// The signature is missing, malformed, wrong or outside the replay window.
    case unverified(String)
    /// Verified (or unverifiable because unparseable) but not a notification we can read.
    case malformed(String)
    /// Handling needs the provider (its signing certificate, its verification API, a follow-up call)
    /// and it could not be reached or refused our credentials: 503, so the provider delivers again later.
    case unavailable(String)

    public var problem: Problem {
        switch self {
        case .unverified(let detail): Problem(status: 400, slug: "invalid-signature", title: "Webhook not verified", detail: detail)
        case .malformed(let detail): Problem(status: 400, slug: "malformed-notification", title: "Malformed notification", detail: detail)
        case .unavailable(let detail): Problem(status: 503, slug: "provider-unavailable", title: "Provider unavailable", detail: detail)
        }
    }
}
