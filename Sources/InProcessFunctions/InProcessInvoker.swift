#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FunctionSupport
import LocalCloud
import PaymentsCore

/// Runs functions in this process, from their definitions, with the same `FunctionRuntime` the
/// bootstraps use: the `FunctionInvoker` that the gateway can be measured against the emulator with,
/// and that tests put behind the gateway. Each function is built once, on its first invocation, from
/// `environment` (as Lambda builds it at init); a failed build is reported and tried again next time.
///
/// Invocations run one at a time (one instance of each function, as one Lambda sandbox), and each is
/// followed by the function's after-response work (publishing its outbox) before the result returns,
/// as `payments invoke` does. The handlers are synchronous: an invocation occupies its thread.
public actor InProcessInvoker: FunctionInvoker {
    public typealias AfterResponse = @Sendable (FunctionRuntime, Logger) -> Void

    private let definitions: [String: FunctionDefinition]
    private let environment: [String: String]
    private let logger: Logger
    private let httpClient: (any HTTPClient)?
    private let clock: any WallClock
    private let timeoutMilliseconds: Int64
    private let afterResponse: AfterResponse?
    private var built: [String: FunctionRuntime] = [:]

    /// - Parameters:
    ///   - functions: the definitions it may run, by name (e.g. the CLI's function registry).
    ///   - environment: the functions' settings (`PAYMENTS_STORE`, `STRIPE_WEBHOOK_SECRET`, ...).
    ///   - timeoutSeconds: the deadline each invocation's context carries.
    ///   - afterResponse: extra work after each invocation's own drain (the CLI hands the local bus's
    ///     new events to the consumers there).
    public init(functions: [FunctionDefinition], environment: [String: String], logger: Logger,
                httpClient: (any HTTPClient)? = nil, clock: any WallClock = SystemClock(),
                timeoutSeconds: Int = 30, afterResponse: AfterResponse? = nil) {
        var definitions: [String: FunctionDefinition] = [:]
        for definition in functions where definitions[definition.name] == nil { definitions[definition.name] = definition }
        self.definitions = definitions
        self.environment = environment
        self.logger = logger
        self.httpClient = httpClient
        self.clock = clock
        self.timeoutMilliseconds = Int64(timeoutSeconds) * 1000
        self.afterResponse = afterResponse
    }

    public func invoke(function: String, _ request: InvokeRequest) async -> InvokeResult {
        guard let definition = definitions[function] else {
            return .runtimeFailed(errorType: "Function.NotFound", message: "no function named '\(function)'")
        }
        let runtime: FunctionRuntime
        if let existing = built[function] {
            runtime = existing
        } else {
            var functionLogger = logger
            functionLogger.function = function
            do {
                runtime = try FunctionRuntime(definition, environment: environment, logger: functionLogger,
                                              httpClient: httpClient, clock: clock)
            } catch {
                functionLogger.error("initialisation failed", ["error": String(describing: error)])
                return .runtimeFailed(errorType: Self.errorType(error), message: String(describing: error))
            }
            built[function] = runtime
        }
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let context = InvocationContext(requestID: request.requestID, deadlineMilliseconds: now + timeoutMilliseconds,
                                        invokedFunctionARN: "arn:aws:lambda:local:000000000000:function:\(function)",
                                        traceID: request.traceID, logger: runtime.dependencies.logger)
        let result: InvokeResult
        do {
            result = .response(try runtime.invoke(event: request.payload, context: context))
        } catch {
            context.logger.error("invocation failed", ["error": String(describing: error)])
            let type = Self.errorType(error)
            result = .functionError(body: Self.errorBody(message: String(describing: error), type: type), errorType: type)
        }
        runtime.afterResponse(logger: context.logger)
        afterResponse?(runtime, context.logger)
        return result
    }

    /// Named as the Lambda loop names errors it reports: "Runtime.<type>".
    static func errorType(_ error: any Error) -> String { "Runtime.\(String(describing: type(of: error)))" }

    static func errorBody(message: String, type: String) -> [UInt8] {
        var json = JSONTextWriter(capacity: 128)
        json.raw(#"{"errorMessage":"#)
        json.string(message)
        json.raw(#","errorType":"#)
        json.string(type)
        json.raw("}")
        return json.bytes
    }
}
