/// A deployable function: its executable name, the routes it serves, and how to build its handler.
/// Each provider library exports two; the executables and the `payments` CLI build from these.
public struct FunctionDefinition: Sendable {
    public var name: String
    /// Routes as API Gateway route keys: "POST /payments/{provider}", "GET /payments/{id}".
    public var routes: [String]
    public var makeHandler: @Sendable (FunctionDependencies) throws -> any RequestHandler

    public init(name: String, routes: [String], makeHandler: @escaping @Sendable (FunctionDependencies) throws -> any RequestHandler) {
        self.name = name
        self.routes = routes
        self.makeHandler = makeHandler
    }
}

/// Everything a handler may use, passed in: no singletons, no globals.
public struct FunctionDependencies: Sendable {
    public var store: any PaymentStore
    public var clock: any WallClock
    public var httpClient: any HTTPClient
    public var environment: [String: String]
    public var logger: Logger

    public init(store: any PaymentStore, clock: any WallClock, httpClient: any HTTPClient, environment: [String: String], logger: Logger) {
        self.store = store
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
