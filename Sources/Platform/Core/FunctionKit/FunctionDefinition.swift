/// A deployable function: its executable name, what triggers it, and how to build its handler from
/// its dependencies. Each service exports these; the executables and the CLI build from them.
public struct FunctionDefinition: Sendable {
    public var name: String
    public var trigger: any Trigger
    private let build: @Sendable (FunctionDependencies) throws -> ServingFunction

    /// A function whose handler `build` makes, with the work it leaves for after each answer.
    public init<Handler: FunctionHandler>(name: String, trigger: any Trigger,
                                          build: @escaping @Sendable (FunctionDependencies) throws -> Served<Handler>) {
        self.name = name
        self.trigger = trigger
        self.build = { ServingFunction(try build($0)) }
    }

    /// Builds the handler; an error is the function's init error (a setting missing or malformed).
    public func makeFunction(_ dependencies: FunctionDependencies) throws -> ServingFunction {
        try build(dependencies)
    }

    /// The HTTP routes it serves; empty for functions another source triggers.
    public var routes: [String] { (trigger as? APIGatewayTrigger)?.routes ?? [] }
}

/// A handler and what it leaves for after its answer: the one mechanism for work after the answer.
public struct Served<Handler: FunctionHandler>: Sendable {
    public var handler: Handler
    /// Publishes the outbox the handler wrote to, once the caller has its answer; nil where a stream
    /// carries the outbox to `outbox-relay` instead.
    public var drain: OutboxDrain?
    /// Whether every invocation calls AWS over HTTPS, so libcurl is worth loading during init.
    public var callsAWSOnEveryInvocation: Bool

    public init(_ handler: Handler, drain: OutboxDrain? = nil, callsAWSOnEveryInvocation: Bool = false) {
        self.handler = handler
        self.drain = drain
        self.callsAWSOnEveryInvocation = callsAWSOnEveryInvocation
    }

    /// The work left after an answer, before the next event.
    public func afterAnswer(logger: Logger) {
        drain?.run(logger: logger)
    }
}

/// A built function of any trigger, as the runtime serves it: raw event bytes in, raw answer out,
/// read and written by the handler's own event and answer types.
public struct ServingFunction: Sendable {
    public let handler: any FunctionHandler
    public let drain: OutboxDrain?
    public let callsAWSOnEveryInvocation: Bool
    private let invokeBytes: @Sendable ([UInt8], InvocationContext) throws -> [UInt8]

    public init<Handler: FunctionHandler>(_ served: Served<Handler>) {
        let handler = served.handler
        self.handler = handler
        self.drain = served.drain
        self.callsAWSOnEveryInvocation = served.callsAWSOnEveryInvocation
        self.invokeBytes = { bytes, context in
            try handler.handle(try Handler.Event(invocation: bytes), context: context).invocationBytes()
        }
    }

    public func invoke(event: [UInt8], context: InvocationContext) throws -> [UInt8] {
        try invokeBytes(event, context)
    }

    public func afterAnswer(logger: Logger) {
        drain?.run(logger: logger)
    }

    /// Serves an HTTP request, for an HTTP function; any other kind fails the invocation.
    public func handle(_ request: APIGatewayV2Request, context: InvocationContext) throws -> APIGatewayV2Response {
        guard let handler = handler as? any RequestHandler else {
            throw InvalidEventError("this function is not triggered by API Gateway", shape: "the event this function's trigger delivers")
        }
        return try handler.handle(request, context: context)
    }
}

/// Everything general a handler may use, passed in: no singletons, no globals. A service builds its
/// own stores from its own settings (`<SERVICE>_STORE`) out of these.
public struct FunctionDependencies: Sendable {
    /// The serving invocation's deadline, for adapters built once that must stop retrying in time.
    public var deadline: InvocationDeadline?
    public var clock: any WallClock
    public var httpClient: any HTTPClient
    public var environment: [String: String]
    public var logger: Logger

    public init(clock: any WallClock, httpClient: any HTTPClient, environment: [String: String], logger: Logger,
                deadline: InvocationDeadline? = nil) {
        self.deadline = deadline
        self.clock = clock
        self.httpClient = httpClient
        self.environment = environment
        self.logger = logger
    }

    /// A required setting, or an error naming it.
    public func setting(_ name: String) throws(ConfigurationError) -> String {
        guard let value = environment[name], !value.isEmpty else { throw ConfigurationError("\(name) is not set") }
        return value
    }
}

/// A function cannot start: a setting is missing or malformed. The message names the setting, never its value.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
