import PaymentsCore
import Platform

/// A way of reaching a customer. Each has its own queue behind the SNS topic in AWS, so that one
/// failing channel is retried on its own and neither blocks nor repeats the others.
public enum NotificationChannel: String, Sendable, CaseIterable, Comparable {
    case email
    case sms

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The event's contact for this channel: `customerEmail` for email, `customerPhone` for SMS.
    public func recipient(of detail: PaymentEvent.Detail) -> String? {
        switch self {
        case .email: detail.customerEmail
        case .sms: detail.customerPhone
        }
    }

    /// `NOTIFICATION_CHANNELS`: a comma-separated list (default every channel).
    public static func enabled(_ environment: [String: String]) throws(ConfigurationError) -> Set<NotificationChannel> {
        guard let text = environment["NOTIFICATION_CHANNELS"], !text.isEmpty else { return Set(allCases) }
        var channels = Set<NotificationChannel>()
        for name in text.split(separator: ",") {
            guard let channel = NotificationChannel(rawValue: String(name.filter { $0 != " " })) else {
                throw ConfigurationError("NOTIFICATION_CHANNELS must list channels among email, sms")
            }
            channels.insert(channel)
        }
        return channels
    }

    /// `NOTIFICATION_CHANNEL`: the one channel this deployment serves, when set.
    public static func configured(_ environment: [String: String]) throws(ConfigurationError) -> NotificationChannel? {
        guard let text = environment["NOTIFICATION_CHANNEL"], !text.isEmpty else { return nil }
        guard let channel = NotificationChannel(rawValue: text) else { throw ConfigurationError("NOTIFICATION_CHANNEL must be email or sms") }
        return channel
    }

    /// The channel a queue serves, from its name's last part (`shop-notification-email`), as `payments aws
    /// init` names them; nil for another name. Reads the queue name out of an SQS ARN too.
    public init?(queue: String) {
        let name = queue.split(separator: ":").last.map(String.init) ?? queue
        guard let last = name.split(separator: "-").last, let channel = NotificationChannel(rawValue: String(last)) else { return nil }
        self = channel
    }
}
