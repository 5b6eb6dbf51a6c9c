#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import PaymentsHTTP

/// A function ready to serve: its handler, its backends, and the relay that publishes what it wrote.
public struct FunctionRuntime: Sendable {
    public var definition: FunctionDefinition
    public var handler: FunctionHandler
    /// The payments store, its outbox and the bus; nil for a consumer, which keeps its own store.
    public var backends: Backends?
    /// Publishes the outbox after each answer; nil where a stream feeds `outbox-relay` instead.
    public var relay: OutboxRelay?
    public var dependencies: FunctionDependencies
    /// Set before each invocation, so the AWS clients stop retrying in time to answer.
    public let deadline = InvocationDeadline()

    /// Builds the function's dependencies from `environment`, as in Lambda and in `payments invoke`.
    public init(_ definition: FunctionDefinition, environment: [String: String], logger: Logger,
                httpClient: (any HTTPClient)? = nil, clock: any WallClock = SystemClock()) throws {
        let client = httpClient ?? RetryingHTTPClient(base: CurlHTTPClient(), clock: clock)
        let dependencies: FunctionDependencies
        if definition.usesPaymentStore {
            let configuration = try Configuration(environment: environment)
            let backends = try Backends.make(configuration, environment: environment, httpClient: client, clock: clock, deadline: deadline)
            dependencies = FunctionDependencies(store: backends.store, clock: clock, httpClient: client, environment: environment,
                                                logger: logger, outbox: backends.outbox, publisher: backends.publisher, deadline: deadline,
                                                transmissions: backends.transmissions)
            self.backends = backends
            self.relay = backends.drainsAfterResponse ? OutboxRelay(outbox: backends.outbox, publisher: backends.publisher) : nil
        } else {
            dependencies = FunctionDependencies(clock: clock, httpClient: client, environment: environment, logger: logger, deadline: deadline)
            self.backends = nil
            self.relay = nil
        }
        self.definition = definition
        self.dependencies = dependencies
        self.handler = try definition.makeHandler(dependencies)
    }

    /// One invocation from raw event bytes to raw response bytes, read in the shape of the function's
    /// trigger. An event of another shape is an error of the invocation, not an HTTP answer.
    public func invoke(event: [UInt8], context: InvocationContext) throws -> [UInt8] {
        deadline.begin(deadlineMilliseconds: context.deadlineMilliseconds)
        switch handler {
        case .http(let handler):
            let response = try handler.handle(try APIGatewayV2Request(event: event), context: context)
            return Array(try JSON.encoder.encode(response))
        case .sqs(let handler):
            return Array(try JSON.encoder.encode(try handler.handle(try SQSBatch(event: event), context: context)))
        case .dynamoDBStream(let handler):
            return Array(try JSON.encoder.encode(try handler.handle(try DynamoDBStreamBatch(event: event), context: context)))
        case .schedule(let handler):
            try handler.handle(try ScheduledEvent(event: event), context: context)
            return Array("null".utf8)
        }
    }

    /// What a function does once it has answered, before the next event: publish its outbox (the
    /// payments outbox, or a consumer's own).
    public func afterResponse(logger: Logger) {
        relay?.drain(logger: logger)
        if case .sqs(let handler) = handler { handler.afterResponse(logger: logger) }
    }
}

/// Logs as JSON lines on standard error, where Lambda and CloudWatch pick them up.
public func standardErrorLogger(function: String) -> Logger {
    Logger(function: function) { line in
        writeStandardError(line + "\n")
    }
}
