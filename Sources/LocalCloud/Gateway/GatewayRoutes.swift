/// The route table of the local HTTP API: route keys ("POST /payments/stripe", "GET /payments/{id}")
/// and the function each one integrates with. It is plain data, built by the caller from the function
/// registry, so the gateway knows nothing of the providers. Requests are matched by `RouteMatcher`
/// (HTTP APIs' precedence: literal, then `{name}`, then `{name+}`, a method before `ANY`, `$default` last).
public struct GatewayRoutes: Sendable {
    /// What a request matched: the route key as configured, its function, and the path parameters.
    public struct Match: Sendable, Equatable {
        public var routeKey: String
        public var function: String
        public var pathParameters: [String: String]

        public init(routeKey: String, function: String, pathParameters: [String: String]) {
            self.routeKey = routeKey
            self.function = function
            self.pathParameters = pathParameters
        }
    }

    public typealias InvalidRoute = RouteMatcher.InvalidRoute

    public let matcher: RouteMatcher
    private let functions: [String: String]

    /// One route per route key; the first function that declares a route key serves it (the
    /// registry's order), as a deployment routes `GET /payments/{id}` to one of the payment functions.
    public init(functions: [(function: String, routes: [String])]) throws(InvalidRoute) {
        var byRouteKey: [String: String] = [:]
        var routeKeys: [String] = []
        for (function, keys) in functions {
            for routeKey in keys where byRouteKey[routeKey] == nil {
                byRouteKey[routeKey] = function
                routeKeys.append(routeKey)
            }
        }
        matcher = try RouteMatcher(routeKeys: routeKeys)
        self.functions = byRouteKey
    }

    /// Route key → function name.
    public init(_ table: [String: String]) throws(InvalidRoute) {
        try self.init(functions: table.sorted { $0.key < $1.key }.map { (function: $0.value, routes: [$0.key]) })
    }

    /// The route keys and their functions, in the order they were given.
    public var table: [(routeKey: String, function: String)] { matcher.routeKeys.map { ($0, functions[$0] ?? "") } }

    /// The route serving `method` on `rawPath` (the path as sent, percent-encoded), or nil: 404.
    public func match(method: String, rawPath: String) -> Match? {
        guard let match = matcher.match(method: method, rawPath: rawPath), let function = functions[match.routeKey] else { return nil }
        return Match(routeKey: match.routeKey, function: function, pathParameters: match.pathParameters)
    }
}
