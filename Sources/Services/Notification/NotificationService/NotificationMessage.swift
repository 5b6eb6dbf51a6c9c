import PaymentsCore
import Platform

/// One message to one customer on one channel, about one payment event.
public struct NotificationMessage: Sendable, Equatable {
    public var channel: NotificationChannel
    public var recipient: String
    /// Email only.
    public var subject: String?
    public var text: String
    public var eventID: String
    public var detailType: String
    public var orderID: String
    public var paymentID: String

    public init(channel: NotificationChannel, recipient: String, subject: String?, text: String, eventID: String,
                detailType: String, orderID: String, paymentID: String) {
        self.channel = channel
        self.recipient = recipient
        self.subject = subject
        self.text = text
        self.eventID = eventID
        self.detailType = detailType
        self.orderID = orderID
        self.paymentID = paymentID
    }
}

/// The text of each message: one template per payment event type, the amount written in its
/// currency's own digits (`Money.decimalString`: 25.00 EUR, 500 JPY, 1.250 KWD).
package enum NotificationTemplates {
    /// The subject line (email) and the sentence (both channels) for an event; nil for a detail-type
    /// without a template (every payment detail-type has one).
    public static func content(for event: PaymentEvent) -> (subject: String, sentence: String)? {
        guard let currency = Currency(code: event.detail.currency) else { return nil }
        let amount = Money(minorUnits: event.detail.amount, currency: currency).description
        let refunded = Money(minorUnits: event.detail.refundedAmount, currency: currency).description
        let order = event.detail.orderId
        switch event.detailType {
        case "PaymentPending":
            return ("Order \(order): awaiting your payment", "We are waiting for your payment of \(amount) for order \(order).")
        case "PaymentRequiresAction":
            return ("Order \(order): please confirm your payment", "Your payment of \(amount) for order \(order) needs your confirmation.")
        case "PaymentProcessing":
            return ("Order \(order): payment processing", "Your payment of \(amount) for order \(order) is being processed.")
        case "PaymentFailed":
            return ("Order \(order): payment failed", "Your payment of \(amount) for order \(order) did not go through. You can try again.")
        case "PaymentCanceled":
            return ("Order \(order): payment canceled", "Your payment of \(amount) for order \(order) was canceled.")
        case "PaymentSucceeded":
            return ("Order \(order): payment received", "We received your payment of \(amount) for order \(order). Thank you!")
        case "PaymentPartiallyRefunded":
            return ("Order \(order): partial refund", "\(refunded) of your payment of \(amount) for order \(order) has been refunded.")
        case "PaymentRefunded":
            return ("Order \(order): refunded", "Your payment of \(amount) for order \(order) has been refunded in full.")
        case "PaymentDisputed":
            return ("Order \(order): payment disputed", "Your payment of \(amount) for order \(order) is disputed. We will tell you the outcome.")
        case "PaymentDisputeWon":
            return ("Order \(order): dispute closed", "The dispute about your payment of \(amount) for order \(order) was decided for the shop.")
        case "PaymentDisputeLost":
            return ("Order \(order): dispute closed", "The dispute about your payment of \(amount) for order \(order) was decided in your favour.")
        default:
            return nil
        }
    }

    /// The message for `channel`, to `recipient`: email gets a subject and a signed-off body, SMS the sentence.
    public static func message(for event: PaymentEvent, channel: NotificationChannel, recipient: String) -> NotificationMessage? {
        guard let content = content(for: event) else { return nil }
        let subject: String?
        let text: String
        switch channel {
        case .email:
            subject = content.subject
            text = "\(content.sentence)\n\nPayment reference: \(event.detail.paymentId)\n"
        case .sms:
            subject = nil
            text = content.sentence
        }
        return NotificationMessage(channel: channel, recipient: recipient, subject: subject, text: text, eventID: event.id,
                                   detailType: event.detailType, orderID: event.detail.orderId, paymentID: event.detail.paymentId)
    }
}
