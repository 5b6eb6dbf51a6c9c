import Platform
import CurlHTTP

/// A function ready to serve: its definition, built from the environment as in Lambda and in
/// the CLI's `invoke`, with the work it leaves for after each answer.
public struct FunctionRuntime: Sendable {
    public var definition: FunctionDefinition
    public var function: ServingFunction
    public var dependencies: FunctionDependencies
    /// Set before each invocation, so the AWS clients stop retrying in time to answer.
    public let deadline = InvocationDeadline()

    public init(_ definition: FunctionDefinition, environment: [String: String], logger: Logger,
                httpClient: (any HTTPClient)? = nil, clock: any WallClock = SystemClock()) throws {
        let client = httpClient ?? RetryingHTTPClient(base: CurlHTTPClient(), clock: clock)
        let dependencies = FunctionDependencies(clock: clock, httpClient: client, environment: environment, logger: logger, deadline: deadline)
        self.definition = definition
        self.dependencies = dependencies
        self.function = try definition.makeFunction(dependencies)
    }

    /// The handler, of the type its definition built.
    public var handler: any FunctionHandler { function.handler }

    /// One invocation from raw event bytes to raw response bytes, read in the shape of the handler's
    /// event. An event of another shape is an error of the invocation, not an answer.
    public func invoke(event: [UInt8], context: InvocationContext) throws -> [UInt8] {
        deadline.begin(deadlineMilliseconds: context.deadlineMilliseconds)
        return try function.invoke(event: event, context: context)
    }

    /// What a function does once it has answered, before the next event: publish its outbox.
    public func afterResponse(logger: Logger) {
        function.afterAnswer(logger: logger)
    }
}

/// Logs as JSON lines on standard error, where Lambda and CloudWatch pick them up.
public func standardErrorLogger(function: String) -> Logger {
    Logger(function: function) { line in
        writeStandardError(line + "\n")
    }
}
