#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The response shape API Gateway HTTP APIs (payload format 2.0) accept from a Lambda.
public struct APIGatewayV2Response: Codable, Sendable, Equatable {
    public var statusCode: Int
    public var headers: [String: String]?
    public var body: String?
    public var isBase64Encoded: Bool?

    public init(statusCode: Int, headers: [String: String]? = nil, body: String? = nil, isBase64Encoded: Bool? = false) {
        self.statusCode = statusCode
        self.headers = headers
        self.body = body
        self.isBase64Encoded = isBase64Encoded
    }

    /// A JSON response; encoding our own Encodable types cannot fail, but if it did the caller gets a 500 problem.
    public static func json<T: Encodable>(_ status: Int, _ value: T, headers extra: [String: String] = [:]) -> APIGatewayV2Response {
        guard let data = try? JSON.encoder.encode(value) else {
            return APIGatewayV2Response(statusCode: 500, headers: ["content-type": "application/problem+json"],
                                        body: #"{"detail":"The response could not be encoded.","status":500,"title":"Internal error","type":"/problems/internal"}"#)
        }
        var headers = ["content-type": "application/json"]
        headers.merge(extra) { _, new in new }
        return APIGatewayV2Response(statusCode: status, headers: headers, body: String(decoding: data, as: UTF8.self))
    }
}
