import AWSClients
import PaymentsCore
import Platform

/// The `notification` function: SQS batches of payment events from a channel's queue (each queue is
/// subscribed to the SNS topic the bus's rule targets), raw or wrapped in SNS's envelope. Each event
/// becomes a message on the record's channel when the event carries that channel's contact.
///
/// The record's channel is `NOTIFICATION_CHANNEL` when set, else the one its queue is named after
/// (`…-notification-email`); a record from a queue naming no channel (an event handed in by hand) is
/// sent on every enabled channel. Exactly once per channel but for a crash window: the sent-record is
/// written when the channel has accepted the message, and a redelivered event skips channels that have
/// one; dying between the two sends that channel's message again on redelivery.
///
/// SMS follow `smsPolicy`: outcomes only, to allowed countries. A skipped SMS is acknowledged and
/// publishes nothing, like an event without a phone: nothing was attempted, so nothing failed.
public struct NotificationHandler: SQSBatchHandler {
    public var store: any NotificationStore
    public var senders: [NotificationChannel: any ChannelSender]
    public var enabled: Set<NotificationChannel>
    /// `NOTIFICATION_CHANNEL`, when the deployment serves one channel.
    public var configuredChannel: NotificationChannel?
    public var smsPolicy: SMSPolicy
    public var clock: any WallClock

    public init(store: any NotificationStore, senders: [NotificationChannel: any ChannelSender], enabled: Set<NotificationChannel>,
                configuredChannel: NotificationChannel? = nil, smsPolicy: SMSPolicy = SMSPolicy(), clock: any WallClock) {
        self.store = store
        self.senders = senders
        self.enabled = enabled
        self.configuredChannel = configuredChannel
        self.smsPolicy = smsPolicy
        self.clock = clock
    }

    /// A channel that did not take a record's message: the record is retried, on its own queue only.
    struct ChannelFailed: Error, CustomStringConvertible {
        var channels: [NotificationChannel]
        var description: String { "channel(s) \(channels.map(\.rawValue).joined(separator: ", ")) failed; retried" }
    }

    public func handle(_ batch: SQSBatch, context: InvocationContext) throws -> BatchResponse {
        batch.processEach(logger: context.logger) { try process($0, logger: context.logger) }
    }

    /// The channels a record is for.
    func channels(of message: SQSBatch.Message) -> [NotificationChannel] {
        if let configuredChannel { return [configuredChannel] }
        if let arn = message.eventSourceARN, let channel = NotificationChannel(queue: arn) { return [channel] }
        return enabled.sorted()
    }

    func process(_ record: SQSBatch.Message, logger: Logger) throws {
        let event = try PaymentEvent(envelope: EventBridgeEnvelope(sqsBody: record.body))
        var failedChannels: [NotificationChannel] = []
        for channel in channels(of: record) {
            // Never the recipient or the text in a log line: they are the customer's.
            let fields = ["eventId": event.id, "channel": channel.rawValue, "detailType": event.detailType]
            guard enabled.contains(channel), let sender = senders[channel] else {
                logger.info("channel not enabled; acknowledged", fields)
                continue
            }
            if channel == .sms, !smsPolicy.sends(event.detailType) {
                logger.info("no SMS for this detail-type; acknowledged", fields)
                continue
            }
            guard let recipient = channel.recipient(of: event.detail) else {
                logger.info("the event carries no contact for this channel; nothing to send", fields)
                continue
            }
            if channel == .sms, !smsPolicy.allows(number: recipient) {
                logger.warning("the phone number is not in a country NOTIFICATION_SMS_COUNTRIES allows; no SMS sent; acknowledged", fields)
                continue
            }
            if try store.hasSent(eventID: event.id, channel: channel) {
                logger.info("already sent on this channel; acknowledged", fields)
                continue
            }
            guard let message = NotificationTemplates.message(for: event, channel: channel, recipient: recipient) else {
                throw UnreadableRecord("no template for the detail-type")
            }
            let messageID: String
            do {
                messageID = try sender.send(message)
            } catch {
                let reason = Self.reason(error)
                logger.warning("the channel did not take the message; retried", fields.merging(["reason": reason]) { $1 })
                let attempt = Int(record.attributes["ApproximateReceiveCount"] ?? "") ?? 1
                do {
                    try store.recordFailure(events: [NotificationEvents.failed(message, reason: reason, attempt: attempt, at: clock.now())])
                } catch {
                    logger.warning("NotificationFailed could not be stored", fields.merging(["error": String(describing: error)]) { $1 })
                }
                failedChannels.append(channel)
                continue
            }
            let sent = SentRecord(eventID: event.id, channel: channel, detailType: event.detailType, orderID: event.detail.orderId,
                                  paymentID: event.detail.paymentId, messageID: messageID, sentAt: clock.now())
            do {
                try store.recordSent(sent, events: [NotificationEvents.sent(sent)])
                logger.info("notification sent", fields.merging(["messageId": messageID]) { $1 })
            } catch {
                // The message went out but is not recorded: the retry sends it again (the duplicate window).
                logger.error("sent but not recorded; a retry sends it again", fields.merging(["error": String(describing: error)]) { $1 })
                failedChannels.append(channel)
            }
        }
        if !failedChannels.isEmpty { throw ChannelFailed(channels: failedChannels) }
    }

    /// What kind of failure, never the channel's own words (an SNS error may quote the phone number).
    static func reason(_ error: any Error) -> String {
        if let aws = error as? AWSError { return aws.status == 0 ? "TransportError" : "\(aws.type) (HTTP \(aws.status))" }
        if let failure = error as? ChannelRefusal { return failure.kind }
        return String(describing: type(of: error))
    }
}

/// A channel's refusal of a message, by kind (what NotificationFailed reports).
package struct ChannelRefusal: Error, CustomStringConvertible, Sendable {
    public let kind: String
    public init(_ kind: String) { self.kind = kind }
    public var description: String { "the channel refused the message: \(kind)" }
}
