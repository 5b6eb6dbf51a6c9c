import PaymentsCore
import Platform

/// A payments function (a provider's payment or webhook function): its routes, and how its handler is
/// made from the payments store and the general dependencies. `definition` is what the platform runs:
/// it builds the store from `PAYMENTS_STORE` / `PAYMENTS_EVENTS`, and drains the outbox after each
/// answer where no stream carries it.
public struct PaymentsFunction: Sendable {
    public var name: String
    public var routes: [String]
    public var makeHandler: @Sendable (PaymentsDependencies) throws -> any RequestHandler

    public init(name: String, routes: [String], makeHandler: @escaping @Sendable (PaymentsDependencies) throws -> any RequestHandler) {
        self.name = name
        self.routes = routes
        self.makeHandler = makeHandler
    }

    public var definition: FunctionDefinition {
        FunctionDefinition(name: name, trigger: APIGatewayTrigger(routes: routes)) { [makeHandler] dependencies in
            let backends = try PaymentsBackends.make(dependencies)
            let handler = try makeHandler(PaymentsDependencies(dependencies, store: backends.store, transmissions: backends.transmissions))
            return Served(AnyRequestHandler(handler), drain: backends.drain, callsAWSOnEveryInvocation: backends.callsAWS)
        }
    }
}

/// What a payments handler may use: the general dependencies, and the payments store with the ledger beside it.
@dynamicMemberLookup
public struct PaymentsDependencies: Sendable {
    public var function: FunctionDependencies
    public var store: any PaymentStore
    /// Webhook transmissions already accepted, kept where the payments are (replay checks).
    public var transmissions: any TransmissionLedger

    public init(_ function: FunctionDependencies, store: any PaymentStore, transmissions: any TransmissionLedger) {
        self.function = function
        self.store = store
        self.transmissions = transmissions
    }

    public subscript<Value>(dynamicMember keyPath: KeyPath<FunctionDependencies, Value>) -> Value {
        function[keyPath: keyPath]
    }

    /// A required setting, or an error naming it.
    public func setting(_ name: String) throws(ConfigurationError) -> String { try function.setting(name) }

    public func providerBaseURL(_ name: String, default defaultValue: String) throws(ConfigurationError) -> String {
        try function.providerBaseURL(name, default: defaultValue)
    }
}

/// A request handler of any type, as one concrete type: a payments function's handler is chosen by
/// the provider at build time.
struct AnyRequestHandler: RequestHandler {
    let base: any RequestHandler
    init(_ base: any RequestHandler) { self.base = base }
    func handle(_ request: APIGatewayV2Request, context: InvocationContext) throws -> APIGatewayV2Response {
        try base.handle(request, context: context)
    }
}
