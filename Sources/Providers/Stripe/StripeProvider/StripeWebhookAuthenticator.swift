#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform

/// Verifies `POST /webhooks/stripe` deliveries and reads the events that move payments.
public struct StripeWebhookAuthenticator: WebhookAuthenticator {
    public let provider = "stripe"
    public var signature: StripeSignature

    public init(signature: StripeSignature) {
        self.signature = signature
    }

    public func notifications(in delivery: WebhookDelivery) throws(WebhookError) -> [ProviderNotification] {
        try signature.verify(header: delivery.header("Stripe-Signature"), body: delivery.body, now: delivery.receivedAt)
        guard let event = StripeEvent(parsing: delivery.body) else {
            throw .malformed("The body is not a Stripe event (id, type and data.object are required, each key once).")
        }
        guard let fact = try Self.fact(of: event) else { return [] }
        let object = event.data.object
        let reference = object.object == "payment_intent" ? object.id : object.payment_intent
        guard reference != nil || object.metadata?["payment_id"] != nil else {
            throw .malformed("Stripe event \(event.id) names no PaymentIntent.")
        }
        return [ProviderNotification(
            id: event.id, type: event.type, paymentID: object.metadata?["payment_id"],
            providerReference: reference, fact: fact, currency: object.currency
        )]
    }

    /// The fact an event type states; nil for types this service does not act on.
    static func fact(of event: StripeEvent) throws(WebhookError) -> PaymentFact? {
        let object = event.data.object
        switch event.type {
        case "payment_intent.requires_action": return .requiresAction
        case "payment_intent.processing": return .processing
        case "payment_intent.payment_failed": return .failed
        case "payment_intent.canceled": return .canceled
        case "payment_intent.succeeded": return .succeeded
        case "charge.refunded":
            guard let total = object.amount_refunded, total >= 0 else {
                throw .malformed("charge.refunded event \(event.id) has no amount_refunded.")
            }
            return .refunded(totalMinorUnits: total)
        case "charge.dispute.created": return .disputeOpened
        case "charge.dispute.closed":
            switch object.status {
            case "won": return .disputeWon
            case "lost": return .disputeLost
            default: return .disputeOpened  // warning_closed and the like: the dispute existed, nothing more
            }
        default: return nil
        }
    }
}
