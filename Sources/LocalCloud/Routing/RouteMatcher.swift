/// The one route matcher of the local tooling, with API Gateway HTTP APIs' rules: route keys
/// `METHOD /path` (`ANY` matches every method), literal segments compared exactly, `{name}` taking one
/// segment, `{name+}` (last only) the rest of the path, and `$default` whatever nothing else matches.
///
/// When several routes match, the most specific wins, as HTTP APIs choose: at the first segment where
/// two routes differ a literal beats a `{name}`, which beats a `{name+}`; then the longer route; then a
/// route with the request's method beats `ANY`; `$default` comes last. The order routes are given in
/// never matters.
public struct RouteMatcher: Sendable {
    public static let defaultRouteKey = "$default"

    struct Route: Sendable, Equatable {
        var routeKey: String
        /// Nil for `$default`.
        var method: String?
        var segments: [Segment]
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case greedy(String)

        /// Lower ranks are more specific.
        var rank: Int {
            switch self {
            case .literal: 0
            case .parameter: 1
            case .greedy: 2
            }
        }
    }

    /// What a request matched: the route key as configured, and the path parameters (percent-decoded).
    public struct Match: Sendable, Equatable {
        public var routeKey: String
        public var pathParameters: [String: String]

        public init(routeKey: String, pathParameters: [String: String] = [:]) {
            self.routeKey = routeKey
            self.pathParameters = pathParameters
        }
    }

    public struct InvalidRoute: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    private(set) var routes: [Route] = []

    /// The route keys, each once (a repeated key is kept at its first place). Throws on a malformed key.
    public init(routeKeys: [String]) throws(InvalidRoute) {
        for routeKey in routeKeys where !routes.contains(where: { $0.routeKey == routeKey }) {
            routes.append(try Self.parse(routeKey))
        }
    }

    /// The route keys, in the order they were given.
    public var routeKeys: [String] { routes.map(\.routeKey) }

    /// The route serving `method` on `rawPath` (the path as sent, percent-encoded), or nil: 404.
    public func match(method: String, rawPath: String) -> Match? {
        let wanted = method.uppercased()
        let pathSegments = rawPath.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var best: (route: Route, parameters: [String: String])?
        for route in routes {
            guard let routeMethod = route.method, routeMethod == wanted || routeMethod == "ANY" else { continue }
            guard let parameters = Self.bind(route.segments, to: pathSegments) else { continue }
            if let current = best, !Self.isMoreSpecific(route, than: current.route) { continue }
            best = (route, parameters)
        }
        if let best { return Match(routeKey: best.route.routeKey, pathParameters: best.parameters) }
        if routes.contains(where: { $0.method == nil }) { return Match(routeKey: Self.defaultRouteKey) }
        return nil
    }

    static func parse(_ routeKey: String) throws(InvalidRoute) -> Route {
        if routeKey == defaultRouteKey { return Route(routeKey: routeKey, method: nil, segments: []) }
        let parts = routeKey.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].hasPrefix("/") else {
            throw InvalidRoute(description: "route key '\(routeKey)' is not 'METHOD /path' or '$default'")
        }
        var segments: [Segment] = []
        let pieces = parts[1].split(separator: "/", omittingEmptySubsequences: true)
        for (index, piece) in pieces.enumerated() {
            if piece.hasPrefix("{") && piece.hasSuffix("}") && piece.count > 2 {
                let name = piece.dropFirst().dropLast()
                if name.hasSuffix("+") {
                    guard index == pieces.count - 1, name.count > 1 else {
                        throw InvalidRoute(description: "route key '\(routeKey)': a greedy parameter must be the last segment")
                    }
                    segments.append(.greedy(String(name.dropLast())))
                } else {
                    segments.append(.parameter(String(name)))
                }
            } else if piece.contains("{") || piece.contains("}") {
                throw InvalidRoute(description: "route key '\(routeKey)': a parameter must be a whole segment")
            } else {
                segments.append(.literal(String(piece)))
            }
        }
        return Route(routeKey: routeKey, method: parts[0].uppercased(), segments: segments)
    }

    static func bind(_ segments: [Segment], to path: [String]) -> [String: String]? {
        var parameters: [String: String] = [:]
        for (index, segment) in segments.enumerated() {
            switch segment {
            case .greedy(let name):
                guard index < path.count else { return nil }
                parameters[name] = path[index...].map { percentDecoded($0) }.joined(separator: "/")
                return parameters
            case .literal(let literal):
                guard index < path.count, path[index] == literal else { return nil }
            case .parameter(let name):
                guard index < path.count else { return nil }
                parameters[name] = percentDecoded(path[index])
            }
        }
        return segments.count == path.count ? parameters : nil
    }

    static func isMoreSpecific(_ candidate: Route, than current: Route) -> Bool {
        for (left, right) in zip(candidate.segments, current.segments) where left.rank != right.rank {
            return left.rank < right.rank
        }
        if candidate.segments.count != current.segments.count {
            return candidate.segments.count > current.segments.count
        }
        return current.method == "ANY" && candidate.method != "ANY"
    }
}
