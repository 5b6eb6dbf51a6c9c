/// The route table of the local HTTP API: route keys ("POST /payments/stripe", "GET /payments/{id}")
/// and the function each one integrates with. It is plain data, built by the caller from the function
/// registry, so the gateway knows nothing of the providers.
///
/// Matching follows HTTP APIs: the method must be equal (`ANY` matches every method), literal segments
/// are compared exactly, `{name}` takes one segment and `{name+}` (last only) the rest of the path. When
/// several routes match, the most specific wins: at the first segment where they differ a literal beats
/// a `{name}`, which beats a `{name+}`; a route with a method beats `ANY`.
public struct GatewayRoutes: Sendable {
    public struct Route: Sendable, Equatable {
        public var routeKey: String
        public var function: String
        let method: String
        let segments: [Segment]
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

    /// What a request matched: the route key as configured, its function, and the path parameters.
    public struct Match: Sendable, Equatable {
        public var routeKey: String
        public var function: String
        public var pathParameters: [String: String]
    }

    public struct InvalidRoute: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public private(set) var routes: [Route] = []

    /// One route per route key; the first function that declares a route key serves it (the
    /// registry's order), as a deployment routes `GET /payments/{id}` to one of the payment functions.
    public init(functions: [(function: String, routes: [String])]) throws(InvalidRoute) {
        for (function, routeKeys) in functions {
            for routeKey in routeKeys where !routes.contains(where: { $0.routeKey == routeKey }) {
                routes.append(try Self.parse(routeKey, function: function))
            }
        }
    }

    /// Route key → function name.
    public init(_ table: [String: String]) throws(InvalidRoute) {
        try self.init(functions: table.sorted { $0.key < $1.key }.map { (function: $0.value, routes: [$0.key]) })
    }

    /// The route keys and their functions, in the order they were given.
    public var table: [(routeKey: String, function: String)] { routes.map { ($0.routeKey, $0.function) } }

    static func parse(_ routeKey: String, function: String) throws(InvalidRoute) -> Route {
        let parts = routeKey.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].hasPrefix("/") else {
            throw InvalidRoute(description: "route key '\(routeKey)' is not 'METHOD /path'")
        }
        let method = parts[0].uppercased()
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
        return Route(routeKey: routeKey, function: function, method: method, segments: segments)
    }

    /// The route serving `method` on `rawPath` (the path as sent, percent-encoded), or nil: 404.
    public func match(method: String, rawPath: String) -> Match? {
        let wanted = method.uppercased()
        let pathSegments = rawPath.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var best: (route: Route, parameters: [String: String])?
        for route in routes where route.method == wanted || route.method == "ANY" {
            guard let parameters = Self.bind(route.segments, to: pathSegments) else { continue }
            if let current = best, !Self.isMoreSpecific(route, than: current.route) { continue }
            best = (route, parameters)
        }
        guard let best else { return nil }
        return Match(routeKey: best.route.routeKey, function: best.route.function, pathParameters: best.parameters)
    }

    static func bind(_ segments: [Segment], to path: [String]) -> [String: String]? {
        var parameters: [String: String] = [:]
        for (index, segment) in segments.enumerated() {
            switch segment {
            case .greedy(let name):
                guard index < path.count else { return nil }
                parameters[name] = path[index...].map(percentDecoded).joined(separator: "/")
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

/// `%XX` sequences decoded as UTF-8; the text unchanged when they do not form valid UTF-8. `+` stays `+`.
func percentDecoded(_ text: some StringProtocol) -> String {
    guard text.contains("%") else { return String(text) }
    var bytes: [UInt8] = []
    let utf8 = Array(text.utf8)
    var index = 0
    func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
    while index < utf8.count {
        if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
           let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2]) {
            bytes.append(high << 4 | low)
            index += 3
        } else {
            bytes.append(utf8[index])
            index += 1
        }
    }
    return String(validating: bytes, as: UTF8.self) ?? String(text)
}
