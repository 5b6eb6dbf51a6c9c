import BraintreeProvider
import DeliveryService
import FunctionHost
import Platform
import LocalCloud
import NotificationService
import OutboxRelayFunction
import PaymentsCore
import PayPalProvider
import StripeProvider

/// Every function this build contains, in the order routes are matched.
public enum FunctionRegistry {
    public static let all: [FunctionDefinition] = [
        StripeFunctions.payment.definition, StripeFunctions.webhook.definition,
        PayPalFunctions.payment.definition, PayPalFunctions.webhook.definition,
        BraintreeFunctions.payment.definition, BraintreeFunctions.webhook.definition,
        OutboxRelayFunction.definition,
        DeliveryFunctions.definition, NotificationFunctions.definition,
    ]

    public static func named(_ name: String) -> FunctionDefinition? { all.first { $0.name == name } }

    /// The local API Gateway's route table: every HTTP route, to the first function that declares it
    /// (`GET /payments/{id}` goes to stripe-payment, which shares the store with the others).
    package static func gatewayRoutes() throws -> GatewayRoutes {
        try GatewayRoutes(functions: all.map { (function: $0.name, routes: $0.routes) })
    }

    /// The functions that serve this request's route (the one `RouteMatcher` picks), in registry order.
    /// `GET /payments/{id}` is served by every payment function, so a deployment routes it to any one of them.
    public static func candidates(method: String, rawPath: String) throws -> [FunctionDefinition] {
        let matcher = try RouteMatcher(routeKeys: all.flatMap(\.routes))
        guard let match = matcher.match(method: method, rawPath: rawPath) else { return [] }
        return all.filter { $0.routes.contains(match.routeKey) }
    }
}
