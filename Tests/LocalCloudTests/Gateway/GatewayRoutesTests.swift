import XCTest
@testable import LocalCloud

final class GatewayRoutesTests: XCTestCase {
    /// The shape of the CLI's registry: each payment function also declares `GET /payments/{id}`.
    let registry: [(function: String, routes: [String])] = [
        ("stripe-payment", ["POST /payments/stripe", "GET /payments/{id}"]),
        ("stripe-webhook", ["POST /webhooks/stripe"]),
        ("paypal-payment", ["POST /payments/paypal", "GET /payments/{id}"]),
        ("paypal-webhook", ["POST /webhooks/paypal"]),
        ("outbox-relay", []),
    ]

    func testEachRouteKeyGoesToTheFirstFunctionDeclaringIt() throws {
        let routes = try GatewayRoutes(functions: registry)
        XCTAssertEqual(routes.table.map(\.routeKey), ["POST /payments/stripe", "GET /payments/{id}", "POST /webhooks/stripe",
                                                      "POST /payments/paypal", "POST /webhooks/paypal"])
        XCTAssertEqual(routes.match(method: "POST", rawPath: "/payments/stripe"),
                       .init(routeKey: "POST /payments/stripe", function: "stripe-payment", pathParameters: [:]))
        XCTAssertEqual(routes.match(method: "POST", rawPath: "/payments/paypal")?.function, "paypal-payment")
        XCTAssertEqual(routes.match(method: "post", rawPath: "/webhooks/paypal")?.function, "paypal-webhook")
        XCTAssertEqual(routes.match(method: "GET", rawPath: "/payments/pay_123"),
                       .init(routeKey: "GET /payments/{id}", function: "stripe-payment", pathParameters: ["id": "pay_123"]))
        XCTAssertEqual(routes.match(method: "GET", rawPath: "/payments/pay%20x")?.pathParameters, ["id": "pay x"])
    }

    func testWhatNoRouteServesIsNotMatched() throws {
        let routes = try GatewayRoutes(functions: registry)
        XCTAssertNil(routes.match(method: "POST", rawPath: "/payments/unknown"))
        XCTAssertNil(routes.match(method: "GET", rawPath: "/webhooks/stripe"), "a known path with another method is 404 too")
        XCTAssertNil(routes.match(method: "DELETE", rawPath: "/payments/pay_1"))
        XCTAssertNil(routes.match(method: "GET", rawPath: "/payments/pay_1/extra"))
        XCTAssertNil(routes.match(method: "GET", rawPath: "/payments"))
        XCTAssertNil(routes.match(method: "GET", rawPath: "/"))
    }

    func testTheMostSpecificRouteWinsWhateverTheOrder() throws {
        for table in [["GET /items/{id}": "any", "GET /items/special": "special"],
                      ["GET /items/special": "special", "GET /items/{id}": "any"]] {
            let routes = try GatewayRoutes(table)
            XCTAssertEqual(routes.match(method: "GET", rawPath: "/items/special")?.function, "special")
            XCTAssertEqual(routes.match(method: "GET", rawPath: "/items/other")?.function, "any")
        }
        let greedy = try GatewayRoutes(["ANY /files/{path+}": "files", "GET /files/{name}": "one"])
        XCTAssertEqual(greedy.match(method: "GET", rawPath: "/files/a"), .init(routeKey: "GET /files/{name}", function: "one", pathParameters: ["name": "a"]))
        XCTAssertEqual(greedy.match(method: "PUT", rawPath: "/files/a/b/c"),
                       .init(routeKey: "ANY /files/{path+}", function: "files", pathParameters: ["path": "a/b/c"]))
    }

    func testMalformedRouteKeysAreRefused() {
        for key in ["/payments", "POST payments", "POST /a/{b}c", "POST /{rest+}/x"] {
            XCTAssertThrowsError(try GatewayRoutes([key: "f"]), key)
        }
    }
}
