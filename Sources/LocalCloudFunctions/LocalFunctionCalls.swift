import FunctionHost
import Platform
import LocalCloud
import PaymentsCore
import PaymentsStores

/// Function invocations as the CLI makes them (`payments invoke`, `replay`): each runs in this process
/// (`InProcessRunner`), then `afterInvocation` runs: with the local bus, its new events are handed to
/// the consumers the rules name, as EventBridge's rules would in AWS.
public struct LocalFunctionCalls: Sendable {
    public let runner: InProcessRunner
    private let afterInvocation: @Sendable () async -> Void

    public init(runner: InProcessRunner, afterInvocation: @escaping @Sendable () async -> Void = {}) {
        self.runner = runner
        self.afterInvocation = afterInvocation
    }

    /// Every function of this build, with `environment`'s settings; after each invocation, the local
    /// bus (when the settings name it) hands its new events to the consumers, run by the same runner.
    public static func configured(environment: [String: String], logger: Logger) throws -> LocalFunctionCalls {
        let runner = InProcessRunner(functions: FunctionRegistry.all, environment: environment, logger: logger, timeoutSeconds: nil)
        guard let delivery = try LocalEventDelivery.configured(environment: environment, consumers: runner, logger: logger) else {
            return LocalFunctionCalls(runner: runner)
        }
        return LocalFunctionCalls(runner: runner, afterInvocation: { await delivery.deliver() })
    }

    /// Runs `function` on `event`, then the after-invocation work, whether the handler answered or threw.
    public func invoke(_ function: String, event: [UInt8]) async throws -> [UInt8] {
        let answer: [UInt8]
        do {
            answer = try await runner.run(function: function, event: event)
        } catch {
            await afterInvocation()
            throw error
        }
        await afterInvocation()
        return answer
    }

    /// The first of `candidates` that can be built here (a shared route goes to the first of its
    /// functions that is configured), or the first one when none can.
    public func firstConfigured(_ candidates: [FunctionDefinition]) async -> FunctionDefinition? {
        for candidate in candidates where (try? await runner.prepare(function: candidate.name)) != nil { return candidate }
        return candidates.first
    }
}
