import Testing
@testable import LocalCloud

/// API Gateway HTTP APIs' route selection: exact routes before `{param}` routes before `{proxy+}`
/// greedy paths, then `$default`; a route with the request's method before `ANY`; the order the
/// routes are declared in never matters.
struct RouteMatcherTests {
    /// Every order of `keys` (all permutations: the tables are small).
    static func everyOrder(_ keys: [String]) -> [[String]] {
        guard keys.count > 1 else { return [keys] }
        return keys.indices.flatMap { index -> [[String]] in
            var rest = keys
            let first = rest.remove(at: index)
            return everyOrder(rest).map { [first] + $0 }
        }
    }

    /// AWS's own example (HTTP API developer guide, "Routing API requests").
    static let awsExample = ["GET /pets/dog/1", "GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}", "$default"]

    @Test(arguments: [
        ("GET", "/pets/dog/1", "GET /pets/dog/1", [:]),
        ("GET", "/pets/dog/2", "GET /pets/dog/{id}", ["id": "2"]),
        ("GET", "/pets/cat/1", "GET /pets/{proxy+}", ["proxy": "cat/1"]),
        ("POST", "/pets/cat/1", "ANY /{proxy+}", ["proxy": "pets/cat/1"]),
        ("POST", "/", "$default", [:]),
    ] as [(String, String, String, [String: String])])
    func theMostSpecificRouteWinsInEveryOrder(method: String, path: String, routeKey: String, parameters: [String: String]) throws {
        for order in Self.everyOrder(Self.awsExample) {
            let matcher = try RouteMatcher(routeKeys: order)
            #expect(matcher.match(method: method, rawPath: path) == .init(routeKey: routeKey, pathParameters: parameters),
                    "\(method) \(path) with routes in the order \(order)")
        }
    }

    @Test func anExactRouteBeatsAParameterWhichBeatsAGreedyPath() throws {
        for order in Self.everyOrder(["GET /items/special", "GET /items/{id}", "GET /items/{rest+}"]) {
            let matcher = try RouteMatcher(routeKeys: order)
            #expect(matcher.match(method: "GET", rawPath: "/items/special")?.routeKey == "GET /items/special")
            #expect(matcher.match(method: "GET", rawPath: "/items/other")?.routeKey == "GET /items/{id}")
            #expect(matcher.match(method: "GET", rawPath: "/items/a/b")?.routeKey == "GET /items/{rest+}")
        }
    }

    @Test func theFirstSegmentWhereRoutesDifferDecides() throws {
        for order in Self.everyOrder(["GET /a/{x}/c", "GET /{y}/b/c"]) {
            let matcher = try RouteMatcher(routeKeys: order)
            #expect(matcher.match(method: "GET", rawPath: "/a/b/c") == .init(routeKey: "GET /a/{x}/c", pathParameters: ["x": "b"]))
        }
    }

    @Test func theRequestsMethodBeatsAnyOnTheSamePath() throws {
        for order in Self.everyOrder(["ANY /orders/{id}", "GET /orders/{id}"]) {
            let matcher = try RouteMatcher(routeKeys: order)
            #expect(matcher.match(method: "get", rawPath: "/orders/o1")?.routeKey == "GET /orders/{id}")
            #expect(matcher.match(method: "DELETE", rawPath: "/orders/o1")?.routeKey == "ANY /orders/{id}")
        }
    }

    @Test func aGreedyPathNeedsAtLeastOneSegmentAndIsDecoded() throws {
        let matcher = try RouteMatcher(routeKeys: ["GET /files/{path+}"])
        #expect(matcher.match(method: "GET", rawPath: "/files") == nil)
        #expect(matcher.match(method: "GET", rawPath: "/files/a%20b/c%2Fd")?.pathParameters == ["path": "a b/c/d"])
    }

    @Test func withoutDefaultWhatNoRouteServesIsNil() throws {
        let matcher = try RouteMatcher(routeKeys: ["POST /payments/stripe", "GET /payments/{id}"])
        #expect(matcher.match(method: "GET", rawPath: "/payments") == nil)
        #expect(matcher.match(method: "GET", rawPath: "/payments/p/extra") == nil)
        #expect(matcher.match(method: "PUT", rawPath: "/payments/p") == nil)
        let withDefault = try RouteMatcher(routeKeys: ["POST /payments/stripe", "$default"])
        #expect(withDefault.match(method: "PUT", rawPath: "/payments/p") == .init(routeKey: "$default"))
        #expect(withDefault.match(method: "POST", rawPath: "/payments/stripe")?.routeKey == "POST /payments/stripe")
    }

    @Test(arguments: ["/payments", "POST payments", "POST /a/{b}c", "POST /{rest+}/x", "default", "POST /a/{+}"])
    func malformedRouteKeysAreRefused(routeKey: String) {
        #expect(throws: RouteMatcher.InvalidRoute.self) { try RouteMatcher(routeKeys: [routeKey]) }
    }
}
