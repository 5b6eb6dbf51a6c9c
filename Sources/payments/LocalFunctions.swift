import Foundation
import FunctionSupport
import PaymentsCore

/// Builds functions in-process on demand, once each, from the process environment, as Lambda would.
final class LocalFunctions {
    let environment: [String: String]
    let logger: Logger
    private var built: [String: FunctionRuntime] = [:]

    init(verbose: Bool = true) {
        environment = ProcessInfo.processInfo.environment
        logger = verbose ? standardErrorLogger(function: "payments") : .discarding
    }

    func runtime(for definition: FunctionDefinition) throws -> FunctionRuntime {
        if let runtime = built[definition.name] { return runtime }
        var functionLogger = logger
        functionLogger.function = definition.name
        let runtime = try FunctionRuntime(definition, environment: environment, logger: functionLogger)
        built[definition.name] = runtime
        return runtime
    }

    /// Runs one invocation and then drains the outbox, as the Lambda loop does after answering.
    func invoke(_ definition: FunctionDefinition, event: [UInt8]) throws -> [UInt8] {
        let runtime = try runtime(for: definition)
        let context = InvocationContext(requestID: UUID().uuidString.lowercased(), logger: runtime.dependencies.logger)
        let response = try runtime.invoke(event: event, context: context)
        runtime.afterResponse(logger: context.logger)
        return response
    }
}

struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
