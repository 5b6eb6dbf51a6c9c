import AWSClients
import FunctionHost
import Platform
import PaymentsCore
import PaymentsStores

/// Where `payments relay` reads unpublished events from: the SQLite outbox, or the DynamoDB stream.
public enum UnpublishedEventSource {
    case sqlite(OutboxDrain)
    case dynamoDBStream(DynamoDBStreamReader)

    public static func make(_ configuration: PaymentsConfiguration, backends: PaymentsBackends, environment: [String: String], checkpoints: String?,
                     clock: any WallClock) throws -> UnpublishedEventSource {
        switch configuration.store {
        case .sqlite:
            return .sqlite(OutboxDrain(outbox: backends.outbox, publisher: backends.publisher))
        case .dynamoDB(let table):
            let handler = OutboxStreamRelay(publisher: backends.publisher, outbox: DynamoDBOutbox(table: DynamoDBTable(client: try AWSJSONClient.fromEnvironment(.dynamoDB, environment: environment, http: ToolingHTTP.client(clock: clock), clock: clock, deadline: nil), name: table)))
            return .dynamoDBStream(try DynamoDBStreamReader(table: table, handler: handler, environment: environment,
                                                                 checkpointPath: checkpoints ?? ".payments-relay-\(table).json", clock: clock))
        }
    }

    /// One pass; returns how many events were published.
    public func relayOnce(logger: Logger) throws -> Int {
        switch self {
        case .sqlite(let relay): relay.run(logger: logger)
        case .dynamoDBStream(let source): try source.relayOnce(logger: logger)
        }
    }
}
