import Platform
import Testing
import LocalCloudFunctions

struct FunctionRegistryTests {
    @Test func aRequestGoesToTheFunctionsDeclaringTheRouteItMatches() throws {
        #expect(try FunctionRegistry.candidates(method: "GET", rawPath: "/payments/pay_1").map(\.name)
                == ["stripe-payment", "paypal-payment", "braintree-payment"])
        #expect(try FunctionRegistry.candidates(method: "post", rawPath: "/webhooks/stripe").map(\.name) == ["stripe-webhook"])
        #expect(try FunctionRegistry.candidates(method: "POST", rawPath: "/payments/paypal").map(\.name) == ["paypal-payment"])
        #expect(try FunctionRegistry.candidates(method: "PUT", rawPath: "/payments/pay_1").isEmpty)
        #expect(try FunctionRegistry.candidates(method: "GET", rawPath: "/payments/pay_1/extra").isEmpty)
    }

    @Test func theGatewayRoutesEachRouteKeyToItsFirstFunction() throws {
        let routes = try FunctionRegistry.gatewayRoutes()
        #expect(routes.match(method: "GET", rawPath: "/payments/pay_1")?.function == "stripe-payment")
        #expect(routes.match(method: "POST", rawPath: "/webhooks/braintree")?.function == "braintree-webhook")
        #expect(Set(routes.table.map(\.routeKey)).count == routes.table.count)
    }
}
