import Foundation
import FunctionHost
import Platform
import LambdaRuntimeClient
import LocalCloud
import PaymentsCore

/// Runs functions in this process, from their definitions, as the bootstraps run them: the one
/// in-process runner of the local tooling (`payments invoke`, `replay`, `relay`, `serve --in-process`,
/// the gateway's tests). Each function is built once, on its first invocation, from `environment` (as
/// Lambda builds it at init; `ssm:` settings are read from Parameter Store as the deployed function
/// reads them); a failed build is reported and tried again next time.
///
/// An invocation is `FunctionRuntime.invoke(event:context:)` followed by
/// `FunctionRuntime.afterResponse(logger:)` (publishing its outbox), whether the handler answered or
/// failed, as the Lambda loop does. What else must follow an invocation (the local bus handing new
/// events to its consumers) is the caller's: see `LocalFunctionCalls`.
///
/// Invocations run one at a time (one instance of each function, as one Lambda sandbox). The handlers
/// are synchronous: an invocation occupies its thread.
public actor InProcessRunner: FunctionInvoker {
    private let definitions: [String: FunctionDefinition]
    private let environment: [String: String]
    private let logger: Logger
    private let httpClient: (any HTTPClient)?
    private let clock: any WallClock
    private let timeoutMilliseconds: Int64?
    private var built: [String: (runtime: FunctionRuntime, logger: Logger)] = [:]

    /// - Parameters:
    ///   - functions: the definitions it may run, by name (e.g. `FunctionRegistry.all`).
    ///   - environment: the functions' settings (`PAYMENTS_STORE`, `STRIPE_WEBHOOK_SECRET`, ...).
    ///   - timeoutSeconds: the deadline each invocation's context carries (nil: none, as a command's).
    public init(functions: [FunctionDefinition], environment: [String: String], logger: Logger,
                httpClient: (any HTTPClient)? = nil, clock: any WallClock = SystemClock(), timeoutSeconds: Int? = 30) {
        var definitions: [String: FunctionDefinition] = [:]
        for definition in functions where definitions[definition.name] == nil { definitions[definition.name] = definition }
        self.definitions = definitions
        self.environment = environment
        self.logger = logger
        self.httpClient = httpClient
        self.clock = clock
        self.timeoutMilliseconds = timeoutSeconds.map { Int64($0) * 1000 }
    }

    /// Builds `function` unless it is built: throws what its initialisation threw.
    public func prepare(function: String) async throws {
        _ = try runtime(for: function)
    }

    /// One invocation, then the function's after-response work. Throws what the handler threw, as it is
    /// (the CLI prints it), or why the function could not be built.
    public func run(function: String, event: [UInt8], requestID: String = UUID().uuidString.lowercased(),
                    traceID: String? = nil) throws -> [UInt8] {
        let (runtime, functionLogger) = try runtime(for: function)
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let context = InvocationContext(requestID: requestID, deadlineMilliseconds: timeoutMilliseconds.map { now + $0 },
                                        invokedFunctionARN: "arn:aws:lambda:local:000000000000:function:\(function)",
                                        traceID: traceID, logger: functionLogger)
        defer { runtime.afterResponse(logger: context.logger) }
        return try runtime.invoke(event: event, context: context)
    }

    /// `FunctionInvoker`: the outcome as Lambda's Invoke API reports it; a handler's error is the
    /// error body and type the Lambda runtime loop posts.
    public func invoke(function: String, _ request: InvokeRequest) async -> InvokeResult {
        guard definitions[function] != nil else {
            return .runtimeFailed(errorType: "Function.NotFound", message: "no function named '\(function)'")
        }
        do {
            _ = try runtime(for: function)
        } catch {
            var functionLogger = logger
            functionLogger.function = function
            functionLogger.error("initialisation failed", ["error": String(describing: error)])
            return .runtimeFailed(errorType: LambdaRuntimeLoop.errorType(error), message: String(describing: error))
        }
        do {
            return .response(try run(function: function, event: request.payload, requestID: request.requestID, traceID: request.traceID))
        } catch {
            var functionLogger = logger
            functionLogger.function = function
            functionLogger.error("invocation failed", ["error": String(describing: error)])
            return .functionError(body: LambdaRuntimeLoop.errorBody(error), errorType: LambdaRuntimeLoop.errorType(error))
        }
    }

    private func runtime(for function: String) throws -> (runtime: FunctionRuntime, logger: Logger) {
        if let built = built[function] { return built }
        guard let definition = definitions[function] else { throw CommandFailure("no function named '\(function)'") }
        var functionLogger = logger
        functionLogger.function = function
        let runtime = try SecretRefreshingRuntime(definition, environment: environment, logger: functionLogger,
                                                  httpClient: httpClient, clock: clock).runtime
        built[function] = (runtime, functionLogger)
        return (runtime, functionLogger)
    }
}

/// A failure of the local tooling, told as its description.
public struct CommandFailure: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
