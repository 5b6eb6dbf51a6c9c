/// A deployable function: its executable name, what triggers it, and how to build its handler.
/// Provider libraries and services export these; the executables and the `payments` CLI build from them.
public struct FunctionDefinition: Sendable {
    public var name: String
    public var trigger: Trigger
    /// False for the consumers (Delivery, Notification): they keep their own stores, named by their own
    /// settings, and are built without opening the payments store.
    public var usesPaymentStore: Bool
    public var makeHandler: @Sendable (FunctionDependencies) throws -> FunctionHandler

    public init(name: String, trigger: Trigger, usesPaymentStore: Bool = true,
                makeHandler: @escaping @Sendable (FunctionDependencies) throws -> FunctionHandler) {
        self.name = name
        self.trigger = trigger
        self.usesPaymentStore = usesPaymentStore
        self.makeHandler = makeHandler
    }

    /// An HTTP function serving `routes` (API Gateway route keys: "POST /payments/{provider}").
    public init(name: String, routes: [String], makeHandler: @escaping @Sendable (FunctionDependencies) throws -> any RequestHandler) {
        self.init(name: name, trigger: .http(routes: routes)) { .http(try makeHandler($0)) }
    }

    /// The HTTP routes it serves; empty for batch and scheduled functions.
    public var routes: [String] { trigger.routes }
}

/// Everything a handler may use, passed in: no singletons, no globals.
public struct FunctionDependencies: Sendable {
    private var paymentStore: (any PaymentStore)?
    /// The payments store; a consumer built without one (`usesPaymentStore: false`) gets an error naming it.
    public var store: any PaymentStore {
        get throws(ConfigurationError) {
            guard let paymentStore else { throw ConfigurationError("this function is built without the payments store (PAYMENTS_STORE)") }
            return paymentStore
        }
    }
    /// The serving invocation's deadline, for adapters built once that must stop retrying in time.
    public var deadline: InvocationDeadline?
    /// The store's outbox: what the relay removes once published.
    public var outbox: (any OutboxStore)?
    /// The configured bus; only the relay publishes directly.
    public var publisher: (any EventPublisher)?
    /// Webhook transmissions already accepted, kept where the payments are (replay checks).
    public var transmissions: (any TransmissionLedger)?
    /// The transmission ledger, or an error naming the store setting it lives in.
    public var transmissionLedger: any TransmissionLedger {
        get throws(ConfigurationError) {
            guard let transmissions else { throw ConfigurationError("this function is built without the payments store (PAYMENTS_STORE)") }
            return transmissions
        }
    }
    public var clock: any WallClock
    public var httpClient: any HTTPClient
    public var environment: [String: String]
    public var logger: Logger

    public init(store: any PaymentStore, clock: any WallClock, httpClient: any HTTPClient, environment: [String: String], logger: Logger,
                outbox: (any OutboxStore)? = nil, publisher: (any EventPublisher)? = nil, deadline: InvocationDeadline? = nil,
                transmissions: (any TransmissionLedger)? = nil) {
        self.init(clock: clock, httpClient: httpClient, environment: environment, logger: logger, deadline: deadline)
        self.paymentStore = store
        self.outbox = outbox
        self.publisher = publisher
        self.transmissions = transmissions
    }

    /// Without the payments store: what a consumer gets.
    public init(clock: any WallClock, httpClient: any HTTPClient, environment: [String: String], logger: Logger,
                deadline: InvocationDeadline? = nil) {
        self.paymentStore = nil
        self.outbox = nil
        self.deadline = deadline
        self.publisher = nil
        self.transmissions = nil
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
