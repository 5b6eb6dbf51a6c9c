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

/// `payments relay`: what the configured store has not published goes to the configured bus, as
/// `outbox-relay` does in AWS; on the local bus it is then handed to the consumers the rules name.
public struct LocalRelay {
    let source: UnpublishedEventSource
    let delivery: LocalEventDelivery?
    let logger: Logger

    /// - Parameter checkpoints: where the DynamoDB stream position per shard is kept (default `.payments-relay-TABLE.json`).
    public init(environment: [String: String], checkpoints: String?, logger: Logger, consumerLogger: Logger) throws {
        let configuration = try Configuration(environment: environment)
        let clock = SystemClock()
        let backends = try Backends.make(configuration, environment: environment, httpClient: ToolingHTTP.client(clock: clock), clock: clock)
        source = try UnpublishedEventSource.make(configuration, backends: backends, environment: environment, checkpoints: checkpoints, clock: clock)
        let consumers = InProcessRunner(functions: FunctionRegistry.all, environment: environment, logger: consumerLogger, timeoutSeconds: nil)
        delivery = try LocalEventDelivery.configured(environment: environment, consumers: consumers, logger: consumerLogger)
        self.logger = logger
    }

    /// One pass: publishes, then (on the local bus) hands over. Returns how many events were published.
    public func relayOnce() async throws -> Int {
        let published = try source.relayOnce(logger: logger)
        await delivery?.deliver()
        return published
    }
}
