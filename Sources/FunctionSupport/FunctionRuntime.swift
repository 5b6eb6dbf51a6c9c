#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import PaymentsCore
import PaymentsSQLite
import PaymentsHTTP

/// A function ready to serve: its handler and the relay that publishes what it wrote.
public struct FunctionRuntime: Sendable {
    public var definition: FunctionDefinition
    public var handler: any RequestHandler
    public var relay: OutboxRelay
    public var dependencies: FunctionDependencies

    /// Builds the function's dependencies from `environment`, as in Lambda and in `payments invoke`.
    public init(_ definition: FunctionDefinition, environment: [String: String], logger: Logger,
                httpClient: (any HTTPClient)? = nil, clock: any WallClock = SystemClock()) throws {
        let configuration = try Configuration(environment: environment)
        let store: SQLitePaymentStore
        switch configuration.store {
        case .sqlite(let path):
            store = try SQLitePaymentStore(path: path)
        case .dynamoDB:
            throw ConfigurationError("PAYMENTS_STORE=dynamodb:… needs the AWS adapters, which this build does not include yet; use sqlite:PATH")
        }
        let publisher: any EventPublisher
        switch configuration.events {
        case .sqlite:
            publisher = try SQLiteEventBus(database: store.database)
        case .eventBridge:
            throw ConfigurationError("PAYMENTS_EVENTS=eventbridge:… needs the AWS adapters, which this build does not include yet; use sqlite")
        }
        let client = httpClient ?? RetryingHTTPClient(base: CurlHTTPClient(), clock: clock)
        let dependencies = FunctionDependencies(store: store, clock: clock, httpClient: client, environment: environment, logger: logger)
        self.definition = definition
        self.dependencies = dependencies
        self.handler = try definition.makeHandler(dependencies)
        self.relay = OutboxRelay(outbox: store, publisher: publisher)
    }

    /// One invocation from raw event bytes to raw response bytes. An event that is not an
    /// API Gateway request is an error of the invocation, not an HTTP answer.
    public func invoke(event: [UInt8], context: InvocationContext) throws -> [UInt8] {
        let request = try APIGatewayV2Request(event: event)
        let response = try handler.handle(request, context: context)
        return Array(try JSON.encoder.encode(response))
    }
}

/// Logs as JSON lines on standard error, where Lambda and CloudWatch pick them up.
public func standardErrorLogger(function: String) -> Logger {
    Logger(function: function) { line in
        writeStandardError(line + "\n")
    }
}
