#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AWSClients
import PaymentsCore
import Platform

/// `NotificationStore` on a DynamoDB table of its own (`NOTIFICATION_STORE=dynamodb:TABLE`), made like
/// the payments table (key `pk`, stream NEW_AND_OLD_IMAGES):
///
/// - `SENT#<eventId>#<channel>`: the sent-record, kept 15 days (`expiresAt`, the TTL attribute), longer
///   than SQS keeps a message, so every redelivery finds it.
/// - `OUTBOX#<eventId>`: a `shop.notifications` event waiting for `outbox-relay` on this table's stream.
///
/// A sent-record and its NotificationSent are one TransactWriteItems, both conditioned on being absent.
package struct DynamoDBNotificationStore: NotificationStore {
    public var table: DynamoDBTable
    public var recordLifetime: Double = 15 * 86_400

    public init(table: DynamoDBTable) { self.table = table }

    static func sentKey(_ eventID: String, _ channel: NotificationChannel) -> String { "SENT#\(eventID)#\(channel.rawValue)" }

    public func hasSent(eventID: String, channel: NotificationChannel) throws -> Bool {
        try table.item(Self.sentKey(eventID, channel)) != nil
    }

    package func recordSent(_ record: SentRecord, events: [ServiceEvent]) throws -> Bool {
        var item = DynamoDBItem()
        item[string: "pk"] = Self.sentKey(record.eventID, record.channel)
        item[string: "type"] = "sent"
        item[string: "eventId"] = record.eventID
        item[string: "channel"] = record.channel.rawValue
        item[string: "detailType"] = record.detailType
        item[string: "orderId"] = record.orderID
        item[string: "paymentId"] = record.paymentID
        item[string: "messageId"] = record.messageID
        item[int: "sentAt"] = Int((record.sentAt.timeIntervalSince1970 * 1000).rounded())
        item[int: "expiresAt"] = Int(record.sentAt.timeIntervalSince1970 + recordLifetime)
        var items = [table.put(item, condition: .absent)]
        for event in events { items.append(table.put(DynamoDBOutbox.item(event.encoded()), condition: .absent)) }
        guard let reasons = try table.transact(items) else { return true }
        if reasons.first == "ConditionalCheckFailed" { return false }
        throw StoreError("NotificationSent for \(record.eventID) on \(record.channel.rawValue) is already in the outbox")
    }

    package func recordFailure(events: [ServiceEvent]) throws {
        guard !events.isEmpty else { return }
        // A repeat of the same failed attempt finds its event there already: that is no error.
        _ = try table.transact(try events.map { table.put(DynamoDBOutbox.item($0.encoded()), condition: .absent) })
    }
}
