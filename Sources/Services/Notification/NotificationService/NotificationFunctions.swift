import AWSClients
import PaymentsCore
import Platform

/// The `notification` function. Settings (README's configuration table):
/// - `NOTIFICATION_STORE`: `sqlite:PATH` (default `sqlite:notifications.sqlite`) or `dynamodb:TABLE`;
/// - `NOTIFICATION_CHANNELS`: the channels enabled, `email,sms` by default;
/// - `NOTIFICATION_CHANNEL`: the one channel this deployment serves (else the queue's name says);
/// - `NOTIFICATION_EMAIL_FROM`: the SES sender, required for email on DynamoDB;
/// - `NOTIFICATION_SMS_COUNTRIES`: the country calling codes SMS may go to (`1,44,49`), required for
///   SMS on DynamoDB (SNS charges per message); unset locally, every country.
///
/// With SQLite the channels are local (a table `payments notifications` prints) and the outbox is
/// published to the store's local bus after each batch. With DynamoDB email goes through SES v2 and
/// SMS through SNS, and the table's stream carries the outbox to `outbox-relay`.
public enum NotificationFunctions {
    public static let defaultStore = "sqlite:notifications.sqlite"

    public static let definition = FunctionDefinition(
        name: "notification", trigger: SQSTrigger(queue: "BUS-notification-email, BUS-notification-sms")
    ) { try served($0) }

    /// The handler on the store `NOTIFICATION_STORE` names, and the drain of that store's outbox where
    /// no stream carries it.
    public static func served(_ dependencies: FunctionDependencies) throws -> Served<NotificationHandler> {
        let environment = dependencies.environment
        let enabled = try NotificationChannel.enabled(environment)
        let configured = try NotificationChannel.configured(environment)
        if let configured, !enabled.contains(configured) {
            throw ConfigurationError("NOTIFICATION_CHANNEL names a channel that NOTIFICATION_CHANNELS does not enable")
        }
        // Whether this deployment sends SMS at all: enabled, and the channel it serves if it serves one.
        let servesSMS = enabled.contains(.sms) && (configured ?? .sms) == .sms
        switch try StoreSetting("NOTIFICATION_STORE", environment: environment, default: defaultStore) {
        case .sqlite(let path):
            let smsPolicy = try SMSPolicy.fromEnvironment(environment, required: false)
            let store = try SQLiteNotificationStore(path: path)
            let local = LocalChannelSender(store: store, clock: dependencies.clock)
            let senders = Dictionary(uniqueKeysWithValues: enabled.map { ($0, local as any ChannelSender) })
            return Served(NotificationHandler(store: store, senders: senders, enabled: enabled, configuredChannel: configured,
                                              smsPolicy: smsPolicy, clock: dependencies.clock),
                          drain: OutboxDrain(outbox: store, publisher: store.bus))
        case .dynamoDB(let table):
            let client = try dependencies.awsClient(.dynamoDB)
            var senders: [NotificationChannel: any ChannelSender] = [:]
            if enabled.contains(.email) {
                senders[.email] = SESEmailSender(ses: SESv2Client(client: client), from: try dependencies.setting("NOTIFICATION_EMAIL_FROM"))
            }
            let smsPolicy = try SMSPolicy.fromEnvironment(environment, required: servesSMS)
            if enabled.contains(.sms) {
                senders[.sms] = SNSSMSSender(sns: SNSClient(client: client))
            }
            return Served(NotificationHandler(store: DynamoDBNotificationStore(table: DynamoDBTable(client: client, name: table)), senders: senders,
                                              enabled: enabled, configuredChannel: configured, smsPolicy: smsPolicy, clock: dependencies.clock),
                          callsAWSOnEveryInvocation: true)
        }
    }
}
