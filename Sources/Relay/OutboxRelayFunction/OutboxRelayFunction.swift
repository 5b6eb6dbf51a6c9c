import AWSClients
import Platform

/// The `outbox-relay` function, deployed once per table whose outbox it drains. Settings:
/// `OUTBOX_TABLE` (the DynamoDB table whose stream feeds it, and whose outbox items it removes) and
/// `OUTBOX_EVENTS` (`eventbridge:BUS`), with the standard AWS variables.
public enum OutboxRelayFunction {
    public static let definition = FunctionDefinition(name: "outbox-relay", trigger: DynamoDBStreamTrigger()) { dependencies in
        let table = try dependencies.setting("OUTBOX_TABLE")
        let events = try dependencies.setting("OUTBOX_EVENTS")
        guard events.hasPrefix("eventbridge:"), events.count > "eventbridge:".count else {
            throw ConfigurationError("OUTBOX_EVENTS must be eventbridge:BUS")
        }
        let relay = OutboxStreamRelay(
            publisher: EventBridgePublisher(client: try dependencies.awsClient(.eventBridge), busName: String(events.dropFirst("eventbridge:".count))),
            outbox: DynamoDBOutbox(table: DynamoDBTable(client: try dependencies.awsClient(.dynamoDB), name: table)))
        return Served(relay, callsAWSOnEveryInvocation: true)
    }
}
