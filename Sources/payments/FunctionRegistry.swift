import PaymentsCore
import PayPalProvider
import StripeProvider
import BraintreeProvider
import DeliveryService
import NotificationService
import LocalCloud

/// Every function this build contains, in the order routes are matched.
enum FunctionRegistry {
    static let all: [FunctionDefinition] = [
        StripeFunctions.payment, StripeFunctions.webhook,
        PayPalFunctions.payment, PayPalFunctions.webhook,
        BraintreeFunctions.payment, BraintreeFunctions.webhook,
        OutboxStreamRelay.definition,
        DeliveryFunctions.definition, NotificationFunctions.definition,
    ]

    static func named(_ name: String) -> FunctionDefinition? { all.first { $0.name == name } }

    /// The local API Gateway's route table: every HTTP route, to the first function that declares it
    /// (`GET /payments/{id}` goes to stripe-payment, which shares the store with the others).
    static func gatewayRoutes() throws -> GatewayRoutes {
        try GatewayRoutes(functions: all.map { (function: $0.name, routes: $0.routes) })
    }

    /// The functions that serve this request's route, in registry order. `GET /payments/{id}` is served
    /// by every payment function, so a deployment routes it to any one of them.
    static func candidates(method: String, path: String) -> [FunctionDefinition] {
        all.filter { definition in definition.routes.contains { routeMatches($0, method: method, path: path) } }
    }

    static func routeMatches(_ route: String, method: String, path: String) -> Bool {
        let parts = route.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0] == method.uppercased() else { return false }
        let pattern = parts[1].split(separator: "/")
        let segments = path.split(separator: "/")
        guard pattern.count == segments.count else { return false }
        return zip(pattern, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }
}
