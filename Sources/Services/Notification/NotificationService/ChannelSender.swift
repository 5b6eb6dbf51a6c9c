import Platform

/// Hands a message to a channel: SES (email) and SNS (SMS) in AWS, a table locally.
public protocol ChannelSender: Sendable {
    /// Answers the channel's id for the accepted message; throws when the channel did not accept it.
    func send(_ message: NotificationMessage) throws -> String
}
