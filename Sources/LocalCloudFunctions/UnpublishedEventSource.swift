import FunctionSupport
import PaymentsCore

/// Where `payments relay` reads unpublished events from: the SQLite outbox, or the DynamoDB stream.
public enum UnpublishedEventSource {
    case sqlite(OutboxRelay)
    case dynamoDBStream(DynamoDBStreamReader)

    public static func make(_ configuration: Configuration, backends: Backends, environment: [String: String], checkpoints: String?,
                     clock: any WallClock) throws -> UnpublishedEventSource {
        switch configuration.store {
        case .sqlite:
            return .sqlite(OutboxRelay(outbox: backends.outbox, publisher: backends.publisher))
        case .dynamoDB(let table):
            let handler = OutboxStreamRelay(publisher: backends.publisher, outbox: backends.outbox)
            return .dynamoDBStream(try DynamoDBStreamReader(table: table, handler: handler, environment: environment,
                                                                 checkpointPath: checkpoints ?? ".payments-relay-\(table).json", clock: clock))
        }
    }

    /// One pass; returns how many events were published.
    public func relayOnce(logger: Logger) throws -> Int {
        switch self {
        case .sqlite(let relay): relay.drain(logger: logger)
        case .dynamoDBStream(let source): try source.relayOnce(logger: logger)
        }
    }
}
