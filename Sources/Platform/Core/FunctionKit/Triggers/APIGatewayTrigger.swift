/// API Gateway HTTP API routes (payload format 2.0), as route keys: "POST /orders/{id}".
public struct APIGatewayTrigger: Trigger, Equatable {
    public var routes: [String]
    public init(routes: [String]) { self.routes = routes }
    public var description: String { routes.joined(separator: ", ") }
}

/// Serves one API Gateway request.
public protocol RequestHandler: FunctionHandler where Event == APIGatewayV2Request, Answer == APIGatewayV2Response {}

extension APIGatewayV2Request: InvocationEvent {
    public init(invocation bytes: [UInt8]) throws { try self.init(event: bytes) }
}

extension APIGatewayV2Response: InvocationAnswer {
    public func invocationBytes() throws -> [UInt8] { Array(try JSON.encoder.encode(self)) }
}
