#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform

/// The events Notification publishes (source `shop.notifications`), keyed like payment events. They
/// never carry the recipient or the text: the bus is no place for a customer's contact twice over.
package enum NotificationEvents {
    public static let source = "shop.notifications"

    /// The channel accepted the message: once per payment event and channel.
    public static func sent(_ record: SentRecord) -> ServiceEvent {
        ServiceEvent(source: source, detailType: "NotificationSent", time: record.sentAt, detail: [
            "eventId": .string("\(record.eventID).\(record.channel.rawValue).sent"),
            "orderId": .string(record.orderID),
            "paymentId": .string(record.paymentID),
            "paymentEventId": .string(record.eventID),
            "paymentEventType": .string(record.detailType),
            "channel": .string(record.channel.rawValue),
            "messageId": .string(record.messageID),
            "status": .string("sent"),
        ])
    }

    /// The channel refused or could not be reached: once per failed attempt (`attempt` is the message's
    /// receive count), with the failure's kind only, since a channel's own message may echo the recipient.
    public static func failed(_ message: NotificationMessage, reason: String, attempt: Int, at time: Date) -> ServiceEvent {
        ServiceEvent(source: source, detailType: "NotificationFailed", time: time, detail: [
            "eventId": .string("\(message.eventID).\(message.channel.rawValue).failed.\(attempt)"),
            "orderId": .string(message.orderID),
            "paymentId": .string(message.paymentID),
            "paymentEventId": .string(message.eventID),
            "paymentEventType": .string(message.detailType),
            "channel": .string(message.channel.rawValue),
            "status": .string("failed"),
            "reason": .string(reason),
            "attempt": .integer(attempt),
        ])
    }
}
