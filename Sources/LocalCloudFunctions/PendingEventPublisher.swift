import FunctionHost
import Platform
import PaymentsCore
import PaymentsStores

/// `payments relay`: what the configured store has not published goes to the configured bus, as
/// `outbox-relay` does in AWS; on the local bus it is then handed to the consumers the rules name.
public struct PendingEventPublisher {
    let source: UnpublishedEventSource
    let delivery: LocalEventDelivery?
    let logger: Logger

    /// - Parameter checkpoints: where the DynamoDB stream position per shard is kept (default `.payments-relay-TABLE.json`).
    public init(environment: [String: String], checkpoints: String?, logger: Logger, consumerLogger: Logger) throws {
        let configuration = try PaymentsConfiguration(environment: environment)
        let clock = SystemClock()
        let backends = try PaymentsBackends.make(configuration, environment: environment, httpClient: ToolingHTTP.client(clock: clock), clock: clock)
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
