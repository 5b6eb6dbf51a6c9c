#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform

/// That a channel accepted the message about a payment event: written once per (event, channel), so a
/// redelivered event skips the channels that already have one.
public struct SentRecord: Sendable, Equatable {
    public var eventID: String
    public var channel: NotificationChannel
    public var detailType: String
    public var orderID: String
    public var paymentID: String
    /// The channel's id for the message (SES's, SNS's, the local table's).
    public var messageID: String
    public var sentAt: Date

    public init(eventID: String, channel: NotificationChannel, detailType: String, orderID: String, paymentID: String,
                messageID: String, sentAt: Date) {
        self.eventID = eventID
        self.channel = channel
        self.detailType = detailType
        self.orderID = orderID
        self.paymentID = paymentID
        self.messageID = messageID
        self.sentAt = sentAt
    }
}

/// Where Notification keeps its sent-records and its outbox: SQLite locally
/// (`NOTIFICATION_STORE=sqlite:PATH`), DynamoDB in AWS (`dynamodb:TABLE`).
public protocol NotificationStore: Sendable {
    func hasSent(eventID: String, channel: NotificationChannel) throws -> Bool

    /// Stores the record with its events (`NotificationSent`) atomically; false, writing nothing, when
    /// a record for the event and channel exists already.
    @discardableResult
    func recordSent(_ record: SentRecord, events: [ServiceEvent]) throws -> Bool

    /// Puts events (`NotificationFailed`) in the outbox.
    func recordFailure(events: [ServiceEvent]) throws
}
