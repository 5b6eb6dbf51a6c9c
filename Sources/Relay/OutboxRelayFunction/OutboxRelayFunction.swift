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
        func client(_ service: AWSService) throws -> AWSJSONClient {
            try AWSJSONClient.fromEnvironment(service, environment: dependencies.environment, http: dependencies.httpClient,
                                              clock: dependencies.clock, deadline: dependencies.deadline)
        }
        let relay = OutboxStreamRelay(
            publisher: EventBridgePublisher(client: try client(.eventBridge), busName: String(events.dropFirst("eventbridge:".count))),
            outbox: DynamoDBOutbox(table: DynamoDBTable(client: try client(.dynamoDB), name: table)))
        return Served(relay, callsAWSOnEveryInvocation: true)
    }
}
