/// `payments emulate`: any Lambda bootstrap behind an endpoint compatible with AWS's Runtime Interface
/// Emulator (aws-lambda-rie), without Docker. The command is started on the first invocation, with the
/// Runtime API on a loopback port of its own (see `LocalLambda`); the Invoke API answers on `port`.
public final class RuntimeInterfaceEmulator: Sendable {
    public let function: LambdaFunctionConfiguration
    private let lambda: LocalLambda
    private let server: LoopbackHTTPServer

    public var port: Int { server.port }
    /// The URL RIE serves invocations on.
    public var invocationsURL: String { "http://127.0.0.1:\(port)/2015-03-31/functions/function/invocations" }

    private init(function: LambdaFunctionConfiguration, lambda: LocalLambda, server: LoopbackHTTPServer) {
        self.function = function
        self.lambda = lambda
        self.server = server
    }

    /// The function RIE would run for `command` (bootstrap and arguments) with `environment`'s settings:
    /// `AWS_LAMBDA_FUNCTION_TIMEOUT` (seconds, default 300), `AWS_LAMBDA_FUNCTION_NAME` (test_function),
    /// `AWS_LAMBDA_FUNCTION_MEMORY_SIZE` (3008), `AWS_LAMBDA_FUNCTION_HANDLER` or `_HANDLER`; the
    /// environment is passed on to the command.
    public static func function(command: [String], environment: [String: String]) throws(InvalidSetting) -> LambdaFunctionConfiguration {
        func setting(_ name: String, _ fallback: Int) throws(InvalidSetting) -> Int {
            guard let text = environment[name], !text.isEmpty else { return fallback }
            guard let value = Int(text), value > 0 else { throw InvalidSetting(description: "\(name) must be a positive whole number, not '\(text)'.") }
            return value
        }
        guard let executable = command.first else { throw InvalidSetting(description: "no bootstrap to run") }
        return LambdaFunctionConfiguration(
            name: environment["AWS_LAMBDA_FUNCTION_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? "test_function",
            executable: executable,
            arguments: Array(command.dropFirst()),
            environment: environment,
            timeoutSeconds: try setting("AWS_LAMBDA_FUNCTION_TIMEOUT", 300),
            memoryMB: try setting("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", 3008),
            // RIE serves one invocation at a time; more wait their turn here (RIE would refuse them).
            maxConcurrency: 1,
            handler: environment["AWS_LAMBDA_FUNCTION_HANDLER"] ?? environment["_HANDLER"]
        )
    }

    public struct InvalidSetting: Error, CustomStringConvertible, Sendable, Equatable {
        public let description: String
    }

    /// Starts the Invoke API on 127.0.0.1:`port` (0: a free one) and returns once it listens.
    public static func start(_ function: LambdaFunctionConfiguration, port: Int) async throws -> RuntimeInterfaceEmulator {
        let lambda = LocalLambda(functions: [function])
        let server = try await InvokeAPIServer.start(invoker: lambda, function: function.name, port: port)
        return RuntimeInterfaceEmulator(function: function, lambda: lambda, server: server)
    }

    /// Kills the function's processes, answers what is in flight, stops listening.
    public func stop() async {
        await lambda.shutdown()
        await server.stop()
    }
}
