import AWSClients
import PaymentsCore
import Platform

/// The email channel in AWS: SES v2 `SendEmail` from `NOTIFICATION_EMAIL_FROM` (a verified identity).
package struct SESEmailSender: ChannelSender {
    public var ses: SESv2Client
    public var from: String

    public init(ses: SESv2Client, from: String) {
        self.ses = ses
        self.from = from
    }

    public func send(_ message: NotificationMessage) throws -> String {
        try ses.sendEmail(from: from, to: message.recipient, subject: message.subject ?? "", text: message.text)
    }
}

/// The SMS channel in AWS: SNS `Publish` to the customer's E.164 number.
package struct SNSSMSSender: ChannelSender {
    public var sns: SNSClient

    public init(sns: SNSClient) { self.sns = sns }

    public func send(_ message: NotificationMessage) throws -> String {
        try sns.publishSMS(to: message.recipient, message: message.text)
    }
}
