import Foundation
import EventRules
import FunctionSupport
import LocalCloud
import PaymentsCore
import PaymentsSQLite

/// The local bus under `payments serve`: every `interval` it publishes what an outbox still holds (a
/// function that crashed after its commit but before its drain leaves events there; publishing is
/// idempotent on the event id, so racing a function's own drain is harmless), then hands what the bus
/// holds to the consumers the rules name, running their real binaries through the emulator.
///
/// It runs on a thread of its own because LocalBus is synchronous and each hand-off waits for a
/// consumer's invocation, which the emulator serves on Swift concurrency's pool.
final class ServeBus: @unchecked Sendable {
    let backends: Backends
    let consumers: any ConsumerInvoker
    let rules: EventRules
    let environment: [String: String]
    let logger: Logger
    let interval: TimeInterval
    private let stopped = NSCondition()
    private var stopping = false
    private var finished = false

    init(backends: Backends, consumers: any ConsumerInvoker, rules: EventRules, environment: [String: String], logger: Logger,
         interval: TimeInterval = 0.1) {
        self.backends = backends
        self.consumers = consumers
        self.rules = rules
        self.environment = environment
        self.logger = logger
        self.interval = interval
    }

    func start() {
        let thread = Thread { [self] in
            guard let bus = backends.publisher as? SQLiteEventBus else { return }
            let relay = OutboxRelay(outbox: backends.outbox, publisher: bus)
            let localBus = LocalBus(bus: bus, rules: rules, consumers: consumers, environment: environment, logger: logger)
            while !isStopping {
                relay.drain(logger: logger)
                localBus.deliver()
                stopped.lock()
                if !stopping { _ = stopped.wait(until: Date(timeIntervalSinceNow: interval)) }
                stopped.unlock()
            }
            stopped.lock()
            finished = true
            stopped.broadcast()
            stopped.unlock()
        }
        thread.name = "payments serve: local bus"
        thread.start()
    }

    /// Stops after the hand-off in progress, if any.
    func stop() {
        stopped.lock()
        stopping = true
        stopped.broadcast()
        while !finished { stopped.wait() }
        stopped.unlock()
    }

    private var isStopping: Bool {
        stopped.lock()
        defer { stopped.unlock() }
        return stopping
    }
}

/// Runs a consumer's real binary through the emulator for the local bus: waits on this (non-pool)
/// thread for the invocation, and throws what Lambda would have counted as a failed batch.
struct EmulatedConsumers: ConsumerInvoker {
    let invoker: any FunctionInvoker

    func prepare(_ definition: FunctionDefinition) throws {}

    func invoke(_ definition: FunctionDefinition, event: [UInt8]) throws -> [UInt8] {
        let outcome = Outcome()
        let request = InvokeRequest(payload: event, requestID: UUID().uuidString.lowercased())
        let invoker = self.invoker
        Task { outcome.set(await invoker.invoke(function: definition.name, request)) }
        switch outcome.wait() {
        case .response(let body):
            return body
        case .functionError(let body, let errorType):
            throw CommandFailure("\(definition.name) reported \(errorType ?? "an error"): \(String(decoding: body, as: UTF8.self))")
        case .timedOut(let seconds):
            throw CommandFailure("\(definition.name) timed out after \(seconds) s")
        case .runtimeFailed(let errorType, let message):
            throw CommandFailure("\(definition.name) failed: \(errorType): \(message)")
        }
    }

    /// One invocation's result, handed from the concurrency pool to the waiting bus thread.
    final class Outcome: @unchecked Sendable {
        private let condition = NSCondition()
        private var result: InvokeResult?

        func set(_ result: InvokeResult) {
            condition.lock()
            self.result = result
            condition.broadcast()
            condition.unlock()
        }

        func wait() -> InvokeResult {
            condition.lock()
            defer { condition.unlock() }
            while result == nil { condition.wait() }
            return result!
        }
    }
}
