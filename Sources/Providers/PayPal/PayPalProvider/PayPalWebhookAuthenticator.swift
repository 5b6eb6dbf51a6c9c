#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import PaymentsCore
import Platform

/// Verifies `POST /webhooks/paypal` deliveries and reads the events that move payments.
///
/// Event types (https://developer.paypal.com/api/rest/webhooks/event-names/):
/// - `CHECKOUT.ORDER.APPROVED` → processing (the buyer approved; capture is next)
/// - `PAYMENT.CAPTURE.PENDING` → processing, `.COMPLETED` → succeeded, `.DENIED` → failed
/// - `PAYMENT.CAPTURE.REFUNDED` → refunded up to the cumulative
///   `seller_payable_breakdown.total_refunded_amount` (without it, this refund's amount: a lower
///   bound, which the state lattice can only raise)
/// - `CUSTOMER.DISPUTE.CREATED` → dispute opened; `CUSTOMER.DISPUTE.RESOLVED` → won or lost
/// - anything else: acknowledged, nothing changes.
///
/// The payment is found by `custom_id` (our payment id, set on the order and copied by PayPal onto
/// its captures and refunds; `disputed_transactions[].custom` for disputes) and by PayPal's order
/// id (the order itself, or a capture's `supplementary_data.related_ids.order_id`). Refunds and
/// disputes name no order, so without our custom id they are acknowledged and logged as unknown.
///
/// **Capture.** With a `capture` configured (the deployed function always has one), a verified
/// `CHECKOUT.ORDER.APPROVED` for a stored PayPal payment not yet succeeded captures the order
/// (`POST /v2/checkout/orders/{id}/capture`, `PayPal-Request-Id: capture-<payment id>`, so a
/// repeated delivery never captures twice) and returns the capture's state as a second
/// notification. Order ids we did not create, or that differ from the stored reference, are never
/// captured. If PayPal cannot be reached (or refuses our credentials) the delivery is answered 503
/// and nothing is stored, so PayPal delivers it again; if PayPal refuses the capture itself
/// (already captured, instrument declined) that is logged and the approval alone is applied.
///
/// **Replays.** PayPal signs the body's CRC-32, not the body, so a captured delivery re-sent within
/// the replay window with another body of the same CRC would verify. Every verified event is recorded
/// in `transmissions` under its PAYPAL-TRANSMISSION-ID with the SHA-256 of its body, before anything
/// acts on it: the same id with the same body is a redelivery and handled as usual (idempotent); the
/// same id with another body is refused with 400 and changes nothing.
public struct PayPalWebhookAuthenticator: WebhookAuthenticator {
    public let provider = "paypal"
    public var verifier: PayPalWebhookVerifier
    public var transmissions: any TransmissionLedger
    public var capture: Capture?

    /// What capturing approved orders needs.
    public struct Capture: Sendable {
        public var gateway: PayPalGateway
        public var store: any PaymentStore
        public var logger: Logger

        public init(gateway: PayPalGateway, store: any PaymentStore, logger: Logger) {
            self.gateway = gateway
            self.store = store
            self.logger = logger
        }
    }

    public init(verifier: PayPalWebhookVerifier, transmissions: any TransmissionLedger, capture: Capture?) {
        self.verifier = verifier
        self.transmissions = transmissions
        self.capture = capture
    }

    public func notifications(in delivery: WebhookDelivery) throws(WebhookError) -> [ProviderNotification] {
        let transmission = try verifier.verify(delivery)
        guard let event = try? JSONValue(parsing: delivery.body),
              let id = event["id"]?.string, let type = event["event_type"]?.string
        else {
            throw .malformed("The body is not a PayPal webhook event (id and event_type are required).")
        }
        let notification = try Self.notification(id: id, type: type, event: event)
        // Ignored types too: a forged body could turn an ignored event into one that moves a payment.
        try recordOnce(transmission, body: delivery.body, at: delivery.receivedAt)
        guard let notification else { return [] }
        var notifications = [notification]
        if type == "CHECKOUT.ORDER.APPROVED", let capture,
           let captured = try Self.capture(notification, with: capture) {
            notifications.append(captured)
        }
        return notifications
    }

    /// Records the transmission; refuses one seen before with another body.
    func recordOnce(_ transmission: PayPalTransmission, body: [UInt8], at now: Double) throws(WebhookError) {
        // Past the window's end the transmission is refused anyway, so the record may go then.
        let record = RecordedTransmission(provider: provider, id: transmission.id, bodyDigest: Hex.encode(SHA256.hash(data: body)),
                                          expiresAt: transmission.timestamp + verifier.tolerance)
        let outcome: TransmissionLedgerOutcome
        do {
            outcome = try transmissions.record(record, now: now)
        } catch {
            throw .unavailable("The webhook transmissions could not be checked for a replay; deliver again later.")
        }
        guard outcome != .differentBody else {
            throw .unverified("PAYPAL-TRANSMISSION-ID was already delivered with another body: refused as a replay.")
        }
    }

    /// The notification an event states; nil for types this service does not act on.
    static func notification(id: String, type: String, event: JSONValue) throws(WebhookError) -> ProviderNotification? {
        let handled: Set<String> = [
            "CHECKOUT.ORDER.APPROVED", "PAYMENT.CAPTURE.PENDING", "PAYMENT.CAPTURE.COMPLETED", "PAYMENT.CAPTURE.DENIED",
            "PAYMENT.CAPTURE.REFUNDED", "CUSTOMER.DISPUTE.CREATED", "CUSTOMER.DISPUTE.RESOLVED",
        ]
        guard handled.contains(type) else { return nil }
        guard let resource = event["resource"], case .object = resource else {
            throw .malformed("PayPal event \(id) (\(type)) has no resource.")
        }
        switch type {
        case "CHECKOUT.ORDER.APPROVED":
            let unit = resource.path("purchase_units")?[0]
            guard let orderID = resource["id"]?.string else { throw .malformed("PayPal event \(id) names no order.") }
            return ProviderNotification(id: id, type: type, paymentID: unit?["custom_id"]?.string, providerReference: orderID,
                                        fact: .processing, currency: unit?.path("amount", "currency_code")?.string)
        case "PAYMENT.CAPTURE.PENDING", "PAYMENT.CAPTURE.COMPLETED", "PAYMENT.CAPTURE.DENIED":
            let fact: PaymentFact = switch type {
            case "PAYMENT.CAPTURE.COMPLETED": .succeeded
            case "PAYMENT.CAPTURE.DENIED": .failed
            default: .processing
            }
            return ProviderNotification(id: id, type: type, paymentID: resource["custom_id"]?.string,
                                        providerReference: resource.path("supplementary_data", "related_ids", "order_id")?.string,
                                        fact: fact, currency: resource.path("amount", "currency_code")?.string)
        case "PAYMENT.CAPTURE.REFUNDED":
            guard let total = resource.path("seller_payable_breakdown", "total_refunded_amount")?.money ?? resource["amount"]?.money,
                  total.minorUnits >= 0
            else {
                throw .malformed("PayPal refund event \(id) has no readable refunded amount.")
            }
            return ProviderNotification(id: id, type: type, paymentID: resource["custom_id"]?.string, providerReference: nil,
                                        fact: .refunded(totalMinorUnits: total.minorUnits), currency: total.currency.code)
        default:  // disputes
            let transactions = resource["disputed_transactions"]?.array ?? []
            let paymentID = transactions.lazy.compactMap { $0["custom"]?.string }.first
            let fact: PaymentFact
            if type == "CUSTOMER.DISPUTE.RESOLVED" {
                switch resource.path("dispute_outcome", "outcome_code")?.string {
                case "RESOLVED_SELLER_FAVOUR", "CANCELED_BY_BUYER", "DENIED": fact = .disputeWon
                case "RESOLVED_BUYER_FAVOUR": fact = .disputeLost
                default: fact = .disputeOpened  // resolved with a settlement or an unknown outcome: the dispute existed
                }
            } else {
                fact = .disputeOpened
            }
            return ProviderNotification(id: id, type: type, paymentID: paymentID, providerReference: nil,
                                        fact: fact, currency: resource.path("dispute_amount", "currency_code")?.string)
        }
    }

    /// Captures an approved order of one of our payments; the capture's state as a notification.
    static func capture(_ approval: ProviderNotification, with capture: Capture) throws(WebhookError) -> ProviderNotification? {
        guard let paymentID = approval.paymentID, let orderID = approval.providerReference else { return nil }
        let payment: Payment?
        do {
            payment = try capture.store.payment(id: paymentID)
        } catch {
            throw .unavailable("The payment store could not be read to decide on the capture.")
        }
        var fields = ["notificationId": approval.id, "paymentId": paymentID]
        guard let payment, payment.provider == capture.gateway.provider else { return nil }  // not ours: never capture
        guard payment.providerReference == nil || payment.providerReference == orderID else {
            capture.logger.warning("approved PayPal order is not this payment's order: not captured", fields)
            return nil
        }
        guard payment.state.progress < .failed else { return nil }  // already captured (or canceled): nothing to do
        let outcome: PayPalGateway.CaptureOutcome
        do {
            outcome = try capture.gateway.capture(orderID: orderID, paymentID: paymentID)
        } catch {
            capture.logger.error("PayPal capture failed; PayPal will deliver the approval again", fields.merging(["reason": Self.reason(error)]) { $1 })
            throw .unavailable("The approved order could not be captured yet; deliver again later.")
        }
        switch outcome {
        case .captured(let captureID, let progress, let amount):
            fields["captureId"] = captureID
            capture.logger.info("PayPal order captured", fields)
            let fact: PaymentFact = switch progress {
            case .succeeded: .succeeded
            case .failed: .failed
            default: .processing
            }
            return ProviderNotification(id: "\(approval.id):capture", type: "capture of \(approval.type)", paymentID: paymentID,
                                        providerReference: orderID, fact: fact, currency: amount?.currency.code)
        case .refused(let code, _):
            fields["code"] = code
            capture.logger.warning("PayPal refused the capture; the approval alone is applied", fields)
            return nil
        }
    }

    static func reason(_ error: GatewayError) -> String {
        switch error {
        case .unavailable(let reason), .misconfigured(let reason): reason
        case .declined(let code, _), .rejected(let code, _): code
        }
    }
}
