#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Platform

/// The `{provider}-webhook` function: `POST /webhooks/{provider}`.
///
/// Unverified deliveries get 400 and store nothing. Verified ones are applied by joining their fact
/// into the payment's state; a duplicate or late notification joins to the same state and is a no-op.
/// Notifications about payments we do not know get 200, since an error would make the provider retry for days.
public struct WebhookFunction: RequestHandler {
    public var authenticator: any WebhookAuthenticator
    public var store: any PaymentStore
    public var clock: any WallClock
    /// Larger bodies are refused before any signature work: no provider sends notifications this big.
    public var maximumBodyBytes = 256 * 1024

    public init(authenticator: any WebhookAuthenticator, store: any PaymentStore, clock: any WallClock) {
        self.authenticator = authenticator
        self.store = store
        self.clock = clock
    }

    public func handle(_ request: APIGatewayV2Request, context: InvocationContext) throws -> APIGatewayV2Response {
        let provider = authenticator.provider
        guard request.rawPath == "/webhooks/\(provider)" else {
            return Problem(status: 404, slug: "not-found", title: "Not found", detail: "This function serves POST /webhooks/\(provider).").response
        }
        guard request.method == "POST" else {
            return Problem(status: 405, slug: "method-not-allowed", title: "Method not allowed", detail: "Use POST /webhooks/\(provider).").response
        }
        let tooLarge = { Problem.bodyTooLarge(limit: maximumBodyBytes, what: "Webhook bodies") }
        guard !request.bodyExceeds(maximumBodyBytes) else { return tooLarge().response }
        guard let body = request.rawBody() else {
            return Problem.badRequest("invalid-base64", "The body is marked base64 but is not valid base64.").response
        }
        guard body.count <= maximumBodyBytes else { return tooLarge().response }
        let now = clock.now()
        let notifications: [ProviderNotification]
        do {
            notifications = try authenticator.notifications(in: WebhookDelivery(body: body, request: request, receivedAt: now.timeIntervalSince1970))
        } catch {
            context.logger.warning("webhook refused", ["provider": provider, "problem": error.problem.type, "reason": error.problem.detail])
            return error.problem.response
        }
        guard !notifications.isEmpty else {
            context.logger.info("webhook ignored: event type not handled", ["provider": provider])
            return Self.received
        }
        // One delivery may carry several notifications about one payment (an approval and the capture
        // it led to): they are one change, joined first, so one transition with one event. The reads
        // and the writes are one transaction where the store has them (SQLite).
        try store.inOneTransaction { store in
            for (payment, group) in try paymentsConcerned(by: notifications, in: store, logger: context.logger) {
                try apply(group, to: payment, in: store, at: now, logger: context.logger)
            }
        }
        return Self.received
    }

    /// The stored payments the notifications are about, each with its notifications, in order of first mention.
    /// Notifications about payments we do not know, or in another currency, are logged and dropped.
    func paymentsConcerned(by notifications: [ProviderNotification], in store: any PaymentStore, logger: Logger) throws -> [(Payment, [ProviderNotification])] {
        var groups: [(Payment, [ProviderNotification])] = []
        for notification in notifications {
            // Built only for the log lines of the rare paths below.
            let fields = { ["provider": authenticator.provider, "notificationId": notification.id, "type": notification.type] }
            guard let payment = try find(notification, in: store) else {
                logger.info("webhook for a payment this service does not know: acknowledged, nothing changed", fields())
                continue
            }
            if let currency = notification.currency, currency.uppercased() != payment.amount.currency.code {
                logger.warning("webhook currency differs from the payment's: acknowledged, nothing changed", fields().merging(["paymentId": payment.id]) { $1 })
                continue
            }
            if let index = groups.firstIndex(where: { $0.0.id == payment.id }) {
                groups[index].1.append(notification)
            } else {
                groups.append((payment, [notification]))
            }
        }
        return groups
    }

    func apply(_ notifications: [ProviderNotification], to payment: Payment, in store: any PaymentStore, at now: Date, logger: Logger) throws {
        var fields = ["provider": authenticator.provider, "paymentId": payment.id,
                      "notificationId": notifications.map(\.id).joined(separator: ","),
                      "type": notifications.map(\.type).joined(separator: ",")]
        let joined = notifications.reduce(PaymentState()) { $0.joined(with: $1.fact.impliedState) }
        let reference = notifications.lazy.compactMap(\.providerReference).first
        let stored = try store.update(payment) { current in
            var next = current
            if next.providerReference == nil { next.providerReference = reference }
            if let change = next.applying(state: joined, at: now) { return (change.payment, [change.event]) }
            guard next != current else { return nil }
            return (current.revised(at: now) { $0.providerReference = reference }, [])
        }
        if let stored {
            fields["status"] = stored.status.rawValue
            logger.info("payment updated", fields)
        } else {
            logger.info("webhook changes nothing (duplicate or late): acknowledged", fields)
        }
    }

    /// The acknowledgement, built once: every verified delivery gets the same answer.
    static let received = APIGatewayV2Response(statusCode: 200, headers: ["content-type": "application/json"], body: #"{"received":true}"#)

    func find(_ notification: ProviderNotification, in store: any PaymentStore) throws -> Payment? {
        let provider = authenticator.provider
        if let id = notification.paymentID, let payment = try store.payment(id: id), payment.provider == provider {
            return payment
        }
        if let reference = notification.providerReference {
            return try store.payment(provider: provider, reference: reference)
        }
        return nil
    }
}
